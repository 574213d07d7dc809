"""Form descriptions generated from the JSON Schemas in schemas/, and the text ⇄ value rules of form fields.

Qt-free, so the inspector and the tests share it. A `FieldSpec` says how to edit one key: its title and help
(from the schema's title/description/examples), its `Kind` (derived from type/enum/$ref) and whether
template strings are allowed. `value_from_text` turns what a person typed into the value to write (or
`DELETE` to remove the key), raising `FieldError` with a message to show inline when it cannot.

    spec = step_fields()["max_retries"]
    value_from_text("3", spec)            # 3
    value_from_text("", spec)             # DELETE: clearing an optional field removes it
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from engine.load.resolve import resolve_plain
from engine.load.yaml11 import YamlSyntaxError, parse_yaml
from schemas import action_types, load_schema
from studio.document.edits import DELETE
from studio.document.emit import Flow, flow_text, scalar_text
from studio.document.layout import Snapshot

__all__ = ["ActionInfo", "FieldError", "FieldSpec", "Kind", "action_fields", "action_info", "input_fields",
           "is_template", "representable", "root_fields", "snippet_text", "step_fields", "text_of",
           "value_from_snippet", "value_from_text", "variable_fields"]

_MISSING: Any = object()
# Keys whose text usually spans several lines: they get a multi-line editor.
_MULTILINE_KEYS = frozenset({"long_description", "body", "script", "stdin", "expression", "root_ca", "known_hosts",
                             "ssh_key", "message"})
_TEMPLATE = re.compile(r"\{\{.*\}\}", re.DOTALL)
_INTEGER = re.compile(r"[-+]?\d+")


class Kind(Enum):
    TEXT = "text"  # scalar text, template strings allowed
    MULTILINE = "multiline"  # long text
    BOOL = "bool"
    ENUM = "enum"  # fixed choices (editable when templates are allowed)
    INTEGER = "integer"
    LIST = "list"  # list of short texts, edited comma-separated
    YAML = "yaml"  # object / array / any: a YAML snippet


class FieldError(ValueError):
    """What the person typed cannot become a value of this field; the message is shown inline."""


@dataclass(frozen=True)
class FieldSpec:
    key: str
    title: str
    kind: Kind
    description: str = ""
    choices: tuple[Any, ...] = ()
    default: Any = None
    examples: tuple[Any, ...] = ()
    required: bool = False
    templates: bool = True  # False for x-utask-literal fields: µTask reads them before rendering

    @property
    def placeholder(self) -> str:
        """The first example (or the default) as a hint in an empty editor."""
        for value in (*self.examples[:1], self.default):
            if value not in (None, "", [], {}):
                return text_of(value) if self.kind is not Kind.YAML else flow_text(value)
        return ""

    @property
    def help(self) -> str:
        return self.description


@dataclass(frozen=True)
class ActionInfo:
    title: str
    description: str
    side_effects: bool | None  # None: unknown (a function, or an unknown type)
    read_only_when: Mapping[str, tuple[str, ...]]

    def is_read_only(self, configuration: Any) -> bool:
        """Whether this configuration is one the schema declares harmless (e.g. http with method GET)."""
        if not self.read_only_when or not isinstance(configuration, Mapping):
            return False
        return all(configuration.get(key) in values for key, values in self.read_only_when.items())


# -- schemas → specs --------------------------------------------------------------------------------


@cache
def _template_schema() -> dict[str, Any]:
    return load_schema("template")


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """`node` with a local `$ref` merged in (the referring node's own title/description win)."""
    merged = dict(node)
    ref = merged.pop("$ref", None)
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        target = _resolve(root["definitions"][ref.rsplit("/", 1)[1]], root)
        merged = {**target, **merged}
    return merged


def _types(node: Mapping[str, Any]) -> set[str]:
    kind = node.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _enum_of(node: Mapping[str, Any]) -> tuple[Any, ...]:
    if "enum" in node:
        return tuple(value for value in node["enum"] if value not in ("", None))
    for option in node.get("anyOf", ()):
        if isinstance(option, Mapping) and "enum" in option:
            return tuple(value for value in option["enum"] if value not in ("", None))
    return ()


def _kind_of(key: str, node: Mapping[str, Any]) -> Kind:
    types = _types(node) - {"null"}
    if _enum_of(node):
        return Kind.ENUM
    if types == {"boolean"}:
        return Kind.BOOL
    if types == {"integer"}:
        return Kind.INTEGER
    item_types = _types(node.get("items", {}))
    if types == {"array"} and item_types and item_types <= {"string", "number", "boolean"}:
        return Kind.LIST
    if types and types <= {"string", "number", "boolean"}:
        return Kind.MULTILINE if key in _MULTILINE_KEYS or node.get("maxLength", 0) > 10_000 else Kind.TEXT
    return Kind.YAML


def _spec(key: str, node: Mapping[str, Any], root: Mapping[str, Any], required: bool) -> FieldSpec:
    node = _resolve(node, root)
    kind = _kind_of(key, node)
    return FieldSpec(key=key, title=str(node.get("title") or key.replace("_", " ").capitalize()), kind=kind,
                     description=str(node.get("description", "")), choices=_enum_of(node),
                     default=node.get("default"), examples=tuple(node.get("examples", ())), required=required,
                     templates=not node.get("x-utask-literal", False))


def _specs(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, FieldSpec]:
    required = set(node.get("required", ()))
    return {key: _spec(key, value, root, key in required) for key, value in node.get("properties", {}).items()
            if not value.get("x-utask-runtime-only")}


def root_fields() -> dict[str, FieldSpec]:
    """The template's top-level keys, as the template schema describes them."""
    schema = _template_schema()
    return _specs(schema, schema)


def step_fields() -> dict[str, FieldSpec]:
    """The keys of a step (run-time-only keys left out)."""
    schema = _template_schema()
    return _specs(schema["definitions"]["step"], schema)


def executor_fields() -> dict[str, FieldSpec]:
    """The keys of an action: type, configuration, base_configuration, output, base_output."""
    schema = _template_schema()
    return _specs(schema["definitions"]["executor"], schema)


def input_fields() -> dict[str, FieldSpec]:
    schema = _template_schema()
    return _specs(schema["definitions"]["input"], schema)


def variable_fields() -> dict[str, FieldSpec]:
    schema = _template_schema()
    return _specs(schema["definitions"]["variable"], schema)


def action_fields(action_type: str, arguments: tuple[str, ...] = ()) -> dict[str, FieldSpec]:
    """The configuration keys of a builtin action (from its schema), or a function's arguments."""
    if action_type in action_types():
        schema = load_schema(f"actions/{action_type}")
        return _specs(schema, schema)
    return {name: FieldSpec(key=name, title=name, kind=Kind.TEXT, description=f"Argument {name} of the function.",
                            required=True) for name in arguments}


def action_info(action_type: str) -> ActionInfo:
    if action_type not in action_types():
        return ActionInfo(action_type, "", None, {})
    schema = load_schema(f"actions/{action_type}")
    read_only = {key: tuple(values) for key, values in schema.get("x-utask-read-only-when", {}).items()}
    return ActionInfo(str(schema.get("title", action_type)), str(schema.get("description", "")),
                      schema.get("x-utask-side-effects"), read_only)


# -- values ⇄ text ----------------------------------------------------------------------------------


def is_template(text: str) -> bool:
    return bool(_TEMPLATE.search(text))


def text_of(value: Any) -> str:
    """How a scalar reads in a one-line editor (YAML spelling for non-strings)."""
    if value is None or value is _MISSING:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(_is_scalar(item) for item in value):
        return ", ".join(text_of(item) for item in value)
    return (scalar_text(value) or "") if _is_scalar(value) else flow_text(value)


def representable(value: Any, kind: Kind) -> bool:
    """Whether the editor of `kind` can show `value` without changing it (else it is shown as text/YAML)."""
    if value is None:
        return True
    if kind is Kind.BOOL:
        return isinstance(value, bool)
    if kind is Kind.INTEGER:
        return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and
                                                                            is_template(value))
    if kind is Kind.LIST:
        return isinstance(value, list) and all(_is_scalar(v) and "," not in text_of(v) for v in value)
    if kind in (Kind.TEXT, Kind.ENUM):  # a line break would not survive a one-line editor
        return _is_scalar(value) and "\n" not in str(value)
    if kind is Kind.MULTILINE:
        return _is_scalar(value)
    return True


def value_from_text(text: str, spec: FieldSpec) -> Any:
    """The value to write for `text` typed in the editor of `spec`; DELETE to remove the key."""
    if not text.strip() and not spec.required:
        return DELETE
    if spec.kind is Kind.INTEGER:
        return _integer(text.strip(), spec)
    if spec.kind is Kind.LIST:
        return Flow(item.strip() for item in text.split(",") if item.strip())
    if spec.kind is Kind.BOOL:
        return _boolean(text.strip(), spec)
    if spec.kind is Kind.ENUM and not spec.templates and text not in spec.choices:
        raise FieldError(f"{spec.title} must be one of {', '.join(map(str, spec.choices))}")
    if not spec.templates and is_template(text):
        raise FieldError(f"µTask reads {spec.title} before rendering: a {{{{template}}}} cannot be used here")
    return text


def value_from_scalar_text(text: str, spec: FieldSpec) -> Any:
    """A value typed where the form shows something it cannot represent: read as a YAML plain scalar."""
    if not text.strip() and not spec.required:
        return DELETE
    return resolve_plain(text.strip()) if text.strip() else ""


def _integer(text: str, spec: FieldSpec) -> Any:
    if _INTEGER.fullmatch(text):
        return int(text)
    if is_template(text) and spec.templates:
        return text
    raise FieldError(f"{spec.title} takes a whole number{' or a {{template}}' if spec.templates else ''}")


def _boolean(text: str, spec: FieldSpec) -> Any:
    value = resolve_plain(text)
    if isinstance(value, bool) or is_template(text):
        return value
    raise FieldError(f"{spec.title} takes true or false")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


# -- YAML snippets ----------------------------------------------------------------------------------


def snippet_text(snapshot: Snapshot, path: tuple[str | int, ...]) -> str:
    """The value at `path` as the file writes it (comments kept), dedented; "" when there is none."""
    if not snapshot.has_value(path):
        return ""
    value = snapshot.value_at(path)
    start, end = snapshot.value_range(path)
    if not isinstance(value, dict | list) or snapshot.text[start:start + 1] in ("{", "["):
        return flow_text(value)  # YAML that parses back to the same value ('40' stays a string)
    column = start - _line_start(snapshot.text, start)
    lines = (" " * column + snapshot.text[start:end]).split("\n")
    while lines and lines[-1].strip().startswith("#") or lines and not lines[-1].strip():
        lines.pop()  # comments after the value introduce what follows it
    return textwrap.dedent("\n".join(lines)).strip("\n")


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def value_from_snippet(text: str, spec: FieldSpec | None = None) -> Any:
    """Parse a YAML snippet; empty means remove the key. Raises FieldError with the position of a mistake."""
    if not text.strip():
        return DELETE if spec is None or not spec.required else None
    try:
        return parse_yaml(text).data
    except YamlSyntaxError as exc:
        raise FieldError(f"line {exc.line}, column {exc.column}: {exc.message}") from None

"""What a template handle may name at a place in the text: completions for the YAML pane (Qt-free).

    handles_at(document, offset)   # after `{{ .step.` → the steps, ancestors of the current step first

Positions come from the current text (a few line scans, no parse: typing never waits for the YAML
parser); names come from the last parse of the document, which may be a few keystrokes old — names change
rarely, and the last good parse is kept while the YAML is broken.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from engine.model.graph import StepGraph
from engine.templating.context import THIS_FIELDS
from engine.templating.functions_names import BUILTIN_NAMES, FUNCTION_NAMES, UTASK_NAMES
from engine.validate.handles import TASK_KEYS
from studio.document.layout import Snapshot
from studio.document.model import TemplateDocument

__all__ = ["Completion", "CompletionContext", "StepLocation", "completion_context", "handles_at", "last_parsed_steps",
           "step_at", "step_key_offset"]


@dataclass(frozen=True, slots=True)
class Completion:
    label: str  # what the list shows
    insert_text: str  # what replaces the word being typed (CompletionContext.start .. the cursor)
    detail: str  # a short note shown beside the label: where the name comes from


@dataclass(frozen=True, slots=True)
class CompletionContext:
    """The word being completed: `text[start:offset]` is `prefix`; `path` is the handle before it."""

    kind: Literal["handle", "function"]
    start: int
    prefix: str
    path: tuple[str, ...] = ()


_WORD = re.compile(r"[A-Za-z0-9_]*\Z")
_HANDLE_PATH = re.compile(r"(?<![\w$)\]\"'.])((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.\Z")
_COMMAND_START = re.compile(r"(?:\A-?|[|(])\s*\Z")  # right after `{{`, `{{-`, a pipe or a parenthesis
_STEP_FIELDS = ("output", "metadata", "state", "children", *(f for f in THIS_FIELDS if f not in
                                                              ("output", "metadata", "state", "children")))
_ROOTS = {
    "input": "template inputs",
    "resolver_input": "resolver inputs",
    "step": "step results",
    "task": "task properties",
    "config": "configuration values",
    "var": "template variables",
    "iterator": "the foreach item",
    "function_args": "arguments of this function",
}


def completion_context(text: str, offset: int) -> CompletionContext | None:
    """The word being typed at `offset` when it is inside `{{ }}` on its line, else None."""
    line_start = text.rfind("\n", 0, offset) + 1
    segment = text[line_start:offset]
    opening = segment.rfind("{{")
    if opening < 0 or "}}" in segment[opening:]:
        return None
    inside = segment[opening + 2:]
    word = _WORD.search(inside)
    prefix = word.group() if word else ""
    before = inside[:len(inside) - len(prefix)]
    start = offset - len(prefix)
    handle = _HANDLE_PATH.search(before)
    if handle is not None:
        return CompletionContext("handle", start, prefix, tuple(handle.group(1).split(".")[1:]))
    if _COMMAND_START.search(before) and not prefix[:1].isdigit():
        return CompletionContext("function", start, prefix)
    return None


def handles_at(source: TemplateDocument | Snapshot, offset: int) -> list[Completion]:
    """What may be typed at `offset` (the names in scope, filtered by the word already typed)."""
    text, data = _text_and_data(source)
    context = completion_context(text, offset)
    if context is None:
        return []
    if context.kind == "function":
        candidates: Iterator[Completion] = _functions()
    else:
        candidates = _Scope(text, data, offset).names(context.path)
    wanted = context.prefix.lower()
    return [c for c in candidates if c.label.lower().startswith(wanted) and c.label != context.prefix]


def _functions() -> Iterator[Completion]:
    for name in sorted(FUNCTION_NAMES, key=str.lower):
        origin = "µTask" if name in UTASK_NAMES else "Go builtin" if name in BUILTIN_NAMES else "Sprig"
        yield Completion(name, name, f"function · {origin}")


class _Scope:
    """The names visible from one offset of one text."""

    def __init__(self, text: str, data: Any, offset: int) -> None:
        self.text, self.offset = text, offset
        self.data: Mapping[str, Any] = data if isinstance(data, dict) else {}
        steps = self.data.get("steps")
        self.steps: Mapping[str, Any] = steps if isinstance(steps, dict) else {}
        self.location = step_at(text, offset)

    def names(self, path: tuple[str, ...]) -> Iterator[Completion]:
        if not path:
            yield from self._roots()
        elif path == ("input",) or path == ("resolver_input",):
            yield from self._inputs(path[0] + "s")
        elif path == ("step",):
            yield from self._steps()
        elif len(path) == 2 and path[0] == "step" and (path[1] in self.steps or path[1] == "this"):
            yield from (Completion(f, f, "step result") for f in _STEP_FIELDS)
        elif len(path) >= 3 and path[0] == "step" and path[2] == "output":
            yield from self._schema_properties(path[1], path[3:])
        elif path == ("task",):
            yield from (Completion(key, key, "task property") for key in sorted(TASK_KEYS))
        elif path == ("var",):
            yield from self._variables()
        elif path in (("config",), ("function_args",)):
            yield from self._used_names(path[0])

    def _roots(self) -> Iterator[Completion]:
        for root, detail in _ROOTS.items():
            if root == "iterator" and not self._in_foreach_step():
                continue
            if root == "function_args" and not self._is_function_file():
                continue
            yield Completion(root, root, detail)

    def _current_step(self) -> str | None:
        return self.location.name if self.location is not None else None

    def _in_foreach_step(self) -> bool:
        """Inside a foreach step, but not in its `foreach` value (which is rendered before any item)."""
        step = self.steps.get(self._current_step() or "")
        if not isinstance(step, dict) or not step.get("foreach"):
            return False
        line_start = self.text.rfind("\n", 0, self.offset) + 1
        return not self.text[line_start:self.offset].lstrip().startswith("foreach:")

    def _is_function_file(self) -> bool:
        return "action" in self.data and "steps" not in self.data

    def _inputs(self, key: str) -> Iterator[Completion]:
        declared = self.data.get(key)
        for item in declared if isinstance(declared, list) else ():
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                kind = item["type"] if isinstance(item.get("type"), str) else "string"
                description = item.get("description")
                detail = f"{kind} · {description}" if isinstance(description, str) and description else str(kind)
                yield Completion(item["name"], item["name"], detail)

    def _steps(self) -> Iterator[Completion]:
        current = self._current_step()
        names = [name for name in self.steps if isinstance(name, str) and name != current]
        if current is None:
            yield from (Completion(name, name, "step") for name in names)
            return
        graph = _graph(self.steps)
        parents, ancestors = set(graph.parents.get(current, ())), graph.ancestors(current)
        yield from (Completion(name, name, "step · a dependency of this one") for name in names if name in parents)
        yield from (Completion(name, name, "step · runs before this one") for name in names
                    if name in ancestors and name not in parents)
        yield Completion("this", "this", f"this step ({current})")
        yield from (Completion(name, name, "step · not ordered before this one") for name in names
                    if name not in ancestors)

    def _schema_properties(self, step: str, below: tuple[str, ...]) -> Iterator[Completion]:
        node = self.steps.get((self._current_step() or "") if step == "this" else step)
        schema = node.get("json_schema") if isinstance(node, dict) else None
        for part in below:
            properties = schema.get("properties") if isinstance(schema, dict) else None
            schema = properties.get(part) if isinstance(properties, dict) else None
        properties = schema.get("properties") if isinstance(schema, dict) else None
        for name in properties if isinstance(properties, dict) else ():
            yield Completion(str(name), str(name), "output property (json_schema)")

    def _variables(self) -> Iterator[Completion]:
        variables = self.data.get("variables")
        for item in variables if isinstance(variables, list) else ():
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                detail = "variable · expression" if "expression" in item else "variable"
                yield Completion(item["name"], item["name"], detail)

    def _used_names(self, root: str) -> Iterator[Completion]:
        """Keys of `.config` / `.function_args` already used in the text (the server knows the rest)."""
        seen = dict.fromkeys(re.findall(rf"\.{root}\.([A-Za-z_][A-Za-z0-9_]*)", self.text))
        yield from (Completion(name, name, f"used elsewhere in this file ({root})") for name in seen)


# -- where steps are in the text -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepLocation:
    name: str
    key_offset: int  # where the step's key starts in the text


# Patterns that start with a line break are searched far faster than `^` with MULTILINE (a literal
# prefix lets the regex engine skip ahead): it matters in a 10,000-step file.
_TOP_LEVEL_LINE = re.compile(r"\n[^ \t\r\n#]")
_STEPS_KEY = re.compile(r"^steps[ \t]*:[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_KEY = re.compile(r"""[ \t]*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#:'"][^:#]*?))[ \t]*:(?:\s|$)""")


def step_at(text: str, offset: int) -> StepLocation | None:
    """The step whose block (in the block-style `steps:` mapping) holds `offset`, from the text alone."""
    found = _steps_section(text, offset)
    if found is None:
        return None
    indent = found
    position = text.rfind("\n", 0, offset) + 1
    while True:
        end = text.find("\n", position)
        line = text[position:end if end >= 0 else len(text)]
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if stripped.strip() and not stripped.startswith("#"):
            if depth == indent:
                key = _KEY.match(line)
                return StepLocation(_key_name(key), position + depth) if key else None
            if depth < indent:
                return None
        if position == 0:
            return None
        position = text.rfind("\n", 0, position - 1) + 1


def step_key_offset(text: str, name: str) -> int | None:
    """Where the key of step `name` starts (block-style `steps:` only), or None."""
    steps = _last_steps_key(text, len(text))
    if steps is None:
        return None
    indent = _first_child_indent(text, steps.end())
    if indent is None:
        return None
    following = _TOP_LEVEL_LINE.search(text, steps.end())
    stop = following.start() if following else len(text)
    quoted = re.escape(name)
    pattern = re.compile(rf"\n {{{indent}}}(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*:")
    match = pattern.search(text, steps.end(), stop + 1)
    return match.start() + 1 + indent if match else None


def _steps_section(text: str, offset: int) -> int | None:
    """The indentation of the step keys when `offset` is below a block `steps:` key and inside it."""
    steps = _last_steps_key(text, offset)
    if steps is None or steps.end() >= offset:
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    if _TOP_LEVEL_LINE.search(text, steps.end(), line_start + 1) is not None:
        return None  # another top-level key lies between `steps:` and the offset
    return _first_child_indent(text, steps.end())


def _last_steps_key(text: str, before: int) -> re.Match[str] | None:
    """The last top-level `steps:` line that starts before `before`."""
    position = before
    while (index := text.rfind("steps", 0, position)) >= 0:
        if index == 0 or text[index - 1] == "\n":
            found = _STEPS_KEY.match(text, index)
            if found is not None:
                return found
        position = index
    return None


def _first_child_indent(text: str, position: int) -> int | None:
    for line in text[position:position + 4000].split("\n")[1:]:
        stripped = line.lstrip(" ")
        if stripped.strip() and not stripped.startswith("#"):
            depth = len(line) - len(stripped)
            return depth if depth > 0 else None
    return None


def _key_name(match: re.Match[str]) -> str:
    double, single, plain = match.groups()
    if double is not None:
        return double.encode().decode("unicode_escape") if "\\" in double else double
    if single is not None:
        return single.replace("''", "'")
    return plain


# -- where the names come from ----------------------------------------------------------------------

_last_data: weakref.WeakKeyDictionary[TemplateDocument, Any] = weakref.WeakKeyDictionary()
_graphs: dict[int, tuple[Mapping[str, Any], StepGraph]] = {}


def _text_and_data(source: TemplateDocument | Snapshot) -> tuple[str, Any]:
    if isinstance(source, Snapshot):
        return source.text, source.data
    # The document's last parse as it stands, deliberately not `document.snapshot` (which would parse the
    # text now, on the UI thread): the session parses off-thread after a pause in typing.
    snapshot = vars(source).get("_snapshot")
    if snapshot is not None:
        _last_data[source] = snapshot.data
    return source.text, _last_data.get(source)


def last_parsed_steps(document: TemplateDocument) -> Mapping[str, Any]:
    """The steps of the document's last parse (kept while the YAML is broken), without parsing now."""
    _, data = _text_and_data(document)
    steps = data.get("steps") if isinstance(data, dict) else None
    return steps if isinstance(steps, dict) else {}


def _graph(steps: Mapping[str, Any]) -> StepGraph:
    """The dependency graph of a parse's steps, built once per parse (typing asks again and again)."""
    cached = _graphs.get(id(steps))
    if cached is not None and cached[0] is steps:
        return cached[1]
    graph = StepGraph({name: _dependencies(step) for name, step in steps.items()})
    _graphs.clear()
    _graphs[id(steps)] = (steps, graph)
    return graph


def _dependencies(step: Any) -> list[str]:
    deps = step.get("dependencies") if isinstance(step, dict) else None
    if isinstance(deps, str):
        return [deps]
    return [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []

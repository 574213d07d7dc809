"""Rules for the template root, its inputs and its variables (µTask load-time checks, spec §2–4)."""

from __future__ import annotations

from typing import Any

from engine.gocompat import RE2Error, compile_re2, parse_duration
from engine.gocompat.fmt import format_value
from engine.model.template import Input
from engine.validate.context import Checker

__all__ = ["check_inputs", "check_root", "check_variables", "input_value_problem"]

_LENGTHS = (  # field, µTask's wording, minimum, maximum, required
    ("name", "template name", 3, 1000, True),
    ("description", "template description", 3, 1000, True),
    ("title_format", "template title format", 3, 1000, True),
    ("doc_link", "template doc link", 3, 1000, False),
    ("long_description", "template long description", 3, 100000, False),
)
INPUT_TYPES = ("string", "password", "bool", "number")
MAX_INPUT_LENGTH = 100000


def check_root(checker: Checker) -> None:
    template = checker.template
    for field_name, label, low, high, required in _LENGTHS:
        value = getattr(template, field_name)
        if value is None and not required:
            continue
        text = (value or "").strip().lower() if field_name == "name" else (value or "")
        size = len(text.encode("utf-8"))  # Go's len(): bytes, not characters
        if size < low:
            checker.error("field-too-short", f"{label} can't be shorter than {low} characters",
                          _length_hint(field_name, value), (field_name,), at_key=value is None or value == "",
                          utask=f"{label} can't be shorter than {low} characters")
        elif size > high:
            checker.error("field-too-long", f"{label} can't be longer than {high} characters",
                          "shorten it", (field_name,), utask=f"{label} can't be longer than {high} characters")
    _check_tags(checker)
    _check_resolver_flags(checker)


def _length_hint(field_name: str, value: str | None) -> str:
    if not value and field_name in ("name", "description", "title_format") and field_name not in ("",):
        return f"add `{field_name}:` at the top level, at least 3 characters long"
    return "write at least 3 characters"


def _check_tags(checker: Checker) -> None:
    if "_utask_parent_task_id" in checker.template.tags:
        checker.error("tag-reserved", 'tag name "_utask_parent_task_id" not allowed',
                      "µTask sets this tag itself on subtasks: rename yours", ("tags", "_utask_parent_task_id"),
                      at_key=True, utask='tag name "_utask_parent_task_id" not allowed')


def _check_resolver_flags(checker: Checker) -> None:
    template = checker.template
    if template.auto_runnable and template.resolver_inputs:
        message = "A template can't be auto runnable if it has resolver inputs"
        checker.error("autorun-with-resolver-inputs", message,
                      "remove `auto_runnable: true` or the resolver inputs", ("auto_runnable",), utask=message)
    if template.allow_all_resolver_usernames and not template.auto_runnable:
        message = "A template that can be resolved by everybody have to be auto-runnable"
        checker.error("resolve-all-needs-autorun", message, "add `auto_runnable: true`",
                      ("allow_all_resolver_usernames",), utask=message)


def check_inputs(checker: Checker, key: str) -> None:
    """Definition checks of `inputs` or `resolver_inputs` (spec §3.1), plus name hygiene warnings."""
    seen: dict[str, int] = {}
    for index, definition in enumerate(getattr(checker.template, key)):
        path = (key, index)
        _check_input_definition(checker, definition, path)
        if not definition.name:
            checker.warning("input-name-missing", "this input has no `name`",
                            "add a name: templates read inputs as `.input.NAME`", path)
        elif definition.name in seen:
            checker.warning("input-duplicate", f"input {definition.name!r} is declared twice (also item "
                            f"{seen[definition.name]})", "remove one: only one value can be given", path)
        seen.setdefault(definition.name, index)


def _check_input_definition(checker: Checker, definition: Input, path: tuple[str | int, ...]) -> None:
    name = definition.name
    if definition.regex is not None and definition.legal_values:
        message = f"Invalid input '{name}': both regex and legal value list configured"
        checker.error("input-regex-and-legal-values", message, "keep either `regex` or `legal_values`",
                      (*path, "regex"), utask=message)
    if definition.regex is not None:
        try:
            compile_re2(definition.regex)
        except RE2Error as exc:
            checker.error("input-regex-invalid", f"Invalid regex for input '{name}': {exc}",
                          "write a Go RE2 regular expression", (*path, "regex"),
                          utask=f"Invalid regex for input '{name}'")
    if definition.type not in ("", *INPUT_TYPES):
        message = f"Invalid input type '{definition.type}': must be either [string password bool number]"
        checker.error("input-type-invalid", message, "use string, password, bool or number",
                      (*path, "type"), utask=message)
        return
    for position, legal in enumerate(definition.legal_values):
        problem = _type_problem(definition, legal)
        if problem:
            checker.error("input-legal-value-type", problem, f"make every legal value a {_type_word(definition)}",
                          (*path, "legal_values", position), utask=problem)
    if definition.default is not None:
        # µTask checks the type of the whole default first, so a collection's list default fails it.
        problem = _type_problem(definition, definition.default) or input_value_problem(definition,
                                                                                        definition.default)
        if problem:
            checker.error("input-default-invalid", f"default value: {problem}",
                          "change the default so it passes the input's own checks", (*path, "default"),
                          utask=problem)


def _type_word(definition: Input) -> str:
    return {"bool": "boolean", "number": "number"}.get(definition.type, "string")


def _type_problem(definition: Input, value: Any) -> str | None:
    kind = definition.type
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if ok:
        return None
    expected = {"bool": "a boolean", "number": "a number"}.get(kind, "a string")
    return f"Invalid value '{definition.name}': expected {expected}"


def input_value_problem(definition: Input, value: Any) -> str | None:
    """µTask's value check of an input (spec §3.2), or None when the value is accepted."""
    if definition.collection:
        if not isinstance(value, list):
            return f"Input '{definition.name}' is expected to be an array"
        for item in value:
            problem = _single_value_problem(definition, item)
            if problem:
                return problem
        return None
    return _single_value_problem(definition, value)


def _single_value_problem(definition: Input, value: Any) -> str | None:
    name = definition.name
    problem = _type_problem(definition, value)
    if problem:
        return problem
    rendered = format_value(value)
    if len(rendered) > MAX_INPUT_LENGTH:
        return f"Invalid input '{name}': value can't be longer than {MAX_INPUT_LENGTH}"
    if definition.legal_values:
        if not any(_same_value(value, legal) for legal in definition.legal_values):
            legal = format_value(definition.legal_values)
            return f"Invalid input '{name}': '{rendered}' is not a legal value ({legal})"
        return None
    if definition.regex is not None:
        try:
            pattern = compile_re2(definition.regex)
        except RE2Error:
            return None  # already reported on the regex itself
        if not pattern.search(rendered):
            return f"Invalid input '{name}': '{rendered}' doesnt comply with regex '{definition.regex}'"
        return None
    if '"' in rendered:
        return f"Invalid input '{name}': cannot contain double quotes"
    return None


def _same_value(value: Any, legal: Any) -> bool:
    """Go's `==` on decoded JSON: same type and value, every number being a float64 at template load."""
    if isinstance(value, int | float) and isinstance(legal, int | float) and not isinstance(value, bool) \
            and not isinstance(legal, bool):
        return value == legal
    return type(value) is type(legal) and value == legal


def check_variables(checker: Checker) -> None:
    """Variable definitions (spec §4)."""
    for index, variable in enumerate(checker.template.variables):
        path = ("variables", index)
        name = variable.name
        if not name:
            checker.error("variable-name-missing", "variable name can't be empty",
                          "name the variable: templates read it with `{{eval \"NAME\"}}`", path,
                          utask="variable name can't be empty")
            continue
        has_value, has_expression = variable.value is not None, variable.expression != ""
        if has_value and has_expression:
            message = f'variable "{name}" can\'t have both value and expression defined'
            checker.error("variable-value-and-expression", message, "keep either `value` or `expression`",
                          (*path, "expression"), utask=message)
        elif not has_value and not has_expression:
            message = f'variable "{name}" expression and value can\'t be empty at the same time'
            checker.error("variable-empty", message, "give it a `value` or a JavaScript `expression`", path,
                          utask=message)
        _check_variable_timeout(checker, variable.expression_timeout, has_value, name, path)


def _check_variable_timeout(checker: Checker, timeout: str, has_value: bool, name: str,
                            path: tuple[str | int, ...]) -> None:
    if not timeout:
        return
    if has_value:
        message = f'variable "{name}" expression timeout cannot be defined when value is defined'
        checker.error("variable-timeout-with-value", message, "remove `expression_timeout`",
                      (*path, "expression_timeout"), utask=message)
        return
    try:
        parse_duration(timeout)
    except ValueError as exc:
        message = f'variable "{name}" {exc}'
        checker.error("variable-timeout-invalid", message, "write a Go duration such as `10s` or `1m30s`",
                      (*path, "expression_timeout"), utask=message)

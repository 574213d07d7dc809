"""Go-template syntax of every value µTask renders (a parse check; rendering is the runtime's job).

µTask itself only finds these errors when a step runs (the step ends FATAL_ERROR); reporting them at
load time is one of the studio's promises, so they are errors without a µTask load-time message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.diagnostics import JsonPath
from engine.templating import check_syntax
from engine.validate.context import Checker

__all__ = ["check_template_syntax", "templated_strings"]

# Larger values are not parsed: no real template needs them, and a hostile file must stay fast.
MAX_CHECKED_LENGTH = 256 * 1024


def check_template_syntax(checker: Checker) -> None:
    data = checker.document.data
    if not isinstance(data, dict):
        return
    for path, text in templated_strings(data):
        if "{{" not in text:
            continue
        if len(text) > MAX_CHECKED_LENGTH:
            checker.info("template-too-large", f"this value is {len(text) // 1024} KiB long; its template syntax "
                         "was not checked", "keep templated values small", path)
            continue
        error = check_syntax(text)
        if error is not None:
            offset = error.offset if error.offset is not None else _line_offset(text, error.line or 1)
            checker.error("template-syntax", f"Go template error: {error.message}",
                          "fix the template expression; µTask would fail this step when it runs", path,
                          offset=offset)


def _line_offset(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            break
        offset = found + 1
    return offset


def templated_strings(data: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """(path, text) of every string µTask renders as a Go template."""
    if isinstance(data.get("title_format"), str):
        yield ("title_format",), data["title_format"]
    yield from _result_leaves(data.get("result_format"), ("result_format",))
    yield from _leaves(data.get("tags"), ("tags",), lists=False)
    yield from _variables(data.get("variables"))
    yield from _leaves(data.get("base_configurations"), ("base_configurations",))
    steps = data.get("steps")
    if isinstance(steps, dict):
        for name, step in steps.items():
            if isinstance(step, dict):
                yield from _step_strings(step, ("steps", name))


def _variables(variables: Any) -> Iterator[tuple[JsonPath, str]]:
    if not isinstance(variables, list):
        return
    for index, variable in enumerate(variables):
        if isinstance(variable, dict):
            for key in ("value", "expression"):
                if isinstance(variable.get(key), str):
                    yield ("variables", index, key), variable[key]


def _step_strings(step: dict[str, Any], path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(step.get("foreach"), str):
        yield (*path, "foreach"), step["foreach"]
    for key in ("action", "pre_hook"):
        yield from executor_strings(step.get(key), (*path, key))
    conditions = step.get("conditions")
    if isinstance(conditions, list):
        for index, condition in enumerate(conditions):
            yield from _condition_strings(condition, (*path, "conditions", index))


def executor_strings(executor: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if not isinstance(executor, dict):
        return
    yield from _leaves(executor.get("configuration"), (*path, "configuration"))
    yield from _leaves(executor.get("base_output"), (*path, "base_output"))
    output = executor.get("output")
    if isinstance(output, dict):
        yield from _leaves(output.get("format"), (*path, "output", "format"))


def _condition_strings(condition: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if not isinstance(condition, dict):
        return
    if isinstance(condition.get("message"), str):
        yield (*path, "message"), condition["message"]
    assertions = condition.get("if")
    if isinstance(assertions, list):
        for index, assertion in enumerate(assertions):
            if isinstance(assertion, dict):
                for key in ("value", "expected"):
                    if isinstance(assertion.get(key), str):
                        yield (*path, "if", index, key), assertion[key]


def _leaves(value: Any, path: JsonPath, lists: bool = True) -> Iterator[tuple[JsonPath, str]]:
    stack: list[tuple[Any, JsonPath]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend((child, (*where, key)) for key, child in item.items())
        elif isinstance(item, list) and lists:
            stack.extend((child, (*where, index)) for index, child in enumerate(item))


def _result_leaves(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    # µTask renders result_format's strings and nested maps, but leaves lists untouched.
    yield from _leaves(value, path, lists=False)

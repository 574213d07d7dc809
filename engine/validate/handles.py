"""Template-handle linting (spec §14.2) and json_schema path linting (§14.3), as µTask does them.

µTask scans the template's JSON text with `{{[^}\\.]*(\\.[A-Za-z0-9_\\.]+)[^{]*}}` and checks only the first
dotted path of each match. A regex engine can take quadratic time on hostile input with that pattern,
so `find_handles` reproduces its matches with a linear scan instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.diagnostics import JsonPath, did_you_mean
from engine.validate.context import Checker
from engine.validate.schema_paths import ROOT_KEY, SchemaPaths, schema_paths
from engine.validate.step_schema import has_root_key

__all__ = ["TASK_KEYS", "check_handles", "find_handles"]

TASK_KEYS = frozenset({"resolver_username", "created", "requester_username", "requester_groups", "task_id",
                       "region", "resolution_id", "watcher_usernames", "watcher_groups"})
_PATH_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")
_PREFIX = "Invalid text-template handles within task template: "
_RESERVED = SchemaPaths()  # marks a schema µTask cannot lint against (it has a `utaskRootKey` property)


def find_handles(text: str) -> Iterator[tuple[int, str]]:
    """(offset of `{{`, captured `.a.b` path) for every match µTask's pattern finds in `text`."""
    position, length = 0, len(text)
    while True:
        start = text.find("{{", position)
        if start < 0:
            return
        stop = _first_of(text, "}.", start + 2)
        found = _match_at(text, stop) if stop < length and text[stop] == "." else None
        if found is None:
            # Every later start before `stop` reaches the same `}` or `.` and fails the same way, so
            # skipping them keeps the scan linear.
            position = max(start + 1, stop + 1)
            continue
        end, close = found
        yield start, text[stop:end]
        position = close + 2


def _first_of(text: str, characters: str, begin: int) -> int:
    indexes = [index for index in (text.find(c, begin) for c in characters) if index >= 0]
    return min(indexes) if indexes else len(text)


def _match_at(text: str, dot: int) -> tuple[int, int] | None:
    """End of the path starting at `dot` and start of the closing `}}`, if the pattern matches there."""
    end, length = dot + 1, len(text)
    while end < length and text[end] in _PATH_CHARS:
        end += 1
    if end == dot + 1:
        return None
    brace = text.find("{", end)
    close = text.rfind("}}", end, brace if brace >= 0 else length)
    return None if close < 0 else (end, close)


def check_handles(checker: Checker) -> None:
    """Lint every `{{.step…}}`, `{{.input…}}`, `{{.resolver_input…}}` and `{{.task…}}` handle."""
    data = checker.document.data
    paths_by_step: dict[str, SchemaPaths | None] = {}
    for path, text in _strings(data, ()):
        for offset, handle in find_handles(text):
            _check_handle(checker, path, offset, handle.split(".")[1:], paths_by_step)


def _strings(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    """Strings containing `{{`, with their paths (paths are built only for those)."""
    stack: list[tuple[Any, JsonPath]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            pairs: Any = item.items()
        elif isinstance(item, list):
            pairs = enumerate(item)
        else:
            if isinstance(item, str) and "{{" in item:
                yield where, item
            continue
        for key, child in pairs:
            if isinstance(child, str):
                if "{{" in child:
                    yield (*where, key), child
            elif isinstance(child, dict | list):
                stack.append((child, (*where, key)))


def _check_handle(checker: Checker, path: JsonPath, offset: int, parts: list[str],
                  paths_by_step: dict[str, SchemaPaths | None]) -> None:
    if len(parts) < 2:
        return
    root, key = parts[0], parts[1]
    if root == "step":
        _check_step_handle(checker, path, offset, parts, paths_by_step)
    elif root in ("input", "resolver_input"):
        declared = checker.template.inputs if root == "input" else checker.template.resolver_inputs
        if not any(definition.name == key for definition in declared):
            kind = "input" if root == "input" else "resolver input"
            checker.error("handle-unknown-input", f"`.{root}.{key}` refers to no declared {kind}",
                          f"declare `{key}` under `{root}s`, or fix the name", path, offset=offset,
                          utask=f"{_PREFIX}Wrong input key: {key}")
    elif root == "task" and key not in TASK_KEYS:
        checker.error("handle-unknown-task-key", f"`.task.{key}` is not a task property µTask accepts",
                      f"use one of {', '.join(sorted(TASK_KEYS))}", path, offset=offset,
                      utask=f"{_PREFIX}Wrong task key: {key}")


def _check_step_handle(checker: Checker, path: JsonPath, offset: int, parts: list[str],
                       paths_by_step: dict[str, SchemaPaths | None]) -> None:
    name = parts[1]
    steps = checker.template.steps
    if name != "this" and name not in steps:
        checker.error("handle-unknown-step", f"`.step.{name}` refers to no step", _step_hint(checker, name),
                      path, offset=offset, utask=f"{_PREFIX}step: Wrong step key: {name}")
        return
    if name == "this" or len(parts) < 4 or parts[2] != "output":
        return
    variable = ".".join(parts[3:])
    if name not in paths_by_step:
        schema = steps[name].json_schema
        paths_by_step[name] = _RESERVED if has_root_key(schema) else schema_paths(schema)
    table = paths_by_step[name]
    if table is _RESERVED:
        message = f'Cannot use property "{ROOT_KEY}" as it\'s a reserved keyword. Please rename your property'
        checker.error("handle-schema-reserved-property", f"`{variable}` cannot be checked: the json_schema of "
                      f"step `{name}` has a property named `{ROOT_KEY}`", "rename that property", path,
                      offset=offset, utask=f"{_PREFIX}Linting error: step {name}: {message}")
        return
    if table is not None and not table.accepts(parts[3:]):
        checker.error("handle-output-not-in-schema", f"`{variable}` is not in the json_schema of step `{name}`",
                      "fix the path, or add the property to that step's json_schema", path, offset=offset,
                      utask=f"{_PREFIX}Linting error: step {name}: Variable {variable} does not exist")


def _step_hint(checker: Checker, name: str) -> str:
    hint = did_you_mean(name, checker.template.steps)
    if hint:
        return hint
    if "-" in name or not name:
        return "step names that are not identifiers need `{{field \"step\" \"my-step\" \"output\"}}`"
    return "use the name of an existing step, or `this`"

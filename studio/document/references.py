"""Every place a step name is written, for a rename that refactors the whole template.

A step is named by its key under `steps`, by dependency strings (`name`, `name:STATE`), by the keys of
condition `then` maps, and inside template strings: `.step.NAME…` chains (with or without spaces after
`{{`, or after `$`), `field "step" "NAME"` and `index .step "NAME"`. We patch the raw text of each string
value in place, so quoting and layout are untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from engine.diagnostics import JsonPath
from engine.model.graph import parse_dependency
from studio.document.layout import Snapshot
from studio.document.patching import EditError, Replacement, rewrite_scalar

__all__ = ["STEP_NAME", "rename_replacements", "step_references"]

STEP_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


def _patterns(name: str) -> list[re.Pattern[str]]:
    quoted = re.escape(name)
    return [
        re.compile(rf"(?<![\w\])])\.step\.({quoted})(?![\w-])"),
        re.compile(rf"\bfield\s+(\\?\"|`)step\1\s+\1({quoted})\1"),
        re.compile(rf"\bindex\s+\$?\.step\s+(\\?\"|`)({quoted})\1"),
    ]


def rename_replacements(snap: Snapshot, old: str, new: str) -> list[Replacement]:
    """Replacements renaming step `old` to `new` everywhere it is referenced."""
    steps = snap.data.get("steps") if isinstance(snap.data, dict) else None
    if not isinstance(steps, dict) or old not in steps:
        raise EditError(f"there is no step {old!r}")
    if new in steps:
        raise EditError(f"a step named {new!r} already exists")
    if not STEP_NAME.fullmatch(new):
        raise EditError(f"{new!r} is not a usable step name: use letters, digits, `_` and `-`")
    out = [_key_replacement(snap, ("steps", old), old, new)]
    done: set[JsonPath] = set()
    for path in step_references(snap, old):
        dep = snap.value_at(path)
        out.append(rewrite_scalar(snap, path, new + dep[len(old):]))
        done.add(path)
    for name, step in steps.items():
        out += _then_replacements(snap, name, step, old, new)
    for path, _value in _strings(snap.data, ()):
        if path not in done and path in snap.source_map.values:
            out += _string_replacements(snap, path, old, new)
    return out


def step_references(snap: Snapshot, name: str) -> list[JsonPath]:
    """Paths of the dependency strings that point to step `name`."""
    steps = snap.data.get("steps") if isinstance(snap.data, dict) else None
    found: list[JsonPath] = []
    for other, step in (steps or {}).items():
        deps = step.get("dependencies") if isinstance(step, dict) else None
        if isinstance(deps, str) and parse_dependency(deps).step == name:  # a lone string is a list of one
            found.append(("steps", other, "dependencies"))
        for index, dep in enumerate(deps if isinstance(deps, list) else []):
            if isinstance(dep, str) and parse_dependency(dep).step == name:
                found.append(("steps", other, "dependencies", index))
    return found


def _key_replacement(snap: Snapshot, path: JsonPath, old: str, new: str) -> Replacement:
    start = snap.key_offset(path)
    if snap.text[start:start + 1] in ("'", '"'):
        start += 1
    if snap.text[start:start + len(old)] != old:
        raise EditError(f"cannot rename the key {old!r}: it is written in an escaped form")
    return start, start + len(old), new


def _then_replacements(snap: Snapshot, name: str, step: Any, old: str, new: str) -> list[Replacement]:
    conditions = step.get("conditions") if isinstance(step, dict) else None
    out = []
    for index, condition in enumerate(conditions if isinstance(conditions, list) else []):
        then = condition.get("then") if isinstance(condition, dict) else None
        path = ("steps", name, "conditions", index, "then", old)
        if isinstance(then, dict) and old in then and path in snap.source_map.keys:
            out.append(_key_replacement(snap, path, old, new))
    return out


def _strings(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, (*path, index))


def _string_replacements(snap: Snapshot, path: JsonPath, old: str, new: str) -> list[Replacement]:
    value = snap.value_at(path)
    if "step" not in value or old not in value:
        return []
    start, end = snap.value_range(path)
    raw = snap.text[start:end]
    return [(start + match.start(2 if pattern.groups == 2 else 1), start + match.end(2 if pattern.groups == 2 else 1),
             new) for pattern in _patterns(old) for match in pattern.finditer(raw)]

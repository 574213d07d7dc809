"""Turn "set this value" / "delete that entry" into the smallest text replacements that do it.

Each function returns (start, end, new text) replacements against the snapshot's text. They keep the
file's quoting for a rewritten scalar, keep flow collections in flow style (inserting just the new item),
and emit block fragments in the file's indentation for everything else.
"""

from __future__ import annotations

import copy
from typing import Any

from engine.diagnostics import JsonPath, format_path
from studio.document.emit import double_quoted, entry_lines, flow_scalar, flow_text, item_lines, scalar_text
from studio.document.layout import Snapshot
from studio.document.text import TextStyle

__all__ = ["EditError", "Replacement", "delete_value", "rewrite_scalar", "set_value"]

Replacement = tuple[int, int, str]
_EMPTY_WORDS = ("", "{}", "[]", "~", "null", "Null", "NULL")


class EditError(ValueError):
    """An edit that cannot be applied to the current text; the message says why, for the user."""


def set_value(snap: Snapshot, style: TextStyle, path: JsonPath, value: Any) -> list[Replacement]:
    """Set the value at `path`, creating the missing mappings above it."""
    if snap.has_value(path):
        return _replace_value(snap, style, path, value)
    depth = len(path) - 1
    while depth > 0 and not snap.has_value(path[:depth]):
        depth -= 1
    parent, key = path[:depth], path[depth]
    nested = value
    for part in reversed(path[depth + 1:]):
        if isinstance(part, int):
            raise EditError(f"cannot create list item {format_path(path)}: its list does not exist")
        nested = {part: nested}
    return _add_child(snap, style, parent, key, nested)


def _add_child(snap: Snapshot, style: TextStyle, parent: JsonPath, key: str | int, value: Any) -> list[Replacement]:
    container = snap.value_at(parent)
    if isinstance(container, list) and key != len(container):
        raise EditError(f"cannot set item {key} of {format_path(parent)}: it has {len(container)} items")
    if not isinstance(container, dict | list) or (isinstance(container, list) and isinstance(key, str)):
        updated: Any = {key: value}
        return _replace_value(snap, style, parent, updated)
    if snap.is_flow(parent) or not container:
        return _flow_append(snap, style, parent, container, key, value)
    column = snap.child_column(parent)
    assert column is not None
    lines = item_lines(value, column, style) if isinstance(container, list) else entry_lines(str(key), value, column,
                                                                                              style)
    return [_insert_lines(snap, style, snap.append_offset(parent), lines)]


def _insert_lines(snap: Snapshot, style: TextStyle, offset: int, lines: list[str]) -> Replacement:
    fragment = style.newline.join(lines) + style.newline
    if offset == len(snap.text) and snap.text and not snap.text.endswith("\n"):
        # Keep the file's missing final newline, unless a block scalar's own line break would go with it.
        fragment = style.newline + (fragment if _has_block(lines) else fragment[: -len(style.newline)])
    return offset, offset, fragment


def _flow_append(snap: Snapshot, style: TextStyle, parent: JsonPath, container: Any, key: str | int,
                 value: Any) -> list[Replacement]:
    if container:
        last = (*parent, next(reversed(container)) if isinstance(container, dict) else len(container) - 1)
        _, end = snap.value_range(last)
        head = f"{flow_scalar(key)}: " if isinstance(container, dict) else ""
        return [(end, end, ", " + head + flow_text(value))]
    updated: Any = copy.deepcopy(container)
    if isinstance(updated, dict):
        updated[key] = value
    else:
        updated.append(value)
    return _replace_value(snap, style, parent, updated)


def _replace_value(snap: Snapshot, style: TextStyle, path: JsonPath, value: Any) -> list[Replacement]:
    old = snap.value_at(path)
    start, end = snap.value_range(path)
    if _in_flow(snap, path):
        return [(start, end, flow_text(value))]
    if _is_scalar(old) and _is_scalar(value) and snap.text[start:start + 1] not in ("|", ">"):
        text = _styled_scalar(snap.text[start:start + 1] if end > start else "", value)
        if text is not None:
            return [(start, end, text if end > start else " " + text)]  # `key:` had no value at all
    if not _is_scalar(old) and snap.is_flow(path) and (not value or not isinstance(value, dict | list)):
        return [(start, end, flow_text(value))]
    if path and path not in snap.source_map.keys and isinstance(path[-1], str):
        raise EditError(f"cannot rewrite {format_path(path)}: its key was not found in the text")
    return [_replace_entry(snap, style, path, value)]


def _replace_entry(snap: Snapshot, style: TextStyle, path: JsonPath, value: Any) -> Replacement:
    if not path:
        raise EditError("replacing the whole document is a text edit, not a field edit")
    column = snap.head_column(path)
    if isinstance(path[-1], str):
        lines = entry_lines(path[-1], value, column, style)
    else:
        lines = item_lines(value, column, style)
    start, end = snap.entry_range(path)
    first_line = snap.lines.line_text(snap.head_line(path))
    lines[0] = first_line[:column] + lines[0][column:]  # keep what precedes the head (`- ` of a parent item)
    fragment = style.newline.join(lines)
    if end < len(snap.text) or snap.text.endswith("\n") or _has_block(lines):
        fragment += style.newline
    return start, end, fragment


def _has_block(lines: list[str]) -> bool:
    return any(line.endswith((" |", " |-", " |+")) for line in lines)


def delete_value(snap: Snapshot, style: TextStyle, path: JsonPath) -> list[Replacement]:
    """Remove the entry or item at `path` (its comments above go with it)."""
    if not snap.has_value(path):
        raise EditError(f"{format_path(path)} does not exist")
    parent = path[:-1]
    container = snap.value_at(parent)
    if snap.is_flow(parent):
        return [_flow_remove(snap, parent, container, path)]
    if len(container) == 1 and parent:
        return _replace_value(snap, style, parent, {} if isinstance(container, dict) else [])
    start, end = snap.removal_range(path)
    return [(start, end, "")]


def _flow_remove(snap: Snapshot, parent: JsonPath, container: Any, path: JsonPath) -> Replacement:
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    index = keys.index(path[-1])
    if len(keys) == 1:
        start, end = snap.value_range(parent)
        return start, end, "{}" if isinstance(container, dict) else "[]"
    own_start = _item_start(snap, path)
    if index + 1 < len(keys):
        return own_start, _item_start(snap, (*parent, keys[index + 1])), ""
    return snap.value_range((*parent, keys[index - 1]))[1], snap.value_range(path)[1], ""


def _item_start(snap: Snapshot, path: JsonPath) -> int:
    return snap.key_offset(path) if path in snap.source_map.keys else snap.value_range(path)[0]


def rewrite_scalar(snap: Snapshot, path: JsonPath, value: str) -> Replacement:
    """Replace the scalar at `path` by `value`, written in the same quoting style when possible."""
    start, end = snap.value_range(path)
    text = _styled_scalar(snap.text[start:start + 1], value)
    if text is None:
        raise EditError(f"cannot rewrite the block scalar at {format_path(path)} in place")
    return start, end, text


def _styled_scalar(opener: str, value: Any) -> str | None:
    plain = scalar_text(value)
    if not isinstance(value, str) or plain is None:
        return plain
    if opener == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if opener == '"':
        return double_quoted(value)
    return plain


def _in_flow(snap: Snapshot, path: JsonPath) -> bool:
    return any(snap.is_flow(path[:depth]) for depth in range(len(path)) if path[:depth] in snap.source_map.values
               and isinstance(snap.value_at(path[:depth]), dict | list))


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)

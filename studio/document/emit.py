"""Emit the small YAML fragments that edits insert, in the style of the file around them.

We only ever write what an edit adds (a step, a field, a list item), never the whole file, so this is a
tiny block-style emitter: plain scalars when µTask would read them back as the same string, single
quotes otherwise, double quotes for what single quotes cannot hold, literal blocks for multi-line text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from engine.load.resolve import resolve_plain
from studio.document.text import TextStyle

__all__ = ["Flow", "double_quoted", "entry_lines", "flow_scalar", "flow_text", "item_lines", "scalar_text"]

# Characters that start something else than a plain scalar in YAML.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


class Flow(list[Any]):
    """A list to emit in flow style (`[a, b]`), for files that write dependencies that way."""


def scalar_text(value: Any) -> str | None:
    """One-line YAML for a scalar, or None for a string that needs a block (it has line breaks)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    text = str(value)
    if "\n" in text and text.strip() and _block_safe(text):
        return None
    if _plain_safe(text):
        return text
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return double_quoted(text)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def double_quoted(text: str) -> str:
    """A double-quoted YAML scalar; every character YAML does not allow raw is escaped."""
    return '"' + "".join(_ESCAPES.get(c) or (c if _yaml_printable(c) else _escape(c)) for c in text) + '"'


def _yaml_printable(char: str) -> bool:
    code = ord(char)
    # NEL, LS and PS are line breaks in YAML 1.1: written raw they would fold into spaces.
    return (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)
            or 0xE000 <= code <= 0xFFFD or code >= 0x10000)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _float_text(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


def _plain_safe(text: str) -> bool:
    """Whether `text` written bare reads back as this very string."""
    if not text or text != text.strip() or text[0] in _INDICATORS or not text.isprintable():
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    return bool(resolve_plain(text) == text)


def _block_safe(text: str) -> bool:
    # A literal block cannot start with a blank-led line nor keep trailing spaces reliably.
    lines = text.rstrip("\n").split("\n")
    return not lines[0].startswith(" ") and all(line.isprintable() and line == line.rstrip() for line in lines)


def entry_lines(key: str, value: Any, column: int, style: TextStyle) -> list[str]:
    """Lines of the mapping entry `key: value` with the key at `column` (0-based)."""
    head = " " * column + _key_text(key) + ":"
    if isinstance(value, Mapping) and value:
        return [head] + [line for k, v in value.items() for line in entry_lines(str(k), v, column + style.indent,
                                                                                 style)]
    if isinstance(value, Flow):
        return [head + " " + flow_text(value)]
    if _is_list(value) and value:
        return [head] + [line for item in value for line in item_lines(item, column + style.list_offset, style)]
    if value is None:
        return [head]
    return _scalar_lines(head, value, column + style.indent)


def item_lines(value: Any, column: int, style: TextStyle) -> list[str]:
    """Lines of the list item `- value` with the dash at `column` (0-based)."""
    dash = " " * column + "- "
    if isinstance(value, Mapping) and value:
        inner = [line for k, v in value.items() for line in entry_lines(str(k), v, column + 2, style)]
        return [dash + inner[0][column + 2:]] + inner[1:]
    if _is_list(value) and value:
        inner = [line for item in value for line in item_lines(item, column + 2, style)]
        return [dash + inner[0][column + 2:]] + inner[1:]
    return _scalar_lines(dash.rstrip(), value, column + 2)


def _scalar_lines(head: str, value: Any, content_column: int) -> list[str]:
    if isinstance(value, Mapping):
        return [head + " {}"]
    if _is_list(value):
        return [head + " []"]
    text = scalar_text(value)
    if text is not None:
        return [head + " " + text]
    body = str(value)
    chomp = "" if body.endswith("\n") and not body.endswith("\n\n") else "-" if not body.endswith("\n") else "+"
    pad = " " * content_column
    lines = body[:-1].split("\n") if body.endswith("\n") else body.split("\n")
    if chomp == "+":
        lines = body.rstrip("\n").split("\n") + [""] * (len(body) - len(body.rstrip("\n")) - 1)
    return [head + " |" + chomp] + [pad + line if line else "" for line in lines]


def _key_text(key: str) -> str:
    text = scalar_text(key)
    return text if text is not None else double_quoted(key)


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def flow_text(value: Any) -> str:
    """`{a: b, c: [d]}` style text for a value inside a flow collection."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow_scalar(k)}: {flow_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    return flow_scalar(value)


def flow_scalar(value: Any) -> str:
    text = scalar_text(value)
    if text is None or (isinstance(value, str) and text == value and any(c in value for c in ",[]{}")):
        return double_quoted(str(value)) if text is None else "'" + text.replace("'", "''") + "'"
    return text

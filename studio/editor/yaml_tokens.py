"""Line-by-line YAML tokens for highlighting: keys, strings, comments, scalars and `{{ }}` template handles.

Deliberately Qt-free and approximate (a highlighter, not a parser): one line at a time plus one integer of
state, so that QSyntaxHighlighter can re-highlight only the lines that change.
"""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

__all__ = ["INDENT", "NOT_IN_BLOCK", "Kind", "Token", "new_line_indent", "tokenize_line"]

NOT_IN_BLOCK = -1  # the state between lines: otherwise the indentation of the key that opened a block scalar
INDENT = "  "  # what Tab inserts and a block opener adds: YAML forbids tabs for indentation


class Kind(enum.Enum):
    KEY = "key"
    STRING = "string"  # quoted scalars, and the text of block scalars
    SCALAR = "scalar"  # numbers, booleans, null
    COMMENT = "comment"
    HANDLE = "handle"  # a Go template action, {{ … }}, wherever it appears
    ANCHOR = "anchor"  # &anchor, *alias, !tag and the block indicators | >


class Token(NamedTuple):
    start: int
    length: int
    kind: Kind


# A mapping key (plain or quoted, after any `- ` item markers), followed by `:` and a space or the line's end.
_KEY = re.compile(r"""^(\s*(?:-\s+)*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{\[&*!|>-][^#]*?|-[^\s#][^#]*?)"""
                  r"""\s*:(?=\s|$)""")
_ITEM = re.compile(r"^\s*(?:-(?:\s+|$))*")
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?""")
_HANDLE = re.compile(r"\{\{.*?(?:\}\}|$)")
_SCALAR = re.compile(r"(?i)(?:true|false|yes|no|on|off|null|~|[-+]?\d[\d_]*(?:\.\d+)?(?:e[-+]?\d+)?)")
_BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*")
_DECORATION = re.compile(r"[&*!][^\s,\[\]{}]*")
# Inside [ ] and { }: quoted strings, punctuation, comments and plain items (which end at punctuation).
_FLOW = re.compile(r"""(?P<string>"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)|(?P<comment>(?<=\s)\#.*)|(?P<punct>[\[\]{},:])"""
                   r"""|(?P<space>\s+)|(?P<plain>[^\s\[\]{},#][^\[\]{},]*?(?=\s*[\[\]{},]|:(?:\s|$)|\s+\#|\s*$))""")


def tokenize_line(text: str, state: int = NOT_IN_BLOCK) -> tuple[list[Token], int]:
    """The tokens of one line, and the state to pass to the next line."""
    indent = len(text) - len(text.lstrip(" "))
    if state != NOT_IN_BLOCK and (not text.strip() or indent > state):
        return [Token(0, len(text), Kind.STRING), *_handles(text)], state
    tokens: list[Token] = []
    value_start = _key(text, tokens)
    tokens += _value(text, value_start)
    tokens += _handles(text, [t for t in tokens if t.kind is Kind.COMMENT])
    opens_block = any(t.kind is Kind.ANCHOR and text[t.start] in "|>" for t in tokens)
    return tokens, indent if opens_block else NOT_IN_BLOCK


def _key(text: str, tokens: list[Token]) -> int:
    """Adds the key token, if any; returns where the value starts."""
    match = _KEY.match(text)
    if match is None:
        item = _ITEM.match(text)
        return item.end() if item else 0
    tokens.append(Token(match.start(2), match.end(2) - match.start(2), Kind.KEY))
    return match.end()


def _value(text: str, start: int) -> list[Token]:
    """Tokens of what follows the key (or the `- `): a quoted, flow or plain value, and a comment."""
    position = start + len(text[start:]) - len(text[start:].lstrip())
    if position >= len(text):
        return []
    first = text[position]
    if first == "#":
        return [Token(position, len(text) - position, Kind.COMMENT)]
    if first in "\"'":
        quoted = _QUOTED.match(text, position)
        assert quoted is not None
        return [Token(position, quoted.end() - position, Kind.STRING), *_comment(text, quoted.end())]
    if first in "[{":
        return _flow(text, position)
    return _plain(text, position)


def _comment(text: str, start: int) -> list[Token]:
    found = text.find("#", start)
    while found > 0 and not text[found - 1].isspace():
        found = text.find("#", found + 1)
    return [Token(found, len(text) - found, Kind.COMMENT)] if found >= 0 else []


def _plain(text: str, start: int) -> list[Token]:
    """A plain scalar runs to the end of the line or to ` #`; quotes inside it are just characters."""
    comment = _comment(text, start)
    end = comment[0].start if comment else len(text)
    tokens: list[Token] = []
    position = start
    while (decoration := _DECORATION.match(text, position, end)) is not None:  # &anchor *alias !tag
        tokens.append(Token(position, decoration.end() - position, Kind.ANCHOR))
        position = decoration.end() + len(text[decoration.end():end]) - len(text[decoration.end():end].lstrip())
    rest = text[position:end].rstrip()
    if _SCALAR.fullmatch(rest):
        tokens.append(Token(position, len(rest), Kind.SCALAR))
    elif _BLOCK_INDICATOR.fullmatch(rest):
        tokens.append(Token(position, len(rest), Kind.ANCHOR))
    return tokens + comment


def _flow(text: str, start: int) -> list[Token]:
    tokens: list[Token] = []
    for match in _FLOW.finditer(text, start):
        kind = match.lastgroup
        if kind == "string":
            tokens.append(Token(match.start(), match.end() - match.start(), Kind.STRING))
        elif kind == "comment":
            tokens.append(Token(match.start(), match.end() - match.start(), Kind.COMMENT))
        elif kind == "plain" and _SCALAR.fullmatch(match.group()):
            tokens.append(Token(match.start(), match.end() - match.start(), Kind.SCALAR))
    return tokens


def _handles(text: str, comments: list[Token] | None = None) -> list[Token]:
    """`{{ … }}` spans, except inside comments (µTask never renders those)."""
    comment_start = min((t.start for t in comments or ()), default=len(text))
    return [Token(m.start(), m.end() - m.start(), Kind.HANDLE) for m in _HANDLE.finditer(text)
            if m.start() < comment_start]


def new_line_indent(before_cursor: str) -> str:
    """The indentation of a new line started at the end of `before_cursor` (Enter): the line's own,
    one level deeper after a `key:` or a block scalar indicator, aligned with the keys of a `- ` item."""
    indent = before_cursor[:len(before_cursor) - len(before_cursor.lstrip(" "))]
    code = before_cursor.split(" #")[0].rstrip()
    if code.lstrip() == "-":
        return indent + INDENT
    item = _ITEM.match(code)
    in_item = item is not None and item.end() > len(indent)
    keys = " " * item.end() if item is not None and in_item else indent  # where this line's keys start
    if code.endswith((":", "|", "|-", "|+", ">", ">-", ">+")):
        return keys + INDENT
    return keys if in_item and ":" in code else indent

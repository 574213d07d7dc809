"""Go string literals and quoting: strconv.Unquote/UnquoteChar/Quote and fmt's ``%#U``.

Everything works on Python `str`. Where Go produces raw bytes (``"\\xff"``), the result is decoded with
``surrogateescape``: each invalid byte becomes a ``\\udcXX`` code point, which re-encodes losslessly.
Errors are `LiteralError` carrying Go's message; the parser turns them into template parse errors.
"""

from __future__ import annotations

__all__ = [
    "LiteralError",
    "format_unicode",
    "go_is_print",
    "go_quote",
    "unquote",
    "unquote_char",
]

INVALID_SYNTAX = "invalid syntax"  # strconv.ErrSyntax
_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
_QUOTE_ESCAPES = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}
_HEX = frozenset("0123456789abcdefABCDEF")


class LiteralError(ValueError):
    """A literal Go rejects; ``str(err)`` is Go's message (e.g. ``invalid syntax``)."""


# ---------------------------------------------------------------------------------------------- quoting


def go_is_print(char: str) -> bool:
    """unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    return char == " " or char.isprintable()


def go_quote(text: str, max_runes: int | None = None) -> str:
    """strconv.Quote (``%q``); `max_runes` is fmt's precision (``%.10q`` truncates the input first)."""
    if max_runes is not None:
        text = text[:max_runes]
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
    parts = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            parts.append("\\" + char)
        elif go_is_print(char):
            parts.append(char)
        elif code in _QUOTE_ESCAPES:
            parts.append(_QUOTE_ESCAPES[code])
        elif code < 0x20 or code == 0x7F:
            parts.append(f"\\x{code:02x}")
        elif 0xDC80 <= code <= 0xDCFF:  # a surrogateescape'd invalid byte: Go prints the byte
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # not a valid rune: Go substitutes U+FFFD
            parts.append("\\ufffd")
        elif code < 0x10000:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(f"\\U{code:08x}")
    parts.append('"')
    return "".join(parts)


def format_unicode(char: str) -> str:
    """fmt's ``%#U``: ``U+002D '-'``, without the quoted glyph when it is not printable."""
    code = ord(char)
    return f"U+{code:04X} '{char}'" if go_is_print(char) else f"U+{code:04X}"


# --------------------------------------------------------------------------------------------- unquoting


def unquote_char(text: str, index: int, quote: str) -> tuple[int, bool, int]:
    """strconv.UnquoteChar on ``text[index:]``: (value, multibyte, index after the character)."""
    if index >= len(text):
        raise LiteralError(INVALID_SYNTAX)
    char = text[index]
    if char == quote:
        raise LiteralError(INVALID_SYNTAX)
    code = ord(char)
    if code >= 0x80:
        return (0xFFFD if 0xDC80 <= code <= 0xDCFF else code), True, index + 1
    if char != "\\":
        return code, False, index + 1
    if index + 1 >= len(text):
        raise LiteralError(INVALID_SYNTAX)
    escape = text[index + 1]
    index += 2
    if escape in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[escape], False, index
    if escape in "xuU":
        return _hex_escape(text, index, escape)
    if "0" <= escape <= "7":
        return _octal_escape(text, index, escape)
    if escape in "'\"" and escape == quote:
        return ord(escape), False, index
    raise LiteralError(INVALID_SYNTAX)


def _hex_escape(text: str, index: int, escape: str) -> tuple[int, bool, int]:
    width = {"x": 2, "u": 4, "U": 8}[escape]
    digits = text[index : index + width]
    if len(digits) < width or not all(d in _HEX for d in digits):
        raise LiteralError(INVALID_SYNTAX)
    value = int(digits, 16)
    if escape == "x":
        return value, False, index + width  # a single byte, possibly not UTF-8
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise LiteralError(INVALID_SYNTAX)
    return value, True, index + width


def _octal_escape(text: str, index: int, first: str) -> tuple[int, bool, int]:
    digits = text[index : index + 2]
    if len(digits) < 2 or not all("0" <= d <= "7" for d in digits):
        raise LiteralError(INVALID_SYNTAX)
    value = int(first + digits, 8)
    if value > 255:
        raise LiteralError(INVALID_SYNTAX)
    return value, False, index + 2


def unquote(token: str) -> str:
    """strconv.Unquote for the string tokens our lexer produces (``"..."`` or a raw backquoted string)."""
    if len(token) < 2 or token[0] != token[-1] or token[0] not in "\"`'":
        raise LiteralError(INVALID_SYNTAX)
    body = token[1:-1]
    if token[0] == "`":
        return body.replace("\r", "")  # Go discards carriage returns inside raw strings
    if token[0] == "'":  # never produced for strings by the lexer, kept for completeness
        value, _, end = unquote_char(body, 0, "'")
        if end != len(body):
            raise LiteralError(INVALID_SYNTAX)
        return chr(value)
    if "\\" not in body and "\n" not in body:
        return body
    return _unescape(body)


def _unescape(body: str) -> str:
    out = bytearray()
    index, start = 0, 0
    while index < len(body):
        if body[index] == "\n":
            raise LiteralError(INVALID_SYNTAX)
        if body[index] != "\\":
            index += 1
            continue
        out += _encode(body[start:index])
        value, multibyte, index = unquote_char(body, index, '"')
        out += chr(value).encode("utf-8") if multibyte else bytes((value,))
        start = index
    out += _encode(body[start:])
    return out.decode("utf-8", "surrogateescape")


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")

"""Go's template.HTMLEscapeString, JSEscapeString and url.QueryEscape (the html, js, urlquery builtins)."""

from __future__ import annotations

from engine.templating.literals import go_is_print

__all__ = ["html_escape", "js_escape", "query_escape"]

_HTML = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\x00": "\ufffd"}
_HTML_TABLE = str.maketrans(_HTML)
_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def html_escape(text: str) -> str:
    """`"` `'` `&` `<` `>` become entities, NUL becomes U+FFFD."""
    return text.translate(_HTML_TABLE)


def js_escape(text: str) -> str:
    """Quotes, backslash, `<>&=` and control characters escaped; non-printable runes as \\uXXXX."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in _JS:
            out.append(_JS[char])
        elif code < 0x20:
            out.append(f"\\u00{code:02X}")
        elif code < 0x80 or 0xDC80 <= code <= 0xDCFF or go_is_print(char):
            out.append(char)  # an invalid byte decodes to U+FFFD, which is printable: Go copies it
        else:
            out.append(f"\\u{code:04X}")
    return "".join(out)


def query_escape(text: str) -> str:
    """url.QueryEscape: space as '+', unreserved bytes kept, every other byte as %XX."""
    if text.isascii() and all(c in _UNRESERVED for c in text):
        return text
    out: list[str] = []
    for byte in text.encode("utf-8", "surrogateescape"):
        char = chr(byte)
        if char in _UNRESERVED:
            out.append(char)
        elif char == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)

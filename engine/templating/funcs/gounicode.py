"""Go's view of text for the Sprig string functions: runes, bytes, `unicode` classes and simple case mapping.

Go strings are bytes. The model keeps them as Python `str`, with each byte that is not valid UTF-8 stored as a
`surrogateescape` code point (U+DC80–U+DCFF), so:

* byte-slicing functions (trunc, substr, abbrev…) work on `to_bytes(text)` and return `from_bytes(...)`;
* rune-based functions see such a byte as utf8.RuneError (U+FFFD), which is what `runes()` substitutes, and
  what Go writes back when it re-encodes runes (strings.Map, `[]rune(s)`).

Go's unicode package uses *simple* case mappings (one rune to one rune) where Python's str methods use the full
ones (`ß`.upper() is `SS`, `İ`.lower() has two code points, a final sigma lowers to `ς`); `to_upper`, `to_lower`
and `to_title` map one code point at a time the way Go does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

__all__ = [
    "RUNE_ERROR",
    "from_bytes",
    "go_lower",
    "go_title",
    "go_upper",
    "is_digit",
    "is_letter",
    "is_lower",
    "is_number",
    "is_punct",
    "is_space",
    "is_title",
    "is_upper",
    "map_runes",
    "runes",
    "to_bytes",
    "to_lower",
    "to_title",
    "to_upper",
    "trim_func",
]

RUNE_ERROR = "\ufffd"

# unicode.IsSpace: the Latin-1 spaces plus the White_Space property (Python's isspace adds U+001C–U+001F).
_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
)
_SURROGATES = re.compile("[\ud800-\udfff]")


def to_bytes(text: str) -> bytes:
    """The Go bytes of a model string (escaped invalid bytes come back as themselves)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte: Go would hold U+FFFD there
        return _SURROGATES.sub(RUNE_ERROR, text).encode("utf-8")


def from_bytes(data: bytes) -> str:
    """A model string from Go bytes (invalid UTF-8 kept as surrogate escapes)."""
    return data.decode("utf-8", "surrogateescape")


def runes(text: str) -> str:
    """`[]rune(text)` as a str: every invalid byte becomes U+FFFD."""
    if text.isascii():
        return text
    return _SURROGATES.sub(RUNE_ERROR, text)


def is_space(char: str) -> bool:
    return char in _SPACES


@lru_cache(maxsize=4096)
def _category(char: str) -> str:
    return unicodedata.category(char)


def is_upper(char: str) -> bool:
    return _category(char) == "Lu"


def is_lower(char: str) -> bool:
    return _category(char) == "Ll"


def is_title(char: str) -> bool:
    return _category(char) == "Lt"


def is_letter(char: str) -> bool:
    return _category(char)[0] == "L"


def is_digit(char: str) -> bool:
    return _category(char) == "Nd"


def is_number(char: str) -> bool:
    return _category(char)[0] == "N"


def is_punct(char: str) -> bool:
    return _category(char)[0] == "P"


@lru_cache(maxsize=4096)
def to_upper(char: str) -> str:
    """unicode.ToUpper of one rune."""
    if _SURROGATES.match(char):
        return RUNE_ERROR
    upper = char.upper()
    if len(upper) == 1:
        return upper
    # Only full (SpecialCasing) mappings are longer; where a simple one exists it is the titlecase letter
    # (U+1F80 → U+1F88), otherwise the rune is left alone (ß, ŉ, ﬁ…).
    title = char.title()
    return title if len(title) == 1 else char


@lru_cache(maxsize=4096)
def to_lower(char: str) -> str:
    """unicode.ToLower of one rune."""
    if _SURROGATES.match(char):
        return RUNE_ERROR
    lower = char.lower()
    if len(lower) == 1:
        return lower
    return "i" if char == "\u0130" else char  # İ is the one rune whose full lowercase is longer


@lru_cache(maxsize=4096)
def to_title(char: str) -> str:
    """unicode.ToTitle of one rune."""
    if _SURROGATES.match(char):
        return RUNE_ERROR
    title = char.title()
    return title if len(title) == 1 else char


def map_runes(text: str, mapping: Callable[[str], str]) -> str:
    """strings.Map with a rune-to-rune mapping (invalid bytes come out as U+FFFD)."""
    return "".join(map(mapping, runes(text)))


def go_upper(text: str) -> str:
    """strings.ToUpper."""
    return text.upper() if text.isascii() else map_runes(text, to_upper)


def go_lower(text: str) -> str:
    """strings.ToLower."""
    return text.lower() if text.isascii() else map_runes(text, to_lower)


def _is_separator(char: str) -> bool:
    # strings.Title's word boundaries: ASCII alphanumerics and '_' join words, other ASCII separates; beyond
    # ASCII letters and digits join and spaces separate, anything else (punctuation, symbols) joins.
    if char <= "\x7f":
        return not (char.isalnum() or char == "_")
    if is_letter(char) or is_digit(char):
        return False
    return is_space(char)


def go_title(text: str) -> str:
    """strings.Title: the first letter of each word in title case, the rest untouched."""
    out: list[str] = []
    previous = " "
    for char in runes(text):
        out.append(to_title(char) if _is_separator(previous) else char)
        previous = char
    return "".join(out)


def trim_func(text: str, cut: Callable[[str], bool]) -> str:
    """strings.TrimFunc: drop leading and trailing runes for which `cut` is true."""
    start, end = 0, len(text)
    while start < end and cut(text[start]):
        start += 1
    while end > start and cut(text[end - 1]):
        end -= 1
    return text[start:end]

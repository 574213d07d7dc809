"""Sprig's string functions (v3.3.0): trimming, searching, quoting, slicing, splitting and joining.

Argument order is Sprig's (the subject comes last, so `"abc" | trimPrefix "a"` works). trunc, substr and abbrev
slice *bytes* like Go (`trunc 1 "é"` is the lone byte 0xC3, kept as a surrogate escape). Case conversions and
word-level functions are in `strings_case` and `strings_words`.
"""

from __future__ import annotations

from typing import Any

from engine.templating.funcs.gounicode import (
    RUNE_ERROR,
    from_bytes,
    go_lower,
    go_upper,
    is_space,
    runes,
    to_bytes,
    trim_func,
)
from engine.templating.funcs.govalues import check_allocation, elements, is_nil, strslice, strval
from engine.templating.funcs.registry import GoPanic, go_func
from engine.templating.gotypes import GoStringMap, GoStringSlice
from engine.templating.literals import go_quote
from engine.templating.printing import sprint

__all__ = ["go_repeat", "go_split"]


@go_func("hello() string")
def hello() -> str:
    return "Hello!"


@go_func("upper(string) string")
def upper(text: str) -> str:
    return go_upper(text)


@go_func("lower(string) string")
def lower(text: str) -> str:
    return go_lower(text)


@go_func("trim(string) string")
def trim(text: str) -> str:
    """strings.TrimSpace."""
    return trim_func(text, is_space)


@go_func("trimAll(string, string) string", names=("trimall",))
def trim_all(cutset: str, text: str) -> str:
    """strings.Trim(text, cutset): leading and trailing runes found in `cutset`."""
    if not cutset or not text:
        return text
    cut = runes(cutset)
    if RUNE_ERROR in cut:  # Go decodes invalid bytes as U+FFFD, so those are cut too
        return trim_func(text, lambda char: char in cut or "\ud800" <= char <= "\udfff")
    return text.strip(cut)


@go_func("trimPrefix(string, string) string")
def trim_prefix(prefix: str, text: str) -> str:
    return text.removeprefix(prefix)


@go_func("trimSuffix(string, string) string")
def trim_suffix(suffix: str, text: str) -> str:
    return text.removesuffix(suffix)


@go_func("contains(string, string) bool")
def contains(substring: str, text: str) -> bool:
    return substring in text


@go_func("hasPrefix(string, string) bool")
def has_prefix(prefix: str, text: str) -> bool:
    return text.startswith(prefix)


@go_func("hasSuffix(string, string) bool")
def has_suffix(suffix: str, text: str) -> bool:
    return text.endswith(suffix)


@go_func("replace(string, string, string) string")
def replace(old: str, new: str, text: str) -> str:
    """strings.Replace(text, old, new, -1); an empty `old` matches before every rune and at the end."""
    return text.replace(old, new)


def go_repeat(text: str, count: int) -> str:
    """strings.Repeat, with its panics."""
    if count == 0:
        return ""
    if count == 1:
        return text
    if count < 0:
        raise GoPanic("strings: negative Repeat count")
    size = len(to_bytes(text)) * count
    if size > (1 << 63) - 1:
        raise GoPanic("strings: Repeat output length overflow")
    check_allocation(size)
    return text * count


@go_func("repeat(int, string) string")
def repeat(count: int, text: str) -> str:
    return go_repeat(text, count)


@go_func("indent(int, string) string")
def indent(spaces: int, text: str) -> str:
    """Prefix every line with `spaces` spaces."""
    pad = go_repeat(" ", spaces)
    check_allocation(len(text) + len(pad) * (text.count("\n") + 1))
    return pad + text.replace("\n", "\n" + pad)


@go_func("nindent(int, string) string")
def nindent(spaces: int, text: str) -> str:
    return "\n" + indent(spaces, text)


@go_func("plural(string, string, int) string")
def plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


@go_func("quote(...interface {}) string")
def quote(*values: Any) -> str:
    """Each non-nil value's strval in Go double quotes (`%q`), space-separated."""
    return " ".join(go_quote(strval(value)) for value in values if not is_nil(value))


@go_func("squote(...interface {}) string")
def squote(*values: Any) -> str:
    """Each non-nil value as `%v` in single quotes (no escaping), space-separated."""
    return " ".join(f"'{sprint(value)}'" for value in values if not is_nil(value))


@go_func("cat(...interface {}) string")
def cat(*values: Any) -> str:
    """The non-nil values printed with `%v`, space-separated."""
    return " ".join(sprint(value) for value in values if not is_nil(value))


# ------------------------------------------------------------------------------------------- byte slicing


def _slice_error(text: str) -> GoPanic:
    return GoPanic("runtime error: slice bounds out of range " + text)


@go_func("trunc(int, string) string")
def trunc(count: int, text: str) -> str:
    """The first `count` bytes, or the last `-count` bytes when negative (whole text if shorter)."""
    data = to_bytes(text)
    if count < 0 and len(data) + count > 0:
        return from_bytes(data[len(data) + count :])
    if count >= 0 and len(data) > count:
        return from_bytes(data[:count])
    return text


@go_func("substr(int, int, string) string")
def substr(start: int, end: int, text: str) -> str:
    """text[start:end] in bytes; a negative start means text[:end], a negative or too large end text[start:]."""
    data = to_bytes(text)
    size = len(data)
    if start < 0:
        if end < 0:
            raise _slice_error(f"[:{end}]")
        if end > size:
            raise _slice_error(f"[:{end}] with length {size}")
        return from_bytes(data[:end])
    if end < 0 or end > size:
        if start > size:
            raise _slice_error(f"[{start}:{size}]")
        return from_bytes(data[start:])
    if start > end:
        raise _slice_error(f"[{start}:{end}]")
    return from_bytes(data[start:end])


def _abbreviate(data: bytes, offset: int, width: int) -> bytes | None:
    # goutils.AbbreviateFull on bytes; None stands for its errors (widths too small), which Sprig turns into "".
    if not data:
        return b""
    if width < 4:
        return None
    size = len(data)
    if size <= width:
        return data
    offset = min(offset, size)
    if size - offset < width - 3:
        offset = size - (width - 3)
    if offset <= 4:
        return data[: width - 3] + b"..."
    if width < 7:
        return None
    if offset + width - 3 < size:
        rest = _abbreviate(data[offset:], 0, width - 3)
        return b"..." + (rest or b"")
    return b"..." + data[size - (width - 3) :]


@go_func("abbrev(int, string) string")
def abbrev(width: int, text: str) -> str:
    """Shorten to at most `width` bytes with a trailing "..." (unchanged when width < 4)."""
    if width < 4:
        return text
    return from_bytes(_abbreviate(to_bytes(text), 0, width) or b"")


@go_func("abbrevboth(int, int, string) string")
def abbrevboth(left: int, right: int, text: str) -> str:
    """Abbreviate on both sides around byte offset `left`, to at most `right` bytes."""
    if right < 4 or (left > 0 and right < 7):
        return text
    return from_bytes(_abbreviate(to_bytes(text), left, right) or b"")


# ------------------------------------------------------------------------------------ splitting and joining


def go_split(text: str, separator: str, limit: int = -1) -> list[str]:
    """strings.SplitN(text, separator, limit): an empty separator splits into runes; limit 0 gives nothing."""
    if limit == 0:
        return []
    if separator == "":
        chars = list(text)
        if limit < 0 or limit >= len(chars):
            return chars
        return [*chars[: limit - 1], "".join(chars[limit - 1 :])]
    return text.split(separator) if limit < 0 else text.split(separator, limit - 1)


def _numbered(parts: list[str]) -> GoStringMap:
    return GoStringMap((f"_{index}", part) for index, part in enumerate(parts))


@go_func("split(string, string) map[string]string")
def split(separator: str, text: str) -> GoStringMap:
    """The parts as a map keyed `_0`, `_1`…"""
    return _numbered(go_split(text, separator))


@go_func("splitn(string, int, string) map[string]string")
def splitn(separator: str, limit: int, text: str) -> GoStringMap:
    return _numbered(go_split(text, separator, limit))


@go_func("splitList(string, string) []string")
def split_list(separator: str, text: str) -> GoStringSlice:
    return GoStringSlice(go_split(text, separator))


@go_func("join(string, interface {}) string")
def join(separator: str, value: Any) -> str:
    """The strval of each non-nil item (or of a lone non-list value) joined by `separator`."""
    return separator.join(strslice(value))


@go_func("sortAlpha(interface {}) []string")
def sort_alpha(value: Any) -> GoStringSlice:
    """The items as strings in byte order; a []string is sorted in place (as Go does); a non-list gives its
    strval alone."""
    if elements(value) is None:
        return GoStringSlice([strval(value)])
    items = strslice(value)
    items.sort(key=to_bytes)
    return items

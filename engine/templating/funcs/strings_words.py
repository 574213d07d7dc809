"""Sprig's word-level and random string functions: wrap, wrapWith, initials, nospace (goutils), shuffle
(xstrings) and the rand* family.

goutils works on bytes here: `initials` and `nospace` read each byte as the rune of the same number (so the
first byte of `é` becomes `Ã`, and bytes 0x85 and 0xA0 count as spaces), and `wrap` cuts at byte offsets.
The random functions draw from the render's injected `random.Random`.
"""

from __future__ import annotations

import string

from engine.templating.funcs.gounicode import from_bytes, runes, to_bytes
from engine.templating.funcs.govalues import check_allocation
from engine.templating.funcs.registry import FunctionContext, go_func

__all__ = ["wrap_custom"]

# unicode.IsSpace of a byte read as a rune: \t \n \v \f \r, space, NEL and NBSP.
_SPACE_BYTES = frozenset(b"\t\n\v\f\r \x85\xa0")


def wrap_custom(text: str, width: int, newline: str, wrap_long_words: bool) -> str:
    """goutils.WrapCustom: break lines at spaces so they fit `width` bytes; long words are cut only when
    `wrap_long_words`, otherwise they overflow."""
    if not text:
        return ""
    data, separator = to_bytes(text), to_bytes(newline or "\n")
    width = max(width, 1)
    size, offset = len(data), 0
    out = bytearray()
    while size - offset > width:
        if data[offset] == 0x20:
            offset += 1
            continue
        space = data.rfind(b" ", offset, offset + width + 1)
        if space != -1:
            out += data[offset:space] + separator
            offset = space + 1
        elif wrap_long_words:
            out += data[offset : offset + width] + separator
            offset += width
        else:
            space = data.find(b" ", offset + width)
            if space == -1:
                out += data[offset:]
                offset = size
            else:
                out += data[offset:space] + separator
                offset = space + 1
    out += data[offset:]
    return from_bytes(bytes(out))


@go_func("wrap(int, string) string")
def wrap(width: int, text: str) -> str:
    return wrap_custom(text, width, "", False)


@go_func("wrapWith(int, string, string) string")
def wrap_with(width: int, separator: str, text: str) -> str:
    return wrap_custom(text, width, separator, True)


@go_func("initials(string) string")
def initials(text: str) -> str:
    """The first byte of each whitespace-separated word, each read as a rune (U+0000–U+00FF)."""
    out: list[str] = []
    after_gap = True
    for byte in to_bytes(text):
        if byte in _SPACE_BYTES:
            after_gap = True
        elif after_gap:
            out.append(chr(byte))
            after_gap = False
    return "".join(out)


@go_func("nospace(string) string")
def nospace(text: str) -> str:
    """goutils.DeleteWhiteSpace: unchanged when there is no space byte; otherwise the other bytes, each
    re-encoded as the rune of the same number."""
    data = to_bytes(text)
    if not any(byte in _SPACE_BYTES for byte in data):
        return text
    return "".join(chr(byte) for byte in data if byte not in _SPACE_BYTES)


@go_func("shuffle(string) string", needs_context=True)
def shuffle(context: FunctionContext, text: str) -> str:
    """xstrings.Shuffle: the runes in a random order (Fisher–Yates)."""
    chars = list(runes(text))
    for index in range(len(chars) - 1, 0, -1):
        other = context.random.randrange(index + 1)
        chars[index], chars[other] = chars[other], chars[index]
    return "".join(chars)


def _random_string(context: FunctionContext, count: int, alphabet: str) -> str:
    # goutils.CryptoRandom*: a negative count is an error that Sprig drops, giving "".
    if count <= 0:
        return ""
    check_allocation(count)
    choose = context.random.choice
    return "".join(choose(alphabet) for _ in range(count))


_LETTERS = string.ascii_letters
_PRINTABLE = "".join(map(chr, range(32, 127)))


@go_func("randAlpha(int) string", needs_context=True)
def rand_alpha(context: FunctionContext, count: int) -> str:
    return _random_string(context, count, _LETTERS)


@go_func("randAlphaNum(int) string", needs_context=True)
def rand_alpha_num(context: FunctionContext, count: int) -> str:
    return _random_string(context, count, _LETTERS + string.digits)


@go_func("randNumeric(int) string", needs_context=True)
def rand_numeric(context: FunctionContext, count: int) -> str:
    return _random_string(context, count, string.digits)


@go_func("randAscii(int) string", needs_context=True)
def rand_ascii(context: FunctionContext, count: int) -> str:
    return _random_string(context, count, _PRINTABLE)

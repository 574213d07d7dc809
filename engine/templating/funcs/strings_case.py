"""Sprig's case conversions: title, untitle, swapcase (goutils) and camelcase, snakecase, kebabcase (xstrings).

Word splitting follows huandu/xstrings v1.4.0 (what the µTask oracle ran; `camelcase` is its ToCamelCase, i.e.
upper camel case): `HTTPServer` → `http_server`, `http2xx` → `http_2xx`, `Bld4Floor3rd` → `bld4_floor_3rd`,
leading and doubled connectors kept.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from engine.templating.funcs.gounicode import (
    RUNE_ERROR,
    go_title,
    is_letter,
    is_lower,
    is_number,
    is_punct,
    is_space,
    is_title,
    is_upper,
    runes,
    to_lower,
    to_title,
    to_upper,
)
from engine.templating.funcs.registry import go_func

__all__ = ["to_camel_case", "to_connected_lower_case"]


@go_func("title(string) string")
def title(text: str) -> str:
    """strings.Title: upper-case (title-case) the first letter of each word."""
    return go_title(text)


@go_func("untitle(string) string")
def untitle(text: str) -> str:
    """goutils.Uncapitalize: lower-case the first rune of each whitespace-separated word."""
    out: list[str] = []
    word_start = True
    for char in runes(text):
        if is_space(char):
            word_start = True
        elif word_start:
            char = to_lower(char)
            word_start = False
        out.append(char)
    return "".join(out)


@go_func("swapcase(string) string")
def swapcase(text: str) -> str:
    """goutils.SwapCase: upper and title case to lower; lower case to title case at a word start (after
    whitespace or at the beginning), to upper case elsewhere."""
    out: list[str] = []
    after_space = True
    for char in runes(text):
        if is_upper(char) or is_title(char):
            char, after_space = to_lower(char), False
        elif is_lower(char):
            char, after_space = (to_title(char) if after_space else to_upper(char)), False
        else:
            after_space = is_space(char)
        out.append(char)
    return "".join(out)


def _is_connector(char: str) -> bool:
    return char in "-_" or is_space(char)


def _is_alphabet(char: str) -> bool:
    # A letter that is not a CJK ideograph.
    if not is_letter(char):
        return False
    code = ord(char)
    return not (0x4E00 <= code <= 0x9FCC or 0x3400 <= code <= 0x4D85 or 0x20000 <= code <= 0x2B81D)


def to_camel_case(text: str) -> str:
    """xstrings.ToCamelCase (v1.4.0): words split at '-', '_' and spaces, each capitalised, connectors dropped
    (leading ones kept, and one of each doubled pair)."""
    chars = runes(text)
    if not chars:
        return ""
    out: list[str] = []
    index, current = 0, ""
    while index < len(chars):  # leading connectors are kept as they are
        current = chars[index]
        index += 1
        if not _is_connector(current):
            current = to_upper(current)
            break
        out.append(current)
    if index >= len(chars):
        out.append(current)
        return "".join(out)
    for char in chars[index:]:
        previous, current = current, char
        if _is_connector(current) and _is_connector(previous):
            out.append(previous)
            continue
        if _is_connector(previous):
            current = to_upper(current)
        else:
            out.append(previous)
    out.append(current)
    return "".join(out)


class _Word(IntEnum):
    INVALID = 0
    NUMBER = 1
    UPPER = 2
    ALPHABET = 3
    CONNECTOR = 4
    PUNCT = 5
    OTHER = 6


def _is_error(char: str) -> bool:
    return char == RUNE_ERROR or "\ud800" <= char <= "\udfff"


def _next_valid(text: str, previous: str) -> tuple[str, int]:
    """The first rune that is not utf8.RuneError and how many runes it took; `previous` if there is none."""
    for index, char in enumerate(text):
        if not _is_error(char):
            return char, index + 1
    return previous, len(text)


def _run(text: str, char: str, accept: Callable[[str], bool]) -> tuple[str, int, int]:
    """How far runes keep satisfying `accept` from the start of `text`: (the rune that stopped the run, the
    length of the run, the size of its last rune with the invalid runes skipped before it)."""
    offset, last_size, remaining = 0, 0, text
    while remaining:
        char, size = _next_valid(remaining, char)
        if not accept(char):
            break
        offset += size
        last_size = size
        remaining = remaining[size:]
    return char, offset, last_size


def _next_word(text: str) -> tuple[_Word, str, str]:
    """xstrings' nextWord: the kind of the word starting `text`, the word, and what follows it."""
    if not text:
        return _Word.INVALID, "", ""
    char, offset = _next_valid(text, RUNE_ERROR)
    if _is_error(char):
        return _Word.INVALID, text[:offset], text[offset:]
    if _is_connector(char):
        kind, accept = _Word.CONNECTOR, _is_connector
    elif is_punct(char):
        kind, accept = _Word.PUNCT, is_punct
    elif is_upper(char):
        kind = _Word.UPPER
        if offset < len(text):
            following, size = _next_valid(text[offset:], char)
            if is_upper(following):
                stop, run, last_size = _run(text[offset + size :], following, is_upper)
                offset += size + run
                # "HTTPStatus" is "HTTP" then "Status": the last capital starts the next word.
                if offset < len(text) and _is_alphabet(stop):
                    offset -= last_size or size
            elif _is_alphabet(following):
                offset += size + _run(text[offset + size :], following, _lower_alphabet)[1]
        return kind, text[:offset], text[offset:]
    elif _is_alphabet(char):
        kind, accept = _Word.ALPHABET, _lower_alphabet
    elif is_number(char):
        kind, accept = _Word.NUMBER, is_number
    else:
        kind, accept = _Word.OTHER, _other
    offset += _run(text[offset:], char, accept)[1]
    return kind, text[:offset], text[offset:]


def _lower_alphabet(char: str) -> bool:
    return _is_alphabet(char) and not is_upper(char)


def _other(char: str) -> bool:
    return not (_is_connector(char) or _is_alphabet(char) or is_number(char) or is_punct(char))


def _write_lower(out: list[str], kind: _Word, word: str, connector: str) -> None:
    if kind is not _Word.UPPER and kind is not _Word.CONNECTOR:
        out.append(word)
        return
    for char in runes(word):
        if _is_connector(char):
            out.append(connector)
        elif is_upper(char):
            out.append(to_lower(char))
        else:
            out.append(char)


def to_connected_lower_case(text: str, connector: str) -> str:
    """xstrings' camelCaseToLowerCase (ToSnakeCase with '_', ToKebabCase with '-')."""
    if not text:
        return ""
    out: list[str] = []
    kind, word, remaining = _next_word(text)
    while remaining:
        if kind is not _Word.CONNECTOR:
            _write_lower(out, kind, word, connector)
        previous, last = kind, word
        kind, word, remaining = _next_word(remaining)
        if previous is _Word.NUMBER:
            while kind in (_Word.ALPHABET, _Word.NUMBER):
                _write_lower(out, kind, word, connector)
                kind, word, remaining = _next_word(remaining)
            if kind not in (_Word.INVALID, _Word.PUNCT, _Word.CONNECTOR):
                out.append(connector)
        elif previous is _Word.CONNECTOR:
            _write_lower(out, previous, last, connector)
        elif previous is _Word.PUNCT:
            pass
        elif kind is not _Word.NUMBER:
            if kind not in (_Word.CONNECTOR, _Word.PUNCT):
                out.append(connector)
        elif remaining:
            number = word
            kind, word, remaining = _next_word(remaining)
            if kind is not _Word.ALPHABET:  # "Bld4Floor": the number stays with the word before it
                _write_lower(out, _Word.NUMBER, number, connector)
                if kind not in (_Word.CONNECTOR, _Word.PUNCT):
                    out.append(connector)
                continue
            out.append(connector)  # "HTTP2xx": letters after the number make it start a new word
            _write_lower(out, _Word.NUMBER, number, connector)
            while kind in (_Word.ALPHABET, _Word.NUMBER):
                _write_lower(out, kind, word, connector)
                kind, word, remaining = _next_word(remaining)
            if kind not in (_Word.INVALID, _Word.CONNECTOR, _Word.PUNCT):
                out.append(connector)
    _write_lower(out, kind, word, connector)
    return "".join(out)


@go_func("camelcase(string) string")
def camelcase(text: str) -> str:
    return to_camel_case(text)


@go_func("snakecase(string) string")
def snakecase(text: str) -> str:
    return to_connected_lower_case(text, "_")


@go_func("kebabcase(string) string")
def kebabcase(text: str) -> str:
    return to_connected_lower_case(text, "-")

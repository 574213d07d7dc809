"""Go literal semantics: strconv.Unquote/Quote, number classification, %#U."""

from __future__ import annotations

import math

import pytest

from engine.templating.literals import LiteralError, format_unicode, go_quote, unquote
from engine.templating.numbers import parse_number


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ('"plain"', "plain"),
        ('"\\u00e9\\x41\\101\\n\\t\\\\\\""', 'éAA\n\t\\"'),
        ('"\\U0001F600"', "😀"),
        ("`raw \\n`", "raw \\n"),
        ("`a\rb\r`", "ab"),  # Go drops carriage returns from raw strings
        ('"\\xff"', "\udcff"),  # an invalid UTF-8 byte, kept losslessly as a surrogate escape
        ('"\\xc3\\xa9"', "é"),  # bytes that happen to form UTF-8
    ],
)
def test_unquote(token: str, value: str) -> None:
    assert unquote(token) == value


@pytest.mark.parametrize(
    "token", ['"\\z"', '"\\0"', '"\\00"', '"\\400"', '"\\x4"', '"\\u12"', '"\\uD800"', '"\\U00110000"', '"\\\'"']
)
def test_unquote_rejects_like_go(token: str) -> None:
    with pytest.raises(LiteralError, match="^invalid syntax$"):
        unquote(token)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("abc", '"abc"'),
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("é€😀", '"é€😀"'),
        ("\n\t\x00\x7f", '"\\n\\t\\x00\\x7f"'),
        ("\u00a0\u200b", '"\\u00a0\\u200b"'),
        ("\U000e0001", '"\\U000e0001"'),
        ("\udcff", '"\\xff"'),
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


def test_go_quote_precision_counts_runes() -> None:
    assert go_quote("ééééééééééééé", 10) == '"éééééééééé"'


def test_format_unicode() -> None:
    assert format_unicode("-") == "U+002D '-'"
    assert format_unicode("\x00") == "U+0000"
    assert format_unicode("😀") == "U+1F600 '😀'"


def flags(text: str, kind: str = "number") -> tuple[bool, bool, bool, bool]:
    number = parse_number(text, kind)
    return number.is_int, number.is_uint, number.is_float, number.is_complex


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", (True, True, True, False)),
        ("-1", (True, False, True, False)),
        ("-0", (True, True, True, False)),
        ("1.0", (True, True, True, False)),  # integral floats keep int views
        ("1.5", (False, False, True, False)),
        ("9223372036854775808", (False, True, True, False)),  # "overflows int" only at execution
        ("1e19", (False, True, True, False)),
        ("1e20", (False, False, True, False)),
        ("-1e19", (False, False, True, False)),
        ("0x1p-2", (False, False, True, False)),
        ("2i", (False, False, False, True)),
        ("0i", (True, True, True, True)),
    ],
)
def test_number_classification(text: str, expected: tuple[bool, bool, bool, bool]) -> None:
    assert flags(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("0x1F", 31), ("0o17", 15), ("017", 15), ("0b101", 5), ("1_000", 1000), ("+7", 7), ("0X_1", 1)],
)
def test_integer_bases(text: str, value: int) -> None:
    assert parse_number(text, "number").int64 == value


def test_char_constants_are_ints() -> None:
    number = parse_number("'a'", "char")
    assert (number.is_int, number.int64, number.float64) == (True, 97, 97.0)
    assert parse_number("'\\n'", "char").int64 == 10
    assert parse_number("'é'", "char").int64 == 0xE9


def test_complex_constants() -> None:
    assert parse_number("1+2i", "complex").complex128 == complex(1, 2)
    number = parse_number("1+0i", "complex")
    assert (number.is_complex, number.is_float, number.is_int, number.int64) == (True, True, True, 1)
    assert parse_number("0x1p2+1i", "complex").complex128 == complex(4, 1)  # fmt parses hex floats


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("08", "number", 'integer overflow: "08"'),
        ("18446744073709551616", "number", 'integer overflow: "18446744073709551616"'),
        ("-9223372036854775809", "number", 'integer overflow: "-9223372036854775809"'),
        ("1e400", "number", 'illegal number syntax: "1e400"'),
        ("1__0", "number", 'illegal number syntax: "1__0"'),
        ("0x", "number", 'illegal number syntax: "0x"'),
        ("-", "number", 'illegal number syntax: "-"'),
        ("''", "char", "invalid syntax"),
        ("'ab'", "char", "malformed character constant: 'ab'"),
        ("1e400+1i", "complex", 'strconv.ParseFloat: parsing "1e400": value out of range'),
        ("1+2_i", "complex", 'strconv.ParseFloat: parsing "+2_": invalid syntax'),
        ("1+i", "complex", "syntax error scanning complex number"),
    ],
)
def test_number_errors(text: str, kind: str, message: str) -> None:
    with pytest.raises(LiteralError) as caught:
        parse_number(text, kind)
    assert str(caught.value) == message


def test_tiny_floats_underflow_to_zero_without_error() -> None:
    number = parse_number("1e-400", "number")
    assert number.float64 == 0.0 and number.is_int
    assert math.copysign(1.0, parse_number("-0.0", "number").float64) == -1.0

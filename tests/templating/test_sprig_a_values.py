"""Sprig family A: defaults and flow control, conversions (spf13/cast), reflection. Expected values are the
Go oracle's (shared corpus), in both number modes (json.Number and float64)."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest

from engine.templating.funcs import FUNCTIONS, GoError, load_all
from engine.templating.funcs.govalues import GoIntSlice
from engine.templating.gotypes import (
    NO_VALUE,
    GoComplex,
    GoDuration,
    GoInt64,
    GoObject,
    GoStringMap,
    GoStringSlice,
    GoTime,
    GoUint64,
    JSONNumber,
)

load_all()


def call(name: str, *args: Any) -> Any:
    return FUNCTIONS[name].implementation(*args)


def n(text: str) -> JSONNumber:
    return JSONNumber(text)


TIME = GoTime(datetime.datetime(2024, 3, 5, tzinfo=datetime.UTC))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, True), (-0.0, True), (False, True), (None, True), (NO_VALUE, True), ("", True), ([], True), ({}, True),
        (0, True), (GoInt64(0), True), (GoDuration(0), True), (GoComplex(0), True), (b"", True),
        (n("0"), False), (n("-0"), False), (" ", False), ("0", False), ("false", False), ([0], False), (1.5, False),
        (TIME, False), (GoStringSlice([""]), False),
    ],
)
def test_empty(value: Any, expected: bool) -> None:
    assert call("empty", value) is expected


def test_default() -> None:
    assert call("default", "D", False) == "D"
    assert call("default", "D", n("1.5")) == n("1.5")
    assert call("default", "D", NO_VALUE) == "D"
    assert call("default", "D", n("-0")) == n("-0")  # a json.Number is a non-empty string
    assert call("default", "D", -0.0) == "D"
    assert call("default", "D", [0]) == [0]
    assert call("default", [1], NO_VALUE) == [1]
    assert call("default", "D") == "D"
    assert call("default", NO_VALUE, None) is None


def test_coalesce_all_any_ternary() -> None:
    assert call("coalesce", [], {"a": 1}) == {"a": 1}
    assert call("coalesce", n("0"), "z") == n("0")
    assert call("coalesce", 0.0, "z") == "z"
    assert call("coalesce", NO_VALUE, "", "x") == "x"
    assert call("coalesce") is None
    assert call("all", 1, "a", True) and not call("all", 1, 0) and call("all")
    assert call("any", 0, "x") and not call("any") and not call("any", None, "")
    assert call("ternary", "y", "n", True) == "y"
    assert call("ternary", "y", "n", False) == "n"


def test_fail() -> None:
    with pytest.raises(GoError) as raised:
        call("fail", "custom failure")
    assert raised.value.message == "custom failure"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("int", "1.5", 0),
        ("int", "  12", 0),
        ("int", "abc", 0),
        ("int", "010", 8),
        ("int", "0x10", 16),
        ("int", "0b11", 3),
        ("int", "1_000", 1000),
        ("int", "12.00", 12),
        ("int", "12.", 0),
        ("int", n("12"), 12),
        ("int", n("1.5"), 0),
        ("int", 1.5, 1),
        ("int", -2.999, -2),
        ("int", True, 1),
        ("int", None, 0),
        ("int", NO_VALUE, 0),
        ("int", [1], 0),
        ("int", GoDuration(5), 0),  # cast knows no time.Duration
        ("int64", n("12345678901234567890"), 0),
        ("int64", 1.2345678901234567e19, -(1 << 63)),  # amd64 conversion of an out-of-range float
        ("int64", "12345678901", 12345678901),
        ("int64", "9223372036854775808", 0),
        ("int64", n("1619464078"), 1619464078),
        ("int64", GoUint64((1 << 64) - 1), -1),
        ("float64", n("1.5"), 1.5),
        ("float64", True, 1.0),
        ("float64", "abc", 0.0),
        ("float64", "1,5", 0.0),
        ("float64", "  1.5", 0.0),
        ("float64", n("12"), 12.0),
        ("float64", n("12345678901234567890"), 1.2345678901234567e19),
        ("float64", None, 0.0),
        ("float64", 1, 1.0),
        ("float64", "0x10", 0.0),  # a hex float needs a p exponent
        ("float64", "0x1p4", 16.0),
        ("float64", "inf", math.inf),
        ("float64", "-Infinity", -math.inf),
        ("float64", "1e400", 0.0),
        ("float64", "1_0.5", 10.5),
        ("float64", "1__0", 0.0),
        ("atoi", "-7", -7),
        ("atoi", "12", 12),
        ("atoi", " 1", 0),
        ("atoi", "0x10", 0),
        ("atoi", "1.5", 0),
        ("atoi", "x", 0),
        ("atoi", "+5", 5),
        ("atoi", "99999999999999999999", (1 << 63) - 1),  # Atoi returns the bound with its range error
        ("atoi", "-99999999999999999999", -(1 << 63)),
        ("toDecimal", 10, 8),
        ("toDecimal", "8", 0),
        ("toDecimal", "777", 511),
        ("toDecimal", "0777", 511),
        ("toDecimal", "0x1f", 0),
        ("toDecimal", 12.0, 10),
        ("toDecimal", None, 0),
    ],
)
def test_numeric_conversions(name: str, value: Any, expected: Any) -> None:
    result = call(name, value)
    assert result == expected
    assert type(result) is {"int": int, "atoi": int, "int64": GoInt64, "toDecimal": GoInt64, "float64": float}[name]


def test_float64_of_nan() -> None:
    assert math.isnan(call("float64", "NaN"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (n("12"), "12"), (1, "1"), (1.5, "1.5"), (True, "true"), (None, "<nil>"), (NO_VALUE, "<nil>"), ("s", "s"),
        (1e21, "1e+21"), (1e6, "1e+06"), (1.619464078e9, "1.619464078e+09"), (1.0, "1"),
        ([n("1"), "a", True, None, {"k": "v"}], "[1 a true <nil> map[k:v]]"), ([None], "[<nil>]"),
        ({"a": n("1"), "b": n("2"), "c": {"d": [n("1"), n("2")]}}, "map[a:1 b:2 c:map[d:[1 2]]]"),
        (b"hi", "hi"), (TIME, "2024-03-05 00:00:00 +0000 UTC"),
    ],
)
def test_to_string(value: Any, expected: str) -> None:
    assert call("toString", value) == expected


def test_to_strings() -> None:
    assert call("toStrings", None) == []
    assert call("toStrings", "abc") == ["abc"]
    assert call("toStrings", [1, None, "a", 2.5, True]) == ["1", "a", "2.5", "true"]
    strings = GoStringSlice(["x"])
    assert call("toStrings", strings) is strings
    assert call("toStrings", GoIntSlice([1, 2])) == ["1", "2"]
    assert type(call("toStrings", [1])) is GoStringSlice


@pytest.mark.parametrize(
    ("value", "type_name", "kind"),
    [
        (1.5, "float64", "float64"),
        (GoComplex(1j), "complex128", "complex128"),
        (NO_VALUE, "<nil>", "invalid"),
        (None, "<nil>", "invalid"),
        (1, "int", "int"),
        (GoInt64(1), "int64", "int64"),
        ("s", "string", "string"),
        (n("12"), "json.Number", "string"),
        (True, "bool", "bool"),
        ([1], "[]interface {}", "slice"),
        ({}, "map[string]interface {}", "map"),
        (GoStringSlice(["a"]), "[]string", "slice"),
        (GoStringMap(), "map[string]string", "map"),
        (GoIntSlice([0, 1]), "[]int", "slice"),
        (TIME, "time.Time", "struct"),
    ],
)
def test_reflection(value: Any, type_name: str, kind: str) -> None:
    assert call("typeOf", value) == type_name
    assert call("kindOf", value) == kind
    assert call("typeIs", type_name, value)
    assert call("typeIsLike", type_name, value)
    assert call("kindIs", kind, value)
    assert not call("typeIs", "nope", value)


def test_type_is_like_accepts_pointers() -> None:
    assert call("typeIsLike", "Version", _Pointer())
    assert not call("typeIs", "Version", _Pointer())


class _Pointer(GoObject):
    go_type = "*Version"
    go_kind = "ptr"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (1, 1, True),
        ("a", "a", True),
        (1, GoInt64(1), False),
        (n("12"), 12, False),
        (n("12"), "12", False),
        (None, NO_VALUE, True),
        (None, 0, False),
        ({"a": 1}, {"a": 1}, True),
        ({"a": 1}, {"a": GoInt64(1)}, False),
        ([1, [2]], [1, [2]], True),
        ([1], GoStringSlice(["1"]), False),
        (math.nan, math.nan, False),
        (True, 1, False),
    ],
)
def test_deep_equal(left: Any, right: Any, expected: bool) -> None:
    assert call("deepEqual", left, right) is expected

"""Sprig's conversions: atoi, int, int64, float64 (spf13/cast v1.7.1: quietly 0 when not convertible),
toDecimal (octal text to int64), toString and toStrings.

A json.Number converts through its text: `int "010"` and `int .n` (n = `010`) are both 8 (base-0 parsing),
`int .f` with f = `1.5` is 0, while a float64 1.5 truncates to 1.
"""

from __future__ import annotations

from typing import Any

from engine.templating.funcs.gocast import atoi as parse_atoi
from engine.templating.funcs.gocast import parse_int, to_float64, to_int, to_int64
from engine.templating.funcs.govalues import strslice, strval
from engine.templating.funcs.registry import go_func
from engine.templating.gotypes import GoInt64, GoStringSlice
from engine.templating.printing import sprint

__all__: list[str] = []


@go_func("atoi(string) int")
def atoi(text: str) -> int:
    """strconv.Atoi with its error ignored: 0 for bad syntax (`" 1"`, `"0x10"`, `"1.5"`), the int64 bound when
    out of range."""
    return parse_atoi(text)


@go_func("int(interface {}) int")
def int_(value: Any) -> int:
    return to_int(value)


@go_func("int64(interface {}) int64")
def int64(value: Any) -> GoInt64:
    return GoInt64(to_int64(value))


@go_func("float64(interface {}) float64")
def float64(value: Any) -> float:
    return to_float64(value)


@go_func("toDecimal(interface {}) int64")
def to_decimal(value: Any) -> GoInt64:
    """The value's `%v` text read as an octal number (`toDecimal "777"` is 511), 0 when it is not one."""
    number, error = parse_int(sprint(value), 8)
    return GoInt64(0 if error else number)


@go_func("toString(interface {}) string")
def to_string(value: Any) -> str:
    """Strings unchanged, anything else printed with `%v` (nil as `<nil>`)."""
    return strval(value)


@go_func("toStrings(interface {}) []string")
def to_strings(value: Any) -> GoStringSlice:
    """Each item of a list through toString, nils dropped; a non-list value gives a one-item list, nil none."""
    return strslice(value)

"""strconv's integer and float parsing and spf13/cast v1.7.1's ToInt / ToInt64 / ToFloat64, on model values.

cast never fails loudly: whatever it cannot convert becomes 0. Strings (and json.Number, through its text) are
parsed with `strconv.ParseInt(s, 0, 64)` after dropping a zero fraction (`"12.00"` → 12, `"1.5"` → 0,
`"010"` → 8, `"0x10"` → 16); floats convert like Go's amd64 `int64(f)` (truncation, and the minimum int64 when out
of range or NaN). Sprig's math functions (family B) use the same conversions.
"""

from __future__ import annotations

import math
import re
from typing import Any

from engine.templating.gotypes import (
    NO_VALUE,
    GoInt32,
    GoInt64,
    GoUint8,
    GoUint32,
    GoUint64,
    JSONNumber,
)

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "atoi",
    "float_to_int64",
    "parse_float",
    "parse_int",
    "to_float64",
    "to_int",
    "to_int64",
    "wrap_int64",
]

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
_DIGIT_VALUES = {c: i for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}
_PREFIXES = {"x": 16, "b": 2, "o": 8}

# strconv.ParseFloat's accepted syntax (underscores checked separately, as Go does).
_DECIMAL = re.compile(r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?")
_HEXADECIMAL = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+")
_INFINITY = re.compile(r"[+-]?(?:inf|infinity)", re.IGNORECASE)


class _Syntax(Exception):
    pass


def wrap_int64(value: int) -> int:
    """Two's complement wrap-around into int64, as Go integer conversions and overflow do."""
    return ((value - INT64_MIN) % (1 << 64)) + INT64_MIN


def float_to_int64(value: float) -> int:
    """Go's int64(f) on amd64: truncation toward zero; NaN and out-of-range values give the minimum int64."""
    if math.isnan(value) or not (-9.223372036854775808e18 <= value < 9.223372036854775808e18):
        return INT64_MIN
    return int(value)


def _underscores_ok(text: str) -> bool:
    # strconv.underscoreOK: '_' only between digits, or between a base prefix and a digit.
    body = text[1:] if text[:1] in "+-" else text
    saw, index, hexadecimal = "^", 0, False
    if len(body) >= 2 and body[0] == "0" and body[1].lower() in "bxo":
        index, saw, hexadecimal = 2, "0", body[1].lower() == "x"
    for char in body[index:]:
        if "0" <= char <= "9" or (hexadecimal and char.lower() in "abcdef"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
    return saw != "_"


def _parse_uint(text: str, base: int, limit: int) -> tuple[int, str | None]:
    """strconv.ParseUint's digits loop: (value, None | "syntax" | "range"); range errors give `limit - 1`."""
    if not text:
        return 0, "syntax"
    original, base_zero = text, base == 0
    if base_zero:
        base = 10
        if text[0] == "0":
            if len(text) >= 3 and text[1].lower() in _PREFIXES:
                base, text = _PREFIXES[text[1].lower()], text[2:]
            else:
                base, text = 8, text[1:]
    value, underscores = 0, False
    for char in text:
        if char == "_" and base_zero:
            underscores = True
            continue
        digit = _DIGIT_VALUES.get(char.lower(), 99) if char.isascii() else 99
        if digit >= base:
            return 0, "syntax"
        value = value * base + digit
        if value >= limit:
            return limit - 1, "range"
    if underscores and not _underscores_ok(original):
        return 0, "syntax"
    return value, None


def parse_int(text: str, base: int = 0) -> tuple[int, str | None]:
    """strconv.ParseInt(text, base, 64): (value, error kind); a range error returns the clamped bound like Go."""
    if not text:
        return 0, "syntax"
    negative = text[0] == "-"
    digits = text[1:] if text[0] in "+-" else text
    magnitude, error = _parse_uint(digits, base, 1 << 64)
    if error == "syntax":
        return 0, error
    if error is None:
        if not negative and magnitude > INT64_MAX:
            error = "range"
        elif negative and magnitude > -INT64_MIN:
            error = "range"
    if error == "range":
        return (INT64_MIN if negative else INT64_MAX), error
    return (-magnitude if negative else magnitude), None


def atoi(text: str) -> int:
    """Sprig's atoi: strconv.Atoi with the error ignored (0 on bad syntax, the clamped bound when out of range)."""
    return parse_int(text, 10)[0]


def parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64), or None when Go reports an error (bad syntax or out of range)."""
    if _INFINITY.fullmatch(text):
        return -math.inf if text[0] == "-" else math.inf
    if text.lower() == "nan":
        return math.nan
    hexadecimal = _HEXADECIMAL.fullmatch(text) is not None
    if not hexadecimal and _DECIMAL.fullmatch(text) is None:
        return None
    if "_" in text and not _underscores_ok(text):
        return None
    clean = text.replace("_", "")
    try:
        value = float.fromhex(clean) if hexadecimal else float(clean)
    except (OverflowError, ValueError):
        return None
    return None if math.isinf(value) else value


def _trim_zero_decimal(text: str) -> str:
    # cast's trimZeroDecimal: "12.00" → "12", "12.50" and "12." unchanged.
    found_zero = False
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char == ".":
            if found_zero:
                return text[:index]
        elif char == "0":
            found_zero = True
        else:
            return text
    return text


def to_int64(value: Any) -> int:
    """cast.ToInt64 (errors give 0)."""
    if value is None or value is NO_VALUE:
        return 0
    kind = type(value)
    if kind is bool:
        return 1 if value else 0
    if kind in (int, GoInt64, GoInt32, GoUint32, GoUint8):
        return int(value)
    if kind is GoUint64:
        return wrap_int64(int(value))
    if kind is float:
        return float_to_int64(value)
    if kind is str or kind is JSONNumber:
        number, error = parse_int(_trim_zero_decimal(str(value)), 0)
        return 0 if error else number
    # time.Duration, complex numbers, lists, maps, structs: not convertible.
    return 0


def to_int(value: Any) -> int:
    """cast.ToInt (Go's int is 64 bits here)."""
    return to_int64(value)


def to_float64(value: Any) -> float:
    """cast.ToFloat64 (errors give 0)."""
    if value is None or value is NO_VALUE:
        return 0.0
    kind = type(value)
    if kind is bool:
        return 1.0 if value else 0.0
    if kind in (int, GoInt64, GoInt32, GoUint32, GoUint8, GoUint64):
        return float(value)
    if kind is float:
        return float(value)
    if kind is str or kind is JSONNumber:  # json.Number through its Float64 method: ParseFloat as well
        parsed = parse_float(str(value))
        return 0.0 if parsed is None else parsed
    return 0.0  # time.Duration, complex numbers, lists, maps, structs

"""Go's `%v` printing of decoded JSON values, and time.Duration's String()."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

__all__ = ["format_duration", "format_float_g", "format_shortest", "format_value"]


def format_value(value: Any) -> str:
    """fmt.Sprintf("%v", value) for nil, bool, numbers, strings, lists and string-keyed maps."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float_g(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(format_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = " ".join(f"{key}:{format_value(value[key])}" for key in sorted(value))
        return f"map[{items}]"
    return str(value)


def format_float_g(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 64), i.e. `%v`: shortest digits, exponent if exp < -4 or >= 6."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    return format_shortest(repr(value))


def format_shortest(shortest: str) -> str:
    """Go's 'g' layout of a number given by its shortest round-trip decimal text (Python repr)."""
    sign, digits, exponent = Decimal(shortest).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    exp = exponent + len(digits) - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        body = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    point = exp + 1
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return f"{prefix}{text}{'0' * (point - len(text))}"
    return f"{prefix}{text[:point]}.{text[point:]}"


_UNITS = (("h", 3600 * 10**9), ("m", 60 * 10**9))


def format_duration(nanoseconds: int) -> str:
    """time.Duration(n).String(): `1h2m3.5s`, `250ms`, `0s`."""
    if nanoseconds == 0:
        return "0s"
    sign = "-" if nanoseconds < 0 else ""
    n = abs(nanoseconds)
    if n < 10**9:
        for unit, size in (("ms", 10**6), ("µs", 10**3), ("ns", 1)):
            if n >= size:
                return sign + _fraction(n, size) + unit
    out = ""
    for unit, size in _UNITS:
        if n >= size or out:
            out += f"{n // size}{unit}"
            n %= size
    return sign + out + _fraction(n, 10**9) + "s"


def _fraction(value: int, size: int) -> str:
    whole, rest = divmod(value, size)
    if not rest:
        return str(whole)
    width = len(str(size)) - 1
    return f"{whole}." + f"{rest:0{width}d}".rstrip("0")

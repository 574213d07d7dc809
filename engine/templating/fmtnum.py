"""strconv.FormatFloat and fmt's number layouts, as `printf` and Sprig's conversions need them.

Python's own float formatting is correctly rounded (round-half-even on the exact binary value), which is
what Go's strconv does too, so fixed-precision layouts can lean on it; only the shapes differ (exponent
digits, shortest forms, hexadecimal floats, NaN/Inf spelling).
"""

from __future__ import annotations

import math
from decimal import Decimal

__all__ = ["format_float", "shortest_digits"]


def shortest_digits(value: float) -> tuple[str, int]:
    """(digits, decimal point position) of the shortest round-trip decimal of a finite non-zero |value|."""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    return digits, exponent + len(digit_tuple)


def format_float(value: float, verb: str, prec: int) -> str:
    """strconv.FormatFloat(value, verb, prec, 64) for verbs e E f F g G x X b; prec -1 means shortest."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if verb in "xX":
        return _hex_float(value, prec, verb == "X")
    if verb == "b":
        return _binary_float(value)
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if prec < 0:
        return sign + _shortest(abs(value), verb)
    return sign + _fixed(abs(value), verb, prec)


def _shortest(value: float, verb: str) -> str:
    if value == 0:
        digits, point = "0", 1
    else:
        digits, point = shortest_digits(value)
    if verb in "eE":
        return _e_layout(digits, point, len(digits) - 1, verb)
    if verb in "fF":
        return _f_layout(digits, point, max(len(digits) - point, 0))
    exp = point - 1
    if exp < -4 or exp >= 6:
        return _e_layout(digits, point, len(digits) - 1, "e" if verb == "g" else "E")
    return _f_layout(digits, point, max(len(digits) - point, 0))


def _e_layout(digits: str, point: int, decimals: int, verb: str) -> str:
    digits = digits.ljust(decimals + 1, "0")
    mantissa = digits[0] + ("." + digits[1 : decimals + 1] if decimals > 0 else "")
    exp = point - 1 if digits.strip("0") else 0
    return f"{mantissa}{verb}{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _f_layout(digits: str, point: int, decimals: int) -> str:
    if point <= 0:
        whole, frac = "0", "0" * -point + digits
    elif point >= len(digits):
        whole, frac = digits + "0" * (point - len(digits)), ""
    else:
        whole, frac = digits[:point], digits[point:]
    frac = frac.ljust(decimals, "0")[:decimals]
    return whole + ("." + frac if decimals > 0 else "")


def _fixed(value: float, verb: str, prec: int) -> str:
    if verb in "fF":
        return f"{value:.{prec}f}"
    if verb in "eE":
        text = f"{value:.{prec}e}"
        return text.upper() if verb == "E" else text
    # %g with an explicit precision: Python's rules (trailing zeros trimmed, exponent iff exp < -4 or
    # exp >= precision) are Go's once the precision is at least 1.
    text = f"{value:.{max(prec, 1)}g}"
    return text.upper() if verb == "G" else text


def _hex_float(value: float, prec: int, upper: bool) -> str:
    """Go's %x on a float: 0x1.8p+01 (shortest mantissa unless a precision asks otherwise)."""
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    value = abs(value)
    if value == 0:
        mantissa, exp = 0, 0
    else:
        fraction, exp = math.frexp(value)  # value = fraction * 2**exp, 0.5 <= fraction < 1
        mantissa, exp = int(fraction * (1 << 53)), exp - 1  # 1.xxx form: 53-bit integer, top bit = 1
    frac_bits = mantissa & ((1 << 52) - 1)
    lead = mantissa >> 52
    hexdigits = f"{frac_bits:013x}"
    if prec < 0:
        hexdigits = hexdigits.rstrip("0")
    elif prec < 13:
        lead, hexdigits, exp = _round_hex(lead, frac_bits, prec, exp)
    else:
        hexdigits = hexdigits.ljust(prec, "0")
    body = f"0x{lead}" + ("." + hexdigits if hexdigits else "") + f"p{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + (body.upper() if upper else body)


def _round_hex(lead: int, frac_bits: int, prec: int, exp: int) -> tuple[int, str, int]:
    drop = (13 - prec) * 4
    whole = (lead << 52) | frac_bits
    kept, rest = divmod(whole, 1 << drop)
    half = 1 << (drop - 1)
    if rest > half or (rest == half and kept & 1):
        kept += 1
    if kept >> (prec * 4) >= 2:  # rounding carried into a new leading digit
        kept >>= 1
        exp += 1
    lead = kept >> (prec * 4)
    frac = kept & ((1 << (prec * 4)) - 1)
    return lead, (f"{frac:0{prec}x}" if prec else ""), exp


def _binary_float(value: float) -> str:
    """Go's %b on a float: decimalless mantissa and binary exponent, e.g. 4503599627370496p-52."""
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    value = abs(value)
    if value == 0:
        return f"{sign}0p-1074"
    fraction, exp = math.frexp(value)
    mantissa = int(fraction * (1 << 53))
    exp -= 53
    if exp < -1074:  # subnormal: Go keeps the exponent at its minimum
        mantissa >>= -1074 - exp
        exp = -1074
    return f"{sign}{mantissa}p{'-' if exp < 0 else '+'}{abs(exp)}"

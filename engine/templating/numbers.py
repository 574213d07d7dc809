"""Go template number constants: the parser's ``newNumber`` with strconv's and fmt's exact rules.

A literal is classified like Go's NumberNode: it may be usable as an int, a uint, a float and/or a
complex at the same time (``1.0`` is all of the first three). Errors carry Go's message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from engine.templating.literals import LiteralError, go_quote, unquote_char

__all__ = ["GoNumber", "parse_number"]

_HEX = frozenset("0123456789abcdefABCDEF")
_DIGITS = {2: frozenset("01"), 8: frozenset("01234567"), 10: frozenset("0123456789"), 16: _HEX}
_DEC_FLOAT = re.compile(r"[+-]?(?=[0-9_.]*[0-9])[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?")
_HEX_FLOAT = re.compile(
    r"[+-]?0[xX](?=[0-9a-fA-F_.]*[0-9a-fA-F])[0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?[pP][+-]?[0-9][0-9_]*"
)
_INT64_MIN, _INT64_END, _UINT64_END = -(1 << 63), 1 << 63, 1 << 64


@dataclass(slots=True)
class GoNumber:
    """A template number constant classified like Go's NumberNode (several flags may be true)."""

    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = 0j


def parse_number(text: str, kind: str) -> GoNumber:
    """Go's ``newNumber``: `kind` is "char", "complex" or "number" (the lexer's token kind)."""
    if kind == "char":
        return _char_constant(text)
    if kind == "complex":
        number = GoNumber(is_complex=True, complex128=_scan_complex(text))
        return _simplify_complex(number)
    if text.endswith("i"):  # an imaginary literal such as 2i
        imag = _parse_float(text[:-1])
        if imag is not None:
            return _simplify_complex(GoNumber(is_complex=True, complex128=complex(0.0, imag)))
    return _real_number(text)


def _char_constant(text: str) -> GoNumber:
    value, _, end = unquote_char(text, 1, "'")
    if text[end:] != "'":
        raise LiteralError(f"malformed character constant: {text}")
    return GoNumber(True, True, True, False, value, value, float(value))


def _real_number(text: str) -> GoNumber:
    number = GoNumber()
    unsigned = _parse_uint(text)
    if unsigned is not None:
        number.is_uint, number.uint64 = True, unsigned
    signed = _parse_int(text)
    if signed is not None:
        number.is_int, number.int64 = True, signed
        if signed == 0:  # "-0" fails ParseUint but is a perfectly good unsigned zero
            number.is_uint, number.uint64 = True, 0
    if number.is_int:
        number.is_float, number.float64 = True, float(number.int64)
    elif number.is_uint:
        number.is_float, number.float64 = True, float(number.uint64)
    else:
        value = _parse_float(text)
        if value is not None:
            if not any(c in text for c in ".eEpP"):
                raise LiteralError(f"integer overflow: {go_quote(text)}")
            number.is_float, number.float64 = True, value
            _integral_views(number, value)
    if not (number.is_int or number.is_uint or number.is_float):
        raise LiteralError(f"illegal number syntax: {go_quote(text)}")
    return number


def _integral_views(number: GoNumber, value: float) -> None:
    # Go keeps int/uint views of a float when converting back gives the same float (amd64 rules:
    # out-of-range conversions never round-trip).
    if value.is_integer():
        if _INT64_MIN <= value < _INT64_END:
            number.is_int, number.int64 = True, int(value)
        if 0 <= value < _UINT64_END:
            number.is_uint, number.uint64 = True, int(value)


def _simplify_complex(number: GoNumber) -> GoNumber:
    if number.complex128.imag == 0:
        real = number.complex128.real
        number.is_float, number.float64 = True, real
        _integral_views(number, real)
    return number


def _underscore_ok(text: str) -> bool:
    """strconv's rule: underscores only between digits, or between a base prefix and a digit."""
    saw = "^"  # ^ start, 0 digit or prefix, _ underscore, ! anything else
    body = text[1:] if text[:1] in ("+", "-") else text
    index, is_hex = 0, False
    if len(body) >= 2 and body[0] == "0" and body[1] in "bBoOxX":
        index, saw, is_hex = 2, "0", body[1] in "xX"
    for char in body[index:]:
        if "0" <= char <= "9" or (is_hex and char in _HEX):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def _parse_uint(text: str) -> int | None:
    """strconv.ParseUint(text, 0, 64), or None when Go reports an error."""
    if not text:
        return None
    base, digits = 10, text
    if text[0] == "0":
        prefix = text[1:2]
        if len(text) >= 3 and prefix in ("b", "B", "o", "O", "x", "X"):
            base, digits = {"b": 2, "o": 8, "x": 16}[prefix.lower()], text[2:]
        else:
            base, digits = 8, text[1:]
    if "_" in digits:
        if not _underscore_ok(text):
            return None
        digits = digits.replace("_", "")
    allowed = _DIGITS[base]
    if not all(d in allowed for d in digits):
        return None
    value = int(digits, base) if digits else 0
    return value if value < _UINT64_END else None


def _parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), or None when Go reports an error."""
    negative = text[:1] == "-"
    magnitude = _parse_uint(text[1:] if text[:1] in ("+", "-") else text)
    if magnitude is None:
        return None
    value = -magnitude if negative else magnitude
    return value if _INT64_MIN <= value < _INT64_END else None


def _parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64) for lexer-shaped input, or None on a syntax or range error."""
    try:
        return _parse_float_strict(text)
    except LiteralError:
        return None


def _parse_float_strict(text: str) -> float:
    # Returns the value or raises LiteralError with the strconv.NumError text (used by complex scanning).
    is_hex = _HEX_FLOAT.fullmatch(text) is not None
    if not is_hex and _DEC_FLOAT.fullmatch(text) is None:
        raise LiteralError(f"strconv.ParseFloat: parsing {go_quote(text)}: invalid syntax")
    if "_" in text and not _underscore_ok(text):
        raise LiteralError(f"strconv.ParseFloat: parsing {go_quote(text)}: invalid syntax")
    clean = text.replace("_", "")
    try:
        value = float.fromhex(clean) if is_hex else float(clean)
    except OverflowError:
        value = math.inf
    if math.isinf(value):
        raise LiteralError(f"strconv.ParseFloat: parsing {go_quote(text)}: value out of range")
    return value


# fmt.Sscan of a complex128, reproduced for tokens like "1+2i" (the lexer's complex tokens).
_ERR_COMPLEX = "syntax error scanning complex number"


class _Scanner:
    __slots__ = ("text", "pos")

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def accept(self, chars: str) -> bool:
        if self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1
            return True
        return False

    def float_token(self) -> str:
        start = self.pos
        if self.accept("nN") and self.accept("aA") and self.accept("nN"):
            return self.text[start : self.pos]
        self.accept("+-")
        if self.accept("iI") and self.accept("nN") and self.accept("fF"):
            return self.text[start : self.pos]
        digits, exponent = "0123456789_", "eEpP"
        if self.accept("0") and self.accept("xX"):
            digits, exponent = "0123456789aAbBcCdDeEfF_", "pP"
        while self.accept(digits):
            pass
        if self.accept("."):
            while self.accept(digits):
                pass
        if self.accept(exponent):
            self.accept("+-")
            while self.accept("0123456789_"):
                pass
        return self.text[start : self.pos]


def _scan_complex(text: str) -> complex:
    scanner = _Scanner(text)
    parens = scanner.accept("(")
    real = scanner.float_token()
    sign_at = scanner.pos
    if not scanner.accept("+-"):
        raise LiteralError(_ERR_COMPLEX)
    imag = text[sign_at] + scanner.float_token()
    if not scanner.accept("i") or (parens and not scanner.accept(")")):
        raise LiteralError(_ERR_COMPLEX)
    return complex(_scan_float(real), _scan_float(imag))


def _scan_float(token: str) -> float:
    # fmt evaluates a decimal mantissa with a binary "p" exponent itself (ParseFloat, then Ldexp);
    # hex floats go straight to ParseFloat. The lexer never produces the decimal+p form, but keep it.
    if "p" in token and "x" not in token and "X" not in token:
        mantissa, _, exponent = token.partition("p")
        try:
            value = _parse_float_strict(mantissa)
            power = int(exponent) if re.fullmatch(r"[+-]?[0-9]+", exponent) else None
        except LiteralError:
            power = None
        if power is None:
            raise LiteralError(f"strconv.ParseFloat: parsing {go_quote(token)}: invalid syntax")
        return math.ldexp(value, power)
    return _parse_float_strict(token)

"""Sprig's math functions, with spf13/cast v1.7.1 conversions and Go's int64 arithmetic.

Integer functions (add, sub, mul, div, mod, max, min…) convert every argument with cast.ToInt64: ints and
uints wrap to int64, floats truncate toward zero, bools are 0/1, strings and json.Number are parsed by
strconv.ParseInt(s, 0, 64) after dropping a `.000` tail (so "010" is octal 8, "0x10" is 16, "1_000" is 1000,
"1.0" is 1) and anything unparsable or out of range quietly becomes 0. Results wrap like Go's int64.
Float functions (addf, mulf…) go through cast.ToFloat64 and shopspring/decimal, exactly: each operand is the
shortest decimal of its float64, divisions are rounded half away from zero to 16 places.

The conversions themselves are `gocast`'s (shared with the conversion functions of Sprig family A).
`randInt` draws from the render's injected `ctx.random` (Go's math/rand).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from engine.templating.funcs.gocast import to_float64, to_int64, wrap_int64
from engine.templating.funcs.govalues import check_allocation
from engine.templating.funcs.registry import FunctionContext, GoPanic, go_func
from engine.templating.gotypes import GoInt64

__all__ = ["go_max", "go_min", "go_pow10"]


# -------------------------------------------------------------------------------------------- integers

def _int_result(value: int) -> GoInt64:
    return GoInt64(wrap_int64(value))


@go_func("add(...interface {}) int64")
def add(*values: Any) -> GoInt64:
    return _int_result(sum(to_int64(v) for v in values))


@go_func("add1(interface {}) int64")
def add1(value: Any) -> GoInt64:
    return _int_result(to_int64(value) + 1)


@go_func("sub(interface {}, interface {}) int64")
def sub(a: Any, b: Any) -> GoInt64:
    return _int_result(to_int64(a) - to_int64(b))


def _divmod(a: Any, b: Any) -> tuple[int, int]:
    dividend, divisor = to_int64(a), to_int64(b)
    if divisor == 0:
        raise GoPanic("runtime error: integer divide by zero")
    quotient = abs(dividend) // abs(divisor) * (1 if (dividend < 0) == (divisor < 0) else -1)
    return quotient, dividend - quotient * divisor  # Go truncates toward zero


@go_func("div(interface {}, interface {}) int64")
def div(a: Any, b: Any) -> GoInt64:
    return _int_result(_divmod(a, b)[0])


@go_func("mod(interface {}, interface {}) int64")
def mod(a: Any, b: Any) -> GoInt64:
    return _int_result(_divmod(a, b)[1])


@go_func("mul(interface {}, ...interface {}) int64")
def mul(first: Any, *rest: Any) -> GoInt64:
    product = to_int64(first)
    for value in rest:
        product = wrap_int64(product * to_int64(value))
    return GoInt64(product)


@go_func("max(interface {}, ...interface {}) int64", names=("biggest",))
def max_(first: Any, *rest: Any) -> GoInt64:
    return GoInt64(max([to_int64(first), *(to_int64(v) for v in rest)]))


@go_func("min(interface {}, ...interface {}) int64")
def min_(first: Any, *rest: Any) -> GoInt64:
    return GoInt64(min([to_int64(first), *(to_int64(v) for v in rest)]))


@go_func("randInt(int, int) int", needs_context=True)
def rand_int(ctx: FunctionContext, low: int, high: int) -> int:
    span = wrap_int64(high - low)
    if span <= 0:
        raise GoPanic("invalid argument to Intn")
    return wrap_int64(ctx.random.randrange(span) + low)


@go_func("seq(...int) string")
def seq(*params: int) -> str:
    if not params or len(params) > 3:
        return ""
    if len(params) == 1:
        start, end, step = 1, params[0], 1
    elif len(params) == 2:
        start, end, step = params[0], params[1], 1
    else:
        start, step, end = params
        if (end < start and step > 0) or (end >= start and step < 0):
            return ""
    increment = -1 if end < start else 1
    if len(params) < 3:
        step = increment
    stop = end + increment
    if (stop < start and step >= 0) or (stop >= start and step <= 0):
        return ""
    check_allocation(abs(stop - start) // max(abs(step), 1) * 8)
    return " ".join(str(i) for i in range(start, stop, step))


# ---------------------------------------------------------------------------------------------- floats

def go_max(a: float, b: float) -> float:
    """math.Max: +Inf wins, then NaN, and +0 beats -0."""
    if math.isinf(a) and a > 0 or math.isinf(b) and b > 0:
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return b if math.copysign(1.0, a) < 0 else a
    return a if a > b else b


def go_min(a: float, b: float) -> float:
    """math.Min: -Inf wins, then NaN, and -0 beats +0."""
    if math.isinf(a) and a < 0 or math.isinf(b) and b < 0:
        return -math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1.0, a) < 0 else b
    return a if a < b else b


@go_func("maxf(interface {}, ...interface {}) float64")
def maxf(first: Any, *rest: Any) -> float:
    result = to_float64(first)
    for value in rest:
        result = go_max(result, to_float64(value))
    return result


@go_func("minf(interface {}, ...interface {}) float64")
def minf(first: Any, *rest: Any) -> float:
    result = to_float64(first)
    for value in rest:
        result = go_min(result, to_float64(value))
    return result


def _go_floor(value: float) -> float:
    if math.isinf(value) or math.isnan(value) or value == 0:
        return value
    return float(math.floor(value))


def _go_ceil(value: float) -> float:
    if math.isinf(value) or math.isnan(value) or value == 0:
        return value
    result = float(math.ceil(value))
    return -0.0 if result == 0 and value < 0 else result


@go_func("floor(interface {}) float64")
def floor(value: Any) -> float:
    return _go_floor(to_float64(value))


@go_func("ceil(interface {}) float64")
def ceil(value: Any) -> float:
    return _go_ceil(to_float64(value))


def go_pow10(places: float) -> float:
    """math.Pow(10, places) for an integral exponent, as Go computes it (exact up to 1e22, then by squaring)."""
    exponent = int(abs(places))
    result, base = 1.0, 10.0
    while exponent:
        if exponent & 1:
            result *= base
        base *= base
        exponent >>= 1
    return 1.0 / result if places < 0 else result


@go_func("round(interface {}, int, ...float64) float64")
def round_(value: Any, places: int, *round_on: float) -> float:
    threshold = round_on[0] if round_on else 0.5
    power = go_pow10(float(places))
    digit = power * to_float64(value)
    fraction = math.modf(digit)[0] if not math.isinf(digit) else math.copysign(0.0, digit)
    rounded = _go_ceil(digit) if fraction >= threshold else _go_floor(digit)
    return rounded / power if power else math.copysign(math.inf, rounded) if rounded else math.nan


# shopspring/decimal: NewFromFloat keeps the shortest decimal; Float64 is correctly rounded.
def _decimal(value: Any) -> Fraction:
    number = to_float64(value)
    if math.isnan(number) or math.isinf(number):
        raise GoPanic("Cannot create a Decimal from " + ("NaN" if math.isnan(number) else
                                                        "+Inf" if number > 0 else "-Inf"))
    return Fraction(repr(number)) if number else Fraction(0)


def _to_float(value: Fraction) -> float:
    try:
        return float(value) + 0.0
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _divide(a: Fraction, b: Fraction) -> Fraction:
    if b == 0:
        raise GoPanic("decimal division by 0")
    scaled = a / b * 10**16
    whole = math.trunc(scaled)
    if abs(scaled - whole) * 2 >= 1:
        whole += 1 if scaled > 0 else -1
    return Fraction(whole, 10**16)


def _decimal_op(first: Any, rest: tuple[Any, ...], op: Callable[[Fraction, Fraction], Fraction]) -> float:
    result = _decimal(first)
    for value in rest:
        result = op(result, _decimal(value))
    return _to_float(result)


@go_func("addf(...interface {}) float64")
def addf(*values: Any) -> float:
    return _decimal_op(0.0, values, lambda a, b: a + b)


@go_func("add1f(interface {}) float64")
def add1f(value: Any) -> float:
    return _decimal_op(value, (1,), lambda a, b: a + b)


@go_func("subf(interface {}, ...interface {}) float64")
def subf(first: Any, *rest: Any) -> float:
    return _decimal_op(first, rest, lambda a, b: a - b)


@go_func("mulf(interface {}, ...interface {}) float64")
def mulf(first: Any, *rest: Any) -> float:
    return _decimal_op(first, rest, lambda a, b: a * b)


@go_func("divf(interface {}, ...interface {}) float64")
def divf(first: Any, *rest: Any) -> float:
    return _decimal_op(first, rest, _divide)


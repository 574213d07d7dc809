"""Sprig family B, math: the Go outputs of the conformance corpus, calling our functions directly."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from engine.templating.funcs import math as m
from engine.templating.funcs.registry import GoPanic
from engine.templating.gotypes import NO_VALUE, GoInt64, JSONNumber
from engine.templating.printing import sprint

CASES: list[tuple[Callable[..., Any], tuple[Any, ...], str]] = [
    (m.floor, (1.5,), "1"),
    (m.add, ("1", "2"), "3"),
    (m.add, ("1.5", 1), "1"),
    (m.mulf, (0.1, 3), "0.3"),
    (m.round_, (2.5, 0), "3"),
    (m.add1, (-1,), "0"),
    (m.round_, ("2.345", 2), "2.35"),
    (m.divf, (10, 4), "2.5"),
    (m.addf, (None, 1), "1"),
    (m.addf, (1, 2.5), "3.5"),
    (m.addf, (1e308, 1e308), "+Inf"),
    (m.add, ("0o17", 0), "15"),
    (m.add, ("0x10", 1), "17"),
    (m.add, (1.9, 1), "2"),
    (m.mul, (5,), "5"),
    (m.sub, (3, 5), "-2"),
    (m.add, ("1e3", 1), "1"),
    (m.minf, (1.5, 2, 0.5), "0.5"),
    (m.ceil, (1.2,), "2"),
    (m.round_, (2.5, 0, 0.6), "2"),
    (m.add, (None, 1), "1"),
    (m.add, ("  5", 1), "1"),
    (m.add, (2.5, 2.5), "4"),
    (m.round_, (1.005, 2), "1"),
    (m.ceil, (-0.5,), "-0"),
    (m.subf, (1, 0.9), "0.1"),
    (m.add1, ("abc",), "1"),
    (m.round_, (0.5, 0), "1"),
    (m.addf, (0.1, 0.2), "0.3"),
    (m.min_, (3, 1, 2), "1"),
    (m.add, ("1.0", 1), "2"),
    (m.floor, (-1.5,), "-2"),
    (m.mul, (2, 3, 4), "24"),
    (m.add, ("9223372036854775808", 0), "0"),
    (m.div, (7, 2), "3"),
    (m.round_, (-2.5, 0), "-3"),
    (m.add, ("1_000", 0), "1000"),
    (m.round_, (3.14159, 2), "3.14"),
    (m.add, ("010", 1), "9"),
    (m.add, (True, 1), "2"),
    (m.max_, (1,), "1"),
    (m.add1f, (1.5,), "2.5"),
    (m.add, ("0b11", 0), "3"),
    (m.max_, ("5", 10, "20"), "20"),
    (m.addf, ("1.5", "2.25"), "3.75"),
    (m.ceil, ("1.2",), "2"),
    (m.mod, (7, 3), "1"),
    (m.add, (-1.9, 0), "-1"),
    (m.maxf, (-0.0, 0.0), "0"),
    (m.add, ({}, 1), "1"),
    (m.round_, (123.456, -1), "120"),
    (m.max_, (1, 9, 3), "9"),
    (m.div, (-7, 2), "-3"),
    (m.add, ("1.50", 1), "1"),
    (m.add, (), "0"),
    (m.round_, ("a", 1), "0"),
    (m.mulf, (-1, 0), "0"),
    (m.mulf, (m.maxf(1e300, 1e300), 1e10), "+Inf"),
    (m.add, (JSONNumber("12345678901234567890"), 1), "1"),
    (m.add, (12345678901234567890.0, 1), "-9223372036854775807"),
    (m.add, (JSONNumber("1e3"), 1), "1"),
    (m.mod, (JSONNumber("1619464078"), 1000), "78"),
    (m.div, (JSONNumber("12"), 5), "2"),
    (m.max_, (JSONNumber("12"), 100, JSONNumber("-3")), "100"),
    (m.round_, (0.3333333333333333, 3), "0.333"),
    (m.maxf, (JSONNumber("1.5"), JSONNumber("0.5")), "1.5"),
    (m.add, (1, 2.5), "3"),
    (m.addf, (1, 2.5), "3.5"),
    (m.add, (NO_VALUE, 2), "2"),
    (m.seq, (0, 2, 10), "0 2 4 6 8 10"),
    (m.seq, (1, 2, 3, 4), ""),
    (m.seq, (), ""),
    (m.seq, (1, 3), "1 2 3"),
    (m.seq, (5,), "1 2 3 4 5"),
    (m.seq, (10, -3, 1), "10 7 4 1"),
    (m.seq, (0,), "1 0"),
    (m.seq, (3, 0, 5), ""),
]


@pytest.mark.parametrize(("function", "args", "expected"), CASES)
def test_go_output(function: Callable[..., Any], args: tuple[Any, ...], expected: str) -> None:
    assert sprint(function(*args)) == expected


def test_integer_results_are_int64() -> None:
    assert type(m.add(1, 2)) is GoInt64
    assert type(m.addf(1, 2)) is float


@pytest.mark.parametrize(
    ("function", "args", "message"),
    [
        (m.mod, (5, 0), "runtime error: integer divide by zero"),
        (m.div, (1, 0), "runtime error: integer divide by zero"),
        (m.divf, (0, 0), "decimal division by 0"),
        (m.divf, (-1, 0), "decimal division by 0"),
        (m.addf, (float("inf"),), "Cannot create a Decimal from +Inf"),
    ],
)
def test_go_panics(function: Callable[..., Any], args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(GoPanic) as error:
        function(*args)
    assert error.value.message == message


def test_int64_wraps_like_go() -> None:
    assert m.mul("9223372036854775807", 2) == -2
    assert m.div("-9223372036854775808", -1) == -9223372036854775808
    assert m.mod("-9223372036854775808", -1) == 0


class _Context:
    def __init__(self) -> None:
        self.random = random.Random(7)


def test_rand_int_is_half_open_and_panics_on_an_empty_range() -> None:
    ctx: Any = _Context()
    assert {m.rand_int(ctx, 1, 3) for _ in range(200)} == {1, 2}
    with pytest.raises(GoPanic, match="invalid argument to Intn"):
        m.rand_int(ctx, 5, 5)

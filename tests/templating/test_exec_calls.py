"""Typed arguments of registered functions (Go's validateType / evalArg), errors and panics.

These tests register their own functions (with Go signatures) so they do not depend on Sprig."""

from __future__ import annotations

from typing import Any

import pytest

from engine.templating import JSONNumber, TemplateError, Values, parse
from engine.templating.executor import CompiledTemplate
from engine.templating.funcs.registry import GoError, GoFunction, GoPanic, parse_signature
from engine.templating.gotypes import GoInt64


def _go(signature: str, implementation: Any) -> GoFunction:
    return GoFunction(parse_signature(signature), implementation)


def _fail(*args: Any) -> Any:
    raise GoError("boom")


def _panic(*args: Any) -> Any:
    raise GoPanic("runtime error: integer divide by zero")


def _bug(*args: Any) -> Any:
    return 1 // 0


FUNCTIONS = {
    "upper": _go("upper(string) string", str.upper),
    "trunc": _go("trunc(int, string) string", lambda n, s: s[:n]),
    "first": _go("first(interface {}) interface {}", lambda v: v[0] if v else None),
    "keys": _go("keys(...map[string]interface {}) []string", lambda *maps: sorted(k for m in maps for k in m)),
    "join": _go("join(string, interface {}) string", lambda sep, v: sep.join(map(str, v))),
    "ternary": _go("ternary(interface {}, interface {}, bool) interface {}", lambda a, b, c: a if c else b),
    "int64": _go("int64(interface {}) int64", lambda v: GoInt64(int(v))),
    "f64": _go("f64(float64) float64", lambda v: v * 2),
    "u32": _go("u32(uint32) uint32", lambda v: v),
    "fail": _go("fail(string) string,error", _fail),
    "panics": _go("panics() int", _panic),
    "buggy": _go("buggy() int", _bug),
    "stringer": _go("stringer(interface {}) string", lambda v: repr(type(v).__name__)),
    "list": _go("list(...interface {}) []interface {}", lambda *v: list(v)),
}


def run(template: str, data: dict[str, Any] | None = None) -> str:
    compiled = CompiledTemplate(template, parse(template, funcs=FUNCTIONS), FUNCTIONS)
    values = Values(input=data or {"s": "abc", "n": JSONNumber("12"), "t": True, "nul": None, "m": {"a": 1.0}})
    return compiled.execute(values.root, values.context)


def message(template: str) -> str:
    with pytest.raises(TemplateError) as caught:
        run(template)
    return caught.value.message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{upper .input.s}}", "ABC"),
        ("{{.input.s | upper}}", "ABC"),
        ("{{trunc 2 .input.s}}", "ab"),
        ('{{"hello" | trunc 3}}', "hel"),
        ("{{f64 2}}", "4"),  # untyped constants convert to the parameter type
        ("{{u32 4294967297}}", "1"),  # reflect.SetUint truncates
        ("{{stringer .missing}} {{stringer nil}}", "'NoneType' 'NoneType'"),  # nil interface either way
        ("{{keys .input.m .input.m}}", "[a a]"),
        ('{{ternary "y" "n" true}}', "y"),
    ],
)
def test_typed_arguments(template: str, expected: str) -> None:
    assert run(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{upper .input.n}}", 'at <.input.n>: wrong type for value; expected string; got json.Number'),
        ("{{.input.n | upper}}", "at <upper>: wrong type for value; expected string; got json.Number"),
        ("{{upper .input.t}}", "at <.input.t>: wrong type for value; expected string; got bool"),
        ("{{upper .input.missing}}", "at <.input.missing>: invalid value; expected string"),
        ("{{.input.missing | upper}}", "at <upper>: invalid value; expected string"),
        ("{{.input.nul | upper}}", "at <upper>: invalid value; expected string"),
        ("{{upper .input.nul}}", "at <.input.nul>: wrong type for value; expected string; got interface {}"),
        ("{{upper 1}}", "at <1>: expected string; found 1"),
        ('{{trunc "a" "b"}}', 'at <"a">: expected integer; found "a"'),
        ('{{ternary 1 2 "true"}}', 'at <"true">: expected bool; found "true"'),
        ("{{upper nil}}", "at <nil>: cannot assign nil to string"),
        ("{{f64 1i}}", "at <1i>: expected float; found 1i"),
        ("{{u32 -1}}", "at <-1>: expected unsigned integer; found -1"),
        ("{{upper}}", "at <upper>: wrong number of args for upper: want 1 got 0"),
        ("{{upper 1 2}}", "at <upper>: wrong number of args for upper: want 1 got 2"),
        ('{{upper (list "a")}}', 'at <"a">: wrong type for value; expected string; got []interface {}'),
        ('{{fail "x"}}', 'at <fail "x">: error calling fail: boom'),
        ("{{panics}}", "at <panics>: error calling panics: runtime error: integer divide by zero"),
        ("{{buggy}}", "at <buggy>: error calling buggy: ZeroDivisionError: integer division or modulo by zero"),
    ],
)
def test_argument_errors(template: str, expected: str) -> None:
    assert message(template).split(": ", 2)[2].removeprefix('executing "tmpl" ') == expected


def test_not_a_defined_function_at_execution() -> None:
    template = "a{{nosuch 1}}"
    compiled = CompiledTemplate(template, parse(template, funcs={"nosuch"}), {})
    with pytest.raises(TemplateError, match='"nosuch" is not a defined function'):
        compiled.execute({}, None)


def test_registered_functions_override_builtins() -> None:
    functions = {"len": _go("len(interface {}) string", lambda v: "mine")}
    template = "{{len 1}}"
    assert CompiledTemplate(template, parse(template), functions).execute({}, None) == "mine"

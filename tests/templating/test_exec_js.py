"""JavaScript variables in QuickJS: otto-compatible results and errors, time and memory limits."""

from __future__ import annotations

import time

import pytest

from engine.templating.funcs.registry import GoError
from engine.templating.js import TIMEOUT_MESSAGE, evaluate_js


def run(source: str, timeout: float = 5.0) -> str:
    return evaluate_js(source, timeout=timeout)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1+2", "3"),
        ("undefined", "undefined"),
        ("null", "null"),
        ("({a:1})", "[object Object]"),
        ("[1,[2,3]]", "1,2,3"),
        ("1e21", "1e+21"),
        ("0.1*3", "0.30000000000000004"),
        ("var x=1;", "undefined"),
        ("", "undefined"),
        ('var foo={"foo":"bar"};\nfoo.foo;', "bar"),
        ("JSON.stringify({b:1,a:[1,2],c:{y:1,x:2}})", '{"a":[1,2],"b":1,"c":{"x":2,"y":1}}'),
        ("JSON.stringify('é<>&')", '"é\\u003c\\u003e\\u0026"'),
        ("(function(){ return this })()", "[object environment]"),
        ("'use strict'; undefinedVar = 1", "1"),  # otto ignores strict mode
        ("typeof require + typeof process + typeof std", "undefinedundefinedundefined"),
    ],
)
def test_results_are_js_tostring(source: str, expected: str) -> None:
    assert run(source) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("throw new Error('boom')", "Error: boom"),
        ("throw {message: 'obj'}", "[object Object]"),
        ("nosuchvar + 1", "ReferenceError: 'nosuchvar' is not defined"),
        ("null.x", 'TypeError: Cannot access member "x" of null'),
        ("undefined()", 'TypeError: "undefined" is not a function'),
        ("1 +", "(anonymous): Line 1:4 Unexpected end of input"),
        ("(x) => x", "(anonymous): Line 1:6 Unexpected token >"),
        ("const c = 1; c", "(anonymous): Line 1:1 Unexpected reserved word"),
        ("let a = 1; a", "(anonymous): Line 1:5 Unexpected identifier (and 1 more errors)"),
        ("`template`", "(anonymous): Line 1:1 Unexpected token ILLEGAL (and 2 more errors)"),
        ("/(?=a)/.test('a')", "(anonymous): Line 1:1 Invalid regular expression: re2: Invalid (?=) <lookahead>"),
    ],
)
def test_errors_use_otto_wording(source: str, message: str) -> None:
    with pytest.raises(GoError) as caught:
        run(source)
    assert caught.value.message == message


def test_infinite_loop_stops_at_the_time_limit() -> None:
    started = time.monotonic()
    with pytest.raises(GoError) as caught:
        run("while(true){}", timeout=0.2)
    assert caught.value.message == TIMEOUT_MESSAGE
    assert time.monotonic() - started < 2


def test_memory_bomb_stops_at_the_memory_limit() -> None:
    started = time.monotonic()
    with pytest.raises(GoError, match="memory limit exceeded"):
        evaluate_js("var a = []; while (true) a.push(new Array(100000).join('xy'))", timeout=10,
                    memory_limit=32 * 1024 * 1024)
    assert time.monotonic() - started < 5


def test_deep_recursion_is_a_range_error() -> None:
    with pytest.raises(GoError, match="Maximum call stack size exceeded"):
        run("function f() { return f() } f()")


def test_each_evaluation_gets_a_fresh_context() -> None:
    run("var leaked = 1; globalThis.other = 2")
    assert run("typeof leaked + typeof other") == "undefinedundefined"

"""Go's builtin functions: and/or/not, comparisons, len, index, print*, html/js/urlquery, call."""

from __future__ import annotations

import pytest

from tests.templating.exec_support import detail, render


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{and 1 0 2}}", "0"),
        ("{{and 1 2 3}}", "3"),
        ('{{or 0 "" "x"}}', "x"),
        ('{{or 0 ""}}', ""),
        ("{{and 0 .missing.x}}", "0"),  # short-circuit: the second operand is never evaluated
        ("{{or 1 .input.nul.x}}", "1"),
        ("{{and .input.nul}}", "<no value>"),
        ('{{and .nope 1 | printf "%v"}}', "<nil>"),
        ("{{not .input.zero}}", "false"),
        ("{{not .input.emptylist}}", "true"),
        ("{{not nil}}", "true"),
    ],
)
def test_logic(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{eq .input.n "12"}}', "true"),
        ("{{eq 1 2 3 1}}", "true"),
        ("{{eq nil nil}}", "true"),
        ('{{eq "a" nil}}', "false"),
        ("{{eq .input.emptylist nil}}", "false"),
        ("{{lt -9223372036854775808 9223372036854775807}}", "true"),
        ('{{lt "é" "z"}}', "false"),
        ('{{lt "B" "a"}}', "true"),
        ("{{le 1 1}} {{gt 2 1}} {{ge 0 1}} {{ne 1 2}}", "true true false true"),
        ("{{eq 1i 1i}}", "true"),
    ],
)
def test_comparisons(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{eq .input.n 12}}", "error calling eq: incompatible types for comparison"),
        ("{{eq true 1}}", "error calling eq: incompatible types for comparison"),
        ("{{lt 1 2.5}}", "error calling lt: incompatible types for comparison"),
        ("{{lt true false}}", "error calling lt: invalid type for comparison"),
        ("{{lt nil 1}}", "error calling lt: invalid type for comparison"),
        ("{{eq 1}}", "error calling eq: missing argument for comparison"),
        ("{{eq .input.strs .input.strs}}", "error calling eq: non-comparable type [b a c]: []interface {}"),
        ("{{lt 1 2 3}}", "wrong number of args for lt: want 2 got 3"),
        ("{{and}}", "wrong number of args for and: want at least 1 got 0"),
        ("{{not 1 2}}", "wrong number of args for not: want 1 got 2"),
    ],
)
def test_comparison_errors(template: str, message: str) -> None:
    assert detail(template) == message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{len .input.uni}}", "5"),  # UTF-8 bytes
        ("{{len .input.list}} {{len .input.m}} {{len .input.n}}", "5 3 2"),
        ("{{index .input.list 1}}", "a"),
        ('{{index .input.m "c" "d" 1}}', "2"),
        ('{{index .input.m "zz"}}', "<no value>"),
        ('{{index .step "nope"}}', "<no value>"),
        ("{{index .input.s 0}}", "104"),
        ("{{index .input.list}}", "[1 a true <nil> map[k:v]]"),
    ],
)
def test_len_and_index(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{len .missing}}", "error calling len: reflect: call of reflect.Value.Type on zero Value"),
        ("{{len .input.nul}}", "error calling len: len of nil pointer"),
        ("{{len .input.t}}", "error calling len: len of type bool"),
        ("{{index .missing 3}}", "error calling index: index of untyped nil"),
        ('{{index .step "nope" "output"}}', "error calling index: index of nil pointer"),
        ("{{index .input.list 10}}", "error calling index: index out of range: 10"),
        ("{{index .input.list 5}}", "error calling index: reflect: slice index out of range"),
        ('{{index .input.list "a"}}', "error calling index: cannot index slice/array with type string"),
        ("{{index .input.list 1.0}}", "error calling index: cannot index slice/array with type float64"),
        ("{{index .input.m 1}}", "error calling index: value has type int; should be string"),
        ("{{index .input.t 0}}", "error calling index: can't index item of type bool"),
    ],
)
def test_len_and_index_errors(template: str, message: str) -> None:
    assert detail(template) == message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{print 1 2}}", "1 2"),
        ('{{print "a" "b"}}', "ab"),
        ("{{print .input.n .input.n}}", "1212"),  # json.Number is a string kind: no space
        ("{{print nil}}", "<nil>"),
        ("{{print .missing}}", "<nil>"),
        ('{{println "a" 1}}', "a 1\n"),
        ("{{html .input.html}}", "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"),
        ("{{js .input.html}}", "\\u003Ca href\\u003D\\'x\\'\\u003E\\u0026\\u003C/a\\u003E"),
        ("{{urlquery .input.html}}", "%3Ca+href%3D%27x%27%3E%26%3C%2Fa%3E"),
        ("{{html .nope}}", "&lt;no value&gt;"),
        ("{{js .input.list}}", "[1 a true \\u003Cnil\\u003E map[k:v]]"),
        ('{{urlquery "a" "b"}}', "ab"),
        ('{{js "\\u2028"}}', "\\u2028"),
    ],
)
def test_printing_and_escaping(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{{call "x"}}', 'error calling call: non-function "x" of type string'),
        ("{{call .nope}}", "error calling call: call of nil"),
        ("{{call .input.m 1}}", "error calling call: non-function .input.m of type map[string]interface {}"),
        ("{{call}}", "wrong number of args for call: want at least 1 got 0"),
    ],
)
def test_call(template: str, message: str) -> None:
    assert detail(template) == message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{.}}", "map[config:map[] function_args:map[] input:map[] iterator:<nil> resolver_input:map[] "
                  "step:map[] task:map[] var:map[]]"),
        ("{{.iterator}}", "<no value>"),
        ("{{.var}}", "map[]"),
    ],
)
def test_root_printing(template: str, expected: str) -> None:
    from engine.templating import Values

    assert Values().apply(template) == expected

"""µTask's own functions: field, fieldFrom, eval, evalCache, fromJson, mustFromJson, uuid, b64Raw*."""

from __future__ import annotations

import re

import pytest

from engine.templating import Values, Variable
from tests.templating.exec_support import detail, render


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{field "input" "name"}}', "world"),
        ('{{field "input" "nope" "x"}}', "<no value>"),
        ('{{field "input" "s" "x"}}', "<no value>"),  # a non-map level is "nothing", not an error
        ('{{if field "input" "nope"}}T{{else}}F{{end}}', "F"),
        ('{{field "input" "my-key"}}', "dash"),
        ('{{.input.m | fieldFrom "c" "d"}}', "[1 2]"),
        ('{{.input.m | fieldFrom "zz"}}', "<no value>"),
    ],
)
def test_field_functions(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{{field "input" 1}}', "expected string; found 1"),
        ('{{fieldFrom "a"}}', "error calling fieldFrom: invalid number of parameters given"),
        ('{{fieldFrom "a" .input.s}}', "error calling fieldFrom: unable to cast given data to a map[string]"),
        ("{{fieldFrom 1 .input.m}}", "error calling fieldFrom: foo"),
        ('{{field "input" "nope" | len}}', "error calling len: reflect: call of reflect.Value.Type on zero Value"),
    ],
)
def test_field_function_errors(template: str, message: str) -> None:
    assert detail(template) == message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{(fromJson "{\\"a\\":1000000}").a}}', "1e+06"),  # float64 numbers
        ('{{fromJson "nope"}}', "<no value>"),
        ('{{fromJson "null"}}', "<no value>"),
        ('{{fromJson "1 2"}}', "<no value>"),
        ('{{(mustFromJson "{\\"b\\":666}").b}}', "666"),
        ('{{b64RawEnc "hi"}}', "aGk"),
        ('{{b64RawDec "aGk"}}', "hi"),
        ('{{b64RawDec "aGk="}}', "illegal base64 data at input byte 3"),  # the error text is the result
        ('{{b64RawDec "a"}}', "illegal base64 data at input byte 0"),
    ],
)
def test_json_and_base64(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "unexpected end of JSON input"),
        ("nul", "invalid character ' ' in literal null (expecting 'l')"),  # Go feeds the end as a space
        ("nulo", "invalid character 'o' in literal null (expecting 'l')"),
        ("1 2", "invalid character '2' after top-level value"),
    ],
)
def test_must_from_json_errors(text: str, message: str) -> None:
    assert detail(f"{{{{mustFromJson `{text}`}}}}") == f"error calling mustFromJson: {message}"


def test_eval_values_and_expressions() -> None:
    variables = {
        "greet": Variable("greet", value="hello {{.input.name}}"),
        "num": Variable("num", value=5.0),
        "js": Variable("js", expression="{{.input.n}} * 2"),
        "bad": Variable("bad", value="{{.x"),
    }
    assert render('{{eval "greet"}}', **variables) == "hello world"
    assert render('{{eval "num"}} {{printf "%T" (eval "num")}}', **variables) == "5 float64"
    assert render('{{eval "js"}}', **variables) == "24"
    assert detail('{{eval "nope"}}', **variables) == "error calling eval: Var name not found in template: 'nope'"
    assert detail('{{eval "bad"}}', **variables) == (
        "error calling eval: Templating error: template: tmpl:1: unclosed action"
    )


def test_eval_cache_keeps_the_first_result() -> None:
    values = Values(variables={"r": Variable("r", expression="Math.random()")})
    cached = values.apply("{{evalCache `r`}}")
    assert values.apply("{{evalCache `r`}}") == cached
    assert values.apply("{{eq (evalCache `r`) (evalCache `r`)}}") == "true"


def test_uuid_shape() -> None:
    values = Values()
    for _ in range(20):
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                            values.apply("{{uuid}}"))
    assert values.apply('{{printf "%T" uuid}}/{{len uuid}}') == "uuid.UUID/16"

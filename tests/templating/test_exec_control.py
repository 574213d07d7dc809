"""Control structures and variables: if/else if/else, with/else with, range (lists, maps, ints, break,
continue, else), define/template/block, `$x :=` and `$x =` scoping."""

from __future__ import annotations

import pytest

from tests.templating.exec_support import detail, error, render


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{if eq .input.name "world"}}yes{{else}}no{{end}}', "yes"),
        ("{{if .input.zero}}T{{else}}F{{end}}", "T"),  # json.Number "0" is a non-empty string
        ("{{if .input.empty}}T{{else if .input.t}}E{{else}}F{{end}}", "E"),
        ("{{if .input.emptylist}}T{{else}}F{{end}}", "F"),
        ("{{if .input.emptymap}}T{{else}}F{{end}}", "F"),
        ("{{if .input.nul}}T{{else}}F{{end}}", "F"),
        ("{{if .missing}}T{{else}}F{{end}}", "F"),
        ('{{if "false"}}T{{end}}', "T"),
        ("{{if 0.0}}T{{else}}F{{end}}", "F"),
        ("{{with .input.name}}<{{.}}>{{end}}", "<world>"),
        ("{{with .input.empty}}x{{else}}none{{end}}", "none"),
        ("{{with .input.empty}}x{{else with .input.s}}{{.}}{{end}}", "hello"),
        ("{{with $x := .input.s}}{{$x}}{{end}}", "hello"),
    ],
)
def test_conditionals(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{range .input.strs}}{{.}}{{end}}", "bac"),
        ("{{range $i, $v := .input.strs}}{{$i}}={{$v}} {{end}}", "0=b 1=a 2=c "),
        ("{{range $k, $v := .input.m}}{{$k}}:{{$v}};{{end}}", "a:1;b:2;c:map[d:[1 2]];"),
        ("{{range .input.list}}[{{.}}]{{end}}", "[1][a][true][<no value>][map[k:v]]"),
        ("{{range .input.emptylist}}x{{else}}empty{{end}}", "empty"),
        ("{{range .missing}}x{{else}}none{{end}}", "none"),
        ("{{range 3}}{{.}}{{end}}", "012"),
        ("{{range $i := 3}}{{$i}}{{end}}", "012"),
        ("{{range 0}}x{{else}}zero{{end}}", "zero"),
        ("{{range .input.strs}}{{if eq . \"a\"}}{{break}}{{end}}{{.}}{{end}}", "b"),
        ("{{range .input.strs}}{{if eq . \"a\"}}{{continue}}{{end}}{{.}}{{end}}", "bc"),
        ("{{range .x}}{{end}}", ""),
        ("{{range $x := .input.emptylist}}{{else}}{{$x}}{{end}}", "[]"),  # declared to the collection
        ("{{range .input.strs}}{{$.input.name}}{{end}}", "worldworldworld"),
    ],
)
def test_range(template: str, expected: str) -> None:
    assert render(template) == expected


def test_range_errors() -> None:
    assert detail("{{range .input.s}}{{end}}") == "range can't iterate over hello"
    assert detail("{{range 1.5}}{{end}}") == "range can't iterate over 1.5"
    assert detail("{{range $i, $e := 3}}{{end}}") == "can't use 3 to iterate over more than one variable"
    assert error("{{range .input.n}}{{.}}{{end}}") == (
        'template: tmpl:1:14: executing "tmpl" at <.input.n>: range can\'t iterate over 12'
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{$x := 1}}{{$x}}", "1"),
        ("{{$x := 1}}{{range .input.strs}}{{$x = .}}{{end}}{{$x}}", "c"),
        ("{{$x := 1}}{{range .input.strs}}{{$x := .}}{{end}}{{$x}}", "1"),
        ("{{$x := 0}}{{if true}}{{$x = 5}}{{end}}{{$x}}", "5"),
        ("{{$x := 0}}{{range $x = .input.strs}}{{end}}{{$x}}", "c"),
        ("{{$x := .input.name}}{{$x | printf \"%q\"}}", '"world"'),
        ("{{$x := 0}}{{if false}}{{$x := 1}}{{else}}{{$x}}{{end}}", "0"),  # the outer $x, as Go's stack finds
        ('{{define "t"}}[{{$}}]{{end}}{{template "t" .input.name}}', "[world]"),
    ],
)
def test_variables(template: str, expected: str) -> None:
    assert render(template) == expected


def test_variable_errors() -> None:
    assert error("{{$x = 1}}") == 'template: tmpl:1:7: executing "tmpl" at <1>: undefined variable: $x'
    assert detail("{{$x := $x}}") == "undefined variable: $x"
    assert detail("{{with $x = .y}}{{end}}") == "undefined variable: $x"
    assert detail("{{$x := 1 2}}") == "can't give argument to non-function 1"
    assert detail("{{$x := 1}}{{$x 2}}") == "can't give argument to non-function $x"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{define "t"}}<{{.}}>{{end}}{{template "t" .input.s}}', "<hello>"),
        ('{{define "t"}}<{{.}}>{{end}}{{template "t"}}', "<<no value>>"),
        ('{{block "b" .input.s}}[{{.}}]{{end}}', "[hello]"),
        ('{{define "a"}}A{{template "b"}}{{end}}{{define "b"}}B{{end}}{{template "a"}}', "AB"),
        ('{{define "walk"}}{{range $k, $v := .}}{{$k}}{{if eq (printf "%T" $v) "map[string]interface {}"}}'
         '({{template "walk" $v}}){{end}};{{end}}{{end}}{{template "walk" .input.m}}', "a;b;c(d;);"),
        ('{{define "tmpl"}}body{{end}}', "body"),
    ],
)
def test_define_template_block(template: str, expected: str) -> None:
    assert render(template) == expected


def test_template_errors() -> None:
    assert error('{{template "nope"}}') == (
        'template: tmpl:1:11: executing "tmpl" at <{{template "nope"}}>: template "nope" not defined'
    )
    assert error('{{define "t"}}{{.s.x}}{{end}}{{template "t" .input}}') == (
        'template: tmpl:1:18: executing "t" at <.s.x>: can\'t evaluate field x in type interface {}'
    )


def test_runaway_recursion_reports_go_depth_error() -> None:
    assert error('{{define "t"}}{{template "t"}}{{end}}{{template "t"}}') == (
        'template: tmpl:1:25: executing "t" at <{{template "t"}}>: exceeded maximum template depth (100000)'
    )


def test_text_whitespace_and_comments() -> None:
    assert render("a  {{- .input.s -}}  \n b") == "ahellob"
    assert render("a{{/* comment */}}b") == "ab"
    assert render("{{-3}}") == "-3"
    assert render("line\n") == "line\n"
    assert render("") == ""


def test_literals() -> None:
    assert render("{{1.0}} {{2.50}} {{'a'}} {{0x10}} {{0777}} {{1_000}} {{1e6}} {{1i}}") == (
        "1 2.5 97 16 511 1000 1e+06 (0+1i)"
    )
    assert render('{{"\\u00e9\\x41\\101"}} {{`raw\\n`}}') == "éAA raw\\n"
    assert detail("{{9223372036854775808}}") == "9223372036854775808 overflows int"
    assert detail("{{nil}}") == "nil is not a command"
    assert detail("{{true 1}}") == "can't give argument to non-function true"

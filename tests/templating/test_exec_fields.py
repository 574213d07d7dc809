"""Field chains: missing keys, JSON null, scalars, static types in errors, struct fields, methods."""

from __future__ import annotations

import datetime

import pytest

from engine.templating import TemplateError, Values, Variable
from engine.templating.gotypes import GoTime
from tests.templating.exec_support import detail, error, render


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{.input.name}}", "world"),
        ("{{.input.n}}", "12"),
        ("{{.input.missing}}", "<no value>"),
        ("{{.input.missing.b.c}}", "<no value>"),
        ("{{.nope.a.b}}", "<no value>"),
        ("{{.input.nul}}", "<no value>"),
        ("{{.step.s1.output.x}}", "X"),
        ("{{.step.s1.metadata.HTTPStatus}}", "200"),
        ("{{index .input \"my-key\"}}", "dash"),
        ("{{$.input.name}}", "world"),
        ("{{with .input}}{{.name}}{{end}}", "world"),
    ],
)
def test_field_values(template: str, expected: str) -> None:
    assert render(template) == expected


def test_null_then_deeper_is_a_nil_pointer_error() -> None:
    assert error("{{.input.nul.x}}") == (
        'template: tmpl:1:8: executing "tmpl" at <.input.nul.x>: nil pointer evaluating interface {}.x'
    )
    assert detail("{{.step.failed.output.x}}") == "nil pointer evaluating interface {}.x"


@pytest.mark.parametrize("field", ["s", "n", "t", "list", "f"])
def test_field_on_a_scalar_or_list_names_the_static_type(field: str) -> None:
    assert detail(f"{{{{.input.{field}.x}}}}") == "can't evaluate field x in type interface {}"


def test_static_type_of_pipeline_results_and_variables_is_their_own() -> None:
    assert detail("{{$x := 1}}{{$x.y}}") == "can't evaluate field y in type int"
    assert detail("{{(list 1 2).x}}") == "can't evaluate field x in type []interface {}"
    assert detail("{{with .input.s}}{{.x}}{{end}}") == "can't evaluate field x in type string"
    assert detail("{{range .input.strs}}{{.x}}{{end}}") == "can't evaluate field x in type interface {}"
    assert detail("{{range $v := .input.strs}}{{$v.x}}{{end}}") == "can't evaluate field x in type interface {}"


def test_chain_errors_are_reported_on_the_last_evaluated_node() -> None:
    # Go's quirk: the position is whatever `state.at` saw last while evaluating the receiver.
    assert error("{{(index .input.list 4).k.z}}") == (
        'template: tmpl:1:21: executing "tmpl" at <4>: can\'t evaluate field z in type interface {}'
    )


def test_field_with_arguments() -> None:
    assert detail("{{.input.s 1}}") == "s is not a method but has arguments"
    assert render("{{.nope.x 1}}") == "<no value>"  # an invalid receiver swallows even arguments


def test_json_number_methods() -> None:
    assert render("{{.input.n.Int64}} {{.input.n.Float64}} {{.input.n.String}}") == "12 12 12"
    assert render('{{printf "%T" .input.n.Int64}}') == "int64"
    assert detail("{{.input.f.Int64}}") == 'error calling Int64: strconv.ParseInt: parsing "1.5": invalid syntax'
    assert detail("{{.input.n.Int64 1}}") == "wrong number of args for Int64: want 0 got 1"


def test_methods_exist_only_on_their_go_types() -> None:
    assert detail("{{.input.s.Int64}}") == "can't evaluate field Int64 in type interface {}"
    assert render("{{.input.m.Int64}}") == "<no value>"  # a map key, missing


def test_time_methods() -> None:
    moment = datetime.datetime(2024, 3, 5, 14, 7, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    values = Values(input={"t": GoTime(moment, "")})
    assert values.apply("{{.input.t.Year}} {{.input.t.Month}} {{.input.t.Weekday}} {{.input.t.YearDay}}") == (
        "2024 March Tuesday 65"
    )
    assert values.apply('{{.input.t.Format "Jan 2, 2006 at 3:04pm (MST)"}}') == "Mar 5, 2024 at 2:07pm (+0100)"
    assert values.apply("{{.input.t.UTC}}") == "2024-03-05 13:07:09 +0000 UTC"
    assert values.apply("{{.input.t}}") == "2024-03-05 14:07:09 +0100 +0100"
    assert values.apply("{{.input.t.Unix}} {{.input.t.IsZero}} [{{.input.t.Location}}]") == "1709644029 false []"
    assert values.apply('{{(.input.t.AddDate 0 1 0).Format "2006-01-02"}}') == "2024-04-05"
    assert values.apply("{{.input.t.Before .input.t}}") == "false"


def test_variable_struct_fields() -> None:
    variables = {"a": Variable("a", value="v", expression="1+1", expression_timeout="5s")}
    assert render("{{.var.a.Name}}|{{.var.a.Value}}|{{.var.a.Expression}}|{{.var.a.ExpressionTimeout}}",
                  **variables) == "a|v|1+1|5s"
    assert render("{{.var.a}}", **variables) == "{a 1+1 5s v <nil>}"
    assert render('{{printf "%T" .var.a}}', **variables) == "*values.Variable"
    assert render("{{.var.nope.Name}}", **variables) == "<no value>"
    assert detail("{{.var.a.nope}}", **variables) == "can't evaluate field nope in type *values.Variable"
    assert detail("{{.var.a.evalCachedResult}}", **variables) == (
        "evalCachedResult is an unexported field of struct type *values.Variable"
    )
    assert detail("{{.var.a.Name 1}}", **variables) == "Name has arguments but cannot be invoked as function"


def test_time_unexported_fields() -> None:
    values = Values(input={"t": GoTime(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), "UTC")})
    with pytest.raises(TemplateError, match=r"wall is an unexported field of struct type interface \{\}"):
        values.apply("{{.input.t.wall}}")

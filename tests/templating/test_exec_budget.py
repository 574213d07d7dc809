"""The execution budget: hostile templates end with an exec error instead of running (or growing) forever.

Budgets are small here so that every test ends quickly; no test asserts on how long anything took.
"""

from __future__ import annotations

import pytest

from engine.templating import DEFAULT_BUDGET, Budget, TemplateError, Values, Variable, World, compile_template, render
from engine.templating.budget import INITIAL_CREDIT, MAX_CREDIT, Meter

STEPS = "-step budget (range iterations and template calls)"


def _error(template: str, budget: Budget, **context: object) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        render(template, context, budget=budget)
    assert caught.value.kind == "exec"
    return caught.value


def test_range_over_a_huge_integer_stops_at_the_step_budget() -> None:
    error = _error("{{range 10000000000}}x{{end}}", Budget(steps=1000))
    assert error.message == (
        'template: tmpl:1:8: executing "tmpl" at <10000000000>: evaluation exceeded the 1000' + STEPS
    )
    assert (error.line, error.column, error.offset) == (1, 9, 8)


def test_steps_are_exact_range_iterations() -> None:
    budget = Budget(steps=50)
    assert render("{{range 50}}.{{end}}", {}, budget=budget) == "." * 50
    assert render("{{range .l}}{{.}}{{end}}", {"l": list(range(50))}, budget=budget) == "".join(
        f"{i}" for i in range(50))
    assert "50" + STEPS in _error("{{range 51}}.{{end}}", budget).message
    assert "50" + STEPS in _error("{{range .l}}{{end}}", budget, l=list(range(51))).message


def test_nested_ranges_share_one_budget() -> None:
    error = _error("{{range 1000}}{{range 1000}}{{range 1000}}{{end}}{{end}}{{end}}", Budget(steps=20000))
    assert error.message.endswith("evaluation exceeded the 20000" + STEPS)
    assert "executing \"tmpl\" at <1000>" in error.message


def test_range_over_maps_and_lists_and_else_branches_are_unchanged() -> None:
    budget = Budget(steps=10)
    context = {"m": {"b": 2, "a": 1}, "l": ["x", "y"], "e": []}
    template = "{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}{{range $i, $e := .l}}{{$i}}{{$e}}{{end}}" \
               "{{range .e}}no{{else}}empty{{end}}"
    assert render(template, context, budget=budget) == "a=1;b=2;0x1yempty"


def test_break_ends_a_huge_range_within_a_small_budget() -> None:
    template = "{{range $i := 1000000000}}{{if eq $i 5}}{{break}}{{end}}{{$i}}{{end}}"
    assert render(template, {}, budget=Budget(steps=100)) == "01234"


def test_continue_inside_batches() -> None:
    template = "{{range $i := 3000}}{{if lt $i 2998}}{{continue}}{{end}}{{$i}},{{end}}"
    assert render(template, {}, budget=Budget(steps=3000)) == "2998,2999,"


def test_template_calls_are_steps() -> None:
    # 2**20 calls without any range: each level calls the next one twice.
    defines = "".join(f'{{{{define "t{i}"}}}}{{{{template "t{i + 1}"}}}}{{{{template "t{i + 1}"}}}}{{{{end}}}}'
                      for i in range(20))
    template = defines + '{{define "t20"}}x{{end}}{{template "t0"}}'
    error = _error(template, Budget(steps=500))
    assert error.message.endswith("evaluation exceeded the 500" + STEPS)
    assert "at <{{template" in error.message
    from_t5 = defines + '{{define "t20"}}x{{end}}{{template "t5"}}'  # 1 + 2 + … + 2**15 calls
    assert render(from_t5, {}, budget=Budget(steps=2**16 - 1)) == "x" * 2**15
    assert "65534" + STEPS in _error(from_t5, Budget(steps=2**16 - 2)).message


def test_time_budget_stops_a_long_range() -> None:
    error = _error("{{range 10000000000}}{{end}}", Budget(seconds=0.02))
    assert error.message == 'template: tmpl:1:8: executing "tmpl" at <10000000000>: ' \
                            "evaluation exceeded the 0.02s time budget"


def test_output_budget_in_a_range() -> None:
    error = _error('{{range 1000000}}{{$.s}}{{end}}', Budget(output=10_000), s="x" * 100)
    assert error.message.endswith("evaluation exceeded the 10000-character output budget")
    assert "at <1000000>" in error.message


def test_output_budget_without_a_range() -> None:
    budget = Budget(output=1000)
    many = "{{$s := .s}}" + "{{$s}}" * 20
    assert _error(many, budget, s="x" * 100).message == \
        "template: tmpl: evaluation exceeded the 1000-character output budget"
    assert _error("{{.s}}" * 20, budget, s="x" * 100).message.endswith("1000-character output budget")
    assert _error("{{.s}}{{.s}}", budget, s="x" * 600).line is None
    assert _error("{{if true}}{{.s}}{{.s}}{{end}}", budget, s="x" * 600).line is None


def test_output_exactly_at_the_budget_passes() -> None:
    budget = Budget(output=1000)
    assert render("{{.s}}" * 10, {"s": "y" * 100}, budget=budget) == "y" * 1000
    assert render("{{range 10}}{{$.s}}{{end}}", {"s": "y" * 100}, budget=budget) == "y" * 1000
    assert _error("{{range 10}}{{$.s}}{{end}}.", budget, s="y" * 100).line is None


def test_values_take_the_budget_of_their_world() -> None:
    values = Values(input={"n": 3}, world=World(template_budget=Budget(steps=5)))
    with pytest.raises(TemplateError, match="evaluation exceeded the 5-step budget"):
        values.apply("{{range 6}}{{end}}")
    with pytest.raises(TemplateError, match="evaluation exceeded the 5-step budget"):
        values.apply("{{range 6}}{{end}}", step_name="s")
    with pytest.raises(TemplateError, match="evaluation exceeded the 5-step budget"):
        values.render_object({"a": ["{{range 6}}{{end}}"]})
    assert values.apply("{{range 5}}.{{end}}") == "....."
    assert Values().world.template_budget is DEFAULT_BUDGET


def test_variables_evaluating_variables_share_a_deadline() -> None:
    # Each variable evaluates the next one twice: 2**40 renders without a single range.
    names = [f"v{i}" for i in range(41)]
    variables = {name: Variable(name, value=f'{{{{eval "{names[i + 1]}"}}}}{{{{eval "{names[i + 1]}"}}}}')
                 for i, name in enumerate(names[:-1])}
    variables["v40"] = Variable("v40", value="x")
    values = Values(variables=variables, world=World(template_budget=Budget(seconds=0.05)))
    with pytest.raises(TemplateError, match=r"error calling eval: evaluation exceeded the 0\.05s time budget"):
        values.apply('{{eval "v0"}}')
    assert values.apply('{{eval "v38"}}') == "xxxx"  # the shared deadline ended with its outermost eval


def test_execute_takes_a_budget() -> None:
    compiled = compile_template("{{range .}}{{.}}{{end}}")
    assert compiled.execute([1.0, 2.0], None) == "12"
    with pytest.raises(TemplateError, match="exceeded the 1-step budget"):
        compiled.execute([1.0, 2.0], None, Budget(steps=1))


@pytest.mark.parametrize("limits", [{"seconds": 0}, {"steps": 0}, {"output": -1}])
def test_a_budget_is_positive(limits: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        Budget(**limits)  # type: ignore[arg-type]


def test_credit_grows_while_steps_are_cheap_and_small() -> None:
    meter = Meter(Budget(), now=0.0)  # after the INITIAL_CREDIT steps
    credits = [meter.next_credit(now=0.0) for _ in range(8)]
    assert credits[:3] == [INITIAL_CREDIT, 4 * INITIAL_CREDIT, 16 * INITIAL_CREDIT]  # the first one untimed
    assert credits[-1] == MAX_CREDIT


def test_credit_shrinks_when_steps_are_slow() -> None:
    meter = Meter(Budget(), now=0.0)
    meter.next_credit(now=0.0)
    meter.period = 1000
    assert meter.next_credit(now=1.0) == 50  # 1 ms a step: the next checkpoint within CHECK_INTERVAL
    assert meter.next_credit(now=101.0) == 1


def test_credit_shrinks_when_steps_write_a_lot() -> None:
    budget = Budget(output=16_000)
    meter = Meter(budget, now=0.0)
    meter.next_credit(now=0.0)
    meter.period = 100
    meter.size = 10_000  # 100 characters a step: a sixteenth of the budget is 10 steps away
    assert meter.next_credit(now=0.0) == 10
    meter.size += 1_000_000
    assert meter.next_credit(now=0.0) == 1


def test_credit_never_exceeds_the_steps_left() -> None:
    meter = Meter(Budget(steps=INITIAL_CREDIT + 5), now=0.0)
    assert meter.next_credit(now=0.0) == 5
    assert meter.steps_left == 0
    assert Budget(steps=3).initial_credit == 3

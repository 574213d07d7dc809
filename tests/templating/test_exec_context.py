"""µTask's rendering context: the root, step.this aliasing, iterator, clone, render_object, render()."""

from __future__ import annotations

import pytest

import engine.templating as templating
from engine.templating import JSONNumber, TemplateError, Values, Variable, World, load_json, render


def test_public_api_is_pinned() -> None:
    assert sorted(templating.__all__) == sorted([
        "DEFAULT_BUDGET", "FUNCTION_NAMES", "NO_ITEM", "NO_VALUE", "Budget", "CompiledTemplate", "JSONNumber",
        "RenderContext", "TemplateError", "Tree",
        "Values", "Variable", "World", "check_syntax", "compile_template", "load_json", "parse", "render",
    ])


def test_default_root_keys() -> None:
    values = Values()
    assert sorted(values.root) == ["config", "function_args", "input", "iterator", "resolver_input", "step",
                                   "task", "var"]
    assert values.apply("{{.pre_hook.x}}") == "<no value>"
    with pytest.raises(TemplateError, match=r"nil pointer evaluating interface \{\}\.x"):
        values.apply("{{.iterator.x}}")
    hooked = Values(pre_hook={"output": {"token": "abc"}})
    assert hooked.apply("{{.pre_hook.output.token}}") == "abc"


def test_step_this_alias_and_its_residue() -> None:
    values = Values(step={"s1": {"output": {"x": "X"}, "state": "DONE", "error": None}})
    assert values.apply("{{.step.this.output.x}} {{.step.this.state}} {{.step.this.error}}",
                        step_name="s1") == "X DONE map[]"
    assert values.apply("{{.step.this.output}}", step_name="nope") == "map[]"
    # µTask sets the alias back to nil afterwards: a later render without a step name sees nil fields.
    with pytest.raises(TemplateError, match="nil pointer"):
        values.apply("{{.step.this.output.x}}")


def test_iterator_item_is_set_only_for_the_render() -> None:
    values = Values()
    assert values.apply("{{.iterator.id}}", item={"id": "a"}) == "a"
    assert values.root["iterator"] is None
    values.set_iterator({"foo": {"bar": ["x", "buzz"]}})
    assert values.apply("{{index .iterator.foo.bar 1}}") == "buzz"
    assert values.clone().apply("{{index .iterator.foo.bar 1}}") == "buzz"


def test_numbers_modes() -> None:
    exact = load_json('{"n": 1619464078, "f": 1.50, "e": 1e3}')
    assert Values(input=exact).apply("{{.input.n}} {{.input.f}} {{.input.e}}") == "1619464078 1.50 1e3"
    floats = load_json('{"n": 1619464078, "f": 1.50}', numbers="float64")
    assert Values(input=floats).apply("{{.input.n}} {{.input.f}}") == "1.619464078e+09 1.5"


def test_clone_is_an_exact_json_round_trip() -> None:
    values = Values(input={"f": 1619464078.0, "x": 0.1}, variables={"v": Variable("v", value=5.0)})
    copy = values.clone()
    assert copy.root["input"] == {"f": JSONNumber("1619464078"), "x": JSONNumber("0.1")}
    assert copy.apply("{{.input.f}} {{eval `v`}} {{printf `%T` (eval `v`)}}") == "1619464078 5 json.Number"


def test_eval_cache_is_not_cloned() -> None:
    values = Values(variables={"r": Variable("r", expression="Math.random()")})
    first = values.apply("{{evalCache `r`}}")
    assert values.apply("{{evalCache `r`}}") == first
    assert values.clone().apply("{{evalCache `r`}}") != first


def test_render_object_renders_every_string_leaf() -> None:
    values = Values(input={"a": "Hello", "n": 12})
    data = load_json('{"x": "{{.input.a}} -> {{.input.n}}", "l": ["{{.input.a}}", 1, {"k": "{{1}}"}], "z": 2}')
    assert values.render_object(data) == {"x": "Hello -> 12", "l": ["Hello", JSONNumber("1"), {"k": "1"}],
                                          "z": JSONNumber("2")}
    with pytest.raises(TemplateError, match="can't evaluate field x in type interface"):
        values.render_object({"bad": "{{.input.a.x}}"})


def test_render_plain_data() -> None:
    assert render("Hello {{.name}}!", {"name": "world"}) == "Hello world!"
    assert render("{{.n}} {{.big}}", {"n": 12, "big": 1619464078}) == "12 1.619464078e+09"  # float64
    assert render("{{.n}}", {"n": JSONNumber("1619464078")}) == "1619464078"
    assert render("no action", {}) == "no action"
    with pytest.raises(TemplateError, match="incompatible types"):
        render("{{eq .n 12}}", {"n": 12})


def test_world_is_sandboxed_and_injectable() -> None:
    values = Values()
    assert values.context.environ == {}
    assert values.context.lookup_host("example.org") == []
    custom = Values(world=World(environ={"HOME": "/x"}, resolver=lambda name: ["192.0.2.1"]))
    assert custom.context.environ["HOME"] == "/x"
    assert custom.context.lookup_host("example.org") == ["192.0.2.1"]


def test_compiled_templates_are_cached() -> None:
    assert templating.compile_template("{{.x}}") is templating.compile_template("{{.x}}")
    with pytest.raises(TemplateError) as first:
        templating.compile_template("{{.x")
    with pytest.raises(TemplateError) as second:
        templating.compile_template("{{.x")
    assert first.value is not second.value and first.value.message == second.value.message


def test_render_functions_see_the_given_root() -> None:
    assert render('{{field "a" "b"}}', {"a": {"b": "x"}}) == "x"
    with pytest.raises(TemplateError, match="Var name not found in template: 'v'"):
        render('{{eval "v"}}', {})

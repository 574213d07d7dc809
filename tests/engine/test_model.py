"""The template model: Go-like decoding (spec §2.1), type errors in place, unknown keys, and the step graph."""

from __future__ import annotations

import pytest
from validation_support import ERROR, WARNING, absent, check, dump, expect, no_errors, only, with_code

from engine.model.graph import Dependency, StepGraph, parse_dependency
from engine.model.template import KNOWN_KEYS, Condition, Input, Step, Template
from engine.model.types import go_type_name

HEADER = "name: my-template\ndescription: a test template\ntitle_format: a test task\n"
ECHO = "    action:\n      type: echo\n      configuration: {output: x}\n"


# ---------------------------------------------------------------------------------------------------------------
# type errors, reported where they are

@pytest.mark.parametrize(("line", "field", "column", "message", "utask_type"), [
    ("name: [my, template]", "name", 7, "`name`: expected a string, got array", "array"),
    ("description: {a: b}", "description", 14, "`description`: expected a string, got object", "object"),
    ("auto_runnable: \"yes\"", "auto_runnable", 16,
     "`auto_runnable`: expected a boolean (true or false), got string", "string"),
    ("hidden: 1", "hidden", 9, "`hidden`: expected a boolean (true or false), got number", "number"),
    ("retry_max: 1.5", "retry_max", 12, "`retry_max`: expected an integer, got 1.5", "number"),
    ("retry_max: \"3\"", "retry_max", 12, "`retry_max`: expected an integer, got string", "string"),
    ("tags: [a, b]", "tags", 7, "`tags`: expected a mapping, got array", "array"),
    ("inputs: {name: x}", "inputs", 9, "`inputs`: expected a list, got object", "object"),
    ("allowed_resolver_usernames: alice", "allowed_resolver_usernames", 29,
     "`allowed_resolver_usernames`: expected a list of strings, got string", "string"),
])
def test_root_type_error(line: str, field: str, column: int, message: str, utask_type: str) -> None:
    text = HEADER.replace(f"{field}: ", "#") + line + "\nsteps:\n  one:\n" + ECHO
    result = check(text)
    diagnostic = only(result, "type-mismatch")
    assert (diagnostic.severity, diagnostic.line, diagnostic.column, diagnostic.message) == (
        ERROR, 4, column, message), dump(result)
    assert diagnostic.path == (field,)
    assert diagnostic.utask_message is not None
    assert diagnostic.utask_message.startswith(f"json: cannot unmarshal {utask_type} into Go struct field")


@pytest.mark.parametrize(("line", "column", "message"), [
    ("    idempotent: \"yes\"", 17, "`idempotent`: expected a boolean (true or false), got string"),
    ("    max_retries: 1.5", 18, "`max_retries`: expected an integer, got 1.5"),
    ("    execution_delay: 2s", 22, "`execution_delay`: expected an integer, got string"),
    ("    description: [a]", 18, "`description`: expected a string, got array"),
    ("    dependencies: two", 19, "`dependencies`: expected a list of strings, got string"),
    ("    custom_states: [OK, [A]]", 25, "`custom_states`: expected a string, got array"),  # the item itself
    ("    conditions: {type: skip}", 17, "`conditions`: expected a list, got object"),
    ("    pre_hook: echo", 15, "`pre_hook`: expected a mapping, got string"),
])
def test_step_type_error(line: str, column: int, message: str) -> None:
    text = HEADER + "steps:\n  one:\n" + line + "\n" + ECHO
    expect(check(text), "type-mismatch", 6, column, message=message)


def test_quoted_yes_is_a_string_but_plain_yes_is_a_boolean() -> None:
    text = HEADER + "steps:\n  one:\n    idempotent: \"yes\"\n" + ECHO
    expect(check(text), "type-mismatch", 6, 17)
    result = check(text.replace('"yes"', "yes"))
    no_errors(result)
    assert result.template is not None and result.template.steps["one"].idempotent is True


@pytest.mark.parametrize(("value", "expected"), [("1.0", 1), ("3", 3), ("0x10", 16), ("1e3", 1000)])
def test_integer_fields_accept_whole_numbers(value: str, expected: int) -> None:
    result = check(HEADER + f"steps:\n  one:\n    max_retries: {value}\n" + ECHO)
    no_errors(result)
    assert result.template is not None and result.template.steps["one"].max_retries == expected


def test_type_error_in_a_condition_value() -> None:
    text = HEADER + "steps:\n  one:\n" + ECHO + "    conditions:\n      - type: check\n        then: {this: [DONE]}\n"
    diagnostic = expect(check(text), "type-mismatch", 11, 22, message="`this`: expected a string, got array")
    assert diagnostic.path == ("steps", "one", "conditions", 0, "then", "this")


# ---------------------------------------------------------------------------------------------------------------
# one type error hides nothing else

def test_type_errors_do_not_hide_other_rules() -> None:
    text = HEADER.replace("name: my-template", "name: ab") + """\
hidden: "no"
inputs:
  - name: first
    type: [string]
  - name: second
    regex: "(?=x)"
steps:
  one:
    max_retries: 1.5
    dependencies: [ghost]
    action:
      type: echo
      configuration: {output: x}
  two:
    idempotent: 1
    retry_pattern: weekly
    action:
      type: echo
"""
    result = check(text)
    found = [(d.code, d.line) for d in result.errors]
    assert found == [
        ("field-too-short", 1),
        ("type-mismatch", 4),
        ("type-mismatch", 7),
        ("input-regex-invalid", 9),
        ("type-mismatch", 12),
        ("dependency-unknown-step", 13),
        ("type-mismatch", 18),
        ("retry-pattern-invalid", 19),
        ("configuration-missing", 20),
    ], dump(result)
    assert result.template is not None
    assert result.template.steps["one"].max_retries == 0  # the bad value became the Go zero value


def test_many_type_errors_in_one_list_are_all_reported() -> None:
    items = "".join(f"  - name: in{i}\n    optional: \"maybe\"\n" for i in range(12))
    result = check(HEADER + "inputs:\n" + items + "steps:\n  one:\n" + ECHO)
    assert [d.line for d in with_code(result, "type-mismatch")] == [6 + 2 * i for i in range(12)]


# ---------------------------------------------------------------------------------------------------------------
# scalar coercion into string fields

COERCION = HEADER + """\
steps:
  one:
    description: 12345678.9
    foreach_strategy:
    action:
      type: echo
      configuration: {output: {code: 404}}
    conditions:
      - type: check
        if:
          - value: 404
            operator: EQ
            expected: 404
          - value: true
            operator: ne
            expected: 12345678.9
            list_separator: 1.5
        then: {this: DONE}
        message: 0x1F
"""


def test_scalars_in_string_fields_become_go_strings() -> None:
    result = check(COERCION)
    no_errors(result)
    assert result.template is not None
    step = result.template.steps["one"]
    assert step.description == "1.2345679e+07"  # float32 'g' formatting, like sigs.k8s.io/yaml
    assert step.foreach_strategy == ""  # null → zero value
    first, second = step.conditions[0].if_
    assert (first.value, first.expected) == ("404", "404")
    assert (second.value, second.operator, second.expected, second.list_separator) == (
        "true", "ne", "1.2345679e+07", "1.5")
    assert step.conditions[0].message == "31"
    # Free-form fields keep their JSON types.
    assert step.action is not None and step.action.configuration == {"output": {"code": 404}}


def test_go_string_of_large_and_negative_numbers() -> None:
    result = check(HEADER + "steps:\n  one:\n    description: -7\n    retry_pattern: 100000000\n" + ECHO)
    assert result.template is not None
    assert result.template.steps["one"].description == "-7"
    assert result.template.steps["one"].retry_pattern == "100000000"
    expect(result, "retry-pattern-invalid", 7, 20)


# ---------------------------------------------------------------------------------------------------------------
# unknown keys

@pytest.mark.parametrize(("text", "line", "column", "key", "hint"), [
    (HEADER.replace("description", "descripton") + "steps: {}\n", 2, 1, "descripton", "did you mean `description`?"),
    (HEADER + "steps:\n  one:\n    dependancies: []\n" + ECHO, 6, 5, "dependancies", "did you mean `dependencies`?"),
    (HEADER + "inputs:\n  - name: a\n    optionnal: true\nsteps: {}\n", 6, 5, "optionnal", "did you mean `optional`?"),
    (HEADER + "variables:\n  - name: a\n    valeu: 1\nsteps: {}\n", 6, 5, "valeu", "did you mean `value`?"),
    (HEADER + "steps:\n  one:\n    action:\n      typ: echo\n      type: echo\n      configuration: {}\n",
     7, 7, "typ", "did you mean `type`?"),
    (HEADER + "steps:\n  one:\n" + ECHO + "    conditions:\n      - type: skip\n        iff: []\n", 11, 9, "iff",
     "did you mean `if`?"),
    (HEADER + "steps:\n  one:\n" + ECHO + "    conditions:\n      - type: skip\n        if:\n"
     "          - {value: a, operater: EQ, expected: a}\n", 12, 24, "operater", "did you mean `operator`?"),
    (HEADER + "steps:\n  one:\n    action:\n      type: echo\n      configuration: {}\n"
     "      output: {strategy: merge, formt: {}}\n", 9, 33, "formt", "did you mean `format`?"),
    (HEADER + "allowed_resolver_tokens: [x]\nsteps: {}\n", 4, 1, "allowed_resolver_tokens",
     "did you mean `allowed_resolver_groups`?"),
    (HEADER + "functions: {}\nsteps: {}\n", 4, 1, "functions", "remove it, or check its indentation"),
])
def test_unknown_key_is_a_warning_with_a_hint(text: str, line: int, column: int, key: str, hint: str) -> None:
    result = check(text)
    diagnostic = expect(result, "unknown-key", line, column, severity=WARNING,
                        message=f"unknown key `{key}` is ignored by µTask")
    assert diagnostic.hint == hint
    assert diagnostic.utask_message is None


def test_known_keys_are_not_warned_about() -> None:
    text = HEADER + """\
long_description: a much longer description
doc_link: https://example.com/doc
result_format: {ok: true}
retry_max: 3
auto_runnable: true
allow_all_resolver_usernames: true
allowed_resolver_usernames: [alice]
allowed_resolver_groups: [ops]
blocked: false
hidden: false
allow_task_start_over: true
tags: {team: sre}
base_configurations: {api: {method: GET}}
inputs:
  - {name: a, description: d, type: string, regex: x, collection: false, optional: true, default: x, hidden: false}
variables:
  - {name: v, expression: "1", expression_timeout: 1s}
steps:
  one:
    description: d
    idempotent: true
    retry_pattern: minutes
    max_retries: 3
    execution_delay: 10
    resources: [r]
    custom_states: [OK]
    json_schema: {type: object}
    foreach: "[1]"
    foreach_strategy: sequence
    pre_hook: {type: echo, configuration: {}}
    action:
      type: echo
      base_configuration: api
      configuration: {output: "{{ .input.a }}"}
      output: {strategy: template, format: {a: b}}
      base_output: {c: d}
    conditions:
      - type: skip
        foreach: children
        final: true
        message: m
        if: [{value: a, operator: EQ, expected: a, list_separator: ",", message: m}]
        then: {this: PRUNE}
"""
    result = check(text)
    absent(result, "unknown-key")
    no_errors(result)


def test_step_run_time_fields_are_not_unknown_keys() -> None:
    result = check(HEADER + "steps:\n  one:\n    state: DONE\n" + ECHO)
    absent(result, "unknown-key")
    only(result, "step-runtime-field")


# ---------------------------------------------------------------------------------------------------------------
# the models on their own

def test_models_keep_unknown_keys_and_turn_nulls_into_zero_values() -> None:
    template = Template.model_validate({"name": None, "inputs": None, "steps": None, "tags": None, "extra": 1})
    assert (template.name, template.inputs, template.steps, template.tags) == ("", [], {}, {})
    assert template.model_extra == {"extra": 1}
    assert template.doc_link is None and template.long_description is None and template.retry_max is None
    step = Step.model_validate({"conditions": None, "dependencies": None, "max_retries": None})
    assert (step.conditions, step.dependencies, step.max_retries, step.action) == ([], [], 0, None)


def test_condition_if_alias_and_known_keys() -> None:
    condition = Condition.model_validate({"type": "skip", "if": [{"value": 1}], "then": None})
    assert condition.if_[0].value == "1" and condition.then == {}
    assert "if" in KNOWN_KEYS[Condition] and "if_" not in KNOWN_KEYS[Condition]
    assert KNOWN_KEYS[Input] == {"name", "description", "type", "regex", "legal_values", "collection", "optional",
                                 "default", "hidden"}


def test_input_regex_null_is_absent_but_empty_is_present() -> None:
    assert Input.model_validate({"regex": None}).regex is None
    assert Input.model_validate({"regex": ""}).regex == ""
    assert Input.model_validate({"regex": 5}).regex == "5"


def test_normalized_name() -> None:
    assert Template.model_validate({"name": "  My-Template \n"}).normalized_name == "my-template"


@pytest.mark.parametrize(("value", "name"), [(None, "null"), (True, "bool"), (1, "number"), (1.5, "number"),
                                             ("x", "string"), ([], "array"), ({}, "object")])
def test_go_type_names(value: object, name: str) -> None:
    assert go_type_name(value) == name


def test_root_that_is_not_a_mapping() -> None:
    result = check("- name: a\n- name: b\n")
    assert result.template is None
    expect(result, "root-not-mapping", 1, 1, message="the template must be a mapping of keys to values, not a array")


def test_empty_document() -> None:
    result = check("# only a comment\n")
    assert result.template is None
    expect(result, "file-empty", 1, 1)


# ---------------------------------------------------------------------------------------------------------------
# the step graph

@pytest.mark.parametrize(("text", "dependency"), [
    ("a", Dependency("a", ("DONE",), False)),
    ("a:DONE", Dependency("a", ("DONE",), True)),
    ("a:ANY", Dependency("a", ("ANY",), True)),
    ("a:DONE,FOO", Dependency("a", ("DONE", "FOO"), True)),
    ("a: FOO", Dependency("a", (" FOO",), True)),
    ("a:", Dependency("a", ("",), True)),
    ("a:b:c", Dependency("a", ("b:c",), True)),
    (" a", Dependency(" a", ("DONE",), False)),
])
def test_parse_dependency(text: str, dependency: Dependency) -> None:
    assert parse_dependency(text) == dependency


def test_is_any_looks_at_the_first_state_only() -> None:
    assert parse_dependency("a:ANY").is_any
    assert not parse_dependency("a:DONE,ANY").is_any
    assert not parse_dependency("a").is_any


def test_graph_ancestry_cycles_and_order() -> None:
    graph = StepGraph({"a": [], "b": ["a"], "c": ["b:DONE", "ghost"], "d": ["d"], "e": ["f"], "f": ["e:ANY"]})
    assert graph.ancestors("c") == {"a", "b"}  # unknown steps are not part of the graph
    assert graph.descendants("a") == {"b", "c"}
    assert sorted(sorted(group) for group in graph.cycles()) == [["d"], ["e", "f"]]
    order = graph.topological_order()
    assert order.index("a") < order.index("b") < order.index("c")
    assert set(order[-3:]) == {"d", "e", "f"}  # steps in cycles come last
    assert sorted(order) == ["a", "b", "c", "d", "e", "f"]


def test_graph_handles_a_very_long_chain() -> None:
    size = 20_000
    graph = StepGraph({f"s{i}": [f"s{i - 1}"] if i else [] for i in range(size)})
    assert graph.cycles() == []
    assert len(graph.ancestors(f"s{size - 1}")) == size - 1
    assert graph.topological_order()[0] == "s0"

"""Per-step rules (spec §5.1, §5.2, §6.3, §7.1, §14.1 4a–4k): one failing and one passing template per rule."""

from __future__ import annotations

import pytest
from validation_support import absent, check, expect, no_errors, only, step_utask, swap, with_code

RESERVED = ('"TODO", "WAITING", "RUNNING", "DONE", "CLIENT_ERROR", "SERVER_ERROR", "FATAL_ERROR", "CRASHED", '
            '"PRUNE", "TO_RETRY", "RETRY_NOW", "AFTERRUN_ERROR", "ANY", "EXPANDED"')


def _steps(body: str) -> str:
    """A template whose `steps:` is line 4 (the first step name is on line 5)."""
    return f"name: my-template\ndescription: a test template\ntitle_format: a test task\nsteps:\n{body}"


ECHO = """\
    action:
      type: echo
      configuration: {output: done}
"""

# ---------------------------------------------------------------------------------------------------------------
# name, foreach_strategy, execution_delay, retry_pattern, custom states

THIS = _steps("  this:\n" + ECHO)


def test_step_named_this_is_reserved() -> None:
    message = "'this' step name is reserved"
    expect(check(THIS), "step-name-reserved", 5, 3, message=message, utask=step_utask("this", message))
    no_errors(check(swap(THIS, "this:", "that:")))


STRATEGY_WITHOUT_FOREACH = _steps("  each:\n    foreach_strategy: sequence\n" + ECHO)


def test_foreach_strategy_without_foreach() -> None:
    message = "step foreach_strategy can't be set without foreach"
    expect(check(STRATEGY_WITHOUT_FOREACH), "foreach-strategy-without-foreach", 6, 23, message=message,
           utask=step_utask("each", message))
    no_errors(check(swap(STRATEGY_WITHOUT_FOREACH, "    foreach_strategy", "    foreach: '[1, 2]'\n"
                                                                           "    foreach_strategy")))


@pytest.mark.parametrize("strategy", ["random", "Sequence", "PARALLEL"])
def test_foreach_strategy_must_be_parallel_or_sequence(strategy: str) -> None:
    text = _steps(f"  each:\n    foreach: '[1, 2]'\n    foreach_strategy: {strategy}\n" + ECHO)
    message = f'step foreach_strategy "{strategy}" is not a valid value'
    expect(check(text), "foreach-strategy-invalid", 7, 23, message=message, utask=step_utask("each", message))
    absent(check(text), "foreach-strategy-without-foreach")
    for good in ("parallel", "sequence", '""'):
        no_errors(check(swap(text, f"foreach_strategy: {strategy}", f"foreach_strategy: {good}")))


@pytest.mark.parametrize(("delay", "shown"), [
    ("25000000000", "25s"),
    ("20000000001", "20.000000001s"),
    ("90000000000", "1m30s"),
    ("-1", "-1ns"),
    ("-1500000", "-1.5ms"),
])
def test_execution_delay_outside_0_to_20s(delay: str, shown: str) -> None:
    text = _steps(f"  wait:\n    execution_delay: {delay}\n" + ECHO)
    message = f"execution_delay: expected {shown} to be a duration between 0s and 20s"
    expect(check(text), "execution-delay-range", 6, 22, message=message, utask=step_utask("wait", message))


@pytest.mark.parametrize("delay", ["0", "1", "20000000000", "5000000000"])
def test_execution_delay_within_range(delay: str) -> None:
    no_errors(check(_steps(f"  wait:\n    execution_delay: {delay}\n" + ECHO)))


RETRY = _steps("  flaky:\n    retry_pattern: days\n" + ECHO)


def test_retry_pattern() -> None:
    message = "Invalid retry pattern: days Expecting(seconds|minutes|hours)"
    expect(check(RETRY), "retry-pattern-invalid", 6, 20, message=message, utask=step_utask("flaky", message))
    for good in ("seconds", "minutes", "hours", '""'):
        no_errors(check(swap(RETRY, "days", good)))


@pytest.mark.parametrize("state", ["SERVER_ERROR", "DONE", "ANY", "EXPANDED", "TODO"])
def test_custom_state_with_a_reserved_name(state: str) -> None:
    text = _steps(f"  pay:\n    custom_states: [PAID, {state}]\n" + ECHO)
    message = f'Custom state "{state}" is not allowed as it\'s a reserved state. Reserved state are: {RESERVED}'
    expect(check(text), "custom-state-reserved", 6, 27, message=message, utask=step_utask("pay", message))
    no_errors(check(swap(text, f", {state}]", ", REFUSED]")))


def test_custom_states_are_case_sensitive() -> None:
    no_errors(check(_steps("  pay:\n    custom_states: [done, Any]\n" + ECHO)))


# ---------------------------------------------------------------------------------------------------------------
# dependencies

def _two_steps(dependencies: str, custom_states: str = "[PAID]") -> str:
    """`first` (custom states on line 6) and `second` (dependencies on line 11)."""
    return _steps(f"  first:\n    custom_states: {custom_states}\n{ECHO}  second:\n    dependencies: {dependencies}\n"
                  + ECHO)


@pytest.mark.parametrize("dependencies", ['[first]', '["first:DONE"]', '["first:ANY"]', '["first:PAID"]',
                                          '["first:DONE,PAID"]', "[]"])
def test_valid_dependencies(dependencies: str) -> None:
    no_errors(check(_two_steps(dependencies)))


def test_dependency_to_an_unknown_step() -> None:
    text = _two_steps('[first, "ghost:DONE"]')
    message = 'Invalid dependency, no step with that name: "ghost"'
    diagnostic = expect(check(text), "dependency-unknown-step", 11, 27, message=message,
                        utask=step_utask("second", message))
    assert "declare that step" in diagnostic.hint
    no_errors(check(swap(text, '"ghost:DONE"', '"first:PAID"').replace("[first, ", "[")))


def test_unknown_step_hint_suggests_a_close_name() -> None:
    diagnostic = only(check(_two_steps("[frist]")), "dependency-unknown-step")
    assert diagnostic.hint == "did you mean `first`?"


def test_dependency_names_are_not_trimmed() -> None:
    text = _two_steps('[" first"]')
    expect(check(text), "dependency-unknown-step", 11, 20,
           utask=step_utask("second", 'Invalid dependency, no step with that name: " first"'))
    no_errors(check(swap(text, '" first"', '"first"')))


def test_duplicate_dependency_to_the_same_step() -> None:
    text = _two_steps('[first, "first:PAID"]')
    message = 'Invalid dependency, already defined dependency to: "first"'
    expect(check(text), "dependency-duplicate", 11, 27, message=message, utask=step_utask("second", message))
    no_errors(check(swap(text, '[first, "first:PAID"]', '["first:DONE,PAID"]')))


def test_duplicated_state_in_one_dependency() -> None:
    text = _two_steps('["first:PAID,DONE,PAID"]')
    message = "Invalid dependency, duplicated state detected"
    expect(check(text), "dependency-duplicate-state", 11, 20, message=message, utask=step_utask("second", message))
    no_errors(check(swap(text, "PAID,DONE,PAID", "PAID,DONE")))


@pytest.mark.parametrize("states", ["ANY,DONE", "DONE,ANY", "ANY,PAID"])
def test_any_with_other_states(states: str) -> None:
    text = _two_steps(f'["first:{states}"]')
    message = "Invalid dependency, no other state allowed if ANY is declared"
    expect(check(text), "dependency-any-not-alone", 11, 20, message=message, utask=step_utask("second", message))
    no_errors(check(swap(text, states, "ANY")))


@pytest.mark.parametrize(("dependency", "state"), [
    ("first: PAID", " PAID"),   # states are not trimmed
    ("first:", ""),             # an empty state
    ("first:PRUNE", "PRUNE"),    # built-in states other than DONE/ANY are never allowed
    ("first:SERVER_ERROR", "SERVER_ERROR"),
    ("first:paid", "paid"),
    ("first:DONE,NOT_FOUND", "NOT_FOUND"),
    ("first:DONE, NOT_FOUND", " NOT_FOUND"),
])
def test_dependency_on_a_state_the_target_cannot_reach(dependency: str, state: str) -> None:
    text = _two_steps(f'["{dependency}"]')
    message = f'Invalid dependency on step first, step state not allowed: "{state}"'
    diagnostic = expect(check(text), "dependency-state-invalid", 11, 20, message=message,
                        utask=step_utask("second", message))
    if state != state.strip():
        assert diagnostic.hint == "remove the spaces: states are not trimmed"
    no_errors(check(swap(text, f'"{dependency}"', '"first:PAID"')))


def test_dependency_accepts_only_the_targets_own_custom_states() -> None:
    # `second` declares PAID itself, but the dependency is on `first`, which does not.
    text = _steps(f"  first:\n{ECHO}  second:\n    custom_states: [PAID]\n    dependencies: [\"first:PAID\"]\n"
                  + ECHO)
    expect(check(text), "dependency-state-invalid", 11, 20,
           utask=step_utask("second", 'Invalid dependency on step first, step state not allowed: "PAID"'))


def test_each_bad_dependency_of_a_step_is_reported() -> None:
    text = _two_steps('[ghost, first, "first:PAID"]')
    result = check(text)
    assert [(d.code, d.line, d.column) for d in result.errors] == [
        ("dependency-unknown-step", 11, 20), ("dependency-duplicate", 11, 34)]


# ---------------------------------------------------------------------------------------------------------------
# cycles

SELF = _steps(f"  loop:\n    dependencies: [loop]\n{ECHO}")


def test_self_dependency() -> None:
    message = "Invalid: circular dependency [loop] <-> loop"
    expect(check(SELF), "dependency-cycle", 6, 19, message=message, utask=step_utask("loop", message))
    no_errors(check(swap(SELF, "[loop]", "[]")))


THREE = _steps(f"""\
  stepTwo:
    dependencies: [stepOne]
{ECHO}  stepOne:
    dependencies:
      - "stepThree:DONE"
{ECHO}  stepThree:
    dependencies: [stepTwo]
{ECHO}  downstream:
    dependencies: [stepThree]
{ECHO}""")


def test_three_step_cycle_lists_the_sorted_closure_on_each_step() -> None:
    result = check(THREE)
    cycles = with_code(result, "dependency-cycle")
    assert [(d.line, d.column, d.utask_message) for d in cycles] == [
        (6, 19, step_utask("stepTwo", "Invalid: circular dependency [stepOne stepThree stepTwo] <-> stepTwo")),
        (12, 7, step_utask("stepOne", "Invalid: circular dependency [stepOne stepThree stepTwo] <-> stepOne")),
        (17, 19, step_utask("stepThree", "Invalid: circular dependency [stepOne stepThree stepTwo] <-> stepThree")),
    ]
    # `downstream` depends on the cycle but is not part of it: µTask accepts it.
    assert result.errors == cycles
    no_errors(check(swap(THREE, '      - "stepThree:DONE"\n', "      - stepFour\n").replace(
        "  downstream:", "  stepFour:\n" + ECHO + "  downstream:")))


def test_cycle_closure_includes_steps_upstream_of_the_cycle() -> None:
    text = _steps(f"  root:\n{ECHO}  a:\n    dependencies: [root, b]\n{ECHO}  b:\n    dependencies: [a]\n{ECHO}")
    messages = [d.message for d in with_code(check(text), "dependency-cycle")]
    assert messages == ["Invalid: circular dependency [a b root] <-> a",
                        "Invalid: circular dependency [a b root] <-> b"]


def test_long_chain_without_cycle_is_fine() -> None:
    body = "".join(f"  s{i}:\n    dependencies: [s{i - 1}]\n{ECHO}" for i in range(1, 400))
    no_errors(check(_steps(f"  s0:\n{ECHO}{body}")))


# ---------------------------------------------------------------------------------------------------------------
# run-time fields

@pytest.mark.parametrize(("field", "value", "message"), [
    ("state", "DONE", "step state must not be set"),
    ("metadata", "{code: 200}", "step metadatas must not be set"),
    ("last_run", "'2024-01-01T00:00:00Z'", "step last_time must not be set"),
    ("output", "{a: 1}", "step output must not be set"),
    ("children", "[]", "step children must not be set"),
    ("error", "boom", "step error must not be set"),
    ("try_count", "3", "step try_count must not be set"),
    ("tags", "{}", "step tags must not be set"),
    ("item", "1", "step item must not be set"),
    ("children_steps", "[x]", "step children_steps must not be set"),
])
def test_run_time_field_set_in_a_template(field: str, value: str, message: str) -> None:
    text = _steps(f"  done:\n    {field}: {value}\n{ECHO}")
    result = check(text)
    expect(result, "step-runtime-field", 6, 5, message=message, utask=step_utask("done", message))
    absent(result, "unknown-key")
    no_errors(check(_steps(f"  done:\n{ECHO}")))


@pytest.mark.parametrize(("field", "value"), [
    ("state", '""'), ("error", '""'), ("try_count", "0"), ("output", "null"), ("metadata", ""), ("item", "~"),
])
def test_run_time_field_with_the_go_zero_value_is_accepted(field: str, value: str) -> None:
    # µTask checks `st.State != ""`, `st.Output != nil`…: a zero value is indistinguishable from "not set".
    no_errors(check(_steps(f"  done:\n    {field}: {value}\n{ECHO}")))


# ---------------------------------------------------------------------------------------------------------------
# json_schema

SCHEMA = _steps("""\
  fetch:
    json_schema:
      type: object
      properties:
        id: {type: integer, exclusiveMinimum: true, minimum: 0}
""" + ECHO)


def test_json_schema_that_does_not_compile() -> None:
    # No `$schema` and no `version`: draft-07, where exclusiveMinimum is a number.
    diagnostic = expect(check(SCHEMA), "json-schema-invalid", 9, 47)
    assert diagnostic.path == ("steps", "fetch", "json_schema", "properties", "id", "exclusiveMinimum")
    assert diagnostic.utask_message is not None
    assert diagnostic.utask_message.startswith(step_utask("fetch", "Jsonschema: step fetch: "))
    no_errors(check(swap(SCHEMA, "exclusiveMinimum: true", "exclusiveMinimum: 0")))


@pytest.mark.parametrize("selector", ["version: 4", "$schema: 'http://json-schema.org/draft-04/schema#'"])
def test_json_schema_draft_is_chosen_like_utask(selector: str) -> None:
    # Draft-04 has a boolean exclusiveMinimum.
    no_errors(check(swap(SCHEMA, "      type: object\n", f"      {selector}\n      type: object\n")))


def test_json_schema_version_6_and_unknown_versions() -> None:
    expect(check(swap(SCHEMA, "      type: object\n", "      version: 6\n      type: object\n")),
           "json-schema-invalid", 10, 47)
    expect(check(swap(SCHEMA, "      type: object\n", "      version: 5\n      type: object\n")),
           "json-schema-invalid", 10, 47)


def test_json_schema_must_be_a_mapping() -> None:
    text = _steps("  fetch:\n    json_schema: [id]\n" + ECHO)
    expect(check(text), "json-schema-invalid", 6, 18,
           utask=step_utask("fetch", "Jsonschema: step fetch: not an object"))
    no_errors(check(swap(text, "json_schema: [id]", "json_schema: {type: array}")))

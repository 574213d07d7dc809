"""Condition rules (spec §8.1, §8.2 validation, §8.6 allowed impacts): one failing and one passing template each."""

from __future__ import annotations

from pathlib import Path

import pytest
from validation_support import (
    WARNING,
    absent,
    check,
    expect,
    functions_in,
    no_errors,
    only,
    step_utask,
    swap,
)

ECHO = """\
    action:
      type: echo
      configuration: {output: done}
"""


def _with_condition(condition: str, *, foreach: bool = False) -> str:
    """Steps `up` → `mid` → `down` plus an unrelated `side`; `mid` carries the condition (its `- type:` is line 18)."""
    loop = "    foreach: '[1, 2]'\n" if foreach else "    idempotent: false\n"
    return ("name: my-template\ndescription: a test template\ntitle_format: a test task\nsteps:\n"
            f"  up:\n    custom_states: [UP_STATE]\n{ECHO}"
            f"  mid:\n    custom_states: [MID_STATE]\n    dependencies: [up]\n{loop}{ECHO}"
            f"    conditions:\n{condition}"
            f"  down:\n    custom_states: [DOWN_STATE]\n    dependencies: [mid]\n{ECHO}"
            f"  side:\n    custom_states: [SIDE_STATE]\n{ECHO}")


def _then(target: str, state: str, *, kind: str = "check", foreach: bool = False) -> str:
    """A condition of `mid` whose single `then` entry is on line 22 (key at column 9, value after `: `)."""
    condition = (f"      - type: {kind}\n        if:\n          - {{value: a, operator: EQ, expected: a}}\n"
                 f"        then:\n          {target}: {state}\n")
    return _with_condition(condition, foreach=foreach)


def test_the_base_template_is_valid() -> None:
    no_errors(check(_then("this", "DONE")))


# ---------------------------------------------------------------------------------------------------------------
# shape: type, foreach

@pytest.mark.parametrize("kind", ["wat", "SKIP", "Check", '""'])
def test_condition_type_must_be_skip_or_check(kind: str) -> None:
    text = _then("this", "DONE", kind=kind)
    shown = "" if kind == '""' else kind
    message = f"Unknown condition type: {shown}"
    expect(check(text), "condition-type-invalid", 18, 15, message=message, utask=step_utask("mid", message))
    for good in ("skip", "check"):
        no_errors(check(_then("this", "DONE", kind=good)))


def _foreach_condition(kind: str, value: str) -> str:
    return f"      - type: {kind}\n        foreach: {value}\n        then: {{this: PRUNE}}\n"


def test_condition_foreach_value() -> None:
    text = _with_condition(_foreach_condition("skip", "invalid"), foreach=True)
    message = "Unknown condition foreach: invalid"
    expect(check(text), "condition-foreach-invalid", 19, 18, message=message, utask=step_utask("mid", message))
    for good in ("children", "parent", '""'):
        no_errors(check(swap(text, "foreach: invalid", f"foreach: {good}")))


def test_condition_foreach_on_a_step_without_foreach() -> None:
    text = _with_condition(_foreach_condition("skip", "children"))
    message = "Step condition cannot set foreach on a non-foreach step"
    expect(check(text), "condition-foreach-not-foreach-step", 19, 18, message=message,
           utask=step_utask("mid", message))
    no_errors(check(_with_condition(_foreach_condition("skip", "children"), foreach=True)))
    no_errors(check(_with_condition(_foreach_condition("skip", '""'))))


@pytest.mark.parametrize("value", ["children", "parent"])
def test_condition_foreach_on_a_check_condition(value: str) -> None:
    text = _with_condition(_foreach_condition("check", value), foreach=True)
    message = "Step condition can set foreach on a skip condition"
    expect(check(text), "condition-foreach-not-skip", 19, 18, message=message, utask=step_utask("mid", message))
    absent(check(text), "condition-foreach-not-foreach-step")
    no_errors(check(swap(text, "type: check", "type: skip")))
    # A check condition of a foreach step without `foreach` is fine (it is copied to the children).
    no_errors(check(_with_condition("      - type: check\n        then: {this: PRUNE}\n", foreach=True)))


# ---------------------------------------------------------------------------------------------------------------
# operators

def _assertion(operator: str, expected: str = "a") -> str:
    """`mid` with one assertion on line 20: `operator:` value at column 34, `expected:` value at column
    46 + len(operator)."""
    return _with_condition("      - type: skip\n        if:\n"
                           f"          - {{value: a, operator: {operator}, expected: '{expected}'}}\n"
                           "        then: {this: PRUNE}\n")


@pytest.mark.parametrize("operator", ["EQUALS", "==", "contains", '""'])
def test_unknown_operator(operator: str) -> None:
    text = _assertion(operator)
    shown = "" if operator == '""' else operator
    message = f"Unknown condition operator: {shown}"
    expect(check(text), "condition-operator-invalid", 20, 34, message=message, utask=step_utask("mid", message))


@pytest.mark.parametrize("operator", ["EQ", "NE", "GT", "LT", "GE", "LE", "IN", "NOTIN", "eq", "in", "NotIn",
                                      "REGEXP", "notregexp"])
def test_known_operators_in_any_case(operator: str) -> None:
    no_errors(check(_assertion(operator, "1")))


@pytest.mark.parametrize("operator", ["gt", "lt", "Ge", "le"])
def test_lower_case_numeric_operator_is_a_warning(operator: str) -> None:
    result = check(_assertion(operator, "1"))
    no_errors(result)
    diagnostic = expect(result, "condition-operator-case", 20, 34, severity=WARNING)
    assert diagnostic.utask_message is None
    assert diagnostic.hint == f"write `{operator.upper()}`"
    absent(check(_assertion(operator.upper(), "1")), "condition-operator-case")


@pytest.mark.parametrize(("operator", "pattern"), [
    ("REGEXP", "a(?=b)"), ("NOTREGEXP", "[a-"), ("regexp", "(x)\\1"), ("REGEXP", "(?<=a)b"),
])
def test_regexp_with_an_invalid_pattern(operator: str, pattern: str) -> None:
    text = _assertion(operator, pattern)
    column = 46 + len(operator)
    diagnostic = expect(check(text), "condition-regexp-invalid", 20, column)
    assert diagnostic.utask_message is not None
    assert diagnostic.utask_message.startswith(step_utask("mid", ""))
    no_errors(check(swap(text, f"'{pattern}'", "'^a+(b|c)$'")))


def test_invalid_pattern_is_fine_for_non_regexp_operators() -> None:
    no_errors(check(_assertion("EQ", "a(?=b)")))


# ---------------------------------------------------------------------------------------------------------------
# `then`: allowed impacts

def test_then_naming_the_step_itself() -> None:
    text = _then("mid", "DONE")
    message = "Step condition should not reference itself, use 'this'"
    diagnostic = expect(check(text), "condition-self-reference", 22, 11, message=message,
                        utask=step_utask("mid", message))
    assert diagnostic.hint == "write `this: DONE`"
    no_errors(check(_then("this", "DONE")))


def test_then_naming_a_foreach_step_itself_is_allowed() -> None:
    # Children of a foreach step use the parent's name to address the parent.
    no_errors(check(_then("mid", "TO_RETRY", foreach=True)))


def test_then_naming_an_unknown_step() -> None:
    text = _then("ghost", "DONE")
    message = "Step condition points to non-existing step: ghost"
    expect(check(text), "condition-unknown-step", 22, 11, message=message, utask=step_utask("mid", message))
    no_errors(check(_then("down", "DONE")))


def test_then_outside_the_dependency_chain() -> None:
    text = _then("side", "DONE")
    message = ("Step condition cannot impact the state of step side, only those who belong to the dependency chain "
               "are allowed")
    expect(check(text), "condition-impact-outside-chain", 22, 11, message=message, utask=step_utask("mid", message))


@pytest.mark.parametrize("target", ["up", "down", "this"])
def test_then_inside_the_chain_upstream_or_downstream(target: str) -> None:
    no_errors(check(_then(target, "PRUNE")))


def test_then_on_a_transitive_dependency() -> None:
    # `down` → `mid` → `up`: a condition of `down` may set `up` (and vice versa).
    text = _with_condition("      - type: check\n        then: {this: DONE}\n").replace(
        "  down:\n    custom_states: [DOWN_STATE]\n    dependencies: [mid]\n" + ECHO,
        "  down:\n    custom_states: [DOWN_STATE]\n    dependencies: [mid]\n" + ECHO
        + "    conditions:\n      - type: check\n        then: {up: TO_RETRY}\n")
    no_errors(check(text))


@pytest.mark.parametrize("state", ["SERVER_ERROR", "TODO", "WAITING", "RUNNING", "CRASHED", "AFTERRUN_ERROR",
                                   "EXPANDED", "ANY", "done", "UP_STATE"])
def test_then_with_a_state_the_target_cannot_take(state: str) -> None:
    text = _then("down", state)
    message = f"Step condition implies invalid state for step down: {state}"
    expect(check(text), "condition-state-invalid", 22, 17, message=message, utask=step_utask("mid", message))


def test_invalid_state_for_this_names_the_step_like_utask() -> None:
    message = "Step condition implies invalid state for step mid: SERVER_ERROR"
    expect(check(_then("this", "SERVER_ERROR")), "condition-state-invalid", 22, 17, message=message,
           utask=step_utask("mid", message))


@pytest.mark.parametrize("state", ["DONE", "PRUNE", "TO_RETRY", "RETRY_NOW", "FATAL_ERROR", "CLIENT_ERROR"])
def test_then_with_an_allowed_builtin_state(state: str) -> None:
    no_errors(check(_then("down", state)))


@pytest.mark.parametrize(("target", "state"), [("down", "DOWN_STATE"), ("up", "UP_STATE"), ("this", "MID_STATE")])
def test_then_with_a_custom_state_of_the_target(target: str, state: str) -> None:
    no_errors(check(_then(target, state)))


def test_custom_state_of_another_step_is_not_allowed() -> None:
    expect(check(_then("this", "DOWN_STATE")), "condition-state-invalid", 22, 17,
           utask=step_utask("mid", "Step condition implies invalid state for step mid: DOWN_STATE"))


FUNCTIONS = {
    "approve.yaml": """\
        name: review::approve
        custom_states: [APPROVED]
        action:
          type: review::inner
          configuration: {}
        """,
    "inner.yaml": """\
        name: review::inner
        custom_states: [INNER_OK]
        action:
          type: echo
          configuration: {output: ok}
        """,
}


@pytest.mark.parametrize("state", ["APPROVED", "INNER_OK"])
def test_then_with_a_custom_state_of_the_targets_functions(tmp_path: Path, state: str) -> None:
    registry = functions_in(tmp_path / "functions", FUNCTIONS)
    text = swap(_then("down", state), "  down:\n    custom_states: [DOWN_STATE]\n    dependencies: [mid]\n"
                "    action:\n      type: echo\n      configuration: {output: done}\n",
                "  down:\n    custom_states: [DOWN_STATE]\n    dependencies: [mid]\n"
                "    action:\n      type: review::approve\n      configuration: {}\n")
    no_errors(check(text, functions=registry))
    # Without the function, the state is unknown (and so is the action type).
    result = check(text)
    expect(result, "condition-state-invalid", 22, 17,
           utask=step_utask("mid", f"Step condition implies invalid state for step down: {state}"))


def test_every_then_entry_is_checked() -> None:
    condition = ("      - type: check\n        then:\n          ghost: DONE\n          side: DONE\n"
                 "          down: NOPE\n          mid: DONE\n")
    result = check(_with_condition(condition))
    assert [(d.code, d.line) for d in result.errors] == [
        ("condition-unknown-step", 20), ("condition-impact-outside-chain", 21), ("condition-state-invalid", 22),
        ("condition-self-reference", 23)]
    only(result, "condition-state-invalid")

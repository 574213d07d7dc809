"""Condition rules (spec §8.2 and §8.6): types, operators, foreach flags and allowed state impacts."""

from __future__ import annotations

from engine.gocompat import RE2Error, compile_re2
from engine.model.template import Condition, Step
from engine.validate.context import Checker

__all__ = ["OPERATORS", "check_conditions"]

OPERATORS = ("EQ", "NE", "GT", "LT", "GE", "LE", "REGEXP", "NOTREGEXP", "IN", "NOTIN")
IMPACT_STATES = ("DONE", "PRUNE", "TO_RETRY", "RETRY_NOW", "FATAL_ERROR", "CLIENT_ERROR")


def check_conditions(checker: Checker, name: str, step: Step) -> None:
    for index, condition in enumerate(step.conditions):
        path = ("steps", name, "conditions", index)
        _check_shape(checker, name, step, condition, path)
        for position, assertion in enumerate(condition.if_):
            _check_operator(checker, name, assertion.operator, assertion.expected, (*path, "if", position))
        for target, state in condition.then.items():
            _check_impact(checker, name, step, target, state, (*path, "then", target))


def _check_shape(checker: Checker, name: str, step: Step, condition: Condition,
                 path: tuple[str | int, ...]) -> None:
    if condition.type not in ("skip", "check"):
        checker.step_error(name, "condition-type-invalid", f"Unknown condition type: {condition.type}",
                           "use `skip` (before the action) or `check` (after it)", (*path, "type"))
    if condition.foreach not in ("", "children", "parent"):
        checker.step_error(name, "condition-foreach-invalid", f"Unknown condition foreach: {condition.foreach}",
                           "use `children` or `parent`", (*path, "foreach"))
        return
    if condition.foreach and not step.foreach:
        checker.step_error(name, "condition-foreach-not-foreach-step", "Step condition cannot set foreach on a "
                           "non-foreach step", "remove the condition's `foreach`", (*path, "foreach"))
    elif condition.foreach and condition.type != "skip":
        checker.step_error(name, "condition-foreach-not-skip", "Step condition can set foreach on a skip "
                           "condition", "only skip conditions take `foreach`; remove it here", (*path, "foreach"))


def _check_operator(checker: Checker, name: str, operator: str, expected: str,
                    path: tuple[str | int, ...]) -> None:
    upper = operator.upper()
    if upper not in OPERATORS:
        checker.step_error(name, "condition-operator-invalid", f"Unknown condition operator: {operator}",
                           f"use one of {', '.join(OPERATORS)}", (*path, "operator"))
        return
    if upper != operator and upper in ("GT", "LT", "GE", "LE"):
        checker.warning("condition-operator-case", f"lower-case `{operator}` is always met once both sides are "
                        "integers (a µTask quirk)", f"write `{upper}`", (*path, "operator"))
    if upper in ("REGEXP", "NOTREGEXP"):
        try:
            compile_re2(expected)
        except RE2Error as exc:
            checker.step_error(name, "condition-regexp-invalid", f"invalid regular expression in `expected`: "
                               f"{exc}", "write a Go RE2 regular expression", (*path, "expected"))


def _check_impact(checker: Checker, name: str, step: Step, target: str, state: str,
                  path: tuple[str | int, ...]) -> None:
    steps = checker.template.steps
    if target == name and not step.foreach:
        checker.step_error(name, "condition-self-reference", "Step condition should not reference itself, "
                           "use 'this'", f"write `this: {state}`", path, at_key=True)
        return
    resolved = name if target == "this" else target
    if resolved not in steps:
        checker.step_error(name, "condition-unknown-step", f"Step condition points to non-existing step: "
                           f"{target}", "name an existing step, or `this`", path, at_key=True)
        return
    if resolved != name and not _in_chain(checker, name, resolved):
        message = (f"Step condition cannot impact the state of step {target}, only those who belong to the "
                   "dependency chain are allowed")
        checker.step_error(name, "condition-impact-outside-chain", message, f"`{target}` must be upstream or "
                           f"downstream of `{name}` through dependencies", path, at_key=True)
        return
    allowed = (*IMPACT_STATES, *checker.step_custom_states(resolved))
    if state not in allowed:
        message = f"Step condition implies invalid state for step {resolved}: {state}"
        checker.step_error(name, "condition-state-invalid", message, f"allowed: {', '.join(allowed)}", path)


def _in_chain(checker: Checker, name: str, target: str) -> bool:
    graph = checker.graph
    return graph.is_ancestor(target, of=name) or graph.is_ancestor(name, of=target)

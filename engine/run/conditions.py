"""Skip and check conditions (spec §8): assertion evaluation, `then` impacts, messages, `final`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.gocompat.re2 import RE2Error, compile_re2
from engine.model.run import StepRun
from engine.model.template import Assertion, Condition
from engine.templating import NO_ITEM, TemplateError, Values

__all__ = ["ConditionError", "ConditionOutcome", "evaluate_conditions", "keep_rendered_messages"]

_INT = re.compile(r"[+-]?[0-9]+")


class ConditionError(Exception):
    """An assertion could not be evaluated (templating error, non-integer operand…)."""


def _render(values: Values, text: str, step_name: str, item: Any) -> str:
    try:
        return values.apply(text, item=item, step_name=step_name)
    except TemplateError as error:
        raise ConditionError(f"Templating error: {error.message}") from None


def _parse_int32(text: str) -> int:
    if not _INT.fullmatch(text):
        raise ConditionError(f'strconv.ParseInt: parsing "{text}": invalid syntax')
    number = int(text)
    if not -2147483648 <= number <= 2147483647:
        raise ConditionError(f'strconv.ParseInt: parsing "{text}": value out of range')
    return number


def _holds(assertion: Assertion, value: str, expected: str) -> bool:
    written = assertion.operator
    operator = written.upper()
    if operator == "EQ":
        return value == expected
    if operator == "NE":
        return value != expected
    if operator in ("GT", "LT", "GE", "LE"):
        left, right = _parse_int32(value), _parse_int32(expected)
        compare: dict[str, Callable[[int, int], bool]] = {
            "GT": lambda a, b: a > b, "LT": lambda a, b: a < b, "GE": lambda a, b: a >= b, "LE": lambda a, b: a <= b}
        return compare[written](left, right) if written in compare else True  # ⚠ lower-case: always met
    if operator in ("REGEXP", "NOTREGEXP"):
        try:
            found = compile_re2(expected).search(value) is not None
        except RE2Error as error:
            raise ConditionError(str(error)) from None
        return found if operator == "REGEXP" else not found
    if operator in ("IN", "NOTIN"):
        separator = assertion.list_separator or ","
        found = any(part.strip() == expected for part in value.split(separator))
        return found if operator == "IN" else not found
    raise ConditionError(f"Unknown condition operator: {written}")


def condition_met(values: Values, condition: Condition, step_name: str, item: Any = NO_ITEM) -> bool:
    for assertion in condition.if_:
        value = _render(values, assertion.value, step_name, item).replace("<no value>", "")
        expected = _render(values, assertion.expected, step_name, item).replace("<no value>", "")
        if not _holds(assertion, value, expected):
            return False
    return True


@dataclass(slots=True)
class ConditionOutcome:
    met: bool = False  # at least one condition met (a skip condition then skips the step)
    impacts: list[tuple[str, str, str]] = field(default_factory=list)  # (target, state, message) in order
    error: str | None = None  # an evaluation error stopped the evaluation
    rendered: list[tuple[Condition, str]] = field(default_factory=list)  # met conditions and their messages


def evaluate_conditions(values: Values, conditions: list[Condition], step_name: str, item: Any,
                        apply: Callable[[str, str, str], None]) -> ConditionOutcome:
    """Evaluate in order; each met condition's `then` is applied at once through `apply(target, state,
    message)` (target already resolved from `this`), so later conditions see the new states."""
    outcome = ConditionOutcome()
    for condition in conditions:
        try:
            met = condition_met(values, condition, step_name, item)
        except ConditionError as error:
            outcome.error = str(error)
            return outcome
        if not met:
            continue
        outcome.met = True
        try:
            message = values.apply(condition.message, item=item, step_name=step_name)
        except TemplateError as error:
            message = f"{condition.message} (TEMPLATING ERROR: Templating error: {error.message})"
        outcome.rendered.append((condition, message))
        for target, state in condition.then.items():
            name = step_name if target == "this" else target
            outcome.impacts.append((name, state, message))
            apply(name, state, message)
        if condition.final:
            break
    return outcome


def keep_rendered_messages(step: StepRun, outcome: ConditionOutcome) -> None:
    """⚠ µTask stores the rendered message in the step's own condition (later runs re-render it)."""
    for condition, message in outcome.rendered:
        for index, own in enumerate(step.conditions):
            if own is condition:
                step.conditions[index] = condition.model_copy(update={"message": message})

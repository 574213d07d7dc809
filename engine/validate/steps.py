"""Per-step rules (spec §5–7, §14.1): names, foreach, retries, custom states, dependencies, cycles."""

from __future__ import annotations

from engine.diagnostics import did_you_mean
from engine.gocompat.fmt import format_duration
from engine.load.models import STEP_RUNTIME_FIELDS
from engine.model.graph import parse_dependency
from engine.model.template import Step
from engine.validate.context import RESERVED_STATES, Checker

__all__ = ["check_cycles", "check_step"]

_MAX_EXECUTION_DELAY_NS = 20 * 10**9
_RETRY_PATTERNS = ("", "seconds", "minutes", "hours")
_RUNTIME_FIELD_MESSAGES = {"state": "step state must not be set", "metadata": "step metadatas must not be set",
                           "last_run": "step last_time must not be set"}


def check_step(checker: Checker, name: str, step: Step) -> None:
    """Every rule about one step except its action and conditions (see executors and conditions)."""
    path = ("steps", name)
    if name == "this":
        checker.step_error(name, "step-name-reserved", "'this' step name is reserved",
                           "rename the step: `this` always means the step being evaluated", path, at_key=True)
    _check_foreach(checker, name, step)
    _check_timing(checker, name, step)
    _check_custom_states(checker, name, step)
    _check_dependencies(checker, name, step)
    _check_runtime_fields(checker, name, step)


def _check_foreach(checker: Checker, name: str, step: Step) -> None:
    strategy = step.foreach_strategy
    if strategy and not step.foreach:
        checker.step_error(name, "foreach-strategy-without-foreach", "step foreach_strategy can't be set "
                           "without foreach", "add a `foreach` list or remove `foreach_strategy`",
                           ("steps", name, "foreach_strategy"))
    elif strategy not in ("", "parallel", "sequence"):
        checker.step_error(name, "foreach-strategy-invalid", f'step foreach_strategy "{strategy}" is not a '
                           "valid value", "use `parallel` or `sequence`", ("steps", name, "foreach_strategy"))


def _check_timing(checker: Checker, name: str, step: Step) -> None:
    delay = step.execution_delay
    if not 0 <= delay <= _MAX_EXECUTION_DELAY_NS:
        message = f"execution_delay: expected {format_duration(delay)} to be a duration between 0s and 20s"
        checker.step_error(name, "execution-delay-range", message, "execution_delay is in nanoseconds: "
                           "20s is 20000000000", ("steps", name, "execution_delay"))
    if step.retry_pattern not in _RETRY_PATTERNS:
        message = f"Invalid retry pattern: {step.retry_pattern} Expecting(seconds|minutes|hours)"
        checker.step_error(name, "retry-pattern-invalid", message, "use seconds, minutes or hours",
                           ("steps", name, "retry_pattern"))


def _check_custom_states(checker: Checker, name: str, step: Step) -> None:
    reserved = ", ".join(f'"{state}"' for state in RESERVED_STATES)
    for index, state in enumerate(step.custom_states):
        if state in RESERVED_STATES:
            message = (f'Custom state "{state}" is not allowed as it\'s a reserved state. Reserved state are: '
                       f"{reserved}")
            checker.step_error(name, "custom-state-reserved", message, "pick a name of your own, e.g. "
                               f"`{state}_{name.upper()}`", ("steps", name, "custom_states", index))


def _check_dependencies(checker: Checker, name: str, step: Step) -> None:
    steps = checker.template.steps
    seen: set[str] = set()
    for index, text in enumerate(step.dependencies):
        path = ("steps", name, "dependencies", index)
        dependency = parse_dependency(text)
        target = dependency.step
        if target not in steps:
            message = f'Invalid dependency, no step with that name: "{target}"'
            checker.step_error(name, "dependency-unknown-step", message, _unknown_step_hint(checker, target), path)
            continue
        if target in seen:
            message = f'Invalid dependency, already defined dependency to: "{target}"'
            checker.step_error(name, "dependency-duplicate", message, "merge them into one: "
                               f"`{target}:STATE1,STATE2`", path)
            continue
        seen.add(target)
        _check_dependency_states(checker, name, target, dependency.states, path)


def _unknown_step_hint(checker: Checker, target: str) -> str:
    return did_you_mean(target, checker.template.steps) or "declare that step or remove this dependency"


def _check_dependency_states(checker: Checker, name: str, target: str, states: tuple[str, ...],
                             path: tuple[str | int, ...]) -> None:
    if len(set(states)) != len(states):
        checker.step_error(name, "dependency-duplicate-state", "Invalid dependency, duplicated state detected",
                           "list each state once", path)
        return
    allowed = checker.template.steps[target].custom_states
    for state in states:
        if state == "ANY" and len(states) > 1:
            checker.step_error(name, "dependency-any-not-alone", "Invalid dependency, no other state allowed "
                               "if ANY is declared", f"write `{target}:ANY` alone", path)
            return
        if state not in ("DONE", "ANY") and state not in allowed:
            message = f'Invalid dependency on step {target}, step state not allowed: "{state}"'
            checker.step_error(name, "dependency-state-invalid", message, _state_hint(target, state, allowed),
                               path)
            return


def _state_hint(target: str, state: str, allowed: list[str]) -> str:
    if state != state.strip():
        return "remove the spaces: states are not trimmed"
    options = ", ".join(["DONE", "ANY", *allowed])
    return f"a dependency can wait for {options} on `{target}` (declare other states in its custom_states)"


def _check_runtime_fields(checker: Checker, name: str, step: Step) -> None:
    for key, value in (step.model_extra or {}).items():
        if key in STEP_RUNTIME_FIELDS and not _is_go_zero(key, value):
            message = _RUNTIME_FIELD_MESSAGES.get(key, f"step {key} must not be set")
            checker.step_error(name, "step-runtime-field", message, f"remove `{key}`: the engine fills it in "
                               "while running", ("steps", name, key), at_key=True)


def _is_go_zero(key: str, value: object) -> bool:
    """µTask only refuses a run-time field that decodes to a non-zero Go value (`state: ""`, `output: null`…)."""
    if value is None:
        return True
    if key in ("state", "error"):
        return value == ""
    return key == "try_count" and not isinstance(value, bool) and value == 0


def check_cycles(checker: Checker) -> None:
    """Circular dependencies, reported on every step of each cycle with µTask's message."""
    graph = checker.graph
    for group in graph.cycles():
        closure = sorted(graph.ancestors(group[0]))
        for name in sorted(group):
            message = f"Invalid: circular dependency [{' '.join(closure)}] <-> {name}"
            checker.step_error(name, "dependency-cycle", message, "remove one of the dependencies that "
                               f"close the loop ({' → '.join(sorted(group))})", ("steps", name, "dependencies"))

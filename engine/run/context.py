"""The templating context of a resolution (spec §13.1–13.2) and its per-execution snapshot (§10.3).

Step data are published as *fresh* dicts (never mutated in place), so a snapshot only needs a shallow copy
of the `.step` map: cheap enough to take one per execution of a 10,000-step resolution. Numbers of step
data are exact decimals (`JSONNumber`) already; inputs are float64 on the live context and exact in
snapshots (µTask's JSON round trip).
"""

from __future__ import annotations

import datetime
from typing import Any

from engine.model.run import Resolution, StepRun, Task
from engine.model.template import Template
from engine.templating import JSONNumber, Values, Variable, World
from engine.templating.context import VariableMap, to_exact_numbers

__all__ = ["build_values", "exact", "is_exact", "publish_step", "publish_state", "snapshot", "to_float_numbers"]

DEFAULT_REGION = "default"


def exact(value: Any) -> Any:
    """Model data with exact-decimal numbers (ints and floats become JSONNumber)."""
    kind = type(value)
    if kind is str or kind is JSONNumber or kind is bool or value is None:
        return value
    if kind is dict:
        return {str(key): exact(item) for key, item in value.items()}
    if kind is list:
        return [exact(item) for item in value]
    return to_exact_numbers(value)


def is_exact(value: Any) -> bool:
    """Whether `exact(value)` would equal `value` (no number to convert, string keys): then the value itself
    can be used where a converted copy is only read, without building one."""
    kind = type(value)
    if kind is str or kind is JSONNumber or kind is bool or value is None:
        return True
    if kind is dict:
        return all(type(key) is str and is_exact(item) for key, item in value.items())
    if kind is list:
        return all(is_exact(item) for item in value)
    return False


def to_float_numbers(value: Any) -> Any:
    """What inputs look like once stored and re-read (§13.6): every number a float64."""
    if isinstance(value, bool) or value is None:
        return value
    if type(value) is JSONNumber or isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return {str(key): to_float_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_float_numbers(item) for item in value]
    return value


def _rfc3339(moment: datetime.datetime | None) -> str:
    return "" if moment is None else moment.isoformat().replace("+00:00", "Z")


def task_info(task: Task, resolution: Resolution) -> dict[str, Any]:
    info: dict[str, Any] = {"task_id": task.id, "created": _rfc3339(task.created),
                            "requester_username": task.requester_username,
                            "last_activity": _rfc3339(task.last_activity), "region": DEFAULT_REGION,
                            "resolution_id": resolution.id}
    if task.resolver_username:
        info["resolver_username"] = task.resolver_username
    return info


def build_values(template: Template, task: Task, resolution: Resolution, world: World | None = None) -> Values:
    """The live context at the start of a run: no try_count/max_retries (§13.1)."""
    variables = {v.name: Variable(v.name, value=exact(v.value), expression=v.expression,
                                  expression_timeout=v.expression_timeout) for v in template.variables}
    values = Values(input=to_float_numbers(task.inputs), resolver_input=to_float_numbers(resolution.resolver_inputs),
                    task=task_info(task, resolution), variables=variables, world=world)
    steps = values.root["step"]
    for name, step in resolution.steps.items():
        steps[name] = step_entry(step)
    return values


def step_entry(step: StepRun, *, with_tries: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "output": {} if step.output is None else step.output,
        "metadata": {} if step.metadata is None else step.metadata,
        "children": step.children,
        "error": step.error,
        "state": step.state,
    }
    if with_tries:
        entry["try_count"] = step.try_count
        entry["max_retries"] = step.max_retries
    return entry


def publish_step(values: Values, step: StepRun) -> None:
    """A processed result: every field, try_count and max_retries included."""
    values.root["step"][step.name] = step_entry(step, with_tries=True)


def publish_state(values: Values, step: StepRun) -> None:
    """A state/error change (conditions, pruning, RUNNING): replace the entry, never mutate it."""
    steps = values.root["step"]
    entry = dict(steps.get(step.name) or step_entry(step))
    entry["state"] = step.state
    entry["error"] = step.error
    steps[step.name] = entry


def remove_step(values: Values, name: str) -> None:
    values.root["step"].pop(name, None)


_DEFAULT_KEYS = frozenset(Values().root)


def _exact_copy(value: Any) -> Any:
    """`to_exact_numbers` with fast paths for what a context mostly holds (strings, exact numbers, plain
    maps and lists): a fresh copy of every container, so a render that mutates its snapshot (sprig's `set`,
    `mergeOverwrite`) never reaches the live values or another execution's snapshot."""
    kind = type(value)
    if kind is str or kind is JSONNumber or kind is bool or value is None:
        return value
    if kind is dict:
        return {key if type(key) is str else str(key): _exact_copy(item) for key, item in value.items()} \
            if value else {}
    if kind is list:
        return [_exact_copy(item) for item in value]
    return to_exact_numbers(value)


def snapshot(values: Values, *, share_steps: bool = False, reuse: Values | None = None) -> Values:
    """µTask's Clone for an execution: exact numbers, no evalCache; step entries are shared (immutable).

    With `share_steps` the `.step` map itself is shared too: only for renders done before anything else
    changes (synchronously at launch); a later write into it must copy it first. With `reuse`, that
    `Values` (a snapshot of the same values nobody holds any more) gets the fresh root instead of a new
    `Values` being made: a `Values` and its render context reference each other, so each one made is
    garbage only the cyclic collector frees (thousands per large run)."""
    source = values.root
    if not _DEFAULT_KEYS <= source.keys():  # a hand-made root: µTask's default keys come first
        source = {**Values().root, **source}
    variables = VariableMap()
    root: dict[str, Any] = {}
    for key, value in source.items():
        if key == "step":
            root["step"] = value if share_steps else dict(value)
        elif key == "var":
            root["var"] = variables
        else:
            root[key] = _exact_copy(value)
    for name, variable in values.variables.items():
        variables[name] = Variable(name, value=_exact_copy(variable.value), expression=variable.expression,
                                   expression_timeout=variable.expression_timeout)
    if reuse is not None and reuse.world is values.world:
        reuse.root, reuse.variables = root, variables
        return reuse
    copy = Values.wrap(root, world=values.world)
    copy.variables = variables
    return copy

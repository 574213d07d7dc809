"""Author-side controls on a stopped resolution, for the studio: "run from this step" and "force a state".

Both work on the live `Resolution` (between runs: never while it is RUNNING) and return the changes to hand to
the recorder (`apply`), so the store's audit trail shows them:

* `reset_from(resolution, step)`: the step and every step downstream of it go back to TODO (foreach children
  are removed, parents lose their expansion), the rest keeps its results; the next run continues from there;
* `force_state(resolution, step, state)`: the same reset downstream, the step itself set to `state` (with an
  optional output), and the steps that state makes pointless PRUNE, as the engine's pruning would (§7.3).

The resolution is made runnable again (TODO) when it had ended, so that `Engine.run` accepts it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from engine.model.graph import parse_dependency
from engine.model.run import Resolution, StepRun, Task
from engine.model.states import ResolutionState, StepState, is_final
from engine.model.template import Step
from engine.run.create import normalize_schema
from engine.run.events import StepEvent
from engine.run.recorder import RunRecorder

__all__ = ["ControlError", "apply", "descendants", "force_state", "forceable_states", "reset_from"]

Changes = dict[str, str]  # step name → reason, the recorder's `save_steps` changes
Publish = Callable[[StepEvent], None]
_NOT_FORCEABLE = frozenset({StepState.RUNNING, StepState.ANY, StepState.EXPANDED, StepState.RETRY_NOW})
_BUILTIN_CHOICES = (StepState.DONE, StepState.PRUNE, StepState.CLIENT_ERROR, StepState.SERVER_ERROR,
                    StepState.FATAL_ERROR, StepState.TO_RETRY, StepState.TODO)


class ControlError(ValueError):
    """The control cannot apply (unknown step, running resolution, state not allowed): a message."""


def forceable_states(step: StepRun) -> list[str]:
    """The step's custom states first (the interesting what-ifs), then the built-in ones."""
    custom = [state for state in step.definition.custom_states if state not in _BUILTIN_CHOICES]
    return [*custom, *(str(state) for state in _BUILTIN_CHOICES)]


def _dependents(resolution: Resolution) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for step in resolution.steps.values():
        for text in step.dependencies:
            index.setdefault(parse_dependency(text).step, set()).add(step.name)
    return index


def descendants(resolution: Resolution, name: str) -> set[str]:
    """Every step downstream of `name` (not `name` itself), foreach children of those included."""
    index = _dependents(resolution)
    found: set[str] = set()
    work = [name]
    while work:
        for dependent in index.get(work.pop(), ()):
            if dependent not in found and dependent != name:
                found.add(dependent)
                work.append(dependent)
    for step in list(resolution.steps.values()):
        if step.is_child and step.parent in found:
            found.add(step.name)
    found.discard(name)
    return found


def _check(resolution: Resolution, name: str) -> StepRun:
    if resolution.state == ResolutionState.RUNNING:
        raise ControlError("the resolution is running: pause it first")
    step = resolution.steps.get(name)
    if step is None:
        raise ControlError(f"no step {name!r} in this resolution")
    if step.is_child:
        raise ControlError(f"{name!r} is a foreach child: use its parent {step.parent!r}")
    return step


def _reset_step(resolution: Resolution, step: StepRun, changes: Changes, publish: Publish | None,
                definition: Step | None = None) -> None:
    if definition is not None:  # the author edited the step since the run: the re-run uses what is written now
        if definition.json_schema is not None:
            definition = definition.model_copy(update={"json_schema": normalize_schema(definition.json_schema)})
        step.definition = definition
    for child in step.children_steps:
        if resolution.steps.pop(child, None) is not None:
            changes[child] = "reset"
    old = step.state
    step.state, step.error, step.output, step.metadata, step.children = StepState.TODO, "", None, None, None
    step.try_count, step.last_run, step.dry_run = 0, None, None
    step.max_retries = step.definition.max_retries
    step.children_steps = []
    step.dependencies = list(step.definition.dependencies)
    step.conditions = list(step.definition.conditions)
    changes[step.name] = "reset"
    if publish is not None:
        publish(StepEvent(resolution.id, step.name, old, StepState.TODO, "", "edit"))


def _reopen(resolution: Resolution) -> None:
    if resolution.state in (ResolutionState.DONE, ResolutionState.CANCELLED) or resolution.state.startswith(
            "BLOCKED_"):
        resolution.state = ResolutionState.TODO
    resolution.next_retry = None


def reset_from(resolution: Resolution, name: str, publish: Publish | None = None,
               definitions: Mapping[str, Step] | None = None) -> Changes:
    """The step and its descendants back to TODO (see the module doc); returns the recorder's changes.
    `definitions` (the template's steps as edited since): the reset steps take their new definition."""
    start = _check(resolution, name)
    changes: Changes = {}
    downstream = [resolution.steps[n] for n in sorted(descendants(resolution, name)) if n in resolution.steps]
    for step in [start, *(s for s in downstream if not s.is_child)]:
        _reset_step(resolution, step, changes, publish, (definitions or {}).get(step.name))
    _reopen(resolution)
    return changes


def force_state(resolution: Resolution, name: str, state: str, *, output: Any = None, error: str = "",
                publish: Publish | None = None, definitions: Mapping[str, Step] | None = None) -> Changes:
    """Reset downstream of `name`, set `name` to `state` (what-if), prune what that state rules out."""
    if state in _NOT_FORCEABLE or not state.strip():
        raise ControlError(f"a step cannot be forced to {state or 'an empty state'!r}")
    changes = reset_from(resolution, name, publish, definitions)
    step = resolution.steps[name]
    step.state, step.output, step.error = state, output, error
    changes[name] = "forced"
    if publish is not None:
        publish(StepEvent(resolution.id, name, StepState.TODO, state, error, "edit"))
    for pruned in prune(resolution, [name], publish):
        changes[pruned] = "prune"
    return changes


def prune(resolution: Resolution, changed: Iterable[str], publish: Publish | None = None) -> list[str]:
    """The engine's pruning rule (§7.3) from the steps `changed`: the steps it set to PRUNE."""
    index = _dependents(resolution)
    pruned: list[str] = []
    work = list(changed)
    while work:
        source = resolution.steps.get(work.pop())
        if source is None or not is_final(source.state):
            continue
        for name in sorted(index.get(source.name, ())):
            target = resolution.steps[name]
            dependency = next(parse_dependency(t) for t in target.dependencies
                              if parse_dependency(t).step == source.name)
            if dependency.is_any or target.state == StepState.PRUNE:
                continue
            if source.state == StepState.PRUNE or source.state not in dependency.states:
                old, target.state = target.state, StepState.PRUNE
                pruned.append(name)
                work.append(name)
                if publish is not None:
                    publish(StepEvent(resolution.id, name, old, StepState.PRUNE, target.error, "prune"))
    return pruned


async def apply(recorder: RunRecorder, task: Task, resolution: Resolution, changes: Changes, reason: str) -> None:
    """Persist a control's changes (steps, then the resolution record) with `reason` in the audit trail."""
    await recorder.save_steps(task, resolution, changes, reason)
    await recorder.save_resolution(resolution, reason)

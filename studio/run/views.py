"""Engine records → what the canvas paints (`StepRunView`), and a few helpers on step states."""

from __future__ import annotations

from collections.abc import Mapping

from engine.model.run import Resolution, StepRun
from engine.model.states import StepState, is_final
from studio.canvas.run_state import StepRunView

__all__ = ["FAILED_STATES", "run_views", "step_view"]

FAILED_STATES = frozenset({StepState.CLIENT_ERROR, StepState.SERVER_ERROR, StepState.FATAL_ERROR,
                           StepState.CRASHED, StepState.AFTERRUN_ERROR})


def _children_counts(step: StepRun, steps: Mapping[str, StepRun]) -> tuple[int, int, int]:
    """(total, ended, failed) of a foreach parent's children: live ones while expanded, else its record."""
    if step.children_steps:
        states = [steps[name].state for name in step.children_steps if name in steps]
    elif step.children:
        states = [str(entry.get("state", "")) for entry in step.children if isinstance(entry, dict)]
    else:
        return 0, 0, 0
    ended = sum(1 for state in states if is_final(state) or state in FAILED_STATES)
    failed = sum(1 for state in states if state in FAILED_STATES)
    return len(states), ended, failed


def step_view(step: StepRun, steps: Mapping[str, StepRun]) -> StepRunView:
    total, ended, failed = _children_counts(step, steps) if step.definition.foreach else (0, 0, 0)
    return StepRunView(str(step.state), step.try_count, total, ended, failed, step.dry_run is not None, step.error)


def run_views(resolution: Resolution) -> dict[str, StepRunView]:
    """One view per template step (foreach children are summed up on their parent)."""
    steps = resolution.steps
    return {name: step_view(step, steps) for name, step in steps.items() if not step.is_child}

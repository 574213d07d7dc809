"""End of run (spec §10.5, §11.3): the resolution state by priority and the next retry time."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from engine.model.run import StepRun
from engine.model.states import ResolutionState, StepState, is_retriable, resolution_flag

__all__ = ["next_retry_delay", "resolution_state_of", "retry_delay", "retry_due"]

_PRIORITY = (ResolutionState.CRASHED, ResolutionState.BLOCKED_FATAL, ResolutionState.BLOCKED_BADREQUEST,
             ResolutionState.ERROR, ResolutionState.WAITING, ResolutionState.BLOCKED_DEADLOCK)
HOUR = 3600.0


def resolution_state_of(steps: Iterable[StepRun], shutting_down: bool = False) -> str:
    flags: set[str] = set()
    for step in steps:
        flag = resolution_flag(step.state)
        if flag == ResolutionState.BLOCKED_DEADLOCK and shutting_down:
            flag = ResolutionState.CRASHED
        if flag is not None:
            flags.add(flag)
    for state in _PRIORITY:
        if state in flags:
            return state
    return ResolutionState.DONE


def retry_delay(pattern: str, tries: int) -> float:
    """Seconds before retrying a step with `tries` executions, per its `retry_pattern`."""
    if pattern == "minutes":
        return min(1.6 * tries * 60, 30 * 60.0)
    if pattern == "hours":
        return min(HOUR + (tries - 1) * 600, 3 * HOUR)
    return min(max(8 * 1.25 ** tries, 8.0), 600.0)


def retry_due(state: str, next_retry: datetime.datetime | None, last_start: datetime.datetime | None,
              now: datetime.datetime) -> bool:
    """Whether µTask's retry collector picks a resolution at `now` (§11.1): ERROR with `next_retry` past,
    WAITING woken (`last_start < next_retry < now`)."""
    if next_retry is None or next_retry >= now:
        return False
    return state == ResolutionState.ERROR or (
        state == ResolutionState.WAITING and last_start is not None and last_start < next_retry)


def next_retry_delay(steps: Iterable[StepRun]) -> datetime.timedelta:
    delays = [retry_delay(s.definition.retry_pattern, s.try_count) for s in steps if is_retriable(s.state)]
    return datetime.timedelta(seconds=min([HOUR, *delays]))


__all__ += ["StepState"]

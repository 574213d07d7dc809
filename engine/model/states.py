"""Step, resolution and task states, with µTask's classification of step states (spec §6.2, §11.1)."""

from __future__ import annotations

import enum

__all__ = ["ResolutionState", "StepState", "TaskState", "is_final", "is_retriable", "is_runnable",
           "resolution_flag", "runs_check_conditions"]


class StepState(enum.StrEnum):
    """Built-in step states; a step may also be in one of its custom states (any other string)."""

    TODO = "TODO"  # not run yet
    WAITING = "WAITING"  # waiting for something outside (subtask, callback, batch)
    RUNNING = "RUNNING"  # being executed right now
    DONE = "DONE"  # succeeded
    CLIENT_ERROR = "CLIENT_ERROR"  # a request error that needs a human before it can succeed
    SERVER_ERROR = "SERVER_ERROR"  # a failure that may go away; retried with back-off
    FATAL_ERROR = "FATAL_ERROR"  # cannot succeed as configured (templating, schema, max retries…)
    CRASHED = "CRASHED"  # was running when its engine died, and is not idempotent
    PRUNE = "PRUNE"  # will not run: an upstream choice made it pointless
    TO_RETRY = "TO_RETRY"  # to be executed again by a later run
    RETRY_NOW = "RETRY_NOW"  # to be executed again within this run (loops)
    AFTERRUN_ERROR = "AFTERRUN_ERROR"  # its check conditions could not be evaluated
    EXPANDED = "EXPANDED"  # a foreach parent whose children exist
    ANY = "ANY"  # only in dependencies: any final state


class ResolutionState(enum.StrEnum):
    TODO = "TODO"
    TO_AUTORUN = "TO_AUTORUN"
    TO_AUTORUN_DELAYED = "TO_AUTORUN_DELAYED"
    AUTORUNNING = "AUTORUNNING"
    RETRY = "RETRY"
    RUNNING = "RUNNING"
    DONE = "DONE"
    ERROR = "ERROR"
    WAITING = "WAITING"
    CRASHED = "CRASHED"
    BLOCKED_BADREQUEST = "BLOCKED_BADREQUEST"
    BLOCKED_FATAL = "BLOCKED_FATAL"
    BLOCKED_DEADLOCK = "BLOCKED_DEADLOCK"
    BLOCKED_MAXRETRIES = "BLOCKED_MAXRETRIES"
    BLOCKED_TOCHECK = "BLOCKED_TOCHECK"
    PAUSED = "PAUSED"
    CANCELLED = "CANCELLED"


class TaskState(enum.StrEnum):
    TODO = "TODO"
    RUNNING = "RUNNING"
    DONE = "DONE"
    BLOCKED = "BLOCKED"
    DELAYED = "DELAYED"
    CANCELLED = "CANCELLED"
    WONTFIX = "WONTFIX"
    WAITING = "WAITING"


_BUILTIN = frozenset(StepState)
_RUNNABLE = frozenset({StepState.TODO, StepState.CLIENT_ERROR, StepState.SERVER_ERROR, StepState.FATAL_ERROR,
                       StepState.CRASHED, StepState.TO_RETRY, StepState.RETRY_NOW, StepState.AFTERRUN_ERROR,
                       StepState.EXPANDED, StepState.WAITING})
_RETRIABLE = frozenset({StepState.SERVER_ERROR, StepState.TO_RETRY, StepState.AFTERRUN_ERROR})
_CHECKED_AFTER = frozenset({StepState.DONE, StepState.CLIENT_ERROR, StepState.AFTERRUN_ERROR})
# Which resolution state a step state asks for at the end of a run (custom states, DONE, PRUNE: none).
_FLAGS = {
    StepState.CLIENT_ERROR: ResolutionState.BLOCKED_BADREQUEST,
    StepState.FATAL_ERROR: ResolutionState.BLOCKED_FATAL,
    StepState.SERVER_ERROR: ResolutionState.ERROR,
    StepState.TO_RETRY: ResolutionState.ERROR,
    StepState.AFTERRUN_ERROR: ResolutionState.ERROR,
    StepState.RUNNING: ResolutionState.CRASHED,
    StepState.WAITING: ResolutionState.WAITING,
    StepState.TODO: ResolutionState.BLOCKED_DEADLOCK,
}


def is_runnable(state: str) -> bool:
    """May be picked by a run (which does not mean it will run now: see eligibility)."""
    return state in _RUNNABLE


def is_final(state: str) -> bool:
    """DONE, PRUNE and every custom state."""
    return state != StepState.RUNNING and state not in _RUNNABLE


def is_retriable(state: str) -> bool:
    """Counts for the back-off that schedules the next run."""
    return state in _RETRIABLE


def runs_check_conditions(state: str) -> bool:
    """Check conditions are evaluated only after these outcomes."""
    return state in _CHECKED_AFTER


def resolution_flag(state: str) -> ResolutionState | None:
    """The resolution state this step state pushes for at the end of a run, if any."""
    return _FLAGS.get(state) if state in _BUILTIN else None  # type: ignore[call-overload]

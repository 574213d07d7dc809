"""A run's execution attempts rebuilt from its state changes: pure data for the timeline (`studio.run.timeline`).

Attempts come from state changes (`AuditEntry`s of the store, or records the run panel builds from engine events
with `field="state"`): RUNNING opens an attempt, the next state closes it. The store coalesces the writes of one
engine pass, so several tries (RETRY_NOW loops) may land in one write: its `try_count` jump tells how many, and its
`last_run` when the last one started; the earlier ones are shown splitting the time before it, marked approximate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from engine.model.run import Resolution

__all__ = ["Attempt", "RunAttempts", "StateChange", "attempts_of", "run_attempts", "step_rows"]

_OPENING = frozenset({"RUNNING", "EXPANDED"})


class StateChange(Protocol):
    """What the timeline reads of an audit entry (`engine.store.AuditEntry` fits)."""

    @property
    def step(self) -> str | None: ...
    @property
    def field(self) -> str: ...
    @property
    def old(self) -> Any: ...
    @property
    def new(self) -> Any: ...
    @property
    def at(self) -> dt.datetime: ...


@dataclass(frozen=True, slots=True)
class Attempt:
    step: str
    row: int
    start: dt.datetime
    end: dt.datetime
    state: str  # the state the attempt ended in (RUNNING while it goes on)
    number: int  # 1-based try number of the step
    approximate: bool = False  # written together with other tries: start/end estimated
    ongoing: bool = False

    @property
    def duration(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(slots=True)
class _Write:
    at: dt.datetime
    state: str | None = None
    tries: int = 0
    last_run: dt.datetime | None = None
    removed: bool = False  # a foreach child deleted at contraction


def _writes(changes: Sequence[StateChange]) -> dict[str, list[_Write]]:
    """Per step, its writes (entries sharing one `at`) in order."""
    per_step: dict[str, list[_Write]] = {}
    for change in changes:
        if change.step is None:
            continue
        writes = per_step.setdefault(change.step, [])
        if not writes or writes[-1].at != change.at:
            writes.append(_Write(change.at))
        write = writes[-1]
        if change.field == "state" or (change.field == "step" and change.new is not None):
            write.state = str(change.new)
        elif change.field == "step":
            write.removed = True
        elif change.field == "try_count" and isinstance(change.new, int):
            write.tries += change.new - (change.old if isinstance(change.old, int) else 0)
        elif change.field == "last_run" and isinstance(change.new, dt.datetime):
            write.last_run = change.new
    return per_step


def _run_starts(changes: Sequence[StateChange]) -> list[dt.datetime]:
    return [change.at for change in changes if change.step is None and change.field == "state"
            and change.new == "RUNNING"]


def attempts_of(step: str, row: int, writes: Sequence[_Write], run_starts: Sequence[dt.datetime],
                now: dt.datetime, final_state: str = "DONE") -> list[Attempt]:
    """The execution attempts of one step from its writes (see the module's docstring). `final_state`: how a
    foreach child removed while still recorded RUNNING ended (its parent's `children` record)."""
    found: list[Attempt] = []
    opened: dt.datetime | None = None
    previous_end: dt.datetime | None = None
    for write in writes:
        if write.state in _OPENING:
            opened = write.last_run or write.at
            continue
        if write.removed and write.state is None:
            if opened is not None:
                found.append(Attempt(step, row, opened, write.at, final_state, len(found) + 1))
            opened = None
            continue
        if write.state is None and write.tries <= 0:
            continue
        count = write.tries if write.tries > 0 else (1 if opened is not None else 0)
        window = opened or max([t for t in run_starts if t <= write.at] + ([previous_end] if previous_end else []),
                               default=write.at)
        last_start = max(window, min(write.last_run or window, write.at))
        state = write.state or (found[-1].state if found else "DONE")
        found += _split(step, row, len(found) + 1, window, last_start, count - 1)
        if count:
            found.append(Attempt(step, row, last_start, write.at, state, len(found) + 1))
        opened, previous_end = None, write.at
    if opened is not None:
        found.append(Attempt(step, row, opened, max(now, opened), "RUNNING", len(found) + 1, ongoing=True))
    return found


def _split(step: str, row: int, first: int, start: dt.datetime, end: dt.datetime, count: int) -> list[Attempt]:
    """`count` earlier tries recorded in one write: they share the time before the last try evenly."""
    if count <= 0:
        return []
    share = (end - start) / count
    return [Attempt(step, row, start + share * i, start + share * (i + 1), "RETRY_NOW", first + i, approximate=True)
            for i in range(count)]


def _children_final_states(resolution: Resolution) -> dict[str, str]:
    """`<parent>-<i>` → the state its parent recorded for child i (children are gone after contraction)."""
    finals: dict[str, str] = {}
    for name, step in resolution.steps.items():
        for index, child in enumerate(step.children or []):
            if isinstance(child, dict) and child.get("state"):
                finals[f"{name}-{index}"] = str(child["state"])
    return finals


def step_rows(resolution: Resolution, changes: Sequence[StateChange]) -> list[str]:
    """The resolution's steps in document order; steps known only from the trail (removed foreach children)
    follow their parent (`<parent>-<i>`)."""
    rows = list(resolution.steps)
    known = set(rows)
    for name in dict.fromkeys(change.step for change in changes if change.step):
        if name is None or name in known:
            continue
        parent = name.rpartition("-")[0]
        siblings = [i for i, row in enumerate(rows) if row == parent or row.startswith(parent + "-")]
        rows.insert(siblings[-1] + 1 if parent and siblings else len(rows), name)
        known.add(name)
    return rows


@dataclass(frozen=True, slots=True)
class RunAttempts:
    """What the timeline shows of a run: one row per step, its state and its attempts."""

    rows: list[str]
    states: list[str]  # each row's current state (the last attempt's for steps known only from the trail)
    attempts: list[list[Attempt]]  # per row
    children: frozenset[str]  # rows that are foreach children
    run_starts: list[dt.datetime]  # when the resolution was (re)started
    now: dt.datetime  # where ongoing attempts end: the present while the run runs, else its last record

    @property
    def flat(self) -> list[Attempt]:
        return [attempt for row in self.attempts for attempt in row]


def run_attempts(resolution: Resolution, changes: Sequence[StateChange]) -> RunAttempts:
    """Every step's attempts in `resolution` from its trail of state changes (`changes`, any order of steps)."""
    rows = step_rows(resolution, changes)
    writes = _writes(changes)
    starts = _run_starts(changes)
    now = dt.datetime.now(dt.UTC) if resolution.state == "RUNNING" else max(
        [resolution.last_stop or dt.datetime.min.replace(tzinfo=dt.UTC)] + [e.at for e in changes],
        default=dt.datetime.now(dt.UTC))
    finals = _children_final_states(resolution)
    attempts = [attempts_of(name, row, writes.get(name, []), starts, now, finals.get(name, "DONE"))
                for row, name in enumerate(rows)]
    states = [resolution.steps[name].state if name in resolution.steps else (
        attempts[row][-1].state if attempts[row] else "TODO") for row, name in enumerate(rows)]
    children = frozenset(name for name in rows if name not in resolution.steps or resolution.steps[name].is_child)
    return RunAttempts(rows, states, attempts, children, starts, now)

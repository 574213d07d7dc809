"""The persistence boundary of the engine: what a run writes, and an in-memory implementation.

`RunRecorder` is what `engine/store` implements for SQLite. The engine calls

* `save_task(task, reason)` / `save_resolution(resolution, reason)`: the record (creation, start and end of
  a run, administrative edits); a persistent recorder writes only what changed since its last write;
* `save_steps(task, resolution, changes, reason)`: after each processed result of a run, the steps named in
  `changes` (name → reason) changed — a name no longer in `resolution.steps` was removed (a contracted
  foreach child), a name the recorder has not seen yet was added (an expanded child) —, and task or
  resolution fields may have changed too (tags set by the `tag` action, crash recovery's states; `reason`
  is their "why"). Incremental writes, written together (one transaction when the backend has them); the
  reasons of `changes` are the audit trail's "why" of each step;
* `load(resolution_id)`: the task and resolution to run (None when unknown);
* `due_retries(now)`: the ids of the recorded resolutions whose scheduled retry is due at `now` — how the
  retry collector of an engine started after a restart finds the retries scheduled before it.

`MemoryRecorder` keeps the records in dictionaries (used by tests and the conformance runner);
`engine.run.store_recorder.StoreRecorder` writes them to the SQLite store.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Protocol

from engine.model.run import Resolution, Task
from engine.run.outcome import retry_due

__all__ = ["MemoryRecorder", "RunRecorder"]


class RunRecorder(Protocol):
    async def save_task(self, task: Task, reason: str = "save") -> None: ...

    async def save_resolution(self, resolution: Resolution, reason: str = "save") -> None: ...

    async def save_steps(self, task: Task, resolution: Resolution, changes: Mapping[str, str],
                         reason: str = "result") -> None: ...

    async def load(self, resolution_id: str) -> tuple[Task, Resolution] | None: ...

    async def due_retries(self, now: datetime.datetime) -> list[str]: ...


class MemoryRecorder:
    """Records kept in memory; `step_writes` counts incremental writes (handy in tests)."""

    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}
        self.resolutions: dict[str, Resolution] = {}
        self.step_writes = 0

    async def save_task(self, task: Task, reason: str = "save") -> None:
        self.tasks[task.id] = task

    async def save_resolution(self, resolution: Resolution, reason: str = "save") -> None:
        self.resolutions[resolution.id] = resolution

    async def save_steps(self, task: Task, resolution: Resolution, changes: Mapping[str, str],
                         reason: str = "result") -> None:
        self.step_writes += sum(1 for name in changes if name in resolution.steps)

    async def load(self, resolution_id: str) -> tuple[Task, Resolution] | None:
        resolution = self.resolutions.get(resolution_id)
        if resolution is None:
            return None
        task = self.tasks.get(resolution.task_id)
        return None if task is None else (task, resolution)

    async def due_retries(self, now: datetime.datetime) -> list[str]:
        due = [r for r in self.resolutions.values() if retry_due(r.state, r.next_retry, r.last_start, now)]
        return [r.id for r in sorted(due, key=lambda r: (r.next_retry, r.id))]

    def task_by_id(self, task_id: str) -> Task | None:
        return self.tasks.get(task_id)

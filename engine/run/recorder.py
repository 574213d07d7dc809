"""The persistence boundary of the engine: what a run writes, and an in-memory implementation.

`RunRecorder` is what `engine/store` implements for SQLite. The engine calls

* `save_task(task)` / `save_resolution(resolution)`: the whole record (creation, start and end of a run,
  administrative edits);
* `save_step(resolution_id, step, reason)`: one step after each state/data change during a run
  (incremental writes; `reason` is the audit trail's "why");
* `load(resolution_id)`: the task and resolution to run (None when unknown).

`MemoryRecorder` keeps the records in dictionaries (used by tests and the conformance runner).
"""

from __future__ import annotations

from typing import Protocol

from engine.model.run import Resolution, StepRun, Task

__all__ = ["MemoryRecorder", "RunRecorder"]


class RunRecorder(Protocol):
    async def save_task(self, task: Task) -> None: ...

    async def save_resolution(self, resolution: Resolution) -> None: ...

    async def save_step(self, resolution_id: str, step: StepRun, reason: str) -> None: ...

    async def load(self, resolution_id: str) -> tuple[Task, Resolution] | None: ...


class MemoryRecorder:
    """Records kept in memory; `step_writes` counts incremental writes (handy in tests)."""

    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}
        self.resolutions: dict[str, Resolution] = {}
        self.step_writes = 0

    async def save_task(self, task: Task) -> None:
        self.tasks[task.id] = task

    async def save_resolution(self, resolution: Resolution) -> None:
        self.resolutions[resolution.id] = resolution

    async def save_step(self, resolution_id: str, step: StepRun, reason: str) -> None:
        self.step_writes += 1

    async def load(self, resolution_id: str) -> tuple[Task, Resolution] | None:
        resolution = self.resolutions.get(resolution_id)
        if resolution is None:
            return None
        task = self.tasks.get(resolution.task_id)
        return None if task is None else (task, resolution)

    def task_by_id(self, task_id: str) -> Task | None:
        return self.tasks.get(task_id)

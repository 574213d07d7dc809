"""`StoreRecorder`: the engine's `RunRecorder` over the SQLite store (`engine.store`), incremental.

The recorder remembers, per record, the values it last wrote (or loaded). Each call writes only the fields
that differ since then, audited (field, from → to, when, the reason given by the engine; the fields of one
step change share one audit row). Values are encoded once, to compare them and to write them:

* `save_task` / `save_resolution`: a record the recorder has never seen is created (`Store.create_task` /
  `Store.create_resolution`, with every step); otherwise `update_task` / `update_resolution` with the changed
  fields only;
* `save_steps`: per step named, its changed fields (`StepChange`), a new step (an expanded foreach child) is
  inserted (`add_steps`), a step gone from the resolution (a contracted child) is deleted (`remove_steps`),
  and the task's tags when the `tag` action changed them. The writes of one call are issued together and
  land in one transaction (the store's group commit), so a kill never leaves half of a processed result —
  an EXPANDED parent without its children, say.

A step's `definition` is written when the step is inserted and never diffed (the engine does not change
it). Dry-run records (`StepRun.dry_run`) are persisted like outputs (schema version 2).
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from engine.model.run import Resolution, StepRun, Task
from engine.store import NotFoundError, StepChange, Store
from engine.store.records import RESOLUTION_COLUMNS, STEP_COLUMNS, TASK_COLUMNS

__all__ = ["StoreRecorder"]

# Fields compared as Python values (immutable scalars), as encoded JSON (mutable or nested values), or as
# a tuple of their elements (conditions: the engine replaces elements, models are never mutated).
_STEP_SCALARS = ("state", "error", "try_count", "max_retries", "last_run")
_STEP_JSON = ("output", "metadata", "children", "item", "children_steps", "tags", "dependencies", "dry_run")
_RESOLUTION_FIELDS = tuple(RESOLUTION_COLUMNS)
_TASK_FIELDS = (*TASK_COLUMNS, "tags")

Snapshot = dict[str, Any]


# (field, its encoder, what it stores for None): the JSON fields, with fast paths for what most steps hold
# (None, empty lists and maps): a large run's flush encodes every one of them for thousands of steps.
_JSON_ENCODERS = tuple((name, STEP_COLUMNS[name].to_db, STEP_COLUMNS[name].to_db(None)) for name in _STEP_JSON)


def _encoded(value: Any, to_db: Callable[[Any], Any], of_none: Any) -> Any:
    if value is None:
        return of_none
    kind = type(value)
    if kind is list and not value:
        return "[]"
    if kind is dict and not value:
        return "{}"
    return to_db(value)


def _step_snapshot(step: StepRun) -> Snapshot:
    snap: Snapshot = {name: getattr(step, name) for name in _STEP_SCALARS}
    for name, to_db, of_none in _JSON_ENCODERS:
        snap[name] = _encoded(getattr(step, name), to_db, of_none)
    snap["conditions"] = tuple(step.conditions)
    return snap


def _step_changes(step: StepRun, old: Snapshot) -> tuple[dict[str, Any], Snapshot]:
    """(changed fields → their stored values, the new snapshot): each value is encoded once, to compare it
    and to write it."""
    new: Snapshot = {}
    changed: dict[str, Any] = {}
    for name in _STEP_SCALARS:
        value = getattr(step, name)
        new[name] = value
        if value != old[name]:
            changed[name] = STEP_COLUMNS[name].to_db(value)
    for name, to_db, of_none in _JSON_ENCODERS:
        encoded = _encoded(getattr(step, name), to_db, of_none)
        new[name] = encoded
        if encoded != old[name]:
            changed[name] = encoded
    conditions = tuple(step.conditions)
    new["conditions"] = conditions
    if conditions != old["conditions"]:
        changed["conditions"] = STEP_COLUMNS["conditions"].to_db(list(conditions))
    return changed, new


_Writes = dict[str, tuple[list[StepRun], list[str], list[StepChange]]]  # reason → (added, removed, changed)


def _step_writes(resolution: Resolution, changes: Mapping[str, str], known: Mapping[str, Snapshot],
                 ) -> tuple[_Writes, dict[str, Snapshot | None]]:
    """The writes of the steps named in `changes`, by reason, and their new snapshots (None: removed)."""
    by_reason: _Writes = {}
    snapshots: dict[str, Snapshot | None] = {}
    for name, why in changes.items():
        step = resolution.steps.get(name)
        old = known.get(name)
        if step is None:
            if old is not None:
                by_reason.setdefault(why, ([], [], []))[1].append(name)
                snapshots[name] = None
            continue
        if old is None:
            by_reason.setdefault(why, ([], [], []))[0].append(step)
            snapshots[name] = _step_snapshot(step)
            continue
        fields, snapshots[name] = _step_changes(step, old)
        if fields:
            by_reason.setdefault(why, ([], [], []))[2].append(StepChange(name, fields, encoded=True))
    return by_reason, snapshots


def _record_snapshot(record: Task | Resolution, fields: tuple[str, ...]) -> Snapshot:
    columns = {**RESOLUTION_COLUMNS} if isinstance(record, Resolution) else {**TASK_COLUMNS}
    snap: Snapshot = {}
    for name in fields:
        value = getattr(record, name)
        snap[name] = dict(value) if name == "tags" else columns[name].to_db(value)
    return snap


def _diff(record: Task | Resolution, fields: tuple[str, ...], old: Snapshot) -> tuple[dict[str, Any], Snapshot]:
    new = _record_snapshot(record, fields)
    return {name: getattr(record, name) for name in fields if new[name] != old.get(name)}, new


class StoreRecorder:
    """A `RunRecorder` writing to an open `Store` (the caller opens and closes it)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._tasks: dict[str, Snapshot] = {}
        self._resolutions: dict[str, Snapshot] = {}
        self._steps: dict[str, dict[str, Snapshot]] = {}  # resolution id → step name → snapshot
        self._live_tasks: dict[str, Task] = {}  # the objects saved or loaded, returned again by `load`
        self._live: dict[str, Resolution] = {}
        self.writes = 0  # store calls made (handy in tests and benchmarks)

    # -------------------------------------------------------------------------------- tasks, resolutions

    async def save_task(self, task: Task, reason: str = "save") -> None:
        old = self._tasks.get(task.id)
        if old is None:
            await self.store.create_task(task, reason=reason)
            self.writes += 1
            self._live_tasks[task.id] = task
            self._tasks[task.id] = _record_snapshot(task, _TASK_FIELDS)
            return
        changed, self._tasks[task.id] = _diff(task, _TASK_FIELDS, old)
        if changed:
            await self.store.update_task(task.id, reason, **changed)
            self.writes += 1

    async def save_resolution(self, resolution: Resolution, reason: str = "save") -> None:
        old = self._resolutions.get(resolution.id)
        if old is None:
            await self.store.create_resolution(resolution, reason=reason)
            self.writes += 1
            self._live[resolution.id] = resolution
            self._resolutions[resolution.id] = _record_snapshot(resolution, _RESOLUTION_FIELDS)
            self._steps[resolution.id] = {name: _step_snapshot(step) for name, step in resolution.steps.items()}
            return
        changed, self._resolutions[resolution.id] = _diff(resolution, _RESOLUTION_FIELDS, old)
        if changed:
            await self.store.update_resolution(resolution.id, reason, **changed)
            self.writes += 1

    # ------------------------------------------------------------------------------------------- steps

    async def save_steps(self, task: Task, resolution: Resolution, changes: Mapping[str, str],
                         reason: str = "result") -> None:
        known = self._steps.setdefault(resolution.id, {})
        by_reason, snapshots = _step_writes(resolution, changes, known)
        calls: list[Awaitable[int]] = [
            self.store.apply(resolution.id, why, add=add, remove=remove, steps=steps)
            for why, (add, remove, steps) in by_reason.items()]
        # The task (tags set by the `tag` action, states set by crash recovery) and resolution fields, in the
        # same transaction.
        new_task: Snapshot | None = None
        new_resolution: Snapshot | None = None
        old_task = self._tasks.get(task.id)
        if old_task is not None:
            task_fields, new_task = _diff(task, _TASK_FIELDS, old_task)
            if task_fields:
                calls.append(self.store.update_task(task.id, reason, **task_fields))
        old_resolution = self._resolutions.get(resolution.id)
        if old_resolution is not None:
            resolution_fields, new_resolution = _diff(resolution, _RESOLUTION_FIELDS, old_resolution)
            if resolution_fields:
                calls.append(self.store.update_resolution(resolution.id, reason, **resolution_fields))
        if not calls:
            return
        # Issued in the same turn of the event loop: the store commits them in one transaction.
        await asyncio.gather(*calls)
        self.writes += len(calls)
        for name, snap in snapshots.items():
            if snap is None:
                known.pop(name, None)
            else:
                known[name] = snap
        if new_task is not None:
            self._tasks[task.id] = new_task
        if new_resolution is not None:
            self._resolutions[resolution.id] = new_resolution

    # -------------------------------------------------------------------------------------------- load

    async def due_retries(self, now: datetime.datetime) -> list[str]:
        """Stored resolutions whose retry is due (`next_retry` is a column: it survives the process)."""
        return [info.id for info in await self.store.due_retries(now)]

    async def load(self, resolution_id: str) -> tuple[Task, Resolution] | None:
        """The records this recorder saved or loaded before (the same objects), else read from the store."""
        live = self._live.get(resolution_id)
        if live is not None and live.task_id in self._live_tasks:
            return self._live_tasks[live.task_id], live
        try:
            resolution = await self.store.load_resolution(resolution_id)
            task = await self.store.load_task(resolution.task_id)
        except NotFoundError:
            return None
        self._tasks[task.id] = _record_snapshot(task, _TASK_FIELDS)
        self._resolutions[resolution.id] = _record_snapshot(resolution, _RESOLUTION_FIELDS)
        self._steps[resolution.id] = {name: _step_snapshot(step) for name, step in resolution.steps.items()}
        self._live_tasks[task.id], self._live[resolution.id] = task, resolution
        return task, resolution

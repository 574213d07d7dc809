"""The async store API: templates, tasks, resolutions, incremental step changes, audit trail, plugin tables.

Values are encoded when a method is called, so the caller may change its objects as soon as the call is
made; the write itself is committed when the coroutine returns (see `engine.store.connection`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections.abc import Callable, Generator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from engine.model.run import Resolution, StepRun, Task
from engine.model.template import Template
from engine.store import extras, reads, writes
from engine.store.codec import datetime_text, encode
from engine.store.connection import Database, Op
from engine.store.models import dump_model
from engine.store.records import (
    RESOLUTION_COLUMNS,
    STEP_COLUMNS,
    TASK_COLUMNS,
    AuditEntry,
    Callback,
    Column,
    ResolutionInfo,
    StepChange,
    StoredTemplate,
    step_row,
)

__all__ = ["Store"]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fields(columns: Mapping[str, Column], fields: Mapping[str, Any], what: str) -> writes.Fields:
    unknown = sorted(set(fields) - columns.keys())
    if unknown:
        raise ValueError(f"not {what} fields: {', '.join(unknown)} (known: {', '.join(columns)})")
    return tuple((name, columns[name].to_db(value)) for name, value in fields.items())


def _tags(tags: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in tags.items()):
        raise TypeError("task tags must map strings to strings")
    return tuple(sorted(tags.items()))


def _encoded_steps(steps: Mapping[str, StepRun] | Sequence[StepRun]) -> tuple[writes.EncodedStep, ...]:
    pairs = steps.items() if isinstance(steps, Mapping) else ((step.name, step) for step in steps)
    encoded = []
    for name, step in pairs:
        if step.name != name:
            raise ValueError(f"step {step.name!r} is filed under the name {name!r}")
        encoded.append((name, tuple(step_row(step))))
    return tuple(encoded)


class _Opening:
    """`await Store.open(path)` or `async with Store.open(path) as store:` (closed at the end)."""

    def __init__(self, path: str, busy_timeout: float, clock: Callable[[], dt.datetime]) -> None:
        self._args = (path, busy_timeout, clock)
        self._store: Store | None = None

    async def _open(self) -> Store:
        path, busy_timeout, clock = self._args
        return Store(await Database.open(path, busy_timeout), clock)

    def __await__(self) -> Generator[Any, None, Store]:
        return self._open().__await__()

    async def __aenter__(self) -> Store:
        self._store = await self._open()
        return self._store

    async def __aexit__(self, *exc_info: object) -> None:
        if self._store is not None:
            await self._store.close()


class Store:
    """Templates, tasks, resolutions, their steps and the audit trail, in one SQLite file."""

    def __init__(self, db: Database, clock: Callable[[], dt.datetime]) -> None:
        self._db = db
        self._clock = clock
        self._write = db.write
        self._read = db.read

    @staticmethod
    def open(path: str | Path, *, busy_timeout: float = 5.0, clock: Callable[[], dt.datetime] = _utc_now) -> _Opening:
        """Open (creating it if needed) and migrate the database at `path`; `clock` gives aware datetimes."""
        return _Opening(str(path), busy_timeout, clock)

    @property
    def path(self) -> str:
        return self._db.path

    @property
    def schema_version(self) -> int:
        return self._db.schema_version

    async def close(self) -> None:
        """Wait for queued writes, then close the connection."""
        await self._db.close()

    async def total_changes(self) -> int:
        """Rows inserted, updated or deleted through this store's connection since it was opened."""
        return await self._db.total_changes()

    async def integrity_check(self) -> list[str]:
        """SQLite's integrity and foreign-key checks: an empty list when the file is sound."""
        return await self._db.integrity_check()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def _now(self) -> str:
        return datetime_text(self._clock())

    # -- templates -----------------------------------------------------------------------------------------

    async def save_template(self, template: Template, source: str | None = None) -> StoredTemplate:
        """Insert or replace a template by normalized name, with its YAML source text when known."""
        body = dump_model(template)
        updated = self._clock()
        row = (template.normalized_name, template.name, source, body, hashlib.sha256(body.encode()).hexdigest(),
               datetime_text(updated))
        await self._write(functools.partial(writes.save_template, row=row))
        return StoredTemplate(template.name, row[0], template, source, row[4], updated)

    async def get_template(self, name: str) -> StoredTemplate:
        return await self._read(functools.partial(reads.get_template, normalized=name.strip().lower()))

    async def list_templates(self) -> list[StoredTemplate]:
        return await self._read(reads.list_templates)

    async def delete_template(self, name: str) -> bool:
        """Delete a template; refused while tasks use it."""
        return bool(await self._write(functools.partial(writes.delete_template, normalized=name.strip().lower())))

    # -- tasks and resolutions -----------------------------------------------------------------------------

    async def create_task(self, task: Task, resolution: Resolution | None = None, reason: str = "created") -> None:
        """Store a new task, and its resolution with every step, in one transaction.

        Missing dates are filled in on the objects (`created`, `last_activity`), and `task.resolution_id`.
        """
        if resolution is not None and resolution.task_id != task.id:
            raise ValueError(f"resolution {resolution.id} belongs to task {resolution.task_id}, not {task.id}")
        now = self._clock()
        task.created = task.created or now
        task.last_activity = task.last_activity or now
        at = datetime_text(now)
        row = (task.id, task.template_name, *(column.to_db(getattr(task, name)) for name, column in
                                              TASK_COLUMNS.items()),
               datetime_text(task.created), datetime_text(task.last_activity))
        audit = [(task.id, None, None, "state", None, encode(task.state), at, reason)]
        tags = _tags(task.tags)
        ops: list[Op] = [functools.partial(writes.insert_task, task=row, tags=tags, audit=audit)]
        if resolution is not None:
            ops.append(self._resolution_op(resolution, now, reason))
            task.resolution_id = resolution.id
        await self._write(lambda conn: [op(conn) for op in ops])

    def _resolution_op(self, resolution: Resolution, now: dt.datetime, reason: str) -> Op:
        resolution.created = resolution.created or now
        row = (resolution.id, resolution.task_id,
               *(column.to_db(getattr(resolution, name)) for name, column in RESOLUTION_COLUMNS.items()),
               datetime_text(resolution.created))
        audit = [(resolution.task_id, resolution.id, None, "state", None, encode(resolution.state),
                  datetime_text(now), reason)]
        return functools.partial(writes.insert_resolution, resolution=row, steps=_encoded_steps(resolution.steps),
                                 audit=audit)

    async def create_resolution(self, resolution: Resolution, reason: str = "created") -> None:
        """Store a resolution (with its steps) for a task that has none (e.g. after start-over)."""
        await self._write(self._resolution_op(resolution, self._clock(), reason))

    async def load_task(self, task_id: str) -> Task:
        return await self._read(functools.partial(reads.load_task, task_id=task_id))

    async def load_resolution(self, resolution_id: str, *, steps: bool = True) -> Resolution:
        """A resolution with all its steps (`steps=False`: with none)."""
        return await self._read(functools.partial(reads.load_resolution, resolution_id=resolution_id,
                                                  with_steps=steps))

    async def load_step(self, resolution_id: str, name: str) -> StepRun:
        return await self._read(functools.partial(reads.load_step, resolution_id=resolution_id, name=name))

    async def list_tasks(self, *, state: str | None = None, template: str | None = None,
                         tags: Mapping[str, str] | None = None, after: dt.datetime | None = None,
                         before: dt.datetime | None = None, requester: str | None = None, limit: int = 1000,
                         last: str | None = None) -> list[Task]:
        """Tasks matching every filter given, most recently active first. Tags match by containment. For the
        next page pass the id of the last task received as `last`."""
        return await self._read(functools.partial(
            reads.list_tasks, state=state, template=template, tags=tags, after=after, before=before,
            requester=requester, limit=limit, last=last))

    async def count_tasks(self, tags: Mapping[str, str] | None = None) -> dict[str, int]:
        """How many tasks are in each state (only states that have some)."""
        return await self._read(functools.partial(reads.count_tasks, tags=tags))

    async def list_resolutions(self, *, states: Sequence[str] | None = None, template: str | None = None,
                               task_id: str | None = None, limit: int = 1000,
                               last: str | None = None) -> list[ResolutionInfo]:
        """Resolutions (without steps), newest first; `last` pages like `list_tasks`."""
        return await self._read(functools.partial(reads.list_resolutions, states=states, template=template,
                                                  task_id=task_id, limit=limit, last=last))

    async def due_retries(self, now: dt.datetime) -> list[ResolutionInfo]:
        """Resolutions whose scheduled retry is due at `now` (ERROR past `next_retry`, WAITING woken), soonest
        first: what the retry collector of a restarted engine picks up."""
        return await self._read(functools.partial(reads.due_retries, now=datetime_text(now)))

    async def resumable_resolutions(self) -> list[ResolutionInfo]:
        """Resolutions a dead engine left behind: RUNNING or CRASHED (and the transient RETRY/AUTORUNNING)."""
        return await self._read(reads.resumable)

    async def delete_task(self, task_id: str) -> bool:
        """Delete a task and everything attached to it (resolution, steps, tags, audit, callbacks)."""
        return bool(await self._write(functools.partial(writes.delete_task, task_id=task_id)))

    async def delete_resolution(self, resolution_id: str, reason: str = "start over") -> bool:
        """Delete a resolution and its steps; the audit trail keeps its history until the task is deleted."""
        return bool(await self._write(functools.partial(writes.delete_resolution, resolution_id=resolution_id,
                                                        at=self._now(), reason=reason)))

    # -- incremental changes -------------------------------------------------------------------------------

    async def apply(self, resolution_id: str, reason: str, *, steps: Sequence[StepChange] = (),
                    add: Sequence[StepRun] = (), remove: Sequence[str] = (),
                    resolution: Mapping[str, Any] | None = None, task: Mapping[str, Any] | None = None) -> int:
        """Change a resolution in one transaction: remove steps, add steps, change step fields, resolution
        fields, task fields (`tags` included). Only fields whose stored value differs are written, each
        audited (from → to, `reason`; the fields one step change changed share one audit row); the task's
        last activity is bumped when anything changed. Returns the number of fields changed (the audit
        entries `audit_trail` reads back); raises `NotFoundError` (nothing written) for an unknown resolution
        or step."""
        task_fields = dict(task or {})
        tags = task_fields.pop("tags", None)
        changes = writes.Changes(
            reason=str(reason), at=self._now(), remove=tuple(remove), add=_encoded_steps(add),
            steps=tuple((change.step, tuple(change.fields.items()) if change.encoded
                         else _fields(STEP_COLUMNS, change.fields, "step")) for change in steps),
            resolution=_fields(RESOLUTION_COLUMNS, resolution or {}, "resolution"),
            task=_fields(TASK_COLUMNS, task_fields, "task"), tags=None if tags is None else _tags(tags))
        return int(await self._write(functools.partial(writes.apply_changes, task_id=None,
                                                       resolution_id=resolution_id, changes=changes)))

    async def update_steps(self, resolution_id: str, changes: Sequence[StepChange], reason: str) -> int:
        """Write the changed fields of some steps (see `apply`)."""
        return await self.apply(resolution_id, reason, steps=changes)

    async def add_steps(self, resolution_id: str, steps: Sequence[StepRun], reason: str) -> int:
        """Add steps (foreach children) to a resolution; audited as field `step`, null → state."""
        return await self.apply(resolution_id, reason, add=steps)

    async def remove_steps(self, resolution_id: str, names: Sequence[str], reason: str) -> int:
        """Remove steps (contracted foreach children); audited as field `step`, state → null."""
        return await self.apply(resolution_id, reason, remove=names)

    async def update_resolution(self, resolution_id: str, reason: str, **fields: Any) -> int:
        """Change resolution fields: state, run_count, run_max, next_retry, last_start, last_stop,
        resolver_inputs, base_configurations."""
        return await self.apply(resolution_id, reason, resolution=fields)

    async def update_task(self, task_id: str, reason: str, **fields: Any) -> int:
        """Change task fields: title, state, inputs, result, requester_username, resolver_username, tags."""
        tags = fields.pop("tags", None)
        changes = writes.Changes(reason=str(reason), at=self._now(), task=_fields(TASK_COLUMNS, fields, "task"),
                                 tags=None if tags is None else _tags(tags))
        return int(await self._write(functools.partial(writes.apply_changes, task_id=task_id, resolution_id=None,
                                                       changes=changes)))

    async def audit_trail(self, resolution_id: str, *, step: str | None = None) -> list[AuditEntry]:
        """What changed in a resolution (or one of its steps), oldest first."""
        return await self._read(functools.partial(reads.audit_trail, task_id=None, resolution_id=resolution_id,
                                                  step=step))

    async def task_audit(self, task_id: str) -> list[AuditEntry]:
        """Every audit row of a task and of its resolutions, oldest first."""
        return await self._read(functools.partial(reads.audit_trail, task_id=task_id, resolution_id=None,
                                                  step=None))

    # -- callback and cache plugins ------------------------------------------------------------------------

    async def create_callback(self, task_id: str, resolution_id: str, step: str, schema: Any = None, *,
                              callback_id: str | None = None, token: str | None = None) -> Callback:
        """A new callback; a fresh id and secret token unless given (the plugin makes its own)."""
        created = self._clock()
        callback = Callback(callback_id or str(uuid.uuid4()), token or str(uuid.uuid4()), task_id, resolution_id,
                            step, schema, created=created)
        row = (callback.id, callback.token, task_id, resolution_id, step,
               None if schema is None else encode(schema), datetime_text(created))
        await self._write(functools.partial(extras.create_callback, row=row))
        return callback

    async def get_callback(self, callback_id: str) -> Callback:
        return await self._read(functools.partial(extras.get_callback, callback_id=callback_id))

    async def list_callbacks(self, resolution_id: str, *, pending: bool = False) -> list[Callback]:
        """The callbacks of a resolution, oldest first; `pending`: only those not called yet."""
        return cast(list[Callback], await self._read(functools.partial(
            extras.list_callbacks, resolution_id=resolution_id, pending=pending)))

    async def resolve_callback(self, callback_id: str, token: str, body: Any) -> Callback:
        """Record a call (once); `NotFoundError` for an unknown id or a wrong token."""
        return cast(Callback, await self._write(functools.partial(
            extras.resolve_callback, callback_id=callback_id, token=token, body=encode(body), at=self._now())))

    async def cache_set(self, key: str, value: Any, ttl: float | None = None) -> None:
        """Store a value; `ttl` seconds (None or 0: never expires)."""
        expires = datetime_text(self._clock() + dt.timedelta(seconds=ttl)) if ttl else None
        await self._write(functools.partial(extras.cache_set, key=key, value=encode(value), expires_at=expires))

    async def cache_get(self, key: str) -> tuple[bool, Any]:
        """(hit, value); expired entries are deleted and missed."""
        return cast(tuple[bool, Any], await self._write(functools.partial(extras.cache_get, key=key,
                                                                          now=self._now())))

    async def cache_delete(self, key: str) -> bool:
        return bool(await self._write(functools.partial(extras.cache_delete, key=key)))

    async def cache_purge(self) -> int:
        """Delete every expired entry; return how many."""
        return int(await self._write(functools.partial(extras.cache_purge, now=self._now())))

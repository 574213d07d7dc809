"""Read operations, run inside one read transaction (a consistent snapshot) in the connection's thread."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from engine.model.run import Resolution, StepRun, Task
from engine.model.template import Template
from engine.store.codec import datetime_text, decode, encode, parse_datetime
from engine.store.errors import NotFoundError
from engine.store.models import load_model
from engine.store.records import (
    RESOLUTION_COLUMNS,
    STEP_COLUMNS,
    TASK_COLUMNS,
    AuditEntry,
    ResolutionInfo,
    StoredTemplate,
    step_from_row,
)
from engine.templating.gotypes import JSONNumber

__all__ = ["audit_trail", "count_tasks", "due_retries", "list_resolutions", "list_tasks", "load_resolution",
           "load_step", "load_task"]

_STEP_SELECT = f"SELECT name, {', '.join(STEP_COLUMNS)} FROM steps"
_RESOLUTION_SELECT = (f"SELECT id, task_id, created, {', '.join(RESOLUTION_COLUMNS)} FROM resolutions")
_TASK_SELECT = (f"SELECT t.id, t.template_name, t.created, t.last_activity, r.id, "
                f"{', '.join('t.' + name for name in TASK_COLUMNS)} "
                f"FROM tasks t LEFT JOIN resolutions r ON r.task_id = t.id")
_INFO_SELECT = ("SELECT r.id, r.task_id, t.template_name, t.title, r.state, r.run_count, r.run_max, r.next_retry, "
                "r.last_start, r.last_stop, r.created FROM resolutions r JOIN tasks t ON t.id = r.task_id")
RESUMABLE_STATES = ("RUNNING", "CRASHED", "RETRY", "AUTORUNNING")


def _date(text: str | None) -> dt.datetime | None:
    return None if text is None else parse_datetime(text)


def _task(row: Sequence[Any], tags: dict[str, str]) -> Task:
    values = {name: column.from_db(raw) for (name, column), raw in zip(TASK_COLUMNS.items(), row[5:], strict=True)}
    return Task(id=row[0], template_name=row[1], created=parse_datetime(row[2]), last_activity=parse_datetime(row[3]),
                resolution_id=row[4], tags=tags, **values)


def load_task(conn: sqlite3.Connection, task_id: str) -> Task:
    row = conn.execute(_TASK_SELECT + " WHERE t.id = ?", (task_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no task {task_id}")
    tags = conn.execute("SELECT key, value FROM task_tags WHERE task_id = ? ORDER BY key", (task_id,)).fetchall()
    return _task(row, dict(tags))


def load_resolution(conn: sqlite3.Connection, resolution_id: str, with_steps: bool = True) -> Resolution:
    row = conn.execute(_RESOLUTION_SELECT + " WHERE id = ?", (resolution_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no resolution {resolution_id}")
    values = {name: column.from_db(raw) for (name, column), raw in zip(RESOLUTION_COLUMNS.items(), row[3:],
                                                                         strict=True)}
    steps: dict[str, StepRun] = {}
    if with_steps:
        for step in conn.execute(_STEP_SELECT + " WHERE resolution_id = ? ORDER BY id", (resolution_id,)):
            steps[step[0]] = step_from_row(step[0], step[1:])
    return Resolution(id=row[0], task_id=row[1], created=parse_datetime(row[2]), steps=steps, **values)


def load_step(conn: sqlite3.Connection, resolution_id: str, name: str) -> StepRun:
    row = conn.execute(_STEP_SELECT + " WHERE resolution_id = ? AND name = ?", (resolution_id, name)).fetchone()
    if row is None:
        raise NotFoundError(f"resolution {resolution_id} has no step {name!r}")
    return step_from_row(row[0], row[1:])


def _tag_filters(tags: Mapping[str, str] | None, where: list[str], params: list[Any]) -> None:
    for key, value in (tags or {}).items():
        where.append("EXISTS (SELECT 1 FROM task_tags g WHERE g.task_id = t.id AND g.key = ? AND g.value = ?)")
        params += [key, value]


def list_tasks(conn: sqlite3.Connection, *, state: str | None, template: str | None,
               tags: Mapping[str, str] | None, after: dt.datetime | None, before: dt.datetime | None,
               requester: str | None, limit: int, last: str | None) -> list[Task]:
    """Tasks by last activity, newest first; `last` is the id of the last task of the previous page."""
    where: list[str] = []
    params: list[Any] = []
    for clause, value in (("t.state = ?", state), ("t.template_name = ?", template),
                          ("t.requester_username = ?", requester)):
        if value is not None:
            where.append(clause)
            params.append(value)
    _tag_filters(tags, where, params)
    if after is not None:
        where.append("t.last_activity > ?")
        params.append(datetime_text(after))
    if before is not None:
        where.append("t.last_activity < ?")
        params.append(datetime_text(before))
    if last is not None:
        cursor = conn.execute("SELECT last_activity, id FROM tasks WHERE id = ?", (last,)).fetchone()
        if cursor is None:
            raise NotFoundError(f"no task {last} (the `last` of a page)")
        where.append("(t.last_activity, t.id) < (?, ?)")
        params += list(cursor)
    sql = _TASK_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    rows = conn.execute(sql + " ORDER BY t.last_activity DESC, t.id DESC LIMIT ?", [*params, limit]).fetchall()
    tags_of: dict[str, dict[str, str]] = {row[0]: {} for row in rows}
    if rows:
        found = conn.execute("SELECT task_id, key, value FROM task_tags WHERE task_id IN "
                             "(SELECT value FROM json_each(?)) ORDER BY task_id, key", (encode(list(tags_of)),))
        for task_id, key, value in found:
            tags_of[task_id][key] = value
    return [_task(row, tags_of[row[0]]) for row in rows]


def count_tasks(conn: sqlite3.Connection, tags: Mapping[str, str] | None) -> dict[str, int]:
    """Number of tasks in each state (µTask's /unsecured/stats)."""
    where: list[str] = []
    params: list[Any] = []
    _tag_filters(tags, where, params)
    sql = "SELECT t.state, count(*) FROM tasks t" + (" WHERE " + " AND ".join(where) if where else "")
    return dict(conn.execute(sql + " GROUP BY t.state", params).fetchall())


def _info(row: Sequence[Any]) -> ResolutionInfo:
    return ResolutionInfo(id=row[0], task_id=row[1], template_name=row[2], title=row[3], state=row[4],
                          run_count=row[5], run_max=row[6], next_retry=_date(row[7]), last_start=_date(row[8]),
                          last_stop=_date(row[9]), created=parse_datetime(row[10]))


def list_resolutions(conn: sqlite3.Connection, *, states: Sequence[str] | None, template: str | None,
                     task_id: str | None, limit: int, last: str | None) -> list[ResolutionInfo]:
    """Resolutions, newest first; `last` is the id of the last resolution of the previous page."""
    where: list[str] = []
    params: list[Any] = []
    if states is not None:
        where.append("r.state IN (SELECT value FROM json_each(?))")
        params.append(encode(list(states)))
    for clause, value in (("t.template_name = ?", template), ("r.task_id = ?", task_id)):
        if value is not None:
            where.append(clause)
            params.append(value)
    if last is not None:
        cursor = conn.execute("SELECT created, id FROM resolutions WHERE id = ?", (last,)).fetchone()
        if cursor is None:
            raise NotFoundError(f"no resolution {last} (the `last` of a page)")
        where.append("(r.created, r.id) < (?, ?)")
        params += list(cursor)
    sql = _INFO_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    rows = conn.execute(sql + " ORDER BY r.created DESC, r.id DESC LIMIT ?", [*params, limit]).fetchall()
    return [_info(row) for row in rows]


def _audit_value(field: str, text: str | None) -> Any:
    """An audit value as the field's type: ints, datetimes, inputs as floats, the rest exact JSON."""
    if text is None:
        return None
    if field in _INT_FIELDS:
        return int(text)
    value = decode(text, "float" if field in _FLOAT_FIELDS else "exact")
    return parse_datetime(value) if field in _DATE_FIELDS and isinstance(value, str) else value


def _floats(value: Any) -> Any:
    """Exact numbers as binary floats, at any depth (what decoding in "float" mode gives)."""
    if isinstance(value, dict):
        return {key: _floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_floats(item) for item in value]
    return float(value) if type(value) is JSONNumber else value


def _audit_decoded(field: str, value: Any) -> Any:
    """`_audit_value` of a value already decoded with exact numbers (a member of a compact audit row)."""
    if value is None:
        return None
    if field in _INT_FIELDS:
        return int(value)
    if field in _FLOAT_FIELDS:
        return _floats(value)
    return parse_datetime(value) if field in _DATE_FIELDS and isinstance(value, str) else value


_FLOAT_FIELDS = frozenset({"inputs", "resolver_inputs"})
_INT_FIELDS = frozenset({"try_count", "max_retries", "run_count", "run_max"})
_DATE_FIELDS = frozenset({"last_run", "next_retry", "last_start", "last_stop"})


def audit_trail(conn: sqlite3.Connection, *, task_id: str | None, resolution_id: str | None,
                step: str | None) -> list[AuditEntry]:
    """Audit rows of a task, or of one resolution (also after start-over deleted it), oldest first."""
    where: list[str] = []
    params: list[Any] = []
    if resolution_id is not None:
        owner = conn.execute("SELECT task_id FROM resolutions WHERE id = ?", (resolution_id,)).fetchone()
        if owner is not None:  # else a deleted resolution: no index to help, scan
            where.append("task_id = ?")
            params.append(owner[0])
        where.append("resolution_id = ?")
        params.append(resolution_id)
    if task_id is not None:
        where.append("task_id = ?")
        params.append(task_id)
    if step is not None:
        where.append("step = ?")
        params.append(step)
    sql = ("SELECT id, task_id, resolution_id, step, field, old_value, new_value, at, reason FROM audit"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id")
    entries = []
    for row in conn.execute(sql, params):
        at = parse_datetime(row[7])
        if "," not in row[4]:
            entries.append(AuditEntry(row[0], row[1], row[2], row[3], row[4], _audit_value(row[4], row[5]),
                                      _audit_value(row[4], row[6]), at, row[8]))
            continue
        # One change of several fields (`writes.compact_audit`): one entry per field, in the order written.
        old, new = decode(row[5]), decode(row[6])
        for field in row[4].split(","):
            entries.append(AuditEntry(row[0], row[1], row[2], row[3], field, _audit_decoded(field, old[field]),
                                      _audit_decoded(field, new[field]), at, row[8]))
    return entries


def due_retries(conn: sqlite3.Connection, now: str) -> list[ResolutionInfo]:
    """What µTask's retry collector picks at `now` (§11.1): ERROR with `next_retry` past, WAITING woken
    (`last_start < next_retry < now`); soonest first. Dates are sortable text (`codec.datetime_text`)."""
    rows = conn.execute(_INFO_SELECT + " WHERE r.next_retry < ? AND (r.state = 'ERROR' OR (r.state = 'WAITING' "
                        "AND r.last_start < r.next_retry)) ORDER BY r.next_retry, r.id", (now,)).fetchall()
    return [_info(row) for row in rows]


def resumable(conn: sqlite3.Connection) -> list[ResolutionInfo]:
    rows = conn.execute(_INFO_SELECT + " WHERE r.state IN (?, ?, ?, ?) ORDER BY r.last_start, r.id",
                        RESUMABLE_STATES).fetchall()
    return [_info(row) for row in rows]


def _stored_template(row: Sequence[Any]) -> StoredTemplate:
    return StoredTemplate(name=row[1], normalized=row[0], template=load_model(Template, row[3]), source=row[2],
                          etag=row[4], updated=parse_datetime(row[5]))


def get_template(conn: sqlite3.Connection, normalized: str) -> StoredTemplate:
    row = conn.execute("SELECT normalized, name, source, body, etag, updated FROM templates WHERE normalized = ?",
                       (normalized,)).fetchone()
    if row is None:
        raise NotFoundError(f"no template {normalized!r}")
    return _stored_template(row)


def list_templates(conn: sqlite3.Connection) -> list[StoredTemplate]:
    rows = conn.execute("SELECT normalized, name, source, body, etag, updated FROM templates ORDER BY normalized")
    return [_stored_template(row) for row in rows]

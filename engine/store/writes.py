"""Write operations, run inside one transaction in the connection's thread.

Values arrive already encoded (see `engine.store.store`): these functions only run SQL. Column names are
interpolated into statements only from the fixed column tables of `engine.store.records`; every value is a
bound parameter.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from engine.store.codec import encode
from engine.store.errors import NotFoundError, StoreError
from engine.store.records import RESOLUTION_COLUMNS, STEP_COLUMNS, TAGS_COLUMN, TASK_COLUMNS, Column

__all__ = ["Changes", "EncodedStep", "apply_changes", "compact_audit", "insert_resolution", "insert_task"]

Fields = tuple[tuple[str, Any], ...]  # (column, encoded value)
EncodedStep = tuple[str, tuple[Any, ...]]  # (name, values of STEP_COLUMNS in order)
AuditRow = tuple[str, str | None, str | None, str, str | None, str | None, str, str]

_STEP_NAMES = tuple(STEP_COLUMNS)
_INSERT_STEP = (f"INSERT INTO steps (resolution_id, name, {', '.join(_STEP_NAMES)}) "
                f"VALUES (?, ?, {', '.join('?' for _ in _STEP_NAMES)})")
_INSERT_AUDIT = ("INSERT INTO audit (task_id, resolution_id, step, field, old_value, new_value, at, reason) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_IN_CHUNK = 256  # names per `IN (...)` list (SQLite allows 32,766 parameters; smaller lists cache better)
_TABLES: dict[str, tuple[dict[str, Column], str]] = {
    "steps": (STEP_COLUMNS, "resolution_id = ? AND name = ?"),
    "resolutions": (RESOLUTION_COLUMNS, "id = ?"),
    "tasks": (TASK_COLUMNS, "id = ?"),
}


@dataclass(frozen=True, slots=True)
class Changes:
    """Everything one `Store.apply` call writes, encoded; applied in this order: remove, add, steps,
    resolution, task."""

    reason: str
    at: str
    remove: tuple[str, ...] = ()
    add: tuple[EncodedStep, ...] = ()
    steps: tuple[tuple[str, Fields], ...] = ()
    resolution: Fields = ()
    task: Fields = ()
    tags: tuple[tuple[str, str], ...] | None = None


@functools.cache
def _select(table: str, names: tuple[str, ...]) -> str:
    columns, where = _TABLES[table]
    assert set(names) <= columns.keys(), names  # identifiers come from the fixed column tables only
    return f"SELECT rowid, {', '.join(names)} FROM {table} WHERE {where}"


@functools.cache
def _update(table: str, names: tuple[str, ...]) -> str:
    columns, _ = _TABLES[table]
    assert set(names) <= columns.keys(), names
    return f"UPDATE {table} SET {', '.join(f'{name} = ?' for name in names)} WHERE rowid = ?"


def _update_row(conn: sqlite3.Connection, table: str, key: tuple[str | None, ...], fields: Fields,
                ) -> list[tuple[str, str | None, str | None]] | None:
    """Write the fields whose stored value differs; return (field, old JSON, new JSON) for each, or None when
    there is no such row."""
    if not fields:
        return []
    columns = _TABLES[table][0]
    row = conn.execute(_select(table, tuple(name for name, _ in fields)), key).fetchone()
    if row is None:
        return None
    changed = [(name, old, new) for (name, new), old in zip(fields, row[1:], strict=True) if old != new]
    if changed:
        conn.execute(_update(table, tuple(name for name, _, _ in changed)),
                     [new for _, _, new in changed] + [row[0]])
    return [(name, columns[name].audit(old), columns[name].audit(new)) for name, old, new in changed]


def _insert_steps(conn: sqlite3.Connection, resolution_id: str, steps: Sequence[EncodedStep]) -> None:
    try:
        conn.executemany(_INSERT_STEP, [(resolution_id, name, *values) for name, values in steps])
    except sqlite3.IntegrityError as error:
        raise StoreError(f"resolution {resolution_id}: cannot add steps ({error}); "
                         "a step of that name probably exists already") from error


def insert_task(conn: sqlite3.Connection, task: tuple[Any, ...], tags: tuple[tuple[str, str], ...],
                audit: Sequence[AuditRow]) -> None:
    try:
        conn.execute("INSERT INTO tasks (id, template_name, title, state, inputs, result, requester_username, "
                     "resolver_username, created, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", task)
    except sqlite3.IntegrityError as error:
        raise StoreError(f"cannot create task {task[0]}: {error}") from error
    conn.executemany("INSERT INTO task_tags (task_id, key, value) VALUES (?, ?, ?)",
                     [(task[0], key, value) for key, value in tags])
    conn.executemany(_INSERT_AUDIT, audit)


def insert_resolution(conn: sqlite3.Connection, resolution: tuple[Any, ...], steps: Sequence[EncodedStep],
                      audit: Sequence[AuditRow]) -> None:
    try:
        conn.execute("INSERT INTO resolutions (id, task_id, state, resolver_inputs, base_configurations, "
                     "run_count, run_max, next_retry, last_start, last_stop, created) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", resolution)
    except sqlite3.IntegrityError as error:
        raise StoreError(f"cannot create resolution {resolution[0]} for task {resolution[1]}: {error} "
                         "(unknown task, or the task has a resolution already)") from error
    _insert_steps(conn, resolution[0], steps)
    conn.executemany(_INSERT_AUDIT, audit)


def _padded(names: Sequence[str]) -> list[str]:
    """`names` repeated up to a power of two (IN lists of a few sizes only: SQLite statements are cached by
    text, and a repeated name matches the same row)."""
    size = 1
    while size < len(names):
        size *= 2
    return [*names, *([names[-1]] * (size - len(names)))]


@functools.cache
def _select_steps(names: tuple[str, ...], count: int) -> str:
    assert set(names) <= STEP_COLUMNS.keys(), names
    return (f"SELECT rowid, name, {', '.join(names)} FROM steps "
            f"WHERE resolution_id = ? AND name IN ({', '.join('?' * count)})")


def _stored_steps(conn: sqlite3.Connection, resolution_id: str, names: list[str], columns: tuple[str, ...],
                  ) -> dict[str, tuple[Any, ...]]:
    """Name → (rowid, values of `columns`) of the named steps, read with a few statements (not one per step)."""
    found: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(names), _IN_CHUNK):
        chunk = _padded(names[start:start + _IN_CHUNK])
        for row in conn.execute(_select_steps(columns, len(chunk)), (resolution_id, *chunk)):
            found[row[1]] = (row[0], *row[2:])
    return found


def compact_audit(names: Sequence[str], olds: Sequence[str | None], news: Sequence[str | None],
                  ) -> tuple[str, str | None, str | None]:
    """(field, old, new) of the audit row of one change of a record: `names` the changed fields, `olds` and
    `news` their values as JSON text. A single field as itself; more as their comma-separated names with
    JSON objects of their old and new values (one row per change instead of one per field;
    `reads.audit_trail` expands it back to one entry per field)."""
    if len(names) == 1:
        return names[0], olds[0], news[0]
    keys = [_KEYS.get(name) or encode_basestring(name) + ":" for name in names]
    old = ",".join([key + ("null" if value is None else value) for key, value in zip(keys, olds, strict=True)])
    new = ",".join([key + ("null" if value is None else value) for key, value in zip(keys, news, strict=True)])
    return ",".join(names), "{" + old + "}", "{" + new + "}"


_KEYS = {name: encode_basestring(name) + ":" for name in (*STEP_COLUMNS, *RESOLUTION_COLUMNS, *TASK_COLUMNS)}
_STEP_AUDIT = {name: column.audit for name, column in STEP_COLUMNS.items()}
StepAudit = tuple[str, tuple[str, str | None, str | None], int]  # step, its audit row, how many fields changed


def _update_steps(conn: sqlite3.Connection, resolution_id: str, steps: Sequence[tuple[str, Fields]],
                  ) -> list[StepAudit]:
    """Write the changed fields of steps; per step that changed: (name, its compact audit row, how many
    fields changed). The rows are read and written with a few statements each (executemany), not one or two
    per step: a run's flush carries thousands of steps."""
    names = [name for name, _ in steps]
    if len(set(names)) != len(names):  # the same step twice: each change must see the previous one
        return [entry for name, fields in steps for entry in _update_steps(conn, resolution_id, [(name, fields)])]
    wanted = {name for _, fields in steps for name, _ in fields}
    columns = tuple(name for name in STEP_COLUMNS if name in wanted)
    at = {name: index for index, name in enumerate(columns, start=1)}
    stored = _stored_steps(conn, resolution_id, names, columns)
    updates: dict[tuple[str, ...], list[list[Any]]] = {}
    audit: list[StepAudit] = []
    for name, fields in steps:
        row = stored.get(name)
        if row is None:
            raise NotFoundError(f"resolution {resolution_id} has no step {name!r}")
        changed: list[str] = []
        values: list[Any] = []
        olds: list[str | None] = []
        news: list[str | None] = []
        for field, new in fields:  # one pass, parallel lists: this loop runs for every step of a flush
            old = row[at[field]]
            if old != new:
                text = _STEP_AUDIT[field]
                changed.append(field)
                values.append(new)
                olds.append(text(old))
                news.append(text(new))
        if changed:
            values.append(row[0])
            updates.setdefault(tuple(changed), []).append(values)
            audit.append((name, compact_audit(changed, olds, news), len(changed)))
    for changed_columns, rows in updates.items():
        conn.executemany(_update("steps", changed_columns), rows)
    return audit


def apply_changes(conn: sqlite3.Connection, task_id: str | None, resolution_id: str | None,
                  changes: Changes) -> int:
    """Apply `changes` to a resolution (and its task) or, without a resolution, to a task. Return the number
    of fields that really changed (each is an audit entry; a step's are written in one row, see
    `compact_audit`)."""
    if resolution_id is not None:
        row = conn.execute("SELECT task_id FROM resolutions WHERE id = ?", (resolution_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no resolution {resolution_id}")
        task_id = row[0]
    assert task_id is not None
    audit: list[AuditRow] = []

    def note(step: str | None, field: str, old: str | None, new: str | None) -> None:
        audit.append((task_id, resolution_id, step, field, old, new, changes.at, changes.reason))

    for name in changes.remove:
        found = conn.execute("SELECT id, state FROM steps WHERE resolution_id = ? AND name = ?",
                             (resolution_id, name)).fetchone()
        if found is None:
            raise NotFoundError(f"resolution {resolution_id} has no step {name!r}")
        conn.execute("DELETE FROM steps WHERE id = ?", (found[0],))
        note(name, "step", encode(found[1]), None)
    if changes.add:
        assert resolution_id is not None
        _insert_steps(conn, resolution_id, changes.add)
        state_at = _STEP_NAMES.index("state")
        for name, values in changes.add:
            note(name, "step", None, encode(values[state_at]))
    step_fields = 0  # fields changed in steps: their audit rows hold several each
    if changes.steps:
        assert resolution_id is not None
        for name, row, count in _update_steps(conn, resolution_id, changes.steps):
            audit.append((task_id, resolution_id, name, *row, changes.at, changes.reason))
            step_fields += count - 1
    for table, key, fields in (("resolutions", resolution_id, changes.resolution), ("tasks", task_id, changes.task)):
        written = _update_row(conn, table, (key,), fields)
        if written is None:
            raise NotFoundError(f"no {table[:-1]} {key}")
        for field, old, new in written:
            note(None, field, old, new)
    if changes.tags is not None:
        _replace_tags(conn, task_id, changes.tags, note)
    if audit:
        if conn.execute("UPDATE tasks SET last_activity = ? WHERE id = ?", (changes.at, task_id)).rowcount == 0:
            raise NotFoundError(f"no task {task_id}")
        conn.executemany(_INSERT_AUDIT, audit)
    # Step rows hold all the fields of one change; the count is of changed fields (audit entries as read).
    return len(audit) + step_fields


def _replace_tags(conn: sqlite3.Connection, task_id: str, tags: tuple[tuple[str, str], ...], note: Any) -> None:
    stored = conn.execute("SELECT key, value FROM task_tags WHERE task_id = ? ORDER BY key", (task_id,)).fetchall()
    old, new = encode(dict(stored)), encode(dict(tags))
    if old == new:
        return
    conn.execute("DELETE FROM task_tags WHERE task_id = ?", (task_id,))
    conn.executemany("INSERT INTO task_tags (task_id, key, value) VALUES (?, ?, ?)",
                     [(task_id, key, value) for key, value in tags])
    note(None, "tags", TAGS_COLUMN.audit(old), TAGS_COLUMN.audit(new))


def delete_task(conn: sqlite3.Connection, task_id: str) -> bool:
    """Delete a task with everything that hangs from it (resolution, steps, tags, audit, callbacks)."""
    return conn.execute("DELETE FROM tasks WHERE id = ?", (task_id,)).rowcount > 0


def delete_resolution(conn: sqlite3.Connection, resolution_id: str, at: str, reason: str) -> bool:
    """Delete a resolution and its steps (start-over); its audit rows stay with the task."""
    row = conn.execute("SELECT task_id, state FROM resolutions WHERE id = ?", (resolution_id,)).fetchone()
    if row is None:
        return False
    conn.execute("DELETE FROM resolutions WHERE id = ?", (resolution_id,))
    conn.execute(_INSERT_AUDIT, (row[0], resolution_id, None, "resolution", encode(row[1]), None, at, reason))
    conn.execute("UPDATE tasks SET last_activity = ? WHERE id = ?", (at, row[0]))
    return True


def save_template(conn: sqlite3.Connection, row: tuple[str, str, str | None, str, str, str]) -> None:
    conn.execute("INSERT INTO templates (normalized, name, source, body, etag, updated) VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (normalized) DO UPDATE SET name = excluded.name, source = excluded.source, "
                 "body = excluded.body, etag = excluded.etag, updated = excluded.updated", row)


def delete_template(conn: sqlite3.Connection, normalized: str) -> bool:
    used = conn.execute("SELECT count(*) FROM tasks WHERE lower(trim(template_name)) = ?", (normalized,)).fetchone()
    if used[0]:
        raise StoreError(f"template {normalized!r} is used by {used[0]} task(s); delete them first")
    return conn.execute("DELETE FROM templates WHERE normalized = ?", (normalized,)).rowcount > 0

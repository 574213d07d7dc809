"""Tables of the callback and cache plugins (spec plugins §6 and §13): operations run in the connection's thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from engine.store.codec import decode, parse_datetime
from engine.store.errors import NotFoundError, StoreError
from engine.store.records import Callback

__all__ = ["cache_delete", "cache_get", "cache_purge", "cache_set", "create_callback", "get_callback",
           "list_callbacks", "resolve_callback"]

_CALLBACK_SELECT = "SELECT id, token, task_id, resolution_id, step, schema, body, called, created FROM callbacks"


def _callback(row: Sequence[Any]) -> Callback:
    return Callback(id=row[0], token=row[1], task_id=row[2], resolution_id=row[3], step=row[4],
                    schema=None if row[5] is None else decode(row[5]), body=None if row[6] is None else decode(row[6]),
                    called=None if row[7] is None else parse_datetime(row[7]), created=parse_datetime(row[8]))


def create_callback(conn: sqlite3.Connection, row: tuple[str, str, str, str, str, str | None, str]) -> None:
    try:
        conn.execute("INSERT INTO callbacks (id, token, task_id, resolution_id, step, schema, created) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", row)
    except sqlite3.IntegrityError as error:
        raise StoreError(f"cannot create a callback for task {row[2]}: {error}") from error


def get_callback(conn: sqlite3.Connection, callback_id: str) -> Callback:
    row = conn.execute(_CALLBACK_SELECT + " WHERE id = ?", (callback_id,)).fetchone()
    if row is None:
        raise NotFoundError("callback not found")
    return _callback(row)


def list_callbacks(conn: sqlite3.Connection, resolution_id: str, pending: bool) -> list[Callback]:
    where = " WHERE resolution_id = ?" + (" AND called IS NULL" if pending else "")
    return [_callback(row) for row in conn.execute(_CALLBACK_SELECT + where + " ORDER BY created, rowid",
                                                   (resolution_id,)).fetchall()]


def resolve_callback(conn: sqlite3.Connection, callback_id: str, token: str, body: str, at: str) -> Callback:
    """Record the call's body, once: an unknown id or a wrong token is "not found", a second call an error."""
    done = conn.execute("UPDATE callbacks SET body = ?, called = ? WHERE id = ? AND token = ? AND called IS NULL",
                        (body, at, callback_id, token))
    if done.rowcount == 0:
        row = conn.execute("SELECT called FROM callbacks WHERE id = ? AND token = ?", (callback_id, token)).fetchone()
        if row is None:
            raise NotFoundError("callback not found")
        raise StoreError("callback has already been resolved")
    return get_callback(conn, callback_id)


def cache_set(conn: sqlite3.Connection, key: str, value: str, expires_at: str | None) -> None:
    conn.execute("INSERT INTO cache (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                 "value = excluded.value, expires_at = excluded.expires_at", (key, value, expires_at))


def cache_get(conn: sqlite3.Connection, key: str, now: str) -> tuple[bool, Any]:
    """(hit, value); an expired entry is deleted and reported as a miss."""
    row = conn.execute("SELECT value, expires_at FROM cache WHERE key = ?", (key,)).fetchone()
    if row is None:
        return False, None
    if row[1] is not None and row[1] <= now:
        conn.execute("DELETE FROM cache WHERE key = ?", (key,))
        return False, None
    return True, decode(row[0])


def cache_delete(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("DELETE FROM cache WHERE key = ?", (key,)).rowcount > 0


def cache_purge(conn: sqlite3.Connection, now: str) -> int:
    return conn.execute("DELETE FROM cache WHERE expires_at IS NOT NULL AND expires_at <= ?", (now,)).rowcount

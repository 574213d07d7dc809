"""The SQLite connection under the store: settings, migrations at open, transactions, group commit.

Connection settings (applied at every open):

* WAL journal: readers (the studio, a second process) never block the writer and see the last committed
  state; a commit appends to the WAL instead of rewriting pages in place.
* ``synchronous = NORMAL``: in WAL mode a commit is written to the WAL before it returns, so it survives
  the process being killed (SIGKILL, crash) — what `--resume` relies on. Only an OS crash or power cut can
  lose the last few commits (they are not fsynced one by one), and it never corrupts the file: the WAL is
  fsynced at each checkpoint. FULL would add an fsync per commit — milliseconds per step state change —
  for durability against power loss the engine does not need (a resumed run re-executes what was lost).
* foreign keys on (deleting a task cascades), busy timeout (another connection holding the write lock
  is waited for instead of failing at once).

Every write runs in one transaction (`BEGIN IMMEDIATE` … `COMMIT`) in aiosqlite's connection thread, as a
single call. Writes issued while a transaction is in flight are queued and committed together in the next
one (group commit), each inside its own savepoint so that one failing write is rolled back alone. A write
has been committed when its coroutine returns. Reads run in a read transaction: one consistent snapshot.
Reads do not wait for queued writes: a read sees every write whose coroutine has returned, and may or may
not see writes still in flight.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar, cast

import aiosqlite

from engine.store.errors import StoreError
from engine.store.migrate import apply_migrations

__all__ = ["Database", "Op"]

T = TypeVar("T")
Op = Callable[[sqlite3.Connection], Any]


async def _in_thread(conn: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> T:
    # aiosqlite runs each call in its connection's thread; its public methods do one statement per call (one
    # thread hop each, ~0.1 ms). `_execute` runs a whole transaction in one hop.
    return cast(T, await conn._execute(fn, *args))  # type: ignore[no-untyped-call]


def _prepare(raw: sqlite3.Connection, path: str) -> int:
    try:
        mode = raw.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal" and path != ":memory:":
            raise StoreError(f"{path}: SQLite refused WAL mode (journal mode {mode}); is it on a network drive?")
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute("PRAGMA foreign_keys = ON")
        return apply_migrations(raw, path)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: not a usable µTask Studio database: {error}") from error


def _run_batch(raw: sqlite3.Connection, ops: list[Op]) -> list[tuple[bool, Any]]:
    """Run write operations in one transaction; each gets (True, result) or (False, its exception)."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        if len(ops) == 1:
            try:
                result = ops[0](raw)
            except Exception as error:
                raw.execute("ROLLBACK")
                return [(False, error)]
            raw.execute("COMMIT")
            return [(True, result)]
        outcomes: list[tuple[bool, Any]] = []
        for op in ops:
            raw.execute("SAVEPOINT op")
            try:
                outcomes.append((True, op(raw)))
            except Exception as error:
                raw.execute("ROLLBACK TO op")
                outcomes.append((False, error))
            raw.execute("RELEASE op")
        raw.execute("COMMIT")
        return outcomes
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise


def _run_read(raw: sqlite3.Connection, fn: Callable[[sqlite3.Connection], T]) -> T:
    raw.execute("BEGIN")  # one snapshot for all the statements of the read
    try:
        return fn(raw)
    finally:
        raw.execute("ROLLBACK")


class Database:
    """One aiosqlite connection with queued, grouped write transactions."""

    def __init__(self, conn: aiosqlite.Connection, raw: sqlite3.Connection, path: str, version: int) -> None:
        self._conn = conn
        self._raw = raw
        self.path = path
        self.schema_version = version
        self._queue: list[tuple[Op, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def open(cls, path: str, busy_timeout: float) -> Database:
        if path != ":memory:" and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise StoreError(f"{path}: cannot open the database: its folder does not exist")
        connection = aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout)
        try:
            conn = await connection
        except sqlite3.Error as error:
            # aiosqlite then stops its thread with a future nobody awaits: let it finish while the loop runs.
            worker = getattr(connection, "_thread", None)
            if worker is not None:
                await asyncio.to_thread(worker.join, 5)
            raise StoreError(f"{path}: cannot open the database: {error}") from error
        try:
            version = await _in_thread(conn, _prepare, conn._conn, path)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, conn._conn, path, version)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        while self._flusher is not None:
            await asyncio.shield(self._flusher)
        try:
            await self._conn.execute("PRAGMA optimize")
        finally:
            await self._conn.close()

    async def write(self, op: Op) -> Any:
        """Run `op(connection)` in a write transaction; its result once committed, or its exception."""
        if self._closed:
            raise StoreError("the store is closed")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((op, future))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    outcomes = await _in_thread(self._conn, _run_batch, self._raw, [op for op, _ in batch])
                except Exception as error:  # BEGIN or COMMIT failed (locked, disk full…): nothing was written
                    if isinstance(error, sqlite3.Error):
                        wrapped = StoreError(f"{self.path}: {error}")
                        wrapped.__cause__ = error
                        error = wrapped
                    outcomes = [(False, error)] * len(batch)
                for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                    if future.done():  # its caller was cancelled; the write stands all the same
                        continue
                    if ok:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
        finally:
            self._flusher = None

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn(connection)` in a read transaction."""
        if self._closed:
            raise StoreError("the store is closed")
        return await _in_thread(self._conn, _run_read, self._raw, fn)

    async def total_changes(self) -> int:
        """Rows inserted, updated or deleted through this connection since it was opened (SQLite's count)."""
        return await _in_thread(self._conn, lambda: self._raw.total_changes)

    async def integrity_check(self) -> list[str]:
        """SQLite's integrity and foreign-key checks: an empty list when the file is sound."""
        def check(raw: sqlite3.Connection) -> list[str]:
            problems = [str(row[0]) for row in raw.execute("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [f"foreign key: {row}" for row in raw.execute("PRAGMA foreign_key_check")]
            return problems
        return await self.read(check)

"""Several connections on one file: WAL readers during writes, a waiting writer, grouped commits."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from engine.store import NotFoundError, StepChange, Store, StoreError
from tests.store.store_helpers import make_resolution, make_task, reader


async def test_two_connections_see_each_others_commits(db_path: Path) -> None:
    async with Store.open(db_path) as writer, Store.open(db_path) as other:
        await writer.create_task(make_task(), make_resolution())
        assert (await other.load_task("t1")).resolution_id == "r1"
        await other.update_steps("r1", [StepChange.set("s0", state="DONE")], "from the other connection")
        assert (await writer.load_step("r1", "s0")).state == "DONE"


async def test_readers_are_not_blocked_by_an_open_write_transaction(db_path: Path) -> None:
    async with Store.open(db_path, busy_timeout=0.2) as store:
        await store.create_task(make_task(), make_resolution())
        with reader(db_path) as blocker:
            blocker.execute("BEGIN IMMEDIATE")
            blocker.execute("UPDATE steps SET state = 'UNCOMMITTED' WHERE name = 's0'")
            # WAL: the reader goes on, and sees the last committed state
            assert (await store.load_step("r1", "s0")).state == "TODO"
            # a writer waits for the busy timeout, then gives up with a clear error, having written nothing
            with pytest.raises(StoreError, match="database is locked"):
                await store.update_steps("r1", [StepChange.set("s1", state="DONE")], "blocked")
            blocker.execute("ROLLBACK")
        assert (await store.load_step("r1", "s1")).state == "TODO"
        assert await store.update_steps("r1", [StepChange.set("s1", state="DONE")], "unblocked") == 1


async def test_a_writer_waits_for_the_lock_to_be_released(db_path: Path) -> None:
    async with Store.open(db_path, busy_timeout=10) as store:
        await store.create_task(make_task(), make_resolution())
        blocker = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        blocker.execute("BEGIN IMMEDIATE")
        loop = asyncio.get_running_loop()
        def release() -> None:
            blocker.execute("COMMIT")
            blocker.close()

        loop.call_later(0.3, release)
        started = loop.time()
        assert await store.update_steps("r1", [StepChange.set("s1", state="DONE")], "waited") == 1
        assert loop.time() - started >= 0.25


async def test_a_reader_never_sees_half_a_resolution(db_path: Path) -> None:
    async with Store.open(db_path) as writer, Store.open(db_path) as watcher:
        seen: set[int] = set()

        async def create() -> None:
            for index in range(4):
                await writer.create_task(make_task(f"t{index}"), make_resolution(f"t{index}", f"r{index}", steps=1500))

        async def watch() -> None:
            while len(seen) < 2 or 0 not in seen:
                for index in range(4):
                    try:
                        seen.add(len((await watcher.load_resolution(f"r{index}")).steps))
                    except NotFoundError:
                        seen.add(0)
                await asyncio.sleep(0)
                if len(await watcher.list_tasks()) == 4 and 1500 in seen:
                    break

        await asyncio.gather(create(), watch())
        assert seen <= {0, 1500}


async def test_concurrent_writes_are_grouped_and_isolated(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution(steps=200))
        commits: list[str] = []

        def trace(conn: sqlite3.Connection) -> None:
            conn.set_trace_callback(lambda statement: commits.append(statement) if statement == "COMMIT" else None)

        await store._db.read(trace)
        calls = [store.update_steps("r1", [StepChange.set(f"s{index}", state="DONE", try_count=1)], f"step {index}")
                 for index in range(200)]
        calls.insert(100, store.update_steps("r1", [StepChange.set("missing", state="DONE")], "fails alone"))
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert isinstance(results[100], NotFoundError)
        assert results[:100] + results[101:] == [2] * 200
        assert len(commits) < 20  # 201 writes, a handful of transactions
        steps = (await store.load_resolution("r1")).steps
        assert all(step.state == "DONE" for step in steps.values())
        assert len(await store.audit_trail("r1")) == 1 + 400


async def test_two_writers_interleave(db_path: Path) -> None:
    async with Store.open(db_path) as first, Store.open(db_path) as second:
        await first.create_task(make_task(), make_resolution(steps=100))

        async def bump(store: Store, names: range) -> None:
            for index in names:
                await store.update_steps("r1", [StepChange.set(f"s{index}", try_count=index)], "bump")

        await asyncio.gather(bump(first, range(0, 100, 2)), bump(second, range(1, 100, 2)))
        steps = (await second.load_resolution("r1")).steps
        assert [step.try_count for step in steps.values()] == list(range(100))
        assert len(await first.audit_trail("r1")) == 1 + 99  # s0 stayed at 0


async def test_a_cancelled_caller_does_not_undo_its_write(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        first = asyncio.ensure_future(store.update_steps("r1", [StepChange.set("s0", state="DONE")], "first"))
        second = asyncio.ensure_future(store.update_steps("r1", [StepChange.set("s1", state="DONE")], "second"))
        await asyncio.sleep(0)  # both queued
        second.cancel()
        assert await first == 1
        with pytest.raises(asyncio.CancelledError):
            await second
    async with Store.open(db_path) as store:  # close() waited for the queue: the write is there
        assert (await store.load_step("r1", "s1")).state == "DONE"

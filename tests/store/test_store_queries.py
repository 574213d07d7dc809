"""Listing and filtering (what a server needs), resumable resolutions, deletion cascades."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from engine.model.run import Task
from engine.store import NotFoundError, StepChange, Store
from tests.store.store_helpers import make_resolution, make_task, reader

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


async def populate(store: Store) -> None:
    """12 tasks, t00 the least recently active; templates and states alternate; every 3rd is tagged."""
    for index in range(12):
        tags = {"customer": str(index % 2)} | ({"env": "prod"} if index % 3 == 0 else {})
        task = make_task(f"t{index:02}", template="alpha" if index % 2 else "beta", state="DONE" if index < 4 else
                         "RUNNING", tags=tags, requester_username="alice" if index % 4 == 0 else "bob",
                         created=T0 + dt.timedelta(minutes=index), last_activity=T0 + dt.timedelta(minutes=index))
        resolution = make_resolution(task.id, f"r{index:02}", steps=2, state="DONE" if index < 4 else "RUNNING",
                                     created=T0 + dt.timedelta(minutes=index),
                                     last_start=T0 + dt.timedelta(minutes=index))
        await store.create_task(task, resolution if index != 11 else None)


def ids(tasks: Sequence[Task]) -> list[str]:
    return [task.id for task in tasks]


async def test_filters(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await populate(store)
        assert ids(await store.list_tasks()) == [f"t{index:02}" for index in range(11, -1, -1)]
        assert ids(await store.list_tasks(state="DONE")) == ["t03", "t02", "t01", "t00"]
        assert ids(await store.list_tasks(template="alpha", state="DONE")) == ["t03", "t01"]
        assert ids(await store.list_tasks(tags={"env": "prod"})) == ["t09", "t06", "t03", "t00"]
        assert ids(await store.list_tasks(tags={"env": "prod", "customer": "0"})) == ["t06", "t00"]
        assert ids(await store.list_tasks(tags={"env": "staging"})) == []
        assert ids(await store.list_tasks(requester="alice")) == ["t08", "t04", "t00"]
        window = await store.list_tasks(after=T0 + dt.timedelta(minutes=2), before=T0 + dt.timedelta(minutes=5))
        assert ids(window) == ["t04", "t03"]
        listed = (await store.list_tasks(tags={"env": "prod"}, limit=1))[0]
        assert (listed.tags, listed.resolution_id, listed.title) == (
            {"customer": "1", "env": "prod"}, "r09", "task t09")
        assert (await store.list_tasks(limit=1, state="RUNNING"))[0].resolution_id is None  # t11 has none yet
        assert await store.count_tasks() == {"DONE": 4, "RUNNING": 8}
        assert await store.count_tasks({"env": "prod"}) == {"DONE": 2, "RUNNING": 2}


async def test_pages_follow_activity_without_gaps(db_path: Path) -> None:
    async with Store.open(db_path, clock=lambda: T0 + dt.timedelta(hours=1)) as store:
        await populate(store)
        # two tasks active at the same instant must not be skipped at a page boundary
        await store.update_task("t02", "touched", title="same time 1")
        await store.update_task("t07", "touched", title="same time 2")
        seen: list[str] = []
        last = None
        while True:
            page = await store.list_tasks(limit=5, last=last)
            seen += ids(page)
            if len(page) < 5:
                break
            last = page[-1].id
        assert seen[:2] == ["t07", "t02"] and sorted(seen) == [f"t{index:02}" for index in range(12)]
        with pytest.raises(NotFoundError):
            await store.list_tasks(last="t99")


async def test_resolutions_and_resumable(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await populate(store)
        await store.update_resolution("r05", "engine died", state="CRASHED")
        await store.update_resolution("r06", "paused", state="PAUSED")
        listed = await store.list_resolutions(states=["DONE"])
        assert [info.id for info in listed] == ["r03", "r02", "r01", "r00"]
        assert listed[0].template_name == "alpha" and listed[0].title == "task t03" and listed[0].run_max == 100
        assert [info.id for info in await store.list_resolutions(template="beta", limit=2)] == ["r10", "r08"]
        second_page = await store.list_resolutions(template="beta", limit=2, last="r08")
        assert [info.id for info in second_page] == ["r06", "r04"]
        assert [info.id for info in await store.list_resolutions(task_id="t07")] == ["r07"]
        resumable = await store.resumable_resolutions()
        assert [(info.id, info.state) for info in resumable] == [
            ("r04", "RUNNING"), ("r05", "CRASHED"), ("r07", "RUNNING"), ("r08", "RUNNING"), ("r09", "RUNNING"),
            ("r10", "RUNNING")]


async def test_lookups_of_missing_things(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        for lookup in (store.load_task("nope"), store.load_resolution("nope"), store.load_step("r1", "nope"),
                       store.get_template("nope")):
            with pytest.raises(NotFoundError):
                await lookup
        with pytest.raises(LookupError):  # NotFoundError is a LookupError too
            await store.load_task("nope")


async def test_delete_task_cascades(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        for index in (1, 2):
            await store.create_task(make_task(f"t{index}", tags={"k": "v"}), make_resolution(f"t{index}", f"r{index}"))
            await store.update_steps(f"r{index}", [StepChange.set("s0", state="DONE")], "ran")
            await store.create_callback(f"t{index}", f"r{index}", "s0")
        assert await store.delete_task("t1") is True
        assert await store.delete_task("t1") is False
        assert await store.integrity_check() == []
    with reader(db_path) as conn:
        for table, column in (("tasks", "id"), ("task_tags", "task_id"), ("resolutions", "task_id"),
                              ("audit", "task_id"), ("callbacks", "task_id")):
            rows = conn.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY {column}").fetchall()
            assert [row[0] for row in rows] == ["t2"], table
        assert conn.execute("SELECT DISTINCT resolution_id FROM steps").fetchall() == [("r2",)]


async def test_start_over_keeps_the_history(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        await store.update_steps("r1", [StepChange.set("s0", state="CLIENT_ERROR")], "bad request")
        assert await store.delete_resolution("r1", "start over") is True
        assert await store.delete_resolution("r1") is False
        assert (await store.load_task("t1")).resolution_id is None
        await store.create_resolution(make_resolution(resolution_id="r2"))
        assert (await store.load_task("t1")).resolution_id == "r2"
        old = await store.audit_trail("r1")
        assert [(entry.field, entry.old, entry.new) for entry in old] == [
            ("state", None, "TODO"), ("state", "TODO", "CLIENT_ERROR"), ("resolution", "TODO", None)]
        with reader(db_path) as conn:
            assert conn.execute("SELECT count(*) FROM steps WHERE resolution_id = 'r1'").fetchone()[0] == 0


async def test_due_retries_are_what_the_retry_collector_picks(db_path: Path) -> None:
    now = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)
    minute = dt.timedelta(minutes=1)
    cases = {  # resolution → (state, next_retry, last_start)
        "error-past": ("ERROR", now - minute, now - 2 * minute),
        "error-later": ("ERROR", now + minute, now - 2 * minute),
        "error-unscheduled": ("ERROR", None, now - 2 * minute),
        "waiting-woken": ("WAITING", now - minute, now - 2 * minute),
        "waiting-asleep": ("WAITING", now - 3 * minute, now - 2 * minute),  # woken before it last started
        "blocked-past": ("BLOCKED_MAXRETRIES", now - minute, now - 2 * minute),
        "error-earliest": ("ERROR", now - 5 * minute, None),
    }
    async with Store.open(db_path) as store:
        for index, (name, (state, retry, start)) in enumerate(cases.items()):
            await store.create_task(make_task(f"t{index}"), make_resolution(
                f"t{index}", name, state=state, next_retry=retry, last_start=start))
        assert [info.id for info in await store.due_retries(now)] == ["error-earliest", "error-past", "waiting-woken"]
        assert [info.id for info in await store.due_retries(now + 2 * minute)] == [
            "error-earliest", "error-past", "waiting-woken", "error-later"]

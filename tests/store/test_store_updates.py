"""Incremental writes: only the changed columns of the changed steps, one audit row per change (holding every
field it changed, read back as one audit entry per field)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from engine.model.run import StepRun
from engine.model.template import Condition
from engine.store import NotFoundError, StepChange, Store
from engine.templating.gotypes import JSONNumber
from tests.store.store_helpers import make_resolution, make_task, reader, step_definition

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def snapshot(path: Path) -> dict[str, tuple[object, ...]]:
    """Every stored step row, as bytes on disk would compare."""
    with reader(path) as conn:
        return {row[0]: row[1:] for row in conn.execute("SELECT name, * FROM steps")}


async def test_one_changed_field_writes_one_row_and_one_audit_row(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution(steps=2000))
        before = snapshot(db_path)
        changes = await store.total_changes()
        written = await store.update_steps("r1", [StepChange.set("s1234", state="RUNNING")], "started")
        # the step row, its audit row and the task's last activity: three rows, whatever the resolution's size
        assert written == 1
        assert await store.total_changes() - changes == 3
        after = snapshot(db_path)
        assert {name for name in before if before[name] != after[name]} == {"s1234"}
        changed = [index for index, (old, new) in enumerate(zip(before["s1234"], after["s1234"], strict=True))
                   if old != new]
        with reader(db_path) as conn:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(steps)")]
        assert [columns[index] for index in changed] == ["state"]
        trail = await store.audit_trail("r1", step="s1234")
        assert [(entry.field, entry.old, entry.new, entry.reason) for entry in trail] == [
            ("state", "TODO", "RUNNING", "started")]


async def test_unchanged_values_write_nothing(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        step = (await store.load_resolution("r1")).steps["s0"]
        changes = await store.total_changes()
        assert await store.update_steps("r1", [StepChange.of(step)], "no-op") == 0
        assert await store.update_resolution("r1", "no-op", state="TODO", run_count=0) == 0
        assert await store.update_task("t1", "no-op", state="TODO", tags={}) == 0
        assert await store.total_changes() == changes
        assert await store.audit_trail("r1") == (await store.audit_trail("r1"))[:1]  # just the creation


async def test_a_step_run_from_start_to_end(db_path: Path) -> None:
    clock = Clock()
    async with Store.open(db_path, clock=clock) as store:
        await store.create_task(make_task(), make_resolution())
        await store.update_steps("r1", [StepChange.set("s0", state="RUNNING")], "eligible")
        output = {"id": JSONNumber("1619464078"), "price": JSONNumber("1.50")}
        written = await store.update_steps("r1", [StepChange.set(
            "s0", state="DONE", output=output, metadata={"HTTPStatus": JSONNumber("200")}, try_count=1,
            last_run=T0, error="")], "plugin succeeded")
        assert written == 5  # error was already ""
        trail = await store.audit_trail("r1", step="s0")
        assert [(entry.field, entry.old, entry.new) for entry in trail] == [
            ("state", "TODO", "RUNNING"), ("state", "RUNNING", "DONE"), ("output", None, output),
            ("metadata", None, {"HTTPStatus": "200"}), ("try_count", 0, 1), ("last_run", None, T0)]
        assert type(trail[2].new["price"]) is JSONNumber and trail[2].new["price"] == "1.50"
        assert [entry.at for entry in trail] == [T0 + dt.timedelta(seconds=2)] + [T0 + dt.timedelta(seconds=3)] * 5
        task = await store.load_task("t1")
        assert task.last_activity == T0 + dt.timedelta(seconds=3)  # bumped by the last change
        step = (await store.load_resolution("r1")).steps["s0"]
        assert (step.state, step.output, step.try_count, step.last_run) == ("DONE", output, 1, T0)


async def test_a_change_of_several_fields_is_one_audit_row(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution(steps=3))
        changes = [StepChange.set(f"s{i}", state="DONE", output={"n": JSONNumber(str(i))}, try_count=1)
                   for i in range(3)]
        assert await store.update_steps("r1", changes, "results") == 9  # three fields of three steps
        with reader(db_path) as conn:
            rows = conn.execute("SELECT step, field, old_value, new_value FROM audit WHERE reason = 'results' "
                                "ORDER BY id").fetchall()
        assert rows == [(f"s{i}", "state,output,try_count", '{"state":"TODO","output":null,"try_count":0}',
                         f'{{"state":"DONE","output":{{"n":{i}}},"try_count":1}}') for i in range(3)]
        trail = [(e.step, e.field, e.old, e.new) for e in await store.audit_trail("r1") if e.reason == "results"]
        assert trail == [entry for i in range(3) for entry in (
            (f"s{i}", "state", "TODO", "DONE"), (f"s{i}", "output", None, {"n": JSONNumber(str(i))}),
            (f"s{i}", "try_count", 0, 1))]
        assert all(type(entry[3]) is int for entry in trail if entry[1] == "try_count")


async def test_many_steps_and_the_same_step_twice_in_one_change(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution(steps=700))
        # More steps than one `IN (...)` list holds, in an order unlike the rows'.
        names = [f"s{i}" for i in reversed(range(0, 700, 2))] + [f"s{i}" for i in range(1, 600, 2)]
        assert await store.update_steps("r1", [StepChange.set(name, state="DONE") for name in names], "bulk") == 650
        stored = (await store.load_resolution("r1")).steps
        assert {name for name, step in stored.items() if step.state == "DONE"} == set(names)
        assert await store.update_steps("r1", [StepChange.set("s1", state="RUNNING"),
                                               StepChange.set("s1", state="DONE", try_count=1)], "twice") == 3
        trail = [(e.field, e.old, e.new) for e in await store.audit_trail("r1", step="s1") if e.reason == "twice"]
        assert trail == [("state", "DONE", "RUNNING"), ("state", "RUNNING", "DONE"), ("try_count", 0, 1)]


async def test_every_step_field_can_change(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        new = StepRun(name="s2", definition=step_definition(9, idempotent=True), state="CUSTOM",
                      output=[JSONNumber("1")], metadata="m", children=[{"state": "DONE"}], error="e", try_count=4,
                      max_retries=10000, last_run=T0, item={"i": JSONNumber("0")}, children_steps=["s2-0"],
                      tags={"a": "b"}, dependencies=["s1", "s2-0:ANY"],
                      conditions=[Condition.model_validate({"type": "skip", "message": "rendered"})],
                      dry_run={"action": "http", "url": "https://example.com", "port": JSONNumber("443")})
        assert await store.update_steps("r1", [StepChange.of(new)], "everything") == 15
        assert (await store.load_step("r1", "s2")) == new
        fields = [entry.field for entry in await store.audit_trail("r1", step="s2")]
        assert fields == list(StepChange.of(new).fields)


async def test_a_failing_change_writes_nothing(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        before = snapshot(db_path)
        with pytest.raises(NotFoundError, match="no step 'nope'"):
            await store.update_steps("r1", [StepChange.set("s0", state="DONE"), StepChange.set("nope", state="DONE")],
                                     "half")
        with pytest.raises(NotFoundError, match="no resolution"):
            await store.update_steps("r9", [StepChange.set("s0", state="DONE")], "wrong resolution")
        with pytest.raises(NotFoundError, match="no task"):
            await store.update_task("t9", "wrong task", state="DONE")
        assert snapshot(db_path) == before
        assert (await store.load_step("r1", "s0")).state == "TODO"
        assert len(await store.task_audit("t1")) == 2  # the creation rows only
    with pytest.raises(ValueError, match="not step fields: colour"):
        StepChange.set("s0", colour="red")
    with pytest.raises(ValueError, match="not resolution fields: steps"):
        await _update_resolution_with_steps(db_path)


async def _update_resolution_with_steps(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.update_resolution("r1", "x", steps={})


async def test_wrong_types_are_refused_before_writing(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        changes: list[dict[str, Any]] = [
            {"state": 3}, {"try_count": "1"}, {"try_count": True}, {"last_run": "yesterday"}, {"definition": {}},
            {"conditions": [{}]}, {"output": {"x": object()}}]
        for change in changes:
            with pytest.raises(TypeError):
                await store.update_steps("r1", [StepChange("s0", change)], "bad")
        assert len(await store.audit_trail("r1")) == 1


async def test_foreach_children_appear_and_disappear(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        children = [StepRun.from_definition(f"s1-{index}", step_definition(1)) for index in range(3)]
        for index, child in enumerate(children):
            child.item = {"n": JSONNumber(str(index))}
        written = await store.apply("r1", "expanded", add=children, steps=[
            StepChange.set("s1", state="EXPANDED", children_steps=[child.name for child in children])])
        assert written == 5
        steps = (await store.load_resolution("r1")).steps
        assert list(steps) == ["s0", "s1", "s2", "s1-0", "s1-1", "s1-2"]
        assert steps["s1-2"].item == {"n": "2"}
        with pytest.raises(Exception, match="already"):
            await store.add_steps("r1", [children[0]], "twice")
        assert await store.remove_steps("r1", ["s1-0", "s1-1", "s1-2"], "contracted") == 3
        assert list((await store.load_resolution("r1")).steps) == ["s0", "s1", "s2"]
        trail = await store.audit_trail("r1", step="s1-1")
        assert [(entry.field, entry.old, entry.new, entry.reason) for entry in trail] == [
            ("step", None, "TODO", "expanded"), ("step", "TODO", None, "contracted")]
        with pytest.raises(NotFoundError):
            await store.remove_steps("r1", ["s1-0"], "again")


async def test_resolution_and_task_fields(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(tags={"a": "1"}), make_resolution())
        written = await store.apply("r1", "run started", resolution={"state": "RUNNING", "run_count": 1,
                                                                      "last_start": T0},
                                    task={"state": "RUNNING", "tags": {"a": "1", "b": "2"}})
        assert written == 5
        await store.update_resolution("r1", "retry", next_retry=T0 + dt.timedelta(seconds=10),
                                      resolver_inputs={"n": JSONNumber("1619464078")})
        await store.update_task("t1", "done", state="DONE", result={"x": JSONNumber("1.50")}, tags={"b": "2"})
        resolution = await store.load_resolution("r1", steps=False)
        assert (resolution.state, resolution.run_count, resolution.last_start, resolution.steps) == (
            "RUNNING", 1, T0, {})
        assert resolution.resolver_inputs == {"n": 1619464078.0}
        task = await store.load_task("t1")
        assert (task.state, task.tags, task.result) == ("DONE", {"b": "2"}, {"x": "1.50"})
        trail = await store.task_audit("t1")
        assert [(entry.resolution_id, entry.field, entry.old, entry.new) for entry in trail] == [
            (None, "state", None, "TODO"), ("r1", "state", None, "TODO"),
            ("r1", "state", "TODO", "RUNNING"), ("r1", "run_count", 0, 1), ("r1", "last_start", None, T0),
            ("r1", "state", "TODO", "RUNNING"), ("r1", "tags", {"a": "1"}, {"a": "1", "b": "2"}),
            ("r1", "next_retry", None, T0 + dt.timedelta(seconds=10)),
            ("r1", "resolver_inputs", {}, {"n": 1619464078.0}),
            (None, "state", "RUNNING", "DONE"), (None, "result", None, {"x": "1.50"}),
            (None, "tags", {"a": "1", "b": "2"}, {"b": "2"})]


async def test_audit_and_data_agree_after_many_changes(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution(steps=10))
        for round_ in range(20):
            await store.update_steps("r1", [StepChange.set(f"s{(round_ * 3 + k) % 10}", try_count=round_,
                                                           output={"r": JSONNumber(str(round_))}) for k in range(3)],
                                     f"round {round_}")
        steps = (await store.load_resolution("r1")).steps
        for name, step in steps.items():
            last: dict[str, object] = {}
            for entry in await store.audit_trail("r1", step=name):
                last[entry.field] = entry.new
            assert last.get("try_count", 0) == step.try_count
            assert last.get("output") == step.output
    with reader(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("INSERT INTO steps (resolution_id, name, state, error, try_count, max_retries, "
                         "children_steps, tags, dependencies, conditions, definition) "
                         "VALUES ('nope', 'x', 'TODO', '', 0, 0, '[]', '{}', '[]', '[]', '{}')")

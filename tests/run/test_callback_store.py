"""The `callback` plugin over a store: a callback created by one engine is found and answered by another one
opened on the same SQLite file (a process resuming the resolution), with µTask's outputs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.run.engine import Engine
from engine.run.store_recorder import StoreRecorder
from engine.store import NotFoundError, Store, StoreError
from tests.run.engine_helpers import Clock, template

TEXT = """
name: approval
steps:
  ask: {action: {type: callback, configuration: {action: create}}}
  wait:
    dependencies: [ask]
    action: {type: callback, configuration: {action: wait, id: "{{.step.ask.output.id}}"}}
  apply:
    dependencies: [wait]
    action: {type: echo, configuration: {output: {decision: "{{.step.wait.output.body.decision}}"}}}
"""


async def _first_process(db: Path) -> tuple[str, dict[str, str]]:
    """Create and run the task until it waits; return the resolution id and the `ask` output."""
    async with Store.open(db) as store:
        engine = Engine(clock=Clock(), recorder=StoreRecorder(store))
        _, resolution = await engine.create(template(TEXT), {})
        await engine.run(resolution.id)
        assert resolution.state == "WAITING" and resolution.steps["wait"].state == "WAITING"
        created = resolution.steps["ask"].output
        row = await store.get_callback(created["id"])
        assert (row.token, row.task_id, row.resolution_id, row.step, row.schema, row.called) == (
            created["token"], resolution.task_id, resolution.id, "ask", None, None)
        assert created["url"] == f"http://127.0.0.1/unsecured/callback/{created['id']}?t={created['token']}"
        return resolution.id, created


def test_a_callback_is_answered_by_another_engine_on_the_same_file(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"

    async def go() -> None:
        resolution_id, created = await _first_process(db)
        async with Store.open(db) as store:  # a new process: nothing in memory
            engine = Engine(clock=Clock(), recorder=StoreRecorder(store))
            engine.add_template(template(TEXT))
            assert await engine.services.pending_callbacks(resolution_id) == [(created["id"], "ask")]
            with pytest.raises(NotFoundError):
                await engine.services.answer_callback(created["id"], {"decision": "no"}, token="wrong token")
            await engine.services.answer_callback(created["id"], {"decision": "approve"}, token=created["token"])
            with pytest.raises(StoreError, match="already been resolved"):
                await engine.services.answer_callback(created["id"], {"decision": "again"}, token=created["token"])
            assert await engine.services.pending_callbacks(resolution_id) == []
            resolution = await engine.run(resolution_id)
            assert resolution is not None and resolution.state == "DONE"
            row = await store.get_callback(created["id"])
            assert row.called is not None
            wait = resolution.steps["wait"]
            assert wait.state == "DONE"
            assert wait.output == {"id": created["id"], "date": row.called.isoformat().replace("+00:00", "Z"),
                                   "body": {"decision": "approve"}}
            assert resolution.steps["apply"].output == {"decision": "approve"}
        async with Store.open(db) as store:
            stored = await store.load_resolution(resolution_id)
            assert stored.state == "DONE" and stored.steps["wait"].output["body"] == {"decision": "approve"}

    asyncio.run(go())


def test_a_callback_still_waits_in_a_new_engine_until_answered(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"

    async def go() -> None:
        resolution_id, _ = await _first_process(db)
        async with Store.open(db) as store:
            engine = Engine(clock=Clock(), recorder=StoreRecorder(store))
            engine.add_template(template(TEXT))
            resolution = await engine.run(resolution_id)
            assert resolution is not None and resolution.state == "WAITING"
            assert resolution.steps["wait"].state == "WAITING"

    asyncio.run(go())


def test_in_memory_callbacks_check_the_token_and_answer_once() -> None:
    async def go() -> None:
        engine = Engine(clock=Clock())
        _, resolution = await engine.create(template(TEXT), {})
        await engine.run(resolution.id)
        created = resolution.steps["ask"].output
        assert engine.services.callback_store() is None
        assert await engine.services.pending_callbacks(resolution.id) == [(created["id"], "ask")]
        with pytest.raises(NotFoundError):
            await engine.services.answer_callback(created["id"], {"decision": "x"}, token="wrong")
        await engine.services.answer_callback(created["id"], {"decision": "ok"}, token=created["token"])
        with pytest.raises(StoreError):
            await engine.services.answer_callback(created["id"], {"decision": "x"})
        await engine.run(resolution.id)
        assert resolution.state == "DONE"
        assert resolution.steps["wait"].output == {"id": created["id"], "date": "2026-01-02T03:04:05Z",
                                                   "body": {"decision": "ok"}}

    asyncio.run(go())


def test_the_cli_resumes_a_resolution_whose_callback_was_answered_in_the_store(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "approval.yaml"
    path.write_text(TEXT.replace("\nsteps:", "\ndescription: a test\ntitle_format: a test\nsteps:", 1),
                    encoding="utf-8")
    db = tmp_path / "runs.db"
    main(["run", str(path), "--db", str(db), "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert document["state"] == "WAITING"
    resolution_id = document["id"]

    async def answer(token: str | None) -> str:
        async with Store.open(db) as store:
            (waiting,) = await store.list_callbacks(resolution_id, pending=True)
            await store.resolve_callback(waiting.id, token or waiting.token, {"decision": "yes"})
            return waiting.id

    with pytest.raises(NotFoundError):
        asyncio.run(answer("wrong token"))
    callback_id = asyncio.run(answer(None))
    assert main(["run", str(path), "--db", str(db), "--resume", resolution_id, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["state"] == "DONE"
    assert document["steps"]["wait"]["state"] == "DONE"
    assert document["steps"]["wait"]["output"]["id"] == callback_id
    assert document["steps"]["wait"]["output"]["body"] == {"decision": "yes"}

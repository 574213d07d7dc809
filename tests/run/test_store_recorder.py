"""`StoreRecorder` and `utask-engine run --db/--resume`, in process: what is written, crash recovery."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.run.engine import Engine
from engine.run.store_recorder import StoreRecorder
from engine.store import StepChange, Store
from tests.run.engine_helpers import Clock, template

TEXT = """
name: recorder-test
steps:
  first: {action: {type: echo, configuration: {output: {x: "1"}}}}
  loop:
    dependencies: [first]
    foreach: '[1,2,3]'
    action: {type: echo, configuration: {output: {i: "{{.iterator}}"}}}
  tagged:
    dependencies: [loop]
    action: {type: tag, configuration: {tags: {color: blue}}}
  last: {dependencies: [tagged], action: {type: echo, configuration: {output: {end: "yes"}}}}
"""


def test_a_persisted_run_reads_back_as_it_ended(tmp_path: Path) -> None:
    async def go() -> None:
        async with Store.open(tmp_path / "r.db") as store:
            recorder = StoreRecorder(store)
            engine = Engine(clock=Clock(), recorder=recorder)
            task, resolution = await engine.create(template(TEXT), {})
            await engine.run(resolution.id)
            assert resolution.state == "DONE"
        async with Store.open(tmp_path / "r.db") as store:
            stored = await store.load_resolution(resolution.id)
            stored_task = await store.load_task(task.id)
            assert stored.state == "DONE" and stored_task.state == "DONE"
            assert stored_task.tags == {"color": "blue"}
            assert set(stored.steps) == {"first", "loop", "tagged", "last"}  # children were added, then removed
            for name, step in resolution.steps.items():
                again = stored.steps[name]
                assert (again.state, again.output, again.children, again.try_count, again.children_steps,
                        again.dependencies) == (step.state, step.output, step.children, step.try_count,
                                                step.children_steps, step.dependencies)
            trail = await store.audit_trail(resolution.id)
            reasons = {(entry.step, entry.field, entry.reason) for entry in trail}
            # Children written while they lived are removed at contraction (pure steps may also live and go
            # between two writes: changes made meanwhile are coalesced).
            for child in ("loop-0", "loop-1", "loop-2"):
                lives = [entry.new is not None for entry in trail if entry.step == child and entry.field == "step"]
                assert lives in ([], [True, False])
            assert ("first", "state", "result") in reasons and ("first", "output", "result") in reasons
            task_trail = await store.task_audit(task.id)
            assert [(e.old, e.new, e.reason) for e in task_trail if e.field == "tags"] == [
                ({}, {"color": "blue"}, "result")]
            first = [(e.old, e.new) for e in trail if e.step == "first" and e.field == "state"]
            assert first == [("TODO", "RUNNING"), ("RUNNING", "DONE")]
            # Only changed fields are written: the definition never appears, nor unchanged outputs.
            assert not any(entry.field == "definition" for entry in trail)

    asyncio.run(go())


CLI_TEMPLATE = """
name: resume-test
description: a test
title_format: a test
steps:
  one: {action: {type: echo, configuration: {output: {n: "1"}}}}
  two: {dependencies: [one], action: {type: echo, configuration: {output: {n: "2"}}}}
  three: {dependencies: [two], idempotent: true, action: {type: echo, configuration: {output: {n: "3"}}}}
"""


def _make_crashed(db: Path, resolution_id: str, running: set[str]) -> None:
    """Leave the resolution as a killed process would: RUNNING, with some steps RUNNING and later ones TODO."""
    async def go() -> None:
        async with Store.open(db) as store:
            changes = [StepChange.set(name, state="RUNNING" if name in running else "TODO", output=None,
                                      try_count=0) for name in ("two", "three")]
            await store.update_steps(resolution_id, changes, "test: simulated kill")
            await store.update_resolution(resolution_id, "test: simulated kill", state="RUNNING")

    asyncio.run(go())


def test_resume_recovers_the_mu_task_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(CLI_TEMPLATE, encoding="utf-8")
    db = tmp_path / "runs.db"
    assert main(["run", str(path), "--db", str(db), "--format", "json"]) == 0
    captured = capsys.readouterr()
    resolution_id = json.loads(captured.out)["id"]
    assert captured.err.startswith(f"resolution {resolution_id} (task ")

    # Resuming a DONE resolution runs nothing.
    assert main(["run", str(path), "--db", str(db), "--resume", resolution_id]) == 0
    assert "already DONE" in capsys.readouterr().err

    # `two` (not idempotent) was RUNNING: CRASHED, BLOCKED_TOCHECK, exit 1 with directions.
    _make_crashed(db, resolution_id, {"two"})
    assert main(["run", str(path), "--db", str(db), "--resume", resolution_id, "--format", "json"]) == 1
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["state"] == "BLOCKED_TOCHECK" and document["task_state"] == "BLOCKED"
    assert {name: step["state"] for name, step in document["steps"].items()} == {
        "one": "DONE", "two": "CRASHED", "three": "TODO"}
    assert "two" in captured.err and f"--resume {resolution_id}" in captured.err

    # The manual re-run executes the CRASHED step; DONE `one` keeps its single try.
    assert main(["run", str(path), "--db", str(db), "--resume", resolution_id, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["state"] == "DONE"
    assert {name: step["tries"] for name, step in document["steps"].items()} == {"one": 1, "two": 1, "three": 1}

    # Both RUNNING: the idempotent `three` goes back to TODO, `two` is CRASHED.
    _make_crashed(db, resolution_id, {"two", "three"})
    assert main(["run", str(path), "--db", str(db), "--resume", resolution_id, "--format", "json"]) == 1
    states = {name: step["state"] for name, step in json.loads(capsys.readouterr().out)["steps"].items()}
    assert states == {"one": "DONE", "two": "CRASHED", "three": "TODO"}

    async def trail() -> list[str]:
        async with Store.open(db) as store:
            return [entry.reason for entry in await store.audit_trail(resolution_id)]

    reasons = asyncio.run(trail())
    assert "crashed: found RUNNING without a live engine" in reasons and "crash recovery" in reasons


def test_resume_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(CLI_TEMPLATE, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(path), "--resume", "x"])
    assert exit_info.value.code == 2 and "--resume needs --db" in capsys.readouterr().err
    assert main(["run", str(path), "--db", str(tmp_path / "empty.db"), "--resume", "nope"]) == 1
    assert "no resolution nope" in capsys.readouterr().err

"""`StoreRecorder` and `utask-engine run --db/--resume`, in process: what is written, crash recovery."""

from __future__ import annotations

import asyncio
import datetime
import json
import sqlite3
from pathlib import Path
from typing import ClassVar

import pytest

from engine.cli import main
from engine.run.actions.base import ActionRequest, ActionResult
from engine.run.actions.echo import EchoAction
from engine.run.actions.registry import BUILTIN_ACTIONS
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
            # `first` is pure (echo): its RUNNING state may be written with its result, in one change.
            first = [(e.old, e.new) for e in trail if e.step == "first" and e.field == "state"]
            assert first in ([("TODO", "RUNNING"), ("RUNNING", "DONE")], [("TODO", "DONE")])
            # Only changed fields are written: the definition never appears, nor unchanged outputs.
            assert not any(entry.field == "definition" for entry in trail)

    asyncio.run(go())


class _StoreWitness(EchoAction):
    """echo declared with side effects: when it executes, it reads the step's state from the database file
    through a connection of its own (what a second process would see)."""

    side_effects: ClassVar[bool] = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, str] = {}

    async def execute(self, request: ActionRequest) -> ActionResult:
        with sqlite3.connect(self.path) as conn:
            row = conn.execute("SELECT state FROM steps WHERE name = ?", (request.step_name,)).fetchone()
        self.seen[request.step_name] = row[0]
        return await super().execute(request)


def test_actions_with_side_effects_start_once_their_running_state_is_committed(tmp_path: Path) -> None:
    wide = "name: witness\nsteps:\n" + "".join(
        f"  s{i}: {{action: {{type: echo, configuration: {{output: {{n: '{i}'}}}}}}}}\n" for i in range(50))
    wide += "  after: {dependencies: [s0, s49], action: {type: echo, configuration: {}}}\n"

    async def go() -> None:
        witness = _StoreWitness(tmp_path / "w.db")
        async with Store.open(tmp_path / "w.db") as store:
            engine = Engine(clock=Clock(), recorder=StoreRecorder(store), actions={**BUILTIN_ACTIONS, "echo": witness})
            _, resolution = await engine.create(template(wide), {})
            await engine.run(resolution.id)
            assert resolution.state == "DONE"
            trail = await store.audit_trail(resolution.id)
        assert witness.seen == dict.fromkeys([f"s{i}" for i in range(50)] + ["after"], "RUNNING")
        for name in witness.seen:  # and the trail says so: TODO → RUNNING, then RUNNING → DONE
            states = [(entry.old, entry.new) for entry in trail if entry.step == name and entry.field == "state"]
            assert states == [("TODO", "RUNNING"), ("RUNNING", "DONE")], name

    asyncio.run(go())


def test_a_dry_run_is_persisted_with_what_its_actions_would_have_done(tmp_path: Path) -> None:
    text = ("name: dry\nsteps:\n  call: {action: {type: http, configuration: {url: 'https://example.com/x', "
            "method: POST, body: '{{.task.task_id}}'}}}\n  after: {dependencies: [call], action: {type: echo, "
            "configuration: {output: {n: '1'}}}}\n")

    async def go() -> None:
        async with Store.open(tmp_path / "d.db") as store:
            engine = Engine(clock=Clock(), recorder=StoreRecorder(store))
            _, resolution = await engine.create(template(text), {})
            await engine.run(resolution.id, dry_run=True)
        described = resolution.steps["call"].dry_run
        assert described is not None and described["action"] == "http"
        async with Store.open(tmp_path / "d.db") as store:
            stored = (await store.load_resolution(resolution.id)).steps
        assert stored["call"].dry_run == described
        assert stored["after"].dry_run is None  # echo has no side effects: it really ran

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


def test_resume_refuses_a_template_whose_content_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(CLI_TEMPLATE, encoding="utf-8")
    db = tmp_path / "runs.db"
    assert main(["run", str(path), "--db", str(db), "--format", "json"]) == 0
    resolution_id = json.loads(capsys.readouterr().out)["id"]
    _make_crashed(db, resolution_id, {"three"})

    # Comments and layout are not content: the same template resumes.
    path.write_text("# reformatted\n" + CLI_TEMPLATE.replace("{n: \"1\"}", "{ n: '1' }"), encoding="utf-8")
    assert main(["run", str(path), "--db", str(db), "--resume", resolution_id]) == 0
    capsys.readouterr()

    _make_crashed(db, resolution_id, {"three"})
    changed = (CLI_TEMPLATE.replace('{n: "2"}', '{n: "two"}').replace("description: a test", "description: other")
               .replace("  three:", "  four: {action: {type: echo, configuration: {}}}\n  three:"))
    path.write_text(changed, encoding="utf-8")
    assert main(["run", str(path), "--db", str(db), "--resume", resolution_id]) == 1
    message = capsys.readouterr().err
    assert f"resolution {resolution_id} was created from another version of template 'resume-test'" in message
    assert "step(s) changed: two; step(s) added: four; field(s): description." in message

    async def states() -> dict[str, str]:
        async with Store.open(db) as store:
            return {name: step.state for name, step in (await store.load_resolution(resolution_id)).steps.items()}

    assert asyncio.run(states()) == {"one": "DONE", "two": "TODO", "three": "RUNNING"}  # nothing was run


FAILING = """
name: failing
description: a test
title_format: a test
steps:
  boom: {action: {type: echo, configuration: {error_message: boom, error_type: server}}}
"""


def test_scheduled_retries_survive_a_restart(tmp_path: Path) -> None:
    tpl = template(FAILING)

    async def first_process() -> tuple[str, datetime.datetime]:
        async with Store.open(tmp_path / "r.db") as store:
            engine = Engine(clock=Clock(), recorder=StoreRecorder(store))
            _, resolution = await engine.create(tpl, {})
            await engine.run(resolution.id)
            assert resolution.state == "ERROR" and resolution.next_retry is not None
            return resolution.id, resolution.next_retry

    async def restarted(now: datetime.datetime) -> tuple[int, int]:
        async with Store.open(tmp_path / "r.db") as store:
            clock = Clock()
            clock.now = now
            engine = Engine(clock=clock, recorder=StoreRecorder(store))  # knows nothing but the file
            engine.add_template(tpl)
            ran = await engine.collect_retries()
            return ran, (await store.load_resolution(resolution_id)).run_count

    resolution_id, retry = asyncio.run(first_process())
    assert asyncio.run(restarted(retry - datetime.timedelta(seconds=1))) == (0, 1)  # not due yet
    assert asyncio.run(restarted(retry + datetime.timedelta(seconds=1))) == (1, 2)  # due: run by the collector


def test_resume_waits_for_the_scheduled_retry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(FAILING, encoding="utf-8")
    db = tmp_path / "runs.db"
    assert main(["run", str(path), "--db", str(db), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["state"] == "ERROR" and document["next_retry"] is not None

    def reschedule(seconds: float) -> None:
        when = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=seconds)
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE resolutions SET next_retry = ?", (when.isoformat(timespec="microseconds"),))

    reschedule(0.2)
    assert main(["run", str(path), "--db", str(db), "--resume", document["id"], "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert f"resolution {document['id']} is ERROR with a retry scheduled at" in captured.err
    assert json.loads(captured.out)["steps"]["boom"]["tries"] == 2  # and it ran after waiting

    reschedule(3600)
    assert main(["run", str(path), "--db", str(db), "--resume", document["id"], "--now", "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "retry scheduled" not in captured.err and json.loads(captured.out)["steps"]["boom"]["tries"] == 3

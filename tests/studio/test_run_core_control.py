"""engine.run.control on the real engine (no Qt): run from a step, force a state and prune, refusals, audit."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from studio_support import SAMPLE_DIR

from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution
from engine.run import control
from engine.run.engine import Engine
from engine.run.events import StepEvent
from engine.run.store_recorder import StoreRecorder
from engine.store import Store
from engine.validate import validate_file


def _sample(name: str) -> tuple[Any, dict[str, Any]]:
    template = validate_file(SAMPLE_DIR / f"{name}.yaml").template
    assert template is not None
    return template, json.loads((SAMPLE_DIR / f"{name}.inputs.json").read_text())


async def _dry_run(name: str, engine: Engine) -> Resolution:
    template, examples = _sample(name)
    _, resolution = await engine.create(template, examples["inputs"], examples["resolver_inputs"])
    await engine.run(resolution.id, dry_run=True)
    return resolution


def _engine() -> Engine:
    return Engine(functions=FunctionRegistry.from_directory(SAMPLE_DIR / "functions"))


def test_descendants_follow_dependencies() -> None:
    async def scenario() -> set[str]:
        return control.descendants(await _dry_run("payments-antifraud", _engine()), "review_callback")

    assert asyncio.run(scenario()) == {"open_case", "alert_fraud_ops", "await_decision", "apply_review_decision"}


def test_force_state_prunes_like_the_engine_and_the_run_continues() -> None:
    async def scenario() -> tuple[Resolution, list[StepEvent]]:
        engine = _engine()
        resolution = await _dry_run("payments-antifraud", engine)
        events: list[StepEvent] = []
        engine.bus.subscribe(lambda event: events.append(event) if isinstance(event, StepEvent) else None)
        changes = control.force_state(resolution, "score", "DONE", output={"score": "5"}, publish=engine.bus.publish)
        assert changes["score"] == "forced" and changes["review_callback"] == "prune"
        assert resolution.state == "TODO"
        await engine.run(resolution.id, dry_run=True)
        return resolution, events

    resolution, events = asyncio.run(scenario())
    states = {name: step.state for name, step in resolution.steps.items()}
    assert resolution.state == "DONE" and states["approve"] == "DONE" and states["score"] == "DONE"
    assert {name for name, state in states.items() if state == "PRUNE"} == {
        "review_callback", "open_case", "alert_fraud_ops", "await_decision", "apply_review_decision"}
    assert {e.step for e in events if e.reason == "prune"} >= {"review_callback", "apply_review_decision"}


def test_run_from_a_foreach_parent_drops_its_children_and_expands_again() -> None:
    async def scenario() -> tuple[int, Resolution]:
        engine = _engine()
        resolution = await _dry_run("k8s-ingress-tls", engine)
        parent = next(name for name, step in resolution.steps.items() if step.definition.foreach)
        control.reset_from(resolution, parent)
        assert resolution.steps[parent].state == "TODO" and resolution.steps[parent].children is None
        waiting = sum(1 for step in resolution.steps.values() if step.state == "TODO")
        await engine.run(resolution.id, dry_run=True)
        return waiting, resolution

    waiting, resolution = asyncio.run(scenario())
    assert waiting >= 2 and resolution.state == "DONE"
    parent = next(step for step in resolution.steps.values() if step.definition.foreach)
    assert parent.state == "DONE" and parent.children


def test_refusals_are_messages() -> None:
    async def scenario() -> Resolution:
        return await _dry_run("payments-antifraud", _engine())

    resolution = asyncio.run(scenario())
    with pytest.raises(control.ControlError, match="no step"):
        control.reset_from(resolution, "ghost")
    with pytest.raises(control.ControlError, match="cannot be forced"):
        control.force_state(resolution, "score", "RUNNING")
    resolution.state = "RUNNING"
    with pytest.raises(control.ControlError, match="pause it first"):
        control.reset_from(resolution, "score")
    assert control.forceable_states(resolution.steps["score"])[0] == "NEEDS_REVIEW"


def test_controls_are_in_the_audit_trail(tmp_path: Path) -> None:
    async def scenario() -> list[Any]:
        async with Store.open(tmp_path / "runs.sqlite") as store:
            recorder = StoreRecorder(store)
            engine = Engine(functions=FunctionRegistry.from_directory(SAMPLE_DIR / "functions"), recorder=recorder)
            resolution = await _dry_run("payments-antifraud", engine)
            loaded = await recorder.load(resolution.id)
            assert loaded is not None and loaded[1] is resolution
            task = loaded[0]
            changes = control.reset_from(resolution, "open_case")
            await control.apply(recorder, task, resolution, changes, "run from open_case")
            stored = await store.load_resolution(resolution.id)
            assert stored.steps["open_case"].state == "TODO" and stored.state == "TODO"
            return await store.audit_trail(resolution.id, step="open_case")

    trail = asyncio.run(scenario())
    assert any(entry.field == "state" and entry.new == "TODO" and entry.reason == "reset" for entry in trail)


def test_sidecar_fixtures_round_trip_follow_renames_and_keep_positions(tmp_path: Path) -> None:
    from studio.document.sidecar import Sidecar, read_sidecar, write_sidecar

    template = tmp_path / "t.yaml"
    sidecar = Sidecar({"fetch": (1.0, 2.0)})
    sidecar.set_fixture("fetch", {"state": "NOT_FOUND", "output": {"id": 1}, "unknown": "dropped"})
    sidecar.rename("fetch", "lookup")
    write_sidecar(template, sidecar)
    read = read_sidecar(template)
    assert read.fixtures == {"lookup": {"state": "NOT_FOUND", "output": {"id": 1}}}
    assert read.positions == {"lookup": (1.0, 2.0)} and read.problem is None
    read.set_fixture("lookup", None)
    assert read.fixtures == {} and "fixtures" not in read.to_json()

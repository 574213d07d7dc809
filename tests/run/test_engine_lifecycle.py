"""Resolution lifecycle: retry scheduling, recorder writes, template resource, subtasks and the collector."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from engine.run.create import InputError
from engine.run.engine import Engine, RunRefused
from engine.run.outcome import retry_delay
from engine.run.recorder import MemoryRecorder
from tests.run.engine_helpers import Clock, run, template


@pytest.mark.parametrize(("pattern", "tries", "seconds"), [
    ("", 0, 8), ("seconds", 1, 10), ("seconds", 3, 15.625), ("seconds", 40, 600),
    ("minutes", 1, 96), ("minutes", 30, 1800), ("minutes", 0, 0),
    ("hours", 1, 3600), ("hours", 2, 4200), ("hours", 0, 3000), ("hours", 20, 10800),
])
def test_retry_delays(pattern: str, tries: int, seconds: float) -> None:
    assert retry_delay(pattern, tries) == pytest.approx(seconds)


def test_next_retry_uses_injected_clock_and_smallest_delay() -> None:
    text = """
name: test-template
steps:
  fast: {action: {type: echo, configuration: {error_message: x}}}
  slow: {retry_pattern: hours, action: {type: echo, configuration: {error_message: x}}}
"""
    clock = Clock()
    _, _, resolution = run(text, engine=Engine(clock=clock))
    assert resolution.next_retry == clock.now + datetime.timedelta(seconds=10)


def test_recorder_gets_incremental_step_writes() -> None:
    recorder = MemoryRecorder()
    engine = Engine(clock=Clock(), recorder=recorder)
    text = """
name: test-template
steps:
  a: {action: {type: echo, configuration: {}}}
  b: {dependencies: [a], action: {type: echo, configuration: {}}}
"""
    _, task, resolution = run(text, engine=engine)
    assert recorder.resolutions[resolution.id] is resolution and recorder.tasks[task.id] is task
    # One write per step at least (echo is pure: its RUNNING state may go with its result, in one write).
    assert recorder.step_writes >= 2


def test_dead_template_resource_refuses_the_run() -> None:
    engine = Engine(clock=Clock(), resource_limits={"template:test-template": 0})
    text = "name: test-template\nsteps:\n  a: {action: {type: echo, configuration: {}}}\n"

    async def go() -> None:
        task, resolution = await engine.create(template(text), {})
        with pytest.raises(RunRefused):
            await engine.run(resolution.id)
        assert resolution.state == "TO_AUTORUN_DELAYED" and task.state == "BLOCKED"
        assert resolution.next_retry == engine.clock() + datetime.timedelta(minutes=10)

    asyncio.run(go())


def test_input_refusals_use_utask_messages() -> None:
    text = """
name: test-template
inputs:
  - {name: color, legal_values: [red, blue]}
steps:
  a: {action: {type: echo, configuration: {}}}
"""
    engine = Engine(clock=Clock())
    with pytest.raises(InputError, match="Missing input 'color'"):
        asyncio.run(engine.create(template(text), {}))
    with pytest.raises(InputError, match="'green' is not a legal value"):
        asyncio.run(engine.create(template(text), {"color": "green"}))


def test_subtask_waits_then_parent_is_woken_and_collected() -> None:
    engine = Engine(clock=datetime.datetime.now)  # the collector compares with the real time

    child_text = "name: child-template\nsteps:\n  c: {action: {type: echo, configuration: {output: ok}}}\n"
    parent_text = ("name: parent-template\nsteps:\n"
                   "  sub: {action: {type: subtask, configuration: {template: child-template}}}\n")

    async def go() -> None:
        engine.add_template(template(child_text))
        parent, resolution = await engine.create(template(parent_text), {})
        await engine.run(resolution.id)
        assert resolution.state == "WAITING" and parent.state == "WAITING"
        sub = resolution.steps["sub"]
        assert sub.try_count == 2  # the extra end-of-run attempt
        child = engine.services.tasks[sub.output["id"]]
        assert child.state == "TODO" and child.tags["_utask_parent_task_id"] == parent.id
        child_resolution = await engine.create_resolution(child.id)
        await engine.run(child_resolution.id)
        assert child.state == "DONE"
        assert resolution.next_retry is not None
        await asyncio.sleep(0.001)
        assert await engine.collect_retries() == 1
        assert resolution.state == "DONE" and resolution.steps["sub"].output["state"] == "DONE"

    asyncio.run(go())


def test_pause_cancel_extend() -> None:
    engine = Engine(clock=Clock())
    text = "name: test-template\nretry_max: 1\nsteps:\n  a: {action: {type: echo, configuration: {error_message: x}}}\n"

    async def go() -> None:
        task, resolution = await engine.create(template(text), {})
        await engine.pause(resolution.id)
        assert resolution.state == "PAUSED"
        await engine.run(resolution.id)  # the engine runs PAUSED resolutions
        assert resolution.state == "BLOCKED_MAXRETRIES"
        await engine.extend(resolution.id)
        assert resolution.state == "ERROR" and resolution.run_max == 2
        await engine.cancel(resolution.id)
        assert resolution.state == "CANCELLED" and task.state == "CANCELLED"
        with pytest.raises(RunRefused, match="Cannot pause"):
            await engine.pause(resolution.id)
        with pytest.raises(RunRefused, match="Cannot cancel"):
            await engine.cancel(resolution.id)
        await engine.pause(resolution.id, force=True)
        assert resolution.state == "PAUSED"

    asyncio.run(go())


def test_graceful_shutdown_stops_starting_steps() -> None:
    engine = Engine(clock=Clock())
    text = """
name: test-template
steps:
  slow: {execution_delay: 200000000, action: {type: echo, configuration: {}}}
  next: {dependencies: [slow], action: {type: echo, configuration: {}}}
  other: {dependencies: [slow], action: {type: echo, configuration: {}}}
"""

    async def go() -> None:
        _, resolution = await engine.create(template(text), {})
        running = asyncio.create_task(engine.run(resolution.id))
        await asyncio.sleep(0.05)
        engine.shutdown()
        await running
        assert resolution.steps["slow"].state == "DONE"  # already started: finished within the grace period
        assert {resolution.steps[n].state for n in ("next", "other")} == {"TO_RETRY"}
        assert resolution.state == "ERROR"

    asyncio.run(go())

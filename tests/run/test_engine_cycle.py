"""The execution cycle: eligibility, dependencies, pruning, try counts, resolution states (spec §7, §10)."""

from __future__ import annotations

import asyncio
import time

import pytest

from engine.model.template import Template
from engine.run.engine import Engine, RunRefused
from tests.run.engine_helpers import Clock, run, states, template

SIMPLE = """
name: simple
steps:
  a: {action: {type: echo, configuration: {output: {foo: bar}}}}
  b:
    dependencies: [a]
    action: {type: echo, configuration: {output: {x: "{{.step.a.output.foo}}"}}}
  c:
    dependencies: [b]
    action: {type: echo, configuration: {output: {}, error_message: "FAIL!"}}
"""


def test_chain_runs_and_server_error_gives_error_with_next_retry() -> None:
    _, task, resolution = run(SIMPLE)
    assert states(resolution) == {"a": "DONE", "b": "DONE", "c": "SERVER_ERROR"}
    assert resolution.steps["b"].output == {"x": "bar"}
    assert resolution.steps["c"].error == "FAIL!"
    assert resolution.state == "ERROR"
    assert resolution.run_count == 1
    assert resolution.next_retry is not None and resolution.last_stop is not None
    assert (resolution.next_retry - resolution.last_stop).total_seconds() == pytest.approx(10)


def test_client_error_outranks_server_error_and_is_run_again_next_time() -> None:
    text = """
name: test-template
steps:
  bad: {action: {type: echo, configuration: {error_message: nope, error_type: client}}}
  worse: {action: {type: echo, configuration: {error_message: boom}}}
"""
    _, task, resolution = run(text, runs=2)
    assert resolution.state == "BLOCKED_BADREQUEST"
    assert task.state == "BLOCKED"
    assert resolution.steps["bad"].try_count == 2 and resolution.steps["worse"].try_count == 2


def test_max_retries_one_allows_two_executions() -> None:
    text = """
name: test-template
steps:
  s: {max_retries: 1, action: {type: echo, configuration: {error_message: boom}}}
"""
    _, _, resolution = run(text, runs=3)
    step = resolution.steps["s"]
    assert step.state == "FATAL_ERROR" and step.try_count == 2
    assert step.error == "Step reached max retries 1: boom"


def test_run_max_blocks_after_retry_max_runs() -> None:
    text = "name: test-template\nretry_max: 1\nsteps:\n  s: {action: {type: echo, configuration: {error_message: x}}}\n"
    _, task, resolution = run(text)
    assert resolution.state == "BLOCKED_MAXRETRIES" and task.state == "BLOCKED"


def test_deadlock_when_dependency_never_done() -> None:
    text = """
name: test-template
steps:
  a: {action: {type: echo, configuration: {error_message: x}}}
  b: {dependencies: [a], action: {type: echo, configuration: {}}}
"""
    _, _, resolution = run(text)
    assert states(resolution) == {"a": "SERVER_ERROR", "b": "TODO"}
    assert resolution.state == "ERROR"  # ERROR outranks BLOCKED_DEADLOCK


def test_any_dependency_needs_whole_upstream_chain_final() -> None:
    text = """
name: test-template
steps:
  one: {action: {type: echo, configuration: {error_message: x, error_type: client}}}
  two:
    dependencies: [one]
    action: {type: echo, configuration: {}}
  free: {action: {type: echo, configuration: {}}}
  three:
    dependencies: ["free:ANY"]
    action: {type: echo, configuration: {}}
  four:
    dependencies: ["two:ANY"]
    action: {type: echo, configuration: {}}
"""
    _, _, resolution = run(text)
    assert states(resolution) == {"one": "CLIENT_ERROR", "two": "TODO", "free": "DONE", "three": "DONE",
                                  "four": "TODO"}


def test_pruning_cascades_and_skips_any() -> None:
    text = """
name: test-template
steps:
  a:
    action: {type: echo, configuration: {}}
    conditions:
      - {type: skip, if: [{value: "1", operator: EQ, expected: "1"}], then: {this: PRUNE}}
  b: {dependencies: [a], action: {type: echo, configuration: {}}}
  c: {dependencies: [b], action: {type: echo, configuration: {}}}
  d: {dependencies: ["c:ANY"], action: {type: echo, configuration: {output: ran}}}
"""
    _, _, resolution = run(text)
    assert states(resolution) == {"a": "PRUNE", "b": "PRUNE", "c": "PRUNE", "d": "DONE"}
    assert resolution.steps["a"].try_count == 0
    assert resolution.state == "DONE"


def test_refusals_and_crash_recovery() -> None:
    engine = Engine(clock=Clock())
    text = """
name: test-template
steps:
  idem: {idempotent: true, action: {type: echo, configuration: {}}}
  other: {action: {type: echo, configuration: {}}}
"""

    async def go() -> None:
        _, resolution = await engine.create(template(text), {})
        for state, message in (("CANCELLED", "cancelled"), ("RUNNING", "already running"), ("DONE", "already done")):
            resolution.state = state
            with pytest.raises(RunRefused, match=f"Can't run resolution: {message}"):
                await engine.run(resolution.id)
        resolution.state = "CRASHED"
        resolution.steps["idem"].state = "RUNNING"
        assert (await engine.run(resolution.id)) is not None
        assert resolution.state == "DONE"
        resolution.state = "CRASHED"
        resolution.steps["other"].state = "RUNNING"
        assert (await engine.run(resolution.id)) is None
        assert resolution.state == "BLOCKED_TOCHECK" and resolution.steps["other"].state == "CRASHED"
        assert (await engine.run(resolution.id)) is not None  # a manual run re-executes CRASHED steps
        assert resolution.state == "DONE"

    asyncio.run(go())


def test_events_for_step_and_resolution_changes() -> None:
    engine = Engine(clock=Clock())
    seen: list[tuple[str, str, str]] = []
    engine.bus.subscribe(lambda e: seen.append((getattr(e, "step", "*"), e.old_state, e.new_state)))
    run(SIMPLE, engine=engine)
    assert ("a", "TODO", "RUNNING") in seen and ("a", "RUNNING", "DONE") in seen
    assert ("c", "RUNNING", "SERVER_ERROR") in seen
    assert ("*", "TODO", "RUNNING") in seen and ("*", "RUNNING", "ERROR") in seen


def test_event_stream_async_iterator() -> None:
    engine = Engine(clock=Clock())

    async def go() -> list[str]:
        _, resolution = await engine.create(template(SIMPLE), {})
        received: list[str] = []

        async def consume() -> None:
            async for event in engine.bus.stream():
                received.append(event.new_state)

        consumer = asyncio.create_task(consume())
        await asyncio.sleep(0)
        await engine.run(resolution.id)
        engine.bus.close()
        await consumer
        return received

    assert asyncio.run(go())[-1] == "ERROR"


def test_ten_thousand_step_chain_is_linear() -> None:
    def chain(count: int) -> Template:
        steps = {f"s{i}": {"action": {"type": "echo", "configuration": {"output": {"i": str(i)}}},
                           "dependencies": [f"s{i - 1}"] if i else []} for i in range(count)}
        return Template.model_validate({"name": "chain", "steps": steps})

    def timed(count: int) -> float:
        engine = Engine()

        async def go() -> float:
            _, resolution = await engine.create(chain(count), {})
            started = time.perf_counter()
            await engine.run(resolution.id)
            assert resolution.state == "DONE"
            return time.perf_counter() - started

        return asyncio.run(go())

    small, large = timed(1000), timed(10000)
    assert large < small * 10 * 3  # linear within a generous factor (quadratic would be ~100x)

"""Conditions, foreach, RETRY_NOW, functions, output strategies, pre-hooks, schemas (spec §5, §8, §9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.load.functions import FunctionRegistry
from engine.run.engine import Engine
from tests.run.engine_helpers import Clock, run, states

SHARED_FUNCTIONS = Path(__file__).resolve().parents[2].parent / "shared/conformance/utask/functions"


def test_check_conditions_in_order_last_write_wins_and_final_stops() -> None:
    text = """
name: test-template
steps:
  s:
    custom_states: [BAR, FOO]
    action: {type: echo, configuration: {output: {v: "x"}}}
    conditions:
      - {type: check, if: [{value: "{{.step.this.output.v}}", operator: EQ, expected: x}], then: {this: BAR}}
      - type: check
        if: [{value: "{{.step.this.state}}", operator: EQ, expected: BAR}]
        then: {this: FOO}
        message: "was {{.step.this.state}}"
        final: true
      - {type: check, if: [], then: {this: DONE}}
"""
    _, _, resolution = run(text)
    assert resolution.steps["s"].state == "FOO"
    assert resolution.steps["s"].error == "was BAR"
    assert resolution.state == "DONE"


def test_operators_in_notin_and_numeric_errors() -> None:
    text = """
name: test-template
steps:
  inlist:
    custom_states: [HIT]
    action: {type: echo, configuration: {}}
    conditions:
      - {type: check, if: [{value: "a, b ,c", operator: IN, expected: b}], then: {this: HIT}}
  bad:
    action: {type: echo, configuration: {}}
    conditions:
      - {type: check, if: [{value: "1.5", operator: GT, expected: "1"}], then: {this: DONE}}
  lower:
    custom_states: [MET]
    action: {type: echo, configuration: {}}
    conditions:
      - {type: check, if: [{value: "1", operator: gt, expected: "2"}], then: {this: MET}}
"""
    _, _, resolution = run(text)
    assert resolution.steps["inlist"].state == "HIT"
    assert resolution.steps["bad"].state == "AFTERRUN_ERROR"
    assert "invalid syntax" in resolution.steps["bad"].error
    assert resolution.steps["lower"].state == "MET"  # ⚠ lower-case numeric operators are always met


def test_skip_condition_without_this_leaves_step_running_and_crashed() -> None:
    text = """
name: test-template
steps:
  a: {action: {type: echo, configuration: {}}}
  s:
    dependencies: [a]
    action: {type: echo, configuration: {}}
    conditions:
      - {type: skip, if: [], then: {a: DONE}}
"""
    _, _, resolution = run(text)
    assert resolution.steps["s"].state == "RUNNING"
    assert resolution.state == "CRASHED"


def test_retry_now_loops_with_previous_output() -> None:
    text = """
name: test-template
steps:
  count:
    max_retries: 20
    action:
      type: echo
      configuration: {output: {num: "{{ add1 (default 0 .step.this.output.num) }}"}}
    conditions:
      - {type: check, if: [{value: "{{.step.this.output.num}}", operator: LT, expected: "5"}], then: {this: RETRY_NOW}}
"""
    _, _, resolution = run(text)
    step = resolution.steps["count"]
    assert step.state == "DONE" and step.output == {"num": "5"} and step.try_count == 5


def test_foreach_parallel_children_contract_into_children() -> None:
    text = """
name: test-template
steps:
  loop:
    foreach: '[{"v":"a"},{"v":"b"},{"v":"c"}]'
    action: {type: echo, configuration: {output: {got: "{{.iterator.v}}"}, metadata: {m: "1"}}}
    conditions:
      - {type: check, if: [{value: "{{.iterator.v}}", operator: EQ, expected: b}], then: {this: PRUNE}}
  after:
    dependencies: [loop]
    action: {type: echo, configuration: {output: "{{ len .step.loop.children }}"}}
"""
    _, _, resolution = run(text)
    assert set(resolution.steps) == {"loop", "after"}
    loop = resolution.steps["loop"]
    assert loop.state == "DONE" and loop.children_steps == []
    assert loop.children == [
        {"output": {"got": "a"}, "metadata": {"m": "1", "iterator": {"v": "a"}}, "state": "DONE"},
        {"output": {"got": "c"}, "metadata": {"m": "1", "iterator": {"v": "c"}}, "state": "DONE"},
    ]
    assert resolution.steps["after"].output == "2"


def test_foreach_sequence_stops_at_error_and_lists_dependencies() -> None:
    text = """
name: test-template
steps:
  first: {action: {type: echo, configuration: {}}}
  loop:
    dependencies: [first]
    foreach: '[1,2,3]'
    foreach_strategy: sequence
    action:
      type: echo
      configuration: {output: "{{.iterator}}", error_message: '{{ if eq (print .iterator) "2" }}boom{{ end }}'}
"""
    _, _, resolution = run(text)
    assert states(resolution) == {"first": "DONE", "loop": "EXPANDED", "loop-0": "DONE", "loop-1": "SERVER_ERROR",
                                  "loop-2": "TODO"}
    assert resolution.steps["loop-2"].dependencies == ["first", "loop-1"]
    assert resolution.steps["loop"].dependencies == ["first", "loop-0:ANY", "loop-1:ANY", "loop-2:ANY"]
    assert resolution.state == "ERROR"


def test_foreach_bad_items_is_fatal() -> None:
    text = "name: test-template\nsteps:\n  l: {foreach: '{\"a\":1}', action: {type: echo, configuration: {}}}\n"
    _, _, resolution = run(text)
    step = resolution.steps["l"]
    assert step.state == "FATAL_ERROR"
    assert step.error == "json: cannot unmarshal object into Go value of type []interface {}"


@pytest.mark.skipif(not SHARED_FUNCTIONS.is_dir(), reason="shared functions not available")
def test_function_chain_output_merge_order_and_conditions() -> None:
    engine = Engine(functions=FunctionRegistry.from_directory(SHARED_FUNCTIONS, replace_tabs=True), clock=Clock())
    text = """
name: test-template
steps:
  s:
    action: {type: "echo::hello::world", configuration: {name: toto}}
"""
    _, _, resolution = run(text, engine=engine)
    assert resolution.steps["s"].output == {"value": "Hello toto !"}


def test_output_strategies_template_and_merge() -> None:
    text = """
name: test-template
steps:
  t:
    action:
      type: echo
      configuration: {output: {first: John, last: Doe}}
      output: {strategy: template, format: {full: "{{.step.this.output.first}} {{.step.this.output.last}}"}}
  m:
    action:
      type: echo
      configuration: {output: {a: plugin}}
      output: {strategy: merge, format: {a: format, b: format}}
  broken:
    action:
      type: echo
      configuration: {output: {}}
      output: {strategy: template, format: {x: "{{ index .nothing 3 }}"}}
"""
    _, _, resolution = run(text)
    assert resolution.steps["t"].output == {"full": "John Doe"}
    assert resolution.steps["m"].output == {"a": "plugin", "b": "format"}
    broken = resolution.steps["broken"]
    assert broken.state == "FATAL_ERROR" and broken.error.startswith("unable to format output: Templating error:")
    assert broken.try_count == 1


def test_configuration_templating_error_is_fatal_without_try() -> None:
    text = "name: test-template\nsteps:\n  s: {action: {type: echo, configuration: {output: '{{ index .x 3 }}'}}}\n"
    _, _, resolution = run(text)
    step = resolution.steps["s"]
    assert step.state == "FATAL_ERROR" and step.try_count == 0
    assert step.error.startswith("failed to template configuration: Templating error: template: ")


def test_json_schema_violation_is_fatal() -> None:
    text = """
name: test-template
steps:
  s:
    action: {type: echo, configuration: {output: {a: "x"}}}
    json_schema: {type: object, properties: {a: {type: integer}}}
"""
    _, _, resolution = run(text)
    assert resolution.steps["s"].state == "FATAL_ERROR"


def test_pre_hook_output_visible_to_action() -> None:
    text = """
name: test-template
steps:
  s:
    pre_hook: {type: echo, configuration: {output: {token: abc}}}
    action: {type: echo, configuration: {output: "{{.pre_hook.output.token}}"}}
"""
    _, _, resolution = run(text)
    assert resolution.steps["s"].output == "abc"


def test_base_configuration_merge() -> None:
    text = """
name: test-template
base_configurations:
  common: {output: base, metadata: {from: base}}
steps:
  s: {action: {type: echo, base_configuration: common, configuration: {output: own}}}
"""
    _, _, resolution = run(text)
    assert resolution.steps["s"].output == "own" and resolution.steps["s"].metadata == {"from": "base"}


def test_inputs_checked_defaulted_and_floats() -> None:
    text = """
name: test-template
inputs:
  - {name: num, type: number}
  - {name: word, default: hello}
steps:
  s:
    action: {type: echo, configuration: {output: {num: "{{.input.num}}", w: "{{.input.word}}"}}}
    conditions:
      - {type: check, if: [{value: "{{.input.num}}", operator: EQ, expected: "1.619464078e+09"}], then: {this: DONE}}
"""
    _, task, resolution = run(text, {"num": 1619464078, "word": "", "undeclared": 1})
    assert "undeclared" not in task.inputs
    assert resolution.steps["s"].output == {"num": "1619464078", "w": "hello"}
    assert resolution.steps["s"].state == "DONE"


def test_dry_run_records_description_and_fixture(tmp_path: Path) -> None:
    script = tmp_path / "touch.sh"
    script.write_text("#!/bin/sh\ntouch \"$1\"\necho '{}'\n")
    script.chmod(0o755)
    marker = tmp_path / "marker"
    text = f"""
name: test-template
steps:
  pure: {{action: {{type: echo, configuration: {{output: kept}}}}}}
  side:
    action: {{type: script, configuration: {{file_path: touch.sh, argv: ["{marker}"]}}}}
  fixed:
    action: {{type: script, configuration: {{file_path: touch.sh, argv: ["{marker}"]}}}}
"""
    engine = Engine(clock=Clock(), scripts_dir=str(tmp_path))
    fixtures = {"fixed": {"output": {"id": 7}, "metadata": {"k": "v"}}}
    _, _, resolution = run(text, engine=engine, dry_run=True, fixtures=fixtures)
    assert not marker.exists()
    assert resolution.steps["pure"].output == "kept" and resolution.steps["pure"].dry_run is None
    side = resolution.steps["side"]
    assert side.state == "DONE" and side.output == {} and side.dry_run is not None
    assert side.dry_run["command"] == ["./touch.sh", str(marker)]
    assert resolution.steps["fixed"].output == {"id": "7"} and resolution.steps["fixed"].metadata == {"k": "v"}
    _, _, resolution = run(text, engine=Engine(clock=Clock(), scripts_dir=str(tmp_path)))
    assert marker.exists() and resolution.state == "DONE"


def test_dead_resource_gives_to_retry() -> None:
    text = "name: test-template\nsteps:\n  s: {resources: [db], action: {type: echo, configuration: {}}}\n"
    engine = Engine(clock=Clock(), resource_limits={"db": 0})
    _, _, resolution = run(text, engine=engine)
    step = resolution.steps["s"]
    assert step.state == "TO_RETRY" and step.try_count == 1
    assert step.error == "failed to acquire resources not provisioned"

"""The `kind: engine` scenarios of cases.yaml run against `engine.run` (create / run / mutate / external).

One `EngineCase` per case: an `Engine` with an in-memory recorder, the functions of the corpus, the scripts
of `tests/conformance/scripts_tests` and the in-process services (subtasks, callbacks).
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

from engine.load.document import parse_document
from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution, StepRun, Task
from engine.model.template import Condition, Step, Template
from engine.run.create import InputError
from engine.run.engine import Engine, RunRefused
from engine.run.functions import resolve_chain
from engine.run.pipeline import plain
from engine.templating import JSONNumber
from engine.validate import validate_document

__all__ = ["CaseFailure", "SUPPORTED_NEEDS", "run_engine_case"]

SCRIPTS_DIR = Path(__file__).resolve().parent
SUPPORTED_NEEDS = {"script_plugin", "callback_plugin", "wall_clock", "async_run", "subtask_plugin", "task_registry",
                   "parent_wakeup", "retry_collector", "batch_plugin"}
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class CaseFailure(Exception):
    pass


def _keys(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _TOKEN.findall(path)]


def get_path(data: Any, path: str) -> Any:
    for key in _keys(path):
        if isinstance(key, int):
            if not isinstance(data, list) or key >= len(data):
                return None
            data = data[key]
        elif isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


def set_path(data: Any, path: str, value: Any) -> None:
    keys = _keys(path)
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def step_json(step: StepRun) -> dict[str, Any]:
    definition = step.definition.model_dump(by_alias=True, exclude_none=True)
    definition.update({
        "name": step.name, "state": step.state, "output": step.output, "metadata": step.metadata,
        "children": step.children, "error": step.error, "try_count": step.try_count,
        "max_retries": step.max_retries, "dependencies": step.dependencies,
        "conditions": [c.model_dump(by_alias=True) for c in step.conditions], "item": step.item,
        "children_steps": step.children_steps or None, "tags": step.tags or None,
    })
    return definition


def same(actual: Any, expected: Any) -> bool:
    if type(actual) is JSONNumber:
        if isinstance(expected, str):
            return str(actual) == expected
        if isinstance(expected, int | float) and not isinstance(expected, bool):
            return float(actual) == float(expected)
        return False
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(same(actual[k], expected[k]) for k in actual)
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    return bool(actual == expected)


class EngineCase:
    def __init__(self, folder: Path, functions: FunctionRegistry, case: dict[str, Any], derived: bool = True) -> None:
        self.folder, self.case = folder, case
        self.engine = Engine(functions=functions, scripts_dir=str(SCRIPTS_DIR))
        self.functions = functions
        self.task: Task | None = None
        self.resolution: Resolution | None = None
        self.placeholders: dict[str, str] = {}
        self.derived = derived

    def load(self, name: str) -> Template:
        path = self.folder / "templates" / name
        document = parse_document(path.read_text(encoding="utf-8"), str(path), replace_tabs=True)
        result = validate_document(document, self.functions)
        if result.errors or result.template is None:
            raise ValueError("; ".join(d.utask_message or d.message for d in result.errors))
        self.engine.add_template(result.template)
        return result.template

    async def run(self) -> None:
        for name in self.case.get("preload_templates") or []:
            self.load(name)
        for number, action in enumerate(self.case["actions"], 1):
            try:
                await self.action(action)
            except CaseFailure as failure:
                raise CaseFailure(f"action {number} ({action['do']}): {failure}") from None

    async def action(self, action: dict[str, Any]) -> None:
        do = action["do"]
        error: str | None = None
        returned = True
        if do == "create":
            try:
                template = self.load(self.case["template"])
                self.task, self.resolution = await self.engine.create(template, self.case.get("inputs") or {},
                                                                      self.case.get("resolver_inputs"))
                self.placeholders = {"$task_id": self.task.id, "$resolution_id": self.resolution.id}
            except (ValueError, InputError) as exc:
                error, returned = str(exc), False
        elif do == "run":
            assert self.resolution is not None
            try:
                returned = await self.engine.run(self.resolution.id) is not None
            except RunRefused as exc:
                error, returned = str(exc), False
        elif do == "run_async":
            assert self.resolution is not None
            pending = asyncio.create_task(self.engine.run(self.resolution.id))
            await asyncio.sleep(0)
            try:
                await pending
            except RunRefused as exc:
                error = str(exc)
        elif do == "mutate":
            for edit in action.get("edits") or []:
                self.edit(edit)
        elif do == "external":
            await self.external(action.get("expect") or {})
            return
        else:
            raise CaseFailure(f"unsupported action {do!r}")
        self.check(action.get("expect") or {}, error, returned)
        if self.derived:
            try:
                self.check(action.get("derived") or {}, error, returned)
            except CaseFailure as failure:
                raise CaseFailure(f"(derived) {failure}") from None

    async def external(self, expect: dict[str, Any]) -> None:
        """The operations the Go tests do around the engine: run child tasks, the retry collector."""
        assert self.resolution is not None and self.task is not None
        if "tasks_per_batch" in expect:
            await self.run_batches(expect)
        elif "child_task_state_before" in expect:
            for step in self.resolution.steps.values():
                if step.definition.action is None or step.definition.action.type != "subtask":
                    continue
                await self.run_child(step, expect)
                if "parent_to_resume" not in expect:
                    break
        if "next_retry" in expect:
            self.check_next_retry(expect["next_retry"])
        if "resolution_state_within_1s" in expect:
            for _ in range(100):
                await self.engine.collect_retries()
                if self.resolution.state == expect["resolution_state_within_1s"]:
                    break
                await asyncio.sleep(0.01)
            if self.resolution.state != expect["resolution_state_within_1s"]:
                raise CaseFailure(f"resolution {self.resolution.state} after 1 s of retry collection")

    async def run_batches(self, expect: dict[str, Any]) -> None:
        assert self.resolution is not None
        for step in self.resolution.steps.values():
            if step.definition.action is None or step.definition.action.type != "batch":
                continue
            batch_id, members = self.engine.services.batch_ids(step.metadata)
            if not batch_id or len(members) != expect["tasks_per_batch"]:
                raise CaseFailure(f"step {step.name}: batch {batch_id!r} with {len(members)} task(s)")
            for index, member in enumerate(members):
                last = index == len(members) - 1
                wanted = dict(expect)
                wanted["parent_to_resume"] = "$task_id" if last else None
                await self.run_child(step, wanted, member)

    async def run_child(self, step: StepRun, expect: dict[str, Any], child_id: str | None = None) -> None:
        assert self.resolution is not None and self.task is not None
        services = self.engine.services
        child = services.tasks.get(child_id or str(get_path(step.output, "id")))
        if child is None:
            raise CaseFailure(f"step {step.name}: no child task in output {plain(step.output)!r}")
        if child.state != expect["child_task_state_before"]:
            raise CaseFailure(f"child of {step.name}: task state {child.state} before its run")
        resolution = await self.engine.create_resolution(child.id)
        started = self.engine.clock()
        parent_retry_before = self.resolution.next_retry
        await self.engine.run(resolution.id)
        ended = self.engine.clock()
        wanted = expect.get("child_resolution_state")
        if wanted and resolution.state != wanted:
            raise CaseFailure(f"child of {step.name}: resolution {resolution.state}, expected {wanted}")
        wanted = expect.get("child_steps_state")
        if wanted and any(s.state != wanted for s in resolution.steps.values()):
            raise CaseFailure(f"child of {step.name}: steps {[s.state for s in resolution.steps.values()]}")
        wanted = expect.get("child_task_state_after")
        if wanted and child.state != wanted:
            raise CaseFailure(f"child of {step.name}: task state {child.state} after its run")
        if "parent_to_resume" in expect:
            parent = services.parent_to_wake(child)
            resumes = None if parent is None else parent.task_id
            if resumes != self.sub(expect["parent_to_resume"]):
                raise CaseFailure(f"child of {step.name}: wakes {resumes!r}, expected {expect['parent_to_resume']!r}")
        if "parent_resolution_state" in expect and self.resolution.state != expect["parent_resolution_state"]:
            raise CaseFailure(f"parent resolution {self.resolution.state} after the child run")
        if "parent_next_retry" in expect:
            retry = self.resolution.next_retry
            if retry is None or retry == parent_retry_before or not started <= retry <= ended:
                raise CaseFailure(f"parent next_retry {retry} not within the child run [{started}, {ended}]")

    def edit(self, edit: dict[str, Any]) -> None:
        assert self.resolution is not None
        steps = self.resolution.steps
        if "set_resolution_state" in edit:
            self.resolution.state = edit["set_resolution_state"]
        elif "set_step_state" in edit:
            steps[edit["set_step_state"]["step"]].state = edit["set_step_state"]["state"]
        elif "append_step_condition" in edit:
            spec = edit["append_step_condition"]
            steps[spec["step"]].conditions.append(Condition.model_validate(spec["condition"]))
        elif "set_step_field" in edit:
            spec = edit["set_step_field"]
            set_step_field(steps[spec["step"]], spec["path"], spec["value"])
        else:
            raise CaseFailure(f"unsupported edit {edit}")

    def check(self, expect: dict[str, Any], error: str | None, returned: bool) -> None:
        if "error_contains" in expect:
            if error is None or expect["error_contains"] not in error:
                raise CaseFailure(f"expected an error containing {expect['error_contains']!r}, got {error!r}")
        elif "error" in expect:
            if expect["error"] is None and error is not None:
                raise CaseFailure(f"expected success, got error {error!r}")
            if expect["error"] == "present" and error is None:
                raise CaseFailure("expected an error, got none")
        if "resolution" in expect and (expect["resolution"] == "present") != returned:
            raise CaseFailure(f"expected resolution {expect['resolution']}, got {'present' if returned else 'absent'}")
        resolution = self.resolution
        if resolution is None:
            return
        if "resolution_state" in expect and resolution.state != expect["resolution_state"]:
            raise CaseFailure(f"resolution state {resolution.state}, expected {expect['resolution_state']}")
        if "task_state" in expect and self.task is not None and self.task.state != expect["task_state"]:
            raise CaseFailure(f"task state {self.task.state}, expected {expect['task_state']}")
        if "next_retry" in expect:
            self.check_next_retry(expect["next_retry"])
        for name, wanted in (expect.get("steps") or {}).items():
            step = resolution.steps.get(name)
            if step is None:
                raise CaseFailure(f"step {name} is absent (steps: {sorted(resolution.steps)})")
            self.check_step(step, wanted)
        if expect.get("only_steps"):
            extra = set(resolution.steps) - set(expect.get("steps") or {})
            if extra:
                raise CaseFailure(f"unexpected steps {sorted(extra)}")
        for left, right in expect.get("distinct") or []:
            if same(self.ref(left), plain(self.ref(right))):
                raise CaseFailure(f"{left} and {right} are equal")

    def ref(self, text: str) -> Any:
        assert self.resolution is not None
        name, _, path = text.partition(".")
        return get_path(step_json(self.resolution.steps[name]), path)

    def check_next_retry(self, wanted: Any) -> None:
        assert self.resolution is not None
        actual = self.resolution.next_retry
        if wanted is None or wanted == "zero":
            if actual is not None:
                raise CaseFailure(f"next_retry {actual}, expected unset")
        elif wanted == "not_zero":
            if actual is None:
                raise CaseFailure("next_retry unset")
        elif isinstance(wanted, dict):
            stop = self.resolution.last_stop
            if actual is None or stop is None or abs((actual - stop).total_seconds() - wanted["delay_seconds"]) > 1:
                raise CaseFailure(f"next_retry {actual} - {stop}, expected +{wanted['delay_seconds']}s")

    def sub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.placeholders.get(value, value)
        return value

    def check_step(self, step: StepRun, wanted: dict[str, Any]) -> None:
        data = step_json(step)
        for key in ("state", "error", "try_count", "max_retries", "output"):
            if key in wanted and not same(data[key], self.sub(wanted[key])):
                raise CaseFailure(f"step {step.name}: {key} {plain(data[key])!r}, expected {wanted[key]!r}"
                                  + (f" (error {step.error!r})" if key == "state" else ""))
        if "error_contains" in wanted and wanted["error_contains"] not in step.error:
            raise CaseFailure(f"step {step.name}: error {step.error!r} lacks {wanted['error_contains']!r}")
        for path, value in (wanted.get("paths") or {}).items():
            actual = get_path(data, path)
            if not same(actual, self.sub(value)):
                raise CaseFailure(f"step {step.name}: {path} = {plain(actual)!r}, expected {value!r}")
        for path, length in (wanted.get("lengths") or {}).items():
            actual = get_path(data, path)
            if len(actual or []) != length:
                raise CaseFailure(f"step {step.name}: len({path}) = {len(actual or [])}, expected {length}")
        for path in wanted.get("null_paths") or []:
            if get_path(data, path) is not None:
                raise CaseFailure(f"step {step.name}: {path} = {plain(get_path(data, path))!r}, expected null")
        for path, value in (wanted.get("json_equals") or {}).items():
            try:
                parsed = json.loads(get_path(data, path))
            except (TypeError, ValueError):
                raise CaseFailure(f"step {step.name}: {path} is not JSON") from None
            if parsed != value:
                raise CaseFailure(f"step {step.name}: {path} parses as {parsed!r}, expected {value!r}")
        for path in wanted.get("json_parseable") or []:
            try:
                parsed = json.loads(get_path(data, path))
            except (TypeError, ValueError):
                parsed = None
            if not isinstance(parsed, dict):
                raise CaseFailure(f"step {step.name}: {path} is not a JSON object")
        if "custom_states_resolved" in wanted:
            chain = resolve_chain(step.definition.action, None, self.functions) if step.definition.action else None
            states = list(step.definition.custom_states) + (chain.custom_states if chain else [])
            if states != wanted["custom_states_resolved"]:
                wanted_states = wanted["custom_states_resolved"]
                raise CaseFailure(f"step {step.name}: custom states {states}, expected {wanted_states}")
        if "metadata_ignoring" in wanted:
            spec = wanted["metadata_ignoring"]
            metadata = {k: v for k, v in (step.metadata or {}).items() if k not in spec["fields"]}
            if not same(metadata, spec["value"]):
                raise CaseFailure(f"step {step.name}: metadata {plain(metadata)!r}, expected {spec['value']!r}")


def set_step_field(step: StepRun, path: str, value: Any) -> None:
    head = _keys(path)[0]
    if head == "conditions":
        dumped = [c.model_dump(by_alias=True) for c in step.conditions]
        if path == "conditions":
            dumped = value or []
        else:
            set_path({"conditions": dumped}, path, value)
        step.conditions = [Condition.model_validate(c) for c in dumped]
        step.definition = step.definition.model_copy(update={"conditions": list(step.conditions)})
    elif head in ("state", "output", "metadata", "children", "error", "try_count", "max_retries", "dependencies",
                  "item"):
        holder = {head: getattr(step, head)}
        set_path(holder, path, value)
        setattr(step, head, holder[head] if head != "dependencies" else list(holder[head] or []))
    else:
        dumped = step.definition.model_dump(by_alias=True, exclude_none=True)
        set_path(dumped, path, value)
        step.definition = Step.model_validate(dumped)


def run_engine_case(folder: Path, functions: FunctionRegistry, case: dict[str, Any]) -> None:
    """Raises CaseFailure when the engine disagrees with the case."""
    asyncio.run(EngineCase(folder, functions, case).run())

"""The engine facade: templates, task/resolution creation, one run of a resolution (spec §10.1, §10.5,
§11.3–11.5), with events and incremental persistence through a `RunRecorder`.

    engine = Engine(functions=FunctionRegistry.from_directory("functions"))
    engine.add_template(template)
    task, resolution = await engine.create("my-template", {"foo": "bar"})
    resolution = await engine.run(resolution.id)          # RunRefused when the state forbids it
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable, Mapping
from typing import Any

from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution, Task
from engine.model.states import ResolutionState, StepState, TaskState
from engine.model.template import Template
from engine.run.actions.base import Action
from engine.run.actions.registry import BUILTIN_ACTIONS
from engine.run.context import build_values, exact
from engine.run.create import new_resolution, new_task
from engine.run.cycle import RunCycle
from engine.run.events import EventBus, ResolutionEvent, StepEvent
from engine.run.outcome import next_retry_delay, resolution_state_of, retry_due
from engine.run.pipeline import ExecutionEnv
from engine.run.recorder import MemoryRecorder, RunRecorder
from engine.run.resources import ResourceLimits
from engine.run.services import LocalServices
from engine.templating import TemplateError, Values, World

__all__ = ["Engine", "RunRefused"]

_REFUSED = {ResolutionState.CANCELLED: "cancelled", ResolutionState.RUNNING: "already running",
            ResolutionState.DONE: "already done"}


class RunRefused(Exception):
    """The resolution's state forbids a run (µTask's message)."""


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Engine:
    def __init__(self, *, functions: FunctionRegistry | None = None, actions: Mapping[str, Action] | None = None,
                 recorder: RunRecorder | None = None, bus: EventBus | None = None,
                 clock: Callable[[], datetime.datetime] | None = None, scripts_dir: str = "./scripts",
                 resource_limits: Mapping[str, int] | None = None, resource_acquire_timeout: float = 60.0,
                 max_concurrent_executions: int = 100, world: World | None = None) -> None:
        self.functions = functions or FunctionRegistry()
        self.actions: dict[str, Action] = dict(actions if actions is not None else BUILTIN_ACTIONS)
        self.recorder: RunRecorder = recorder if recorder is not None else MemoryRecorder()
        self.bus = bus or EventBus()
        self.clock = clock or _utcnow
        self.world = world
        self.templates: dict[str, Template] = {}
        self.resources = ResourceLimits(resource_limits, resource_acquire_timeout)
        self.max_concurrent = max_concurrent_executions
        self.services = LocalServices(self, scripts_dir)
        self.shutting_down = False

    # -------------------------------------------------------------------------------------- creation

    def add_template(self, template: Template) -> None:
        """Upsert by normalized name."""
        self.templates[template.normalized_name] = template

    def template(self, name: str) -> Template:
        return self.templates[name.strip().lower()]

    async def create(self, template: str | Template, inputs: Mapping[str, Any] | None = None,
                     resolver_inputs: Mapping[str, Any] | None = None, *,
                     tags: Mapping[str, str] | None = None) -> tuple[Task, Resolution]:
        """A task and its (not autorun) resolution; InputError on bad inputs."""
        task = await self.create_task(template, inputs, tags=tags)
        resolution = await self.create_resolution(task.id, resolver_inputs)
        return task, resolution

    async def create_task(self, template: str | Template, inputs: Mapping[str, Any] | None = None, *,
                          tags: Mapping[str, str] | None = None) -> Task:
        """A task without resolution (state TODO, waiting for a resolver); InputError on bad inputs."""
        if isinstance(template, Template):
            self.add_template(template)
        else:
            template = self.template(template)
        task = new_task(template, inputs or {}, self.clock())
        task.tags.update(tags or {})
        await self.recorder.save_task(task, "created")
        self.services.tasks[task.id] = task
        return task

    async def create_resolution(self, task_id: str, resolver_inputs: Mapping[str, Any] | None = None) -> Resolution:
        """The resolution of a task (not autorun: state TODO)."""
        task = self.services.tasks[task_id]
        resolution = new_resolution(self.template(task.template_name), task, resolver_inputs, self.clock())
        await self.recorder.save_task(task, "resolution created")
        await self.recorder.save_resolution(resolution, "created")
        self.services.remember(task, resolution)
        return resolution

    # ------------------------------------------------------------------------------ administrative actions

    async def _load(self, resolution_id: str) -> tuple[Task, Resolution]:
        loaded = await self.recorder.load(resolution_id)
        if loaded is None:
            raise KeyError(f"no resolution {resolution_id!r}")
        return loaded

    async def pause(self, resolution_id: str, *, force: bool = False) -> None:
        """PAUSED (the task state is kept); refused in CANCELLED/RUNNING/DONE unless forced."""
        task, resolution = await self._load(resolution_id)
        if not force and resolution.state in _REFUSED:
            raise RunRefused(f"Cannot pause a resolution in state {resolution.state}")
        self._set_resolution_state(resolution, ResolutionState.PAUSED, "pause")
        await self.recorder.save_resolution(resolution, "pause")

    async def cancel(self, resolution_id: str) -> None:
        """CANCELLED, task CANCELLED; refused in CANCELLED/RUNNING/DONE."""
        task, resolution = await self._load(resolution_id)
        if resolution.state in _REFUSED:
            raise RunRefused(f"Cannot cancel a resolution in state {resolution.state}")
        self._set_resolution_state(resolution, ResolutionState.CANCELLED, "cancel")
        task.state = TaskState.CANCELLED
        await self.recorder.save_task(task, "cancel")
        await self.recorder.save_resolution(resolution, "cancel")
        await self.services.resolution_finished(task)

    async def extend(self, resolution_id: str) -> None:
        """BLOCKED_MAXRETRIES only: run_max += retry_max (or 100), state ERROR, next_retry now."""
        task, resolution = await self._load(resolution_id)
        if resolution.state != ResolutionState.BLOCKED_MAXRETRIES:
            raise RunRefused(f"Cannot extend a resolution in state {resolution.state}")
        resolution.run_max += self.template(task.template_name).retry_max or 100
        resolution.next_retry = self.clock()
        self._set_resolution_state(resolution, ResolutionState.ERROR, "extend")
        await self.recorder.save_resolution(resolution, "extend")

    def shutdown(self) -> None:
        """Graceful shutdown (§11.5): no new step starts, unstarted executions become TO_RETRY, running
        ones get a 3 s grace period, TODO steps then flag CRASHED instead of BLOCKED_DEADLOCK."""
        self.shutting_down = True

    async def mark_crashed(self, resolution_id: str) -> Resolution:
        """What µTask does for the RUNNING resolutions of a dead instance (§11.5): state CRASHED, so that the
        next run starts with crash recovery. Refused unless the resolution is RUNNING."""
        task, resolution = await self._load(resolution_id)
        if resolution.state != ResolutionState.RUNNING:
            raise RunRefused(f"Cannot mark a resolution in state {resolution.state} as crashed")
        self._set_resolution_state(resolution, ResolutionState.CRASHED, "crashed")
        await self.recorder.save_resolution(resolution, "crashed: found RUNNING without a live engine")
        return resolution

    def due_resolutions(self) -> list[Resolution]:
        """What µTask's retry collector would pick now among the resolutions of this engine (§11.1): ERROR
        with `next_retry` past, WAITING woken (`last_start < next_retry < now`)."""
        now = self.clock()
        return [resolution for resolution in self.services.resolutions.values()
                if retry_due(resolution.state, resolution.next_retry, resolution.last_start, now)]

    async def collect_retries(self) -> int:
        """One pass of the retry collector: run every due resolution, those of this engine and those the
        recorder holds (scheduled by an engine before a restart: `next_retry` is recorded); returns how many
        ran. The templates of recorded resolutions must have been added (`add_template`)."""
        now = self.clock()
        due = dict.fromkeys(resolution.id for resolution in self.due_resolutions())
        due.update(dict.fromkeys(await self.recorder.due_retries(now)))
        ran = 0
        for resolution_id in due:
            task, resolution = await self._load(resolution_id)
            if not retry_due(resolution.state, resolution.next_retry, resolution.last_start, now):
                continue  # its state changed meanwhile (run by an earlier one of this pass: a parent woken)
            self.services.remember(task, resolution)
            self._set_resolution_state(resolution, ResolutionState.RETRY, "retry collector")
            await self.run(resolution_id)
            ran += 1
        return ran

    # ------------------------------------------------------------------------------------------- runs

    def _set_resolution_state(self, resolution: Resolution, state: str, reason: str) -> None:
        old = resolution.state
        resolution.state = state
        self.bus.publish(ResolutionEvent(resolution.id, old, state, reason))

    async def run(self, resolution_id: str, *, dry_run: bool = False,
                  fixtures: Mapping[str, Any] | None = None) -> Resolution | None:
        """One synchronous run (§10.1). Returns the resolution, or None when crash recovery blocked it."""
        loaded = await self.recorder.load(resolution_id)
        if loaded is None:
            raise KeyError(f"no resolution {resolution_id!r}")
        task, resolution = loaded
        refusal = _REFUSED.get(resolution.state)  # type: ignore[call-overload]
        if refusal is not None:
            raise RunRefused(f"Can't run resolution: {refusal}")
        if resolution.state == ResolutionState.CRASHED:
            recovered = self._recover(task, resolution)
            await self.recorder.save_steps(task, resolution, dict.fromkeys(recovered, "crash recovery"),
                                           "crash recovery")
            if resolution.state == ResolutionState.BLOCKED_TOCHECK:
                await self.recorder.save_task(task, "crash recovery")
                await self.recorder.save_resolution(resolution, "crash recovery")
                return None
        template = self.template(task.template_name)
        held = await self.resources.acquire([f"template:{template.normalized_name}"])
        if held is None:  # §12: a dead or busy template resource delays the run by 10 minutes
            self._set_resolution_state(resolution, ResolutionState.TO_AUTORUN_DELAYED, "template resource")
            resolution.next_retry = self.clock() + datetime.timedelta(minutes=10)
            task.state = TaskState.BLOCKED
            await self.recorder.save_task(task, "template resource")
            await self.recorder.save_resolution(resolution, "template resource")
            raise RunRefused(f"Can't run resolution: resource template:{template.normalized_name} unavailable")
        try:
            return await self._run(template, task, resolution, dry_run, fixtures)
        finally:
            self.resources.release(held)

    async def _run(self, template: Template, task: Task, resolution: Resolution, dry_run: bool,
                   fixtures: Mapping[str, Any] | None) -> Resolution:
        now = self.clock()
        self._set_resolution_state(resolution, ResolutionState.RUNNING, "run")
        resolution.last_start = now
        resolution.run_count += 1
        task.state = TaskState.RUNNING
        await self._save(task, resolution, "run")
        env = ExecutionEnv(self.functions, self.actions, resolution.base_configurations, self.services,
                           self.resources, task.id, resolution.id, dry_run, dict(fixtures or {}))
        values = build_values(template, task, resolution, self.world)
        slots = asyncio.Semaphore(self.max_concurrent) if self.max_concurrent >= 0 else None
        cycle = RunCycle(env, task, resolution, values, self.bus, self.clock, slots)
        cycle.stopping = lambda: self.shutting_down

        async def flush(dirty: dict[str, str]) -> None:
            if dirty:
                await self.recorder.save_steps(task, resolution, dirty)

        await cycle.run(flush)
        self._finish(template, task, resolution, values)
        await self._save(task, resolution, "end of run")
        await self.services.resolution_finished(task)
        return resolution

    async def _save(self, task: Task, resolution: Resolution, reason: str) -> None:
        """The task, then the resolution, issued together: a store commits them in one transaction."""
        await asyncio.gather(self.recorder.save_task(task, reason), self.recorder.save_resolution(resolution, reason))

    def _recover(self, task: Task, resolution: Resolution) -> list[str]:
        """Crash recovery (§11.5): the steps it changed; BLOCKED_TOCHECK when a non-idempotent step crashed."""
        crashed = False
        recovered: list[str] = []
        for step in resolution.steps.values():
            if step.state == StepState.RUNNING:
                recovered.append(step.name)
                step.state = StepState.TODO if step.definition.idempotent else StepState.CRASHED
                crashed |= step.state == StepState.CRASHED
                self.bus.publish(StepEvent(resolution.id, step.name, StepState.RUNNING, step.state, step.error,
                                           "recovery"))
        if crashed:
            self._set_resolution_state(resolution, ResolutionState.BLOCKED_TOCHECK, "recovery")
            task.state = TaskState.BLOCKED
        return recovered

    def _finish(self, template: Template, task: Task, resolution: Resolution, values: Values) -> None:
        now = self.clock()
        state = resolution_state_of(resolution.steps.values(), self.shutting_down)
        if state == ResolutionState.DONE:
            task.state = TaskState.DONE
            task.result = _render_result(values, template.result_format)
        elif state in (ResolutionState.ERROR, ResolutionState.CRASHED):
            if resolution.run_count >= resolution.run_max:
                state = ResolutionState.BLOCKED_MAXRETRIES
                task.state = TaskState.BLOCKED
            else:
                resolution.next_retry = now + next_retry_delay(resolution.steps.values())
        elif state == ResolutionState.WAITING:
            task.state = TaskState.WAITING
        else:
            task.state = TaskState.BLOCKED
        self._set_resolution_state(resolution, state, "end of run")
        resolution.last_stop = now
        task.last_activity = now


def _render_result(values: Values, result_format: Any) -> Any:
    if not isinstance(result_format, dict):
        return None

    def render(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: render(item) for key, item in value.items()}
        if isinstance(value, str):
            try:
                return values.apply(value)
            except TemplateError as error:
                return f"Templating error: {error.message}"
        return value

    rendered: dict[str, Any] = render(exact(result_format))
    return rendered

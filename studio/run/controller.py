"""`RunController`: the embedded engine, run in-process on the GUI thread's asyncio loop (qasync), persisted to
the SQLite store, its events turned into canvas states.

Every command returns at once; the work is an asyncio task on `studio.run.loop.event_loop()`. A user mistake
(bad state, refused command) is reported through `failed(str)`, never raised. One run at a time: pausing or
cancelling a running resolution asks the engine to stop starting steps (its graceful shutdown), then pauses or
cancels it once the run has returned.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine, Mapping
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution, Task
from engine.model.states import ResolutionState, StepState
from engine.model.template import Template
from engine.run import control
from engine.run.create import InputError
from engine.run.engine import Engine, RunRefused
from engine.run.events import Event, ResolutionEvent, StepEvent
from engine.run.store_recorder import StoreRecorder
from engine.store import AuditEntry, ResolutionInfo, Store, StoreError
from studio.run.loop import event_loop, running_loop
from studio.run.views import run_views

__all__ = ["RunController", "default_store_path"]

_LOG = logging.getLogger(__name__)
REFRESH_MS = 40  # canvas updates are coalesced: a burst of step events repaints once
_STOPPABLE = frozenset({ResolutionState.DONE, ResolutionState.CANCELLED})


def studio_data_dir() -> Path:
    """Where runs and last inputs live: `UTASK_STUDIO_DATA` (tests, portable set-ups) or the user data folder."""
    override = os.environ.get("UTASK_STUDIO_DATA")
    return Path(override) if override else platformdirs.user_data_path("utask-studio", appauthor=False)


def default_store_path() -> Path:
    return studio_data_dir() / "runs.sqlite"


class RunController(QObject):
    states_changed = Signal(object)  # dict[str, StepRunView] of the current resolution ({} when none)
    state_changed = Signal(str)  # the current resolution's state ("" when none)
    resolution_loaded = Signal(object, object)  # Task, Resolution: a new run, or one opened from history
    finished = Signal(str)  # a run (or control) ended; the resolution's state
    failed = Signal(str)  # why a command could not be done
    busy_changed = Signal(bool)

    def __init__(self, store_path: str | Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_path = Path(store_path) if store_path is not None else default_store_path()
        self.functions = FunctionRegistry()
        self.dry_run = True
        self.fixtures: dict[str, Any] = {}
        self.task: Task | None = None
        self.resolution: Resolution | None = None
        self.busy = False
        self._store: Store | None = None
        self._opening: asyncio.Task[None] | None = None
        self._engine: Engine | None = None
        self._callbacks: list[tuple[str, str]] = []  # (id, step) waiting in the current resolution, from the store
        self._callbacks_of = ""  # the resolution `_callbacks` belong to
        self._stop_as: str | None = None  # "pause" / "cancel" once the running resolution has stopped
        self._jobs: set[asyncio.Task[Any]] = set()
        self._deferred = 0  # jobs waiting for the Qt loop's first turn (see `_spawn`)
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self.refresh)

    # ------------------------------------------------------------------------------------------ queries

    @property
    def state(self) -> str:
        return self.resolution.state if self.resolution is not None else ""

    def pending_callbacks(self) -> list[tuple[str, str]]:
        """(callback id, step) of the current resolution's callbacks not called yet: those this session created
        and those recorded in the store (a run reopened from history or resumed after a restart)."""
        if self._engine is None or self.resolution is None:
            return []
        resolution_id = self.resolution.id
        found = [(cid, str(entry["step"])) for cid, entry in self._engine.services.callbacks.items()
                 if entry["called"] is None and entry.get("resolution_id") == resolution_id]
        called = {cid for cid, entry in self._engine.services.callbacks.items() if entry["called"] is not None}
        stored = self._callbacks if self._callbacks_of == resolution_id else []
        return found + [pair for pair in stored if pair not in found and pair[0] not in called]

    def idle(self) -> bool:
        """No command is under way (tests wait for this)."""
        return not self._jobs and not self._deferred

    # ----------------------------------------------------------------------------------------- commands

    def start(self, template: Template, inputs: Mapping[str, Any], resolver_inputs: Mapping[str, Any] | None = None,
              *, source: str | None = None, dry_run: bool = True,
              fixtures: Mapping[str, Any] | None = None) -> asyncio.Task[Any] | None:
        """Create a task and its resolution from `template`, then run it."""
        if self._refuse_while_running():
            return None
        self.dry_run, self.fixtures = dry_run, dict(fixtures or {})
        return self.spawn(self._start(template, dict(inputs), dict(resolver_inputs or {}), source))

    def pause(self) -> asyncio.Task[Any] | None:
        return self._stop_or(control_name="pause")

    def cancel(self) -> asyncio.Task[Any] | None:
        return self._stop_or(control_name="cancel")

    def resume(self) -> asyncio.Task[Any] | None:
        """Run the current resolution again (after a pause, an error, a callback, a control)."""
        if self._refuse_while_running() or self._no_resolution():
            return None
        return self.spawn(self._execute())

    def run_from(self, step: str, template: Template | None = None) -> asyncio.Task[Any] | None:
        """Reset `step` and its descendants to TODO (keep the rest), then run. With `template` (the one being
        edited), the reset steps run with their current definitions."""
        definitions = self._definitions(template)
        return self._control(lambda res, publish: control.reset_from(res, step, publish, definitions),
                             f"run from {step}")

    def force_state(self, step: str, state: str, output: Any = None,
                    template: Template | None = None) -> asyncio.Task[Any] | None:
        """What-if: `step` in `state` (its descendants reset, what it rules out pruned), then run."""
        definitions = self._definitions(template)
        return self._control(lambda res, publish: control.force_state(
            res, step, state, output=output, publish=publish, definitions=definitions), f"force {step} {state}")

    def resolve_callback(self, callback_id: str, body: Any) -> asyncio.Task[Any] | None:
        """Post `body` to a waiting callback (recorded in the store), then run again so that the waiting step
        sees it."""
        if self._engine is None or callback_id not in {cid for cid, _ in self.pending_callbacks()}:
            self.failed.emit("That callback is not waiting any more.")
            return None
        return self.spawn(self._resolve_callback(callback_id, body))

    def open_resolution(self, resolution_id: str) -> asyncio.Task[Any] | None:
        """Show a stored resolution (history): its states on the canvas, its records for the inspector."""
        if self._refuse_while_running():
            return None
        return self.spawn(self._open(resolution_id))

    def resume_stored(self, resolution_id: str) -> asyncio.Task[Any] | None:
        """Continue a resolution a previous studio left behind (RUNNING or CRASHED: crash recovery)."""
        if self._refuse_while_running():
            return None
        return self.spawn(self._resume_stored(resolution_id))

    def delete_resolution(self, resolution_id: str) -> asyncio.Task[Any] | None:
        if self.busy and self.resolution is not None and self.resolution.id == resolution_id:
            self.failed.emit("This run is in progress: cancel it before deleting it.")
            return None
        return self.spawn(self._delete(resolution_id))

    async def resumable(self, template_name: str | None = None) -> list[ResolutionInfo]:
        """Resolutions left RUNNING/CRASHED in the store (of one template when named)."""
        store = await self._open_store()
        found = await store.resumable_resolutions()
        name = template_name.strip().lower() if template_name else None
        return [info for info in found if name is None or _template_of(info) == name]

    async def audit(self, resolution_id: str) -> list[AuditEntry]:
        store = await self._open_store()
        return await store.audit_trail(resolution_id)

    async def close(self) -> None:
        """The studio is closing: a run in progress is interrupted where it is (its resolution stays RUNNING in
        the store, so that the next studio offers to resume it, µTask's crash recovery), then the store is
        closed (its writer thread would otherwise keep the process alive)."""
        current = asyncio.current_task()
        others = [job for job in self._jobs if job is not current]
        for job in others:
            job.cancel()
        if others:
            await asyncio.wait(others)
        if self._opening is not None:  # an opening in flight would leave its writer thread behind
            await asyncio.wait([self._opening])
        if self._store is not None:
            store, self._store = self._store, None
            await store.close()

    # ---------------------------------------------------------------------------------------- internals

    def spawn(self, work: Coroutine[Any, Any, Any], *, now: bool = False) -> asyncio.Task[Any] | None:
        """Run `work` as a job; before any asyncio loop runs (the window being built), on the Qt loop's first
        turn, so that it lands on the application's qasync loop rather than on one of our own."""
        if not now and running_loop() is None:
            self._deferred += 1
            QTimer.singleShot(0, lambda: self._spawn_deferred(work))
            return None
        job = event_loop().create_task(self._guard(work))
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
        return job

    def _spawn_deferred(self, work: Coroutine[Any, Any, Any]) -> None:
        self._deferred -= 1
        self.spawn(work, now=True)

    async def _guard(self, work: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await work
        except asyncio.CancelledError:
            raise
        except (RunRefused, control.ControlError, InputError, StoreError, KeyError) as error:
            self.failed.emit(str(error).strip("'\""))
        except Exception as error:  # noqa: BLE001 - an engine bug is shown, never a traceback in the UI
            _LOG.exception("run command failed")
            self.failed.emit(f"Engine error: {error!r}")
        finally:
            if isValid(self):  # the window (and this controller) may have gone while the job ran
                self.refresh()
        return None

    def _refuse_while_running(self) -> bool:
        if self.busy:
            self.failed.emit("A run is in progress: pause or cancel it first.")
        return self.busy

    def _no_resolution(self) -> bool:
        if self.resolution is None:
            self.failed.emit("No run yet: start one with Run….")
        return self.resolution is None

    def _stop_or(self, control_name: str) -> asyncio.Task[Any] | None:
        if self._no_resolution():
            return None
        if self.busy and self._engine is not None:
            self._stop_as = control_name
            self._engine.shutdown()  # no new step starts; `_execute` pauses/cancels once the run returned
            return None
        return self.spawn(self._admin(control_name))

    def _definitions(self, template: Template | None) -> Mapping[str, Any] | None:
        """The edited template's steps when it is the template of the current run (then the engine uses it too)."""
        if template is None or self.task is None or template.normalized_name != self.task.template_name:
            return None
        if self._engine is not None:
            self._engine.add_template(template)
        return template.steps

    def _control(self, change: Any, reason: str) -> asyncio.Task[Any] | None:
        if self._refuse_while_running() or self._no_resolution():
            return None
        return self.spawn(self._apply_control(change, reason))

    async def _open_store(self) -> Store:
        if self._store is None:
            if self._opening is None:  # jobs started together share one opening (one connection)
                self.store_path.parent.mkdir(parents=True, exist_ok=True)
                self._opening = event_loop().create_task(self._open_store_once())
            await asyncio.shield(self._opening)
        assert self._store is not None
        return self._store

    async def _open_store_once(self) -> None:
        try:
            self._store = await Store.open(self.store_path)
        finally:
            self._opening = None

    async def _get_engine(self) -> Engine:
        if self._engine is None:
            engine = Engine(functions=self.functions, recorder=StoreRecorder(await self._open_store()))
            engine.bus.subscribe(self._on_event)
            self._engine = engine
        self._engine.functions = self.functions
        return self._engine

    def _on_event(self, event: Event) -> None:
        if self.resolution is None or event.resolution_id != self.resolution.id:
            return
        if isinstance(event, ResolutionEvent):
            self.state_changed.emit(event.new_state)
        elif isinstance(event, StepEvent) and not self._refresh.isActive():
            self._refresh.start()

    def refresh(self) -> None:
        """Send the current resolution's states to the canvas now."""
        self._refresh.stop()
        self.states_changed.emit(run_views(self.resolution) if self.resolution is not None else {})

    def _set_current(self, task: Task, resolution: Resolution) -> None:
        self.task, self.resolution = task, resolution
        self.resolution_loaded.emit(task, resolution)
        self.state_changed.emit(resolution.state)
        self.refresh()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    async def _start(self, template: Template, inputs: dict[str, Any], resolver_inputs: dict[str, Any],
                     source: str | None) -> None:
        engine = await self._get_engine()
        store = await self._open_store()
        await store.save_template(template, source)
        task, resolution = await engine.create(template, inputs, resolver_inputs)
        self._set_current(task, resolution)
        await self._execute()

    async def _execute(self) -> None:
        engine = await self._get_engine()
        task, resolution = self.task, self.resolution
        assert task is not None and resolution is not None
        self._set_busy(True)
        try:
            if any(step.state == StepState.RUNNING for step in resolution.steps.values()):
                # Left RUNNING by a stop whose grace period ran out: µTask's crash recovery decides.
                resolution.state = ResolutionState.CRASHED
            await engine.run(resolution.id, dry_run=self.dry_run, fixtures=self.fixtures)
        finally:
            engine.shutting_down = False
            stop_as, self._stop_as = self._stop_as, None
            self._set_busy(False)
        if stop_as is not None and resolution.state not in _STOPPABLE:
            await self._admin(stop_as)
        await self._load_callbacks()
        self.state_changed.emit(resolution.state)
        self.refresh()
        self.finished.emit(resolution.state)

    async def _resolve_callback(self, callback_id: str, body: Any) -> None:
        engine = await self._get_engine()
        await engine.services.answer_callback(callback_id, body)
        self._callbacks = [pair for pair in self._callbacks if pair[0] != callback_id]
        if not self.busy:
            await self._execute()

    async def _load_callbacks(self) -> None:
        """The current resolution's callbacks still waiting, as the store records them."""
        if self._engine is None or self.resolution is None:
            self._callbacks, self._callbacks_of = [], ""
            return
        resolution_id = self.resolution.id
        self._callbacks = await self._engine.services.pending_callbacks(resolution_id)
        self._callbacks_of = resolution_id

    async def _admin(self, name: str) -> None:
        engine = await self._get_engine()
        assert self.resolution is not None
        if name == "pause":
            await engine.pause(self.resolution.id, force=True)
        else:
            await engine.cancel(self.resolution.id)
        self.state_changed.emit(self.resolution.state)
        self.finished.emit(self.resolution.state)

    async def _apply_control(self, change: Any, reason: str) -> None:
        engine = await self._get_engine()
        task, resolution = self.task, self.resolution
        assert task is not None and resolution is not None
        changes = change(resolution, engine.bus.publish)
        await control.apply(engine.recorder, task, resolution, changes, reason)
        self.refresh()
        await self._execute()

    async def _load(self, resolution_id: str) -> tuple[Task, Resolution]:
        engine = await self._get_engine()
        loaded = await engine.recorder.load(resolution_id)
        if loaded is None:
            raise KeyError(f"No run {resolution_id} in {self.store_path.name}")
        task, resolution = loaded
        if task.template_name not in engine.templates:
            stored = await (await self._open_store()).get_template(task.template_name)
            engine.add_template(stored.template)
        engine.services.remember(task, resolution)
        return task, resolution

    async def _open(self, resolution_id: str) -> None:
        task, resolution = await self._load(resolution_id)
        self.task, self.resolution = task, resolution
        await self._load_callbacks()
        self._set_current(task, resolution)

    async def _resume_stored(self, resolution_id: str) -> None:
        task, resolution = await self._load(resolution_id)
        self.task, self.resolution = task, resolution
        await self._load_callbacks()
        self._set_current(task, resolution)
        engine = await self._get_engine()
        if resolution.state == ResolutionState.RUNNING:  # its studio died: µTask's crash collector marks it
            await engine.mark_crashed(resolution_id)
        await self._execute()

    async def _delete(self, resolution_id: str) -> None:
        store = await self._open_store()
        resolution = await store.load_resolution(resolution_id, steps=False)
        await store.delete_task(resolution.task_id)
        if self.resolution is not None and self.resolution.id == resolution_id:
            self.task = self.resolution = None
            self.state_changed.emit("")
            self.refresh()


def _template_of(info: ResolutionInfo) -> str:
    return info.template_name.strip().lower()

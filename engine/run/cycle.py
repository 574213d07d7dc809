"""The execution cycle of one run (spec §10.1): eligibility (§7.2), pruning (§7.3), conditions (§8),
foreach (§9), RETRY_NOW and the WAITING extra pass.

Candidates of an evaluation pass come from a dependents index (step → steps depending on it), so a result
only looks at its own dependents: a 10,000-step chain costs linear time.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from engine.gcpause import gc_paused
from engine.model.graph import Dependency, parse_dependency
from engine.model.run import Resolution, StepRun, Task
from engine.model.states import StepState, is_final, is_runnable, runs_check_conditions
from engine.model.template import Condition
from engine.run.conditions import evaluate_conditions, keep_rendered_messages
from engine.run.context import publish_state, publish_step, remove_step, snapshot, step_entry
from engine.run.events import EventBus, StepEvent
from engine.run.foreach import ForeachError, children_entries, make_children, render_items, without_children
from engine.run.outcome import resolution_state_of
from engine.run.pipeline import (
    DEFAULT_MAX_RETRIES,
    ExecutionEnv,
    Outcome,
    execute_step,
    needs_async_preparation,
    perform,
    prepare,
)
from engine.templating import NO_ITEM, Values

__all__ = ["RunCycle"]


@dataclass(slots=True)
class _Result:
    step: StepRun
    outcome: Outcome | None = None  # None: nothing executed (skipped, AFTERRUN_ERROR, foreach parent)
    skipped: bool = False
    loop: bool = False


GROUP_COMMIT_WINDOW = 0.02  # seconds between two writes of pure changes (see `RunCycle.__init__`)
_NOT_STARTED = Outcome(StepState.TO_RETRY, keep_data=True)  # shutdown before the action started


class RunCycle:
    def __init__(self, env: ExecutionEnv, task: Task, resolution: Resolution, values: Values, bus: EventBus,
                 clock: Callable[[], datetime.datetime], slots: asyncio.Semaphore | None = None) -> None:
        self.env, self.task, self.resolution, self.values, self.bus = env, task, resolution, values, bus
        self.clock, self.slots = clock, slots
        self.stopping: Callable[[], bool] = lambda: False  # graceful shutdown requested (§11.5)
        self.grace_period = 3.0
        self.steps = resolution.steps
        self.executed: set[str] = set()
        self.retry_now: set[str] = set()
        self.dirty: dict[str, str] = {}  # step → reason, for the recorder
        self.queue: asyncio.Queue[_Result] = asyncio.Queue()
        self.pending = 0
        self.running: set[asyncio.Task[None]] = set()
        # Writes run in the background (one writer; changes made while it writes are coalesced into its next
        # write) so that pure steps never wait for the disk. Write-ahead: an execution of an action with side
        # effects starts only once the changes made up to its launch (its RUNNING state included) are
        # written, so a killed run never executed such a step without its store showing it RUNNING (crash
        # recovery, §11.5, relies on it).
        # Group commit: while only pure steps changed, writes are at most one per `group_commit_window`
        # seconds (each transaction costs about as much as running a few echo steps); an execution waiting
        # for its RUNNING state to be written, or the end of the run, has the next write done at once.
        self.written = asyncio.Event()  # set once the changes made since the last `_flush_soon` are written
        self._gates: list[asyncio.Event] = []  # the events of changes not written yet
        self._writer: asyncio.Task[None] | None = None
        self._urgent = asyncio.Event()  # someone waits for the next write
        self._last_write = float("-inf")  # when the last write ended (loop time)
        self.group_commit_window = GROUP_COMMIT_WINDOW
        self._write_error: Exception | None = None
        self._scratch: Values | None = None  # a launch snapshot nobody holds any more (see `snapshot`)
        self._parsed: dict[str, Dependency] = {}
        self.dependents: dict[str, dict[str, Dependency]] = {}  # step → {dependent: its dependency on step}
        for step in self.steps.values():
            self._index(step)

    # ------------------------------------------------------------------------------------ graph index

    def _dep(self, text: str) -> Dependency:
        parsed = self._parsed.get(text)
        if parsed is None:
            parsed = self._parsed[text] = parse_dependency(text)
        return parsed

    def _index(self, step: StepRun) -> None:
        for text in step.dependencies:
            dep = self._dep(text)
            self.dependents.setdefault(dep.step, {})[step.name] = dep

    def _unindex(self, step: StepRun) -> None:
        for text in step.dependencies:
            self.dependents.get(self._dep(text).step, {}).pop(step.name, None)

    # ------------------------------------------------------------------------------------------ states

    def set_state(self, step: StepRun, state: str, reason: str, error: str | None = None) -> None:
        old = step.state
        step.state = state
        if error is not None:
            step.error = error
        publish_state(self.values, step)
        self.dirty[step.name] = reason
        if state == StepState.RETRY_NOW:
            self.retry_now.add(step.name)
        if self.bus.listened:
            self.bus.publish(StepEvent(self.resolution.id, step.name, old, state, step.error, reason))

    def _impact(self, changes: set[str], reason: str) -> Callable[[str, str, str], None]:
        def apply(target: str, state: str, message: str) -> None:
            step = self.steps.get(target)
            if step is not None:
                self.set_state(step, state, reason, message)
                changes.add(target)
        return apply

    def _conditions(self, step: StepRun, kind: str) -> list[Condition]:
        own = step.conditions
        if step.definition.action is not None:
            inherited = self.env.chain(step.definition.action).conditions
            if inherited:
                own = inherited + own
        return [c for c in own if c.type == kind] if own else []

    # ------------------------------------------------------------------------------------- eligibility

    def _upstream_final(self, name: str) -> bool:
        seen: set[str] = set()
        stack = [name]
        while stack:
            step = self.steps.get(stack.pop())
            if step is None:
                continue
            for text in step.dependencies:
                target = self._dep(text).step
                if target in seen:
                    continue
                seen.add(target)
                other = self.steps.get(target)
                if other is not None and not is_final(other.state):
                    return False
                stack.append(target)
        return True

    def eligible(self, name: str) -> bool:
        step = self.steps.get(name)
        if step is None or name in self.executed or not is_runnable(step.state):
            return False
        loop = bool(step.definition.foreach) and not step.is_child
        # Backwards: an expanded loop's last children finish last, so a waiting parent fails fast (no n² scans).
        for text in reversed(step.dependencies):
            dep = self._dep(text)
            target = self.steps.get(dep.step)
            if loop and step.state != StepState.EXPANDED and dep.step in step.children_steps:
                if target is None or target.state != StepState.RUNNING:
                    continue
            if target is None:
                return False
            if dep.is_any and is_final(target.state) and self._upstream_final(dep.step):
                continue
            if target.state in dep.states:
                continue
            return False
        return True

    def start_eligible(self, changed: set[str], new_children: list[str]) -> int:
        if changed:
            candidates: dict[str, None] = {}
            for name in changed:
                candidates.update(dict.fromkeys(self.dependents.get(name, {})))
        else:
            candidates = dict.fromkeys(self.steps)
        for name in list(self.retry_now):
            step = self.steps.get(name)
            if name in self.executed and step is not None and step.state == StepState.RETRY_NOW:
                self.executed.discard(name)
                self.retry_now.discard(name)
                candidates[name] = None
        candidates.update(dict.fromkeys(new_children))
        if not candidates:
            return 0
        available = [name for name in candidates if self.eligible(name)]
        loops = {name for name in available if self.steps[name].definition.foreach and not self.steps[name].is_child}
        count = 0
        changes: set[str] = set()
        created: list[str] = []
        expanded = False
        for name in available:
            step = self.steps[name]
            if step.is_child and step.parent in loops:
                continue
            if name in loops:
                expanded |= self._loop(step, changes, created)
                if step.state not in (StepState.TODO, StepState.TO_RETRY, StepState.EXPANDED):
                    self.executed.add(name)
                self.queue.put_nowait(_Result(step, loop=True))
            else:
                self._launch(step, changes)
            count += 1
        if changes or expanded:
            self.prune(changes)
            count += self.start_eligible(changes, created)
        return count

    # --------------------------------------------------------------------------------------- launching

    def _launch(self, step: StepRun, changes: set[str]) -> None:
        if step.state == StepState.AFTERRUN_ERROR:
            self.queue.put_nowait(_Result(step))
            return
        previous_error = step.error
        self.set_state(step, StepState.RUNNING, "run")
        item = step.item if step.is_child else NO_ITEM
        skip = self._conditions(step, "skip")
        if skip:
            outcome = evaluate_conditions(self.values, skip, step.name, item, self._impact(changes, "condition"))
            keep_rendered_messages(step, outcome)
            if outcome.error is not None:
                self.set_state(step, StepState.SERVER_ERROR, "condition", outcome.error)
                changes.add(step.name)
            if outcome.error is not None or outcome.met:
                self.queue.put_nowait(_Result(step, skipped=True))
                return
        if step.max_retries == 0:
            step.max_retries = DEFAULT_MAX_RETRIES
        if 0 < step.max_retries < step.try_count:
            message = f"Step reached max retries {step.max_retries}: {previous_error}"
            self.queue.put_nowait(_Result(step, Outcome(StepState.FATAL_ERROR, error=message, keep_data=True)))
            return
        if self.stopping():
            self.queue.put_nowait(_Result(step, _NOT_STARTED))
            return
        if needs_async_preparation(self.env, step):
            snap = snapshot(self.values)
            task = asyncio.create_task(self._guarded(step, lambda: execute_step(self.env, step, self.values, snap),
                                                     self.written))  # its action is known later: always wait
            self._urgent.set()
        else:
            snap = snapshot(self.values, share_steps=True, reuse=self._scratch)
            prepared = prepare(self.env, step, snap)
            # The snapshot serves the next launch too unless the execution keeps it (output strategies).
            self._scratch = snap if isinstance(prepared, Outcome) or prepared.snap is None else None
            if isinstance(prepared, Outcome):
                self.queue.put_nowait(_Result(step, prepared))
                return
            ready = prepared
            pure = not ready.action.side_effects or self.env.dry_run
            task = asyncio.create_task(self._guarded(step, lambda: perform(self.env, step, ready),
                                                     None if pure else self.written))
            if not pure:
                self._urgent.set()
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    async def _guarded(self, step: StepRun, work: Callable[[], Awaitable[Outcome]],
                       written: asyncio.Event | None) -> None:
        """Run `work` in an execution slot (not at all once shutting down) and queue its outcome; with
        `written`, not before that event (the write of its RUNNING state), and not at all if writing failed."""
        try:
            if written is not None:
                await written.wait()
                if self._write_error is not None:
                    self.queue.put_nowait(_Result(step, _NOT_STARTED))
                    return
            if self.slots is not None:
                async with self.slots:
                    outcome = _NOT_STARTED if self.stopping() else await work()
            else:
                outcome = _NOT_STARTED if self.stopping() else await work()
        except Exception as error:  # noqa: BLE001 - an engine bug must not hang the run
            outcome = Outcome(StepState.SERVER_ERROR, error=f"engine error: {error!r}", keep_data=True)
        self.queue.put_nowait(_Result(step, outcome))

    # ------------------------------------------------------------------------------------------ loops

    def _loop(self, step: StepRun, changes: set[str], created: list[str]) -> bool:
        """Select a foreach parent; True when it expanded."""
        if step.state in (StepState.TODO, StepState.TO_RETRY):
            parent_skips = [c for c in self._conditions(step, "skip") if c.foreach == "parent"]
            if parent_skips:
                outcome = evaluate_conditions(self.values, parent_skips, step.name, NO_ITEM,
                                              self._impact(changes, "condition"))
                if outcome.error is not None:
                    self.set_state(step, StepState.SERVER_ERROR, "condition", outcome.error)
                    changes.add(step.name)
        if step.state == StepState.TODO or (step.state == StepState.TO_RETRY and not step.children_steps):
            return self._expand(step, created)
        if step.state in (StepState.TO_RETRY, StepState.EXPANDED):
            self._contract(step)
        return False

    def _expand(self, step: StepRun, created: list[str]) -> bool:
        try:
            items = render_items(self.values, step.definition.foreach)
        except ForeachError as error:
            self.set_state(step, StepState.FATAL_ERROR, "expand", str(error))
            return False
        children = make_children(step, items)
        for child in children:
            self.steps[child.name] = child
            self._index(child)
            self.values.root["step"][child.name] = step_entry(child)
            self.dirty[child.name] = "expand"
            created.append(child.name)
        self._unindex(step)
        step.dependencies = step.dependencies + [f"{child.name}:ANY" for child in children]
        step.children_steps = [child.name for child in children]
        self._index(step)
        self.set_state(step, StepState.EXPANDED, "expand")
        return True

    def _contract(self, step: StepRun) -> None:
        names = set(step.children_steps)
        children = [self.steps[name] for name in step.children_steps if name in self.steps]
        step.children = children_entries(children)
        for child in children:
            self._unindex(child)
            del self.steps[child.name]
            remove_step(self.values, child.name)
            self.executed.discard(child.name)
            self.dirty[child.name] = "contract"
        self._unindex(step)
        step.dependencies = without_children(step.dependencies, names)
        step.children_steps = []
        self._index(step)
        if step.state == StepState.EXPANDED:
            self.set_state(step, StepState.DONE, "contract", "")
        else:
            step.output = None
            self.set_state(step, step.state, "contract")

    # ---------------------------------------------------------------------------------------- pruning

    def prune(self, changed: set[str]) -> None:
        work = list(changed)
        while work:
            source = self.steps.get(work.pop())
            if source is None or not is_final(source.state):
                continue
            for name in list(self.dependents.get(source.name, {})):
                target = self.steps.get(name)
                if target is None:
                    continue
                dep = self.dependents[source.name].get(name)
                if dep is None or dep.is_any:
                    continue
                if source.state == StepState.PRUNE or source.state not in dep.states:
                    if target.state != StepState.PRUNE:
                        self.set_state(target, StepState.PRUNE, "prune")
                        changed.add(name)
                        work.append(name)

    # ------------------------------------------------------------------------------------------ results

    def _apply(self, step: StepRun, outcome: Outcome) -> None:
        if not outcome.keep_data:
            step.output, step.metadata = outcome.output, outcome.metadata
        if outcome.executed:
            step.try_count += 1
            step.last_run = self.clock()
        if outcome.dry_run is not None:
            step.dry_run = outcome.dry_run
        for key, value in outcome.tags.items():
            if value == "":
                self.task.tags.pop(key, None)
            else:
                self.task.tags[key] = value
        self.set_state(step, outcome.state, "result", outcome.error)

    def handle(self, result: _Result) -> None:
        step = result.step
        if self.steps.get(step.name) is not step:
            return  # a child collected by its parent meanwhile: discarded
        if result.outcome is not None:
            self._apply(step, result.outcome)
        publish_step(self.values, step)
        self.dirty[step.name] = "result"
        changed = {step.name}
        if not result.loop and not result.skipped and runs_check_conditions(step.state):
            checks = self._conditions(step, "check")
            if checks:
                item = step.item if step.is_child else NO_ITEM
                outcome = evaluate_conditions(self.values, checks, step.name, item,
                                              self._impact(changed, "condition"))
                keep_rendered_messages(step, outcome)
                if outcome.error is not None:
                    self.set_state(step, StepState.AFTERRUN_ERROR, "condition", outcome.error)
        self.prune(changed)
        if not result.loop:
            self.executed.add(step.name)
        self.pending += self.start_eligible(changed, [])

    def _flush_soon(self, flush: Callable[[dict[str, str]], Any]) -> None:
        """Have the changes made so far written (in the background)."""
        if self._write_error is not None:
            raise self._write_error
        self._gates.append(self.written)
        self.written = asyncio.Event()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_loop(flush))

    async def _write_loop(self, flush: Callable[[dict[str, str]], Any]) -> None:
        try:
            while self._gates:
                # One turn of the loop first: executions that finish without waiting (pure actions) have
                # their results processed by then, so a step's RUNNING and final states are usually written
                # together, once (group commit). Actions with side effects are not affected: they wait for
                # this write (`_guarded`), so the store shows them RUNNING before they start.
                await asyncio.sleep(0)
                await self._group_commit_wait()
                gates, self._gates = self._gates, []
                try:
                    await flush(self._take_dirty())
                except Exception as error:  # raised by the main loop (`_flush_soon`) and `run` (`_written`)
                    self._write_error = error
                    return
                finally:
                    self._last_write = asyncio.get_running_loop().time()
                    for gate in gates:  # on error too: waiting executions then give up (see `_guarded`)
                        gate.set()
        finally:
            self._writer = None

    async def _group_commit_wait(self) -> None:
        """Wait until the group commit window since the last write is over, or until a write is urgent."""
        if not self._urgent.is_set():
            delay = self._last_write + self.group_commit_window - asyncio.get_running_loop().time()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._urgent.wait(), delay)
        self._urgent.clear()

    async def _written(self) -> None:
        """Wait until every change is written; raise what writing raised."""
        self._urgent.set()  # the end of the run: no more changes to group
        while self._writer is not None:
            await asyncio.wait([self._writer])
        if self._write_error is not None:
            raise self._write_error

    async def run(self, flush: Callable[[dict[str, str]], Any]) -> None:
        """The main loop; `flush(dirty)` writes the changes of each processed result (or group of results
        already queued together), in the background, one call at a time, in order; returns once all are
        written (raising what `flush` raised)."""
        try:
            await self._main(flush)
        finally:
            await self._written()

    async def _main(self, flush: Callable[[dict[str, str]], Any]) -> None:
        # The synchronous bursts below (launching thousands of steps, processing a queue of results) allocate
        # many short-lived, cycle-free objects while the executions they create are alive: with the cyclic
        # collector running, each burst promoted those to the old generation and set off full collections
        # (tens of milliseconds each, collecting nothing). Paused during a burst only: never across an await.
        with gc_paused():
            self.pending = self.start_eligible(set(), [])
            self._flush_soon(flush)
        recheck_waiting = True
        while True:
            while self.pending > 0:
                if self.stopping():
                    try:
                        result = await asyncio.wait_for(self.queue.get(), self.grace_period)
                    except TimeoutError:
                        return  # the grace period is over: what still runs is left RUNNING (CRASHED)
                else:
                    result = await self.queue.get()
                self.pending -= 1
                with gc_paused():
                    self.handle(result)
                    # Results already waiting are processed before the flush: one write for all of them.
                    while self.pending > 0 and not self.queue.empty():
                        self.pending -= 1
                        self.handle(self.queue.get_nowait())
                    self._flush_soon(flush)
            waiting = [s for s in self.steps.values() if s.state == StepState.WAITING]
            if not (recheck_waiting and waiting and resolution_state_of(self.steps.values()) == "WAITING"):
                break
            recheck_waiting = False
            for step in waiting:  # one more attempt, except for batches
                action = step.definition.action
                if action is None or self.env.chain(action).plugin_type != "batch":
                    self.executed.discard(step.name)
            with gc_paused():
                self.pending = self.start_eligible(set(), [])
                self._flush_soon(flush)

    def _take_dirty(self) -> dict[str, str]:
        dirty, self.dirty = self.dirty, {}
        return dirty

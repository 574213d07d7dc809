"""In-process `EngineServices`: subtasks and batches create tasks in the same engine, callbacks are kept in
memory (and in the store's `callbacks` table when the engine records to a `Store`, so that another process
resuming the resolution can find and answer them), and a finished child task wakes its parent resolution
(spec §11.6)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from engine.model.run import Resolution, Task
from engine.model.states import ResolutionState, TaskState
from engine.store import NotFoundError, Store, StoreError

if TYPE_CHECKING:
    from engine.run.engine import Engine

__all__ = ["PARENT_TAG", "LocalServices"]

PARENT_TAG = "_utask_parent_task_id"
_FINISHED = frozenset({TaskState.DONE, TaskState.WONTFIX, TaskState.CANCELLED})


class LocalServices:
    def __init__(self, engine: Engine, scripts_dir: str) -> None:
        self.engine = engine
        self.scripts_dir = scripts_dir
        self.tasks: dict[str, Task] = {}
        self.resolutions: dict[str, Resolution] = {}  # by task id
        self.callbacks: dict[str, dict[str, Any]] = {}
        self.now: Callable[[], datetime.datetime] = engine.clock

    def remember(self, task: Task, resolution: Resolution) -> None:
        self.tasks[task.id] = task
        self.resolutions[task.id] = resolution

    async def create_task(self, template: str, inputs: Mapping[str, Any], *, parent_task_id: str,
                          tags: Mapping[str, str], delay: float | None) -> str:
        all_tags = dict(tags)
        if parent_task_id:
            all_tags[PARENT_TAG] = parent_task_id
        task = await self.engine.create_task(template, inputs, tags=all_tags)
        return task.id

    async def task_summary(self, task_id: str) -> dict[str, Any]:
        task = self.tasks[task_id]
        return {"id": task.id, "state": task.state, "result": task.result,
                "resolver_username": task.resolver_username or None, "requester_username": task.requester_username,
                "resolution_id": task.resolution_id}

    def callback_url(self, callback_id: str, secret: str) -> str:
        return f"http://127.0.0.1/unsecured/callback/{callback_id}?t={secret}"

    def register_callback(self, callback_id: str, secret: str, schema: Any, *, task_id: str, step_name: str,
                          resolver_username: str) -> None:
        self.callbacks[callback_id] = {"secret": secret, "schema": schema, "task_id": task_id, "step": step_name,
                                       "body": None, "called": None}

    def callback_body(self, callback_id: str) -> Any:
        return self.callbacks[callback_id]["body"]

    def callback_called_at(self, callback_id: str) -> datetime.datetime | None:
        called: datetime.datetime | None = self.callbacks[callback_id]["called"]
        return called

    def call_callback(self, callback_id: str, body: Any) -> None:
        entry = self.callbacks[callback_id]
        entry["body"], entry["called"] = body, self.now()

    # -- callbacks, persistent when the engine records to a store (engine.run.actions.callback.CallbackStore)

    def callback_store(self) -> Store | None:
        """The store the engine's recorder writes to (a StoreRecorder's), or None for an in-memory engine."""
        store = getattr(self.engine.recorder, "store", None)
        return store if isinstance(store, Store) else None

    async def save_callback(self, callback_id: str, secret: str, schema: Any, *, task_id: str, resolution_id: str,
                            step_name: str, resolver_username: str) -> None:
        """Remember a new callback: in memory, and as a row of the store's `callbacks` table when there is one."""
        store = self.callback_store()
        if store is not None:
            await store.create_callback(task_id, resolution_id, step_name, schema, callback_id=callback_id,
                                        token=secret)
        self.register_callback(callback_id, secret, schema, task_id=task_id, step_name=step_name,
                               resolver_username=resolver_username)
        self.callbacks[callback_id]["resolution_id"] = resolution_id

    async def callback_state(self, callback_id: str) -> tuple[Any, datetime.datetime | None]:
        """(body, when called) of a callback, (None, None) while not called; KeyError for an unknown id."""
        store = self.callback_store()
        if store is None:
            entry = self.callbacks[callback_id]
            called: datetime.datetime | None = entry["called"]
            return entry["body"], called
        try:
            row = await store.get_callback(callback_id)
        except NotFoundError:
            raise KeyError(callback_id) from None
        return row.body, row.called

    async def answer_callback(self, callback_id: str, body: Any, token: str | None = None) -> None:
        """Call a callback (once). `token` None: the engine's owner answers (the studio), no token check.
        NotFoundError for an unknown id or a wrong token, StoreError when it was already called."""
        store = self.callback_store()
        entry = self.callbacks.get(callback_id)
        if store is not None:
            if token is None:
                token = (await store.get_callback(callback_id)).token
            row = await store.resolve_callback(callback_id, token, body)
            if entry is not None:
                entry["body"], entry["called"] = row.body, row.called
            return
        if entry is None or (token is not None and token != entry["secret"]):
            raise NotFoundError("callback not found")
        if entry["called"] is not None:
            raise StoreError("callback has already been resolved")
        self.call_callback(callback_id, body)

    async def pending_callbacks(self, resolution_id: str) -> list[tuple[str, str]]:
        """(callback id, step) of the callbacks of a resolution not called yet (the store's when there is one)."""
        store = self.callback_store()
        if store is not None:
            return [(row.id, row.step) for row in await store.list_callbacks(resolution_id, pending=True)]
        return [(cid, str(entry["step"])) for cid, entry in self.callbacks.items()
                if entry.get("resolution_id") == resolution_id and entry["called"] is None]

    def parent_to_wake(self, task: Task) -> Resolution | None:
        """The parent resolution a finished task wakes (§11.6), or None."""
        if task.state not in _FINISHED:
            return None
        parent_id = task.tags.get(PARENT_TAG)
        parent = self.tasks.get(parent_id or "")
        resolution = self.resolutions.get(parent_id or "")
        if parent is None or resolution is None:
            return None
        if parent.state not in (TaskState.BLOCKED, TaskState.RUNNING, TaskState.WAITING):
            return None
        if resolution.state in (ResolutionState.CRASHED, ResolutionState.PAUSED):
            return None
        if any(self.tasks[s].state not in _FINISHED for s in self.batch_siblings(resolution, task.id)
               if s in self.tasks):
            return None  # a batch member wakes its parent only when the whole batch is finished
        return resolution

    @staticmethod
    def batch_ids(metadata: Any) -> tuple[str, list[str]]:
        """(batch_id, task ids) of a batch step's metadata (JSON text with escaped quotes)."""
        if not isinstance(metadata, str):
            return "", []
        try:
            data = json.loads(metadata.replace('\\"', '"'))
        except ValueError:
            return "", []
        if not isinstance(data, dict):
            return "", []
        return str(data.get("batch_id") or ""), [str(t) for t in data.get("task_ids") or []]

    def batch_siblings(self, resolution: Resolution, task_id: str) -> list[str]:
        for step in resolution.steps.values():
            _, members = self.batch_ids(step.metadata)
            if task_id in members:
                return [member for member in members if member != task_id]
        return []

    async def resolution_finished(self, task: Task) -> None:
        resolution = self.parent_to_wake(task)
        if resolution is not None:
            resolution.next_retry = self.now()
            await self.engine.recorder.save_resolution(resolution, "child task finished")

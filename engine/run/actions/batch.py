"""The `batch` plugin (µTask v0.1): creates one child task per input set and waits for all of them.

Spec: utask-plugins.md §12. Each execution of the step is one turn of a small state machine whose state
is the step's previous metadata: a JSON text whose `"` are escaped as `\\"` so that it survives being
re-injected into the rendered context (`{{ index .step X metadata }}`), exactly as µTask does.

Deviation: µTask counts the unfinished children of the batch with a database query; `EngineServices` has
no batch concept, so the ids of the children created so far travel in the metadata as an extra key,
`task_ids`, and their states are read through `task_summary`. `batch_id` is a fresh UUID. Extending the
resolution's `run_max` when the batch completes (µTask's `increaseRunMax`) is left to the engine, which
knows the step's try count.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import JSONError, dumps, loads
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ClientError, ConfigError, Waiting
from engine.run.actions.subtask import PARENT_TAG, own_step_value, parent_context, validate_tags

__all__ = ["BatchAction", "FINAL_STATES"]

CONFIG = Struct("BatchConfig", (
    F("template_name", "string"), F("common_inputs", "any_map"), F("common_json_inputs", "string"),
    F("inputs", "map_list"), F("json_inputs", "string"), F("comment", "string"),
    F("watcher_usernames", "string_list"), F("watcher_groups", "string_list"), F("tags", "string_map"),
    F("resolver_usernames", "string"), F("resolver_groups", "string"), F("sub_batch_size", "string"),
))
FINAL_STATES = frozenset({"DONE", "CANCELLED", "WONTFIX"})


def _escape(raw: str) -> str:
    return raw.replace('"', '\\"')


def _json_or_client_error(text: str, label: str, expected: type) -> Any:
    try:
        value = loads(text, exact=False)
    except JSONError as exc:
        raise ClientError(f"{label}: {exc}") from None
    if value is not None and not isinstance(value, expected):
        go_type = "[]map[string]interface {}" if expected is list else "map[string]interface {}"
        kind = "array" if isinstance(value, list) else "object" if isinstance(value, dict) else \
            "string" if isinstance(value, str) else "number"
        raise ClientError(f"{label}: json: cannot unmarshal {kind} into Go value of type {go_type}")
    return value


def _parse_sub_batch_size(text: str) -> int:
    if not text:
        return 0
    body = text[1:] if text[:1] in "+-" else text
    if not body.isascii() or not body.isdigit():
        raise ClientError(f'parsing failure of field \'SubBatchSize\': strconv.ParseInt: parsing "{text}": '
                          "invalid syntax")
    return int(text)


class BatchAction(Action):
    name: ClassVar[str] = "batch"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = True

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        validate_tags(cfg["tags"])

    def context(self, step_name: str) -> dict[str, Any] | None:
        return {**parent_context(), "metadata": own_step_value(step_name, "metadata"), "step_name": step_name}

    @staticmethod
    def _parse(cfg: dict[str, Any], raw_metadata: str) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
        progress: dict[str, Any] = {"batch_id": "", "remaining_tasks": 0, "tasks_started": 0, "task_ids": []}
        if raw_metadata:
            previous = _json_or_client_error(raw_metadata, "metadata unmarshalling failure", dict)
            progress.update(previous or {})
        if cfg["common_json_inputs"]:
            common = _json_or_client_error(cfg["common_json_inputs"], "JSON common input unmarshalling failure",
                                           dict)
            cfg["common_inputs"] = {**(cfg["common_inputs"] or {}), **(common or {})}
        inputs = cfg["inputs"] or []
        if cfg["json_inputs"]:
            parsed = _json_or_client_error(cfg["json_inputs"], "JSON inputs unmarshalling failure", list)
            inputs = [item if isinstance(item, dict) else {} for item in parsed or []]
        return progress, inputs, _parse_sub_batch_size(cfg["sub_batch_size"])

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
            progress, inputs, size = self._parse(cfg, str((request.context or {}).get("metadata") or ""))
        except (ConfigError, ActionError) as exc:
            return {"action": self.name, "error": str(exc)}
        return {"action": self.name, "template": cfg["template_name"], "children": len(inputs),
                "sub_batch_size": size, "common_inputs": cfg["common_inputs"] or {}, "inputs": inputs,
                "tags": cfg["tags"] or {}, "comment": cfg["comment"], "progress": progress}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        context = request.context or {}
        raw_metadata = str(context.get("metadata") or "")
        try:
            progress, inputs, size = self._parse(cfg, raw_metadata)
        except ActionError as exc:
            exc.metadata = _escape(raw_metadata)
            raise
        if not inputs:
            return ActionResult(metadata={"batch_id": "", "remaining_tasks": 0, "tasks_started": 0})
        parent = str(context.get("parent_task_id") or request.task_id)
        tags = {**(cfg["tags"] or {}), PARENT_TAG: parent}
        first_run = not progress["batch_id"]
        try:
            if first_run:
                progress["batch_id"] = str(uuid.uuid4())
                started = await self._populate(request, cfg, inputs, size, progress, tags, running=0)
                progress.update(remaining_tasks=len(inputs), tasks_started=started)
            else:
                running = await self._running(request, progress["task_ids"])
                if progress["tasks_started"] < len(inputs):
                    started = await self._populate(request, cfg, inputs, size, progress, tags, running)
                    progress["tasks_started"] += started
                    progress["remaining_tasks"] -= started
                else:
                    progress["remaining_tasks"] = running
        except ActionError as exc:
            exc.metadata = None if first_run else _escape(raw_metadata)
            raise
        except KeyError as exc:
            detail = exc.args[0] if exc.args else cfg["template_name"]
            raise ActionError(f"Template not found: {detail}",
                              metadata=None if first_run else _escape(raw_metadata)) from None
        metadata = _escape(dumps({"batch_id": progress["batch_id"], "remaining_tasks": progress["remaining_tasks"],
                                  "tasks_started": progress["tasks_started"], "task_ids": progress["task_ids"]}))
        if first_run:
            raise Waiting(f'tasks from batch "{progress["batch_id"]}" will start shortly', metadata=metadata)
        if progress["remaining_tasks"]:
            raise Waiting(f'batch "{progress["batch_id"]}" is currently RUNNING', metadata=metadata)
        return ActionResult(metadata=metadata)

    @staticmethod
    async def _running(request: ActionRequest, task_ids: list[str]) -> int:
        running = 0
        for task_id in task_ids:
            try:
                summary = await request.services.task_summary(task_id)
            except KeyError:
                continue  # a deleted child no longer counts, as in µTask's query
            if summary.get("state") not in FINAL_STATES:
                running += 1
        return running

    @staticmethod
    async def _populate(request: ActionRequest, cfg: Mapping[str, Any], inputs: list[dict[str, Any]], size: int,
                        progress: dict[str, Any], tags: dict[str, str], running: int) -> int:
        started = int(progress["tasks_started"])
        remaining = len(inputs) - started
        to_start = size - running
        if remaining < to_start or size == 0:
            to_start = remaining
        common = cfg["common_inputs"] or {}
        created = 0
        for particular in inputs[started:started + max(to_start, 0)]:
            merged = dict(particular)
            for key, value in common.items():
                if key in merged:
                    raise ClientError("Conflicting keys in input maps")
                merged[key] = value
            task_id = await request.services.create_task(cfg["template_name"], merged, parent_task_id=tags[PARENT_TAG],
                                                         tags=dict(tags), delay=None)
            progress["task_ids"].append(task_id)
            created += 1
        return created

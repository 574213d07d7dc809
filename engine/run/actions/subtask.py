"""The `subtask` plugin (µTask v0.1): creates a task from another template, then reports its state.

Spec: utask-plugins.md §5. Everything goes through `EngineServices`: `create_task` on the first run (no
child id yet), `task_summary` on every run. The step stays attached to its child through its own previous
output (`id`), read from the rendered context as µTask does, or from `request.previous_output`.

What the engine's services are expected to do:
* `create_task` raises `ClientError` for inputs the child template refuses (µTask's BadRequest), `KeyError`
  for an unknown template, any other `ActionError` as it sees fit;
* `task_summary` may add `resolution_id` (or `resolution`): a TODO child that has one "will start shortly",
  one that has none "is waiting for human validation".
The resolver/watcher lists and the requester identity are decoded and checked exactly as µTask does and
shown by `describe`, but `EngineServices.create_task` has no parameters for them yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from engine.gocompat import parse_duration
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import JSONError, loads
from engine.run.actions.base import (
    Action,
    ActionError,
    ActionRequest,
    ActionResult,
    ClientError,
    ConfigError,
    RetryLater,
    Waiting,
)

__all__ = ["PARENT_TAG", "SubtaskAction", "child_state_error", "validate_tags"]

PARENT_TAG = "_utask_parent_task_id"
CONFIG = Struct("SubtaskConfig", (
    F("template", "string"), F("input", "any_map"), F("json_input", "string"),
    F("resolver_usernames", "string"), F("resolver_groups", "string"),
    F("watcher_usernames", "string"), F("watcher_groups", "string"),
    F("delay", "string_ptr", "string"), F("tags", "string_map"),
))


def parent_context() -> dict[str, str]:
    """What µTask's child-task plugins (subtask, batch) read of the parent task."""
    return {
        "parent_task_id": "{{ .task.task_id }}",
        "requester_username": "{{.task.requester_username}}",
        "requester_groups": "{{ if .task.requester_groups }}{{ .task.requester_groups }}{{ end }}",
    }


def own_step_value(step_name: str, field: str, *keys: str) -> str:
    """`index .step NAME FIELD KEYS…`, empty until the step has that field (a plugin reading its own last run)."""
    path = " ".join(f"`{part}`" for part in (field, *keys))
    return (f"{{{{ if (index .step `{step_name}` ) }}}}{{{{ if (index .step `{step_name}` `{field}`) }}}}"
            f"{{{{ index .step `{step_name}` {path} }}}}{{{{ end }}}}{{{{ end }}}}")


def validate_tags(tags: Mapping[str, str] | None) -> None:
    for key in tags or {}:
        if key == PARENT_TAG:
            raise ConfigError(f'tag name "{PARENT_TAG}" not allowed')


def _string_list(text: str) -> list[str]:
    try:
        value = loads(text, exact=False)
    except JSONError as exc:
        raise ActionError(f"can't convert JSON to row slice: {exc}") from None
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) or item is None for item in value):
        kind = "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "value"
        raise ActionError(f"can't convert JSON to row slice: json: cannot unmarshal {kind} into Go value of "
                          "type []string")
    return [item or "" for item in value]


def child_state_error(task_id: str, state: str, has_resolution: bool) -> ActionError | None:
    """The error µTask returns for a child in `state` (None when DONE)."""
    if state == "DONE":
        return None
    if state in ("CANCELLED", "WONTFIX", "BLOCKED"):
        return ClientError(f"Task '{task_id}' changed state: {state.lower()}")
    if state == "TODO":
        if has_resolution:
            return Waiting(f'Task "{task_id}" will start shortly')
        return Waiting(f'Task "{task_id}" is waiting for human validation')
    if state == "RUNNING":
        return RetryLater(f'Task "{task_id}" is currently RUNNING')
    return ActionError(f'Task "{task_id}" not done yet (current state is {state})')


class SubtaskAction(Action):
    name: ClassVar[str] = "subtask"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = True

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        validate_tags(cfg["tags"])

    def context(self, step_name: str) -> dict[str, Any] | None:
        return {**parent_context(), "task_id": own_step_value(step_name, "output", "id")}

    @staticmethod
    def _child_id(request: ActionRequest) -> str:
        context = request.context or {}
        child = context.get("task_id")
        if not child and isinstance(request.previous_output, Mapping):
            child = request.previous_output.get("id")
        return str(child) if child else ""

    def _creation(self, request: ActionRequest, cfg: Mapping[str, Any]) -> dict[str, Any]:
        """What µTask passes to CreateTask (lists parsed, json_input merged, tags completed)."""
        context = request.context or {}
        parent = str(context.get("parent_task_id") or request.task_id)
        lists = {key: _string_list(cfg[key]) if cfg[key] else []
                 for key in ("resolver_usernames", "resolver_groups", "watcher_usernames", "watcher_groups")}
        inputs = dict(cfg["input"] or {})
        if cfg["json_input"]:
            try:
                extra = loads(cfg["json_input"], exact=False)
            except JSONError as exc:
                raise ActionError(f"can't parse `json_input`: {exc}") from None
            if extra is not None and not isinstance(extra, dict):
                kind = "array" if isinstance(extra, list) else "string" if isinstance(extra, str) else "number"
                raise ActionError(f"can't parse `json_input`: json: cannot unmarshal {kind} into Go value of "
                                  "type map[string]interface {}")
            inputs.update(extra or {})
        tags = dict(cfg["tags"] or {})
        tags[PARENT_TAG] = parent
        requester_groups = str(context.get("requester_groups") or "")
        return {"template": cfg["template"], "input": inputs, "parent_task_id": parent, "tags": tags,
                "delay": cfg["delay"], "comment": f"Auto created subtask, parent task {parent}",
                "requester_username": str(context.get("requester_username") or ""),
                "requester_groups": [g for g in requester_groups.split(",") if g] if requester_groups else [],
                **lists}

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
            child = self._child_id(request)
            if child:
                return {"action": self.name, "follow_task": child}
            return {"action": self.name, "create_task": self._creation(request, cfg)}
        except (ConfigError, ActionError) as exc:
            return {"action": self.name, "error": str(exc)}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        services = request.services
        child = self._child_id(request)
        if not child:
            creation = self._creation(request, cfg)
            delay: float | None = None
            if creation["delay"] is not None:
                try:
                    delay = parse_duration(creation["delay"])
                except ValueError as exc:
                    raise ActionError(f"delay: {exc}") from None
            try:
                child = await services.create_task(creation["template"], creation["input"],
                                                   parent_task_id=creation["parent_task_id"],
                                                   tags=creation["tags"], delay=delay)
            except KeyError as exc:
                raise ActionError(f"Template not found: {exc.args[0] if exc.args else cfg['template']}") from None
        try:
            summary = await services.task_summary(child)
        except KeyError:
            raise ActionError(f"Task not found: {child}") from None
        output = {"id": summary.get("id", child), "state": summary.get("state"), "result": summary.get("result"),
                  "resolver_username": summary.get("resolver_username"),
                  "requester_username": summary.get("requester_username")}
        has_resolution = bool(summary.get("resolution_id") or summary.get("resolution"))
        error = child_state_error(str(output["id"]), str(output["state"]), has_resolution)
        if error is not None:
            error.output = output
            raise error
        return ActionResult(output=output)

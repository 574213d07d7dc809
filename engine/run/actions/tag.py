"""The `tag` plugin (µTask v0.1): sets or removes tags of the running task.

Spec: utask-plugins.md §11. No output, no metadata, never fails; the engine merges the returned tags into
the task (an empty value, which a JSON null also decodes to, deletes the key).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions.base import Action, ActionRequest, ActionResult, ConfigError
from engine.run.actions.subtask import validate_tags

__all__ = ["TagAction"]

CONFIG = Struct("Config", (F("tags", "string_map"),))


class TagAction(Action):
    name: ClassVar[str] = "tag"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = False

    def validate(self, configuration: Mapping[str, Any]) -> None:
        validate_tags(decode(configuration, CONFIG)["tags"])

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            tags = decode(request.configuration, CONFIG)["tags"] or {}
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        return {"action": self.name, "set": {k: v for k, v in tags.items() if v},
                "delete": sorted(k for k, v in tags.items() if not v)}

    async def execute(self, request: ActionRequest) -> ActionResult:
        tags = decode_or_fail(request.configuration, CONFIG)["tags"] or {}
        return ActionResult(tags=dict(tags))

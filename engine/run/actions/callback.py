"""The `callback` plugin (µTask v0.1): `create` a callback URL, then `wait` until something posts to it.

Spec: utask-plugins.md §6. The plugin generates the id and the secret token (UUID v4 each), validates the
optional body schema (drafts 04/06/07, draft-07 when `$schema` is absent, µTask's `version` key honoured)
and asks the engine for the URL through `EngineServices.callback_url`. `wait` reads the posted body with
`EngineServices.callback_body` (None while not called; KeyError for an unknown id → SERVER_ERROR).

Services that also implement `CallbackRegistry` (below) are told about each new callback (id, secret,
schema, task, step, requester) and may report when it was called; otherwise the `date` of a received call
is the time `wait` first saw it (services.now()). Services that implement `CallbackStore` (the engine's
LocalServices) are used instead of both: they keep callbacks in the store when there is one, so that a
process resuming the resolution finds and answers them.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, runtime_checkable

from jsonschema import validators
from jsonschema.exceptions import SchemaError

from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import go_quote
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ClientError, ConfigError, Waiting

__all__ = ["CallbackAction", "CallbackRegistry", "CallbackStore", "normalize_schema"]

CONFIG = Struct("CallbackStepConfig", (F("action", "string"), F("schema", "string"), F("id", "string")))
_DRAFTS = {6: "http://json-schema.org/draft-06/schema#", 4: "http://json-schema.org/draft-04/schema#"}
DRAFT7 = "http://json-schema.org/draft-07/schema#"


@runtime_checkable
class CallbackRegistry(Protocol):
    """Optional engine services for callbacks (an extension of EngineServices)."""

    def register_callback(self, callback_id: str, secret: str, schema: Any, *, task_id: str, step_name: str,
                          resolver_username: str) -> None:
        """Remember a new callback so that the HTTP side can accept the call."""

    def callback_called_at(self, callback_id: str) -> datetime.datetime | None:
        """When the callback was called (None while it has not been)."""


@runtime_checkable
class CallbackStore(Protocol):
    """Optional engine services keeping callbacks where another process can find them (async: a store)."""

    async def save_callback(self, callback_id: str, secret: str, schema: Any, *, task_id: str, resolution_id: str,
                            step_name: str, resolver_username: str) -> None:
        """Record a new callback (id, secret token, schema, task, resolution, step)."""

    async def callback_state(self, callback_id: str) -> tuple[Any, datetime.datetime | None]:
        """(body, when called) of a callback, (None, None) while not called; KeyError for an unknown id."""


def normalize_schema(text: str) -> dict[str, Any]:
    """µTask's NormalizeAndCompile: add `$schema` (from `version`, else draft-07) and check the schema.
    ValueError carries the reason."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise ValueError("a schema must be a JSON object")
    if "$schema" not in schema:
        version = schema.pop("version", None)
        schema["$schema"] = (_DRAFTS.get(int(version), DRAFT7) if isinstance(version, int | float)
                             and float(version).is_integer() else DRAFT7)
    validator = validators.validator_for(schema, default=validators.Draft7Validator)
    try:
        validator.check_schema(schema)
    except SchemaError as exc:
        raise ValueError(exc.message) from None
    return schema


def _rfc3339(moment: datetime.datetime) -> str:
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class CallbackAction(Action):
    name: ClassVar[str] = "callback"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = True

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        action = cfg["action"].lower()
        if action == "create":
            return
        if action == "wait":
            if not cfg["id"]:
                raise ConfigError('missing "id" parameter')
            return
        raise ConfigError(f"invalid action {go_quote(cfg['action'])}")

    def context(self, step_name: str) -> dict[str, Any] | None:
        return {"step": step_name, "task_id": "{{.task.task_id}}", "requester_username": "{{.task.requester_username}}"}

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        if cfg["action"].lower() == "wait":
            return {"action": self.name, "wait_for_callback": cfg["id"]}
        return {"action": self.name, "create_callback": {"schema": cfg["schema"] or None}}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        action = cfg["action"].lower()
        if action == "create":
            return await self._create(request, cfg["schema"])
        if action == "wait":
            return await self._wait(request, cfg["id"])
        raise ClientError(f"invalid action {go_quote(cfg['action'])}")

    async def _create(self, request: ActionRequest, schema_text: str) -> ActionResult:
        schema: dict[str, Any] | None = None
        if schema_text:
            try:
                schema = normalize_schema(schema_text)
            except ValueError as exc:
                raise ClientError(f"Failed to create callback: unable to parse provided schema: {exc}") from None
        callback_id, secret = str(uuid.uuid4()), str(uuid.uuid4())
        services = request.services
        context = request.context or {}
        task_id = str(context.get("task_id") or request.task_id)
        step_name = str(context.get("step") or request.step_name)
        requester = str(context.get("requester_username") or "")
        if isinstance(services, CallbackStore):
            await services.save_callback(callback_id, secret, schema, task_id=task_id,
                                         resolution_id=request.resolution_id, step_name=step_name,
                                         resolver_username=requester)
        elif isinstance(services, CallbackRegistry):
            services.register_callback(callback_id, secret, schema, task_id=task_id, step_name=step_name,
                                       resolver_username=requester)
        url = services.callback_url(callback_id, secret)
        return ActionResult(output={"id": callback_id, "url": url, "token": secret, "schema": schema})

    async def _wait(self, request: ActionRequest, callback_id: str) -> ActionResult:
        services = request.services
        called: datetime.datetime | None = None
        try:
            if isinstance(services, CallbackStore):
                body, called = await services.callback_state(callback_id)
            else:
                body = services.callback_body(callback_id)
        except KeyError:
            raise ActionError(f"callback {go_quote(callback_id)} not found") from None
        if body is None and called is None:
            raise Waiting("task is waiting for a callback")
        if not isinstance(services, CallbackStore) and isinstance(services, CallbackRegistry):
            called = services.callback_called_at(callback_id)
        return ActionResult(output={"id": callback_id, "date": _rfc3339(called or services.now()), "body": body})

"""The `notify` plugin (µTask v0.1): sends a message to notification backends; never fails.

Spec: utask-plugins.md §8 and §15.3. Backends come from µTask's `notify_config` shape
(`{name: {type, config}}`), given to the constructor; only the `webhook` type is implemented (others are
logged and skipped).

Deviations, deliberate:
* messages are delivered (µTask's current code filters them out by an empty notification type, §8);
* delivery is awaited (concurrently, 10 s per backend) instead of fire-and-forget, so a dry run or a test
  knows when it is over; failures are still only logged and the step is DONE;
* unknown backend names are refused at load when backends are configured (µTask's check is broken).
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from engine.run.actions._common import MASK, is_secret_name
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import dumps
from engine.run.actions._httputil import canonical_header_key, env_proxy
from engine.run.actions.base import Action, ActionRequest, ActionResult, ConfigError

__all__ = ["NotifyAction", "WebhookBackend", "backends_from_config"]

log = logging.getLogger(__name__)

CONFIG = Struct("Config", (F("message", "string"), F("fields", "string_map"), F("backends", "string_list")))
SEND_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class WebhookBackend:
    webhook_url: str
    headers: dict[str, str] = field(default_factory=dict)
    username: str = ""
    password: str = field(default="", repr=False)
    type: ClassVar[str] = "webhook"

    def request(self, message: str, notification_type: str, fields: Mapping[str, str]) -> tuple[dict[str, str], bytes]:
        """(headers, body) of the POST µTask's webhook sender makes."""
        payload = {"message": message, "notification_type": notification_type, **fields}
        headers = {canonical_header_key(name): value for name, value in self.headers.items()}
        if self.username and self.password:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        return headers, dumps(payload).encode("utf-8")


def backends_from_config(notify_config: Mapping[str, Any]) -> dict[str, WebhookBackend | None]:
    """µTask's `notify_config` → backend objects (None for types this engine cannot send to)."""
    backends: dict[str, WebhookBackend | None] = {}
    for name, entry in notify_config.items():
        if not isinstance(entry, Mapping):
            raise ConfigError(f"notify backend {name!r}: expected an object")
        config = entry.get("config") or {}
        if entry.get("type") != "webhook":
            backends[name] = None
            continue
        if not isinstance(config, Mapping) or not config.get("webhook_url"):
            raise ConfigError(f"notify backend {name!r}: missing webhook_url")
        backends[name] = WebhookBackend(str(config["webhook_url"]), dict(config.get("headers") or {}),
                                        str(config.get("username") or ""), str(config.get("password") or ""))
    return backends


class NotifyAction(Action):
    name: ClassVar[str] = "notify"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = True

    def __init__(self, backends: Mapping[str, WebhookBackend | None] | None = None) -> None:
        self.backends = dict(backends) if backends is not None else None

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        names = cfg["backends"] or []
        if not names or self.backends is None:
            return
        if not self.backends:
            raise ConfigError("registered notify senders list is empty")
        for backend in names:
            if backend not in self.backends:
                raise ConfigError(f"can't find backend name: {backend}. Available backends: "
                                  + ", ".join(sorted(self.backends)))

    def _selected(self, names: list[str]) -> list[tuple[str, WebhookBackend | None]]:
        backends = self.backends or {}
        wanted = names or sorted(backends)
        return [(name, backends.get(name)) for name in wanted]

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        deliveries: list[dict[str, Any]] = []
        for name, backend in self._selected(cfg["backends"] or []):
            if backend is None:
                deliveries.append({"backend": name, "skipped": "unsupported or unknown backend"})
                continue
            headers, body = backend.request(cfg["message"], "", cfg["fields"] or {})
            deliveries.append({"backend": name, "method": "POST", "url": backend.webhook_url,
                               "headers": {k: (MASK if is_secret_name(k) else v) for k, v in headers.items()},
                               "body": body.decode("utf-8")})
        return {"action": self.name, "message": cfg["message"], "fields": cfg["fields"] or {},
                "deliveries": deliveries}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        sends = []
        for name, backend in self._selected(cfg["backends"] or []):
            if backend is None:
                log.warning("notify: backend %r is unknown or of an unsupported type; message not sent", name)
                continue
            sends.append(_send_webhook(name, backend, cfg["message"], cfg["fields"] or {}))
        if sends:
            await asyncio.gather(*sends)
        return ActionResult()


async def _send_webhook(name: str, backend: WebhookBackend, message: str, fields: Mapping[str, str]) -> None:
    headers, body = backend.request(message, "", fields)
    try:
        async with httpx.AsyncClient(timeout=SEND_TIMEOUT, trust_env=False,
                                     proxy=env_proxy(backend.webhook_url)) as client:
            response = await client.post(backend.webhook_url, content=body, headers=headers)
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("notify: sending to %r failed: %s", name, type(exc).__name__)
        return
    if response.status_code >= 400:
        log.warning('notify: failed to send notification using "%s": backend returned with status code %d',
                    name, response.status_code)

"""The `cache` plugin (µTask v0.1): a key/value store shared by every task, with an optional TTL.

Spec: utask-plugins.md §13. µTask keeps entries in a database table; here they live in a process-wide
`CacheStore` (module-level `DEFAULT_STORE`, with an injectable clock) until the engine offers persistent
storage. Values are stored as JSON text (numbers verbatim) and read back the way µTask reads them, with a
plain json.Unmarshal: numbers come back as float64. Expiry is lazy (an expired entry found by `get` is
deleted and reported as a miss) and `purge_expired` does what µTask's init plugin does at start-up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import JSONError, dumps, go_quote, loads
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ClientError, ConfigError

__all__ = ["DEFAULT_STORE", "CacheAction", "CacheStore"]

CONFIG = Struct("Config", (F("action", "string"), F("key", "string"), F("value", "any"), F("ttl", "int64")))


class CacheStore:
    """key → (JSON text, expiry time or None); thread-safe; `clock` returns seconds (time.time by default)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._entries: dict[str, tuple[str, float | None]] = {}
        self._lock = threading.Lock()

    def set(self, key: str, value: str, ttl: int) -> None:
        expires = self.clock() + ttl if ttl > 0 else None
        with self._lock:
            self._entries[key] = (value, expires)

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, expires = entry
            if expires is not None and self.clock() > expires:
                del self._entries[key]
                return None
            return value

    def delete(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def purge_expired(self) -> int:
        now = self.clock()
        with self._lock:
            expired = [key for key, (_, expires) in self._entries.items() if expires is not None and expires < now]
            for key in expired:
                del self._entries[key]
        return len(expired)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


DEFAULT_STORE = CacheStore()


class CacheAction(Action):
    name: ClassVar[str] = "cache"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = True

    def __init__(self, store: CacheStore | None = None) -> None:
        self._store = store

    @property
    def store(self) -> CacheStore:
        return self._store if self._store is not None else DEFAULT_STORE

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        if not cfg["key"]:
            raise ConfigError('missing required parameter "key"')
        if cfg["action"] not in ("set", "get", "delete"):
            raise ConfigError(f'invalid action {go_quote(cfg["action"])}: expected "set", "get", or "delete"')

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        described = {"action": self.name, "operation": cfg["action"], "key": cfg["key"]}
        if cfg["action"] == "set":
            described.update(value=cfg["value"], ttl_seconds=cfg["ttl"])
        return described

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        key, action = cfg["key"], cfg["action"]
        if action == "set":
            try:
                text = dumps(cfg["value"])
            except JSONError as exc:
                raise ActionError(f"failed to marshal value: {exc}") from None
            self.store.set(key, text, cfg["ttl"])
            return ActionResult(output={"key": key, "cached": True})
        if action == "get":
            stored = self.store.get(key)
            if stored is None:
                return ActionResult(output={"key": key, "hit": False, "value": None})
            try:
                value = loads(stored, exact=False)
            except JSONError as exc:
                raise ActionError(f"failed to unmarshal cached value: {exc}") from None
            return ActionResult(output={"key": key, "hit": True, "value": value})
        if action == "delete":
            self.store.delete(key)
            return ActionResult(output={"key": key, "deleted": True})
        raise ClientError(f"invalid action {go_quote(action)}")

"""The callback and cache plugins' tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.store import NotFoundError, Store, StoreError
from engine.templating.gotypes import JSONNumber
from tests.store.store_helpers import make_resolution, make_task


async def test_callbacks(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        created = await store.create_callback("t1", "r1", "wait", schema={"type": "object"})
        assert created.id != created.token
        stored = await store.get_callback(created.id)
        assert (stored.schema, stored.body, stored.called, stored.step) == ({"type": "object"}, None, None, "wait")
        with pytest.raises(NotFoundError, match="callback not found"):
            await store.resolve_callback(created.id, "wrong token", {"x": 1})
        called = await store.resolve_callback(created.id, created.token, {"amount": JSONNumber("1.50")})
        assert called.body == {"amount": "1.50"} and called.called is not None
        with pytest.raises(StoreError, match="already been resolved"):
            await store.resolve_callback(created.id, created.token, {"x": 2})
        with pytest.raises(NotFoundError):
            await store.get_callback("nope")
        with pytest.raises(StoreError, match="cannot create a callback"):
            await store.create_callback("no-task", "r1", "wait")


async def test_callbacks_with_the_plugins_ids_listed_by_resolution(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
        first = await store.create_callback("t1", "r1", "ask", callback_id="cb-1", token="secret-1")
        assert (first.id, first.token) == ("cb-1", "secret-1")
        await store.create_callback("t1", "r1", "ask2", callback_id="cb-2", token="secret-2")
        with pytest.raises(StoreError, match="cannot create a callback"):
            await store.create_callback("t1", "r1", "ask", callback_id="cb-1", token="x")
        assert [c.id for c in await store.list_callbacks("r1")] == ["cb-1", "cb-2"]
        await store.resolve_callback("cb-1", "secret-1", {"ok": True})
        assert [(c.id, c.step) for c in await store.list_callbacks("r1", pending=True)] == [("cb-2", "ask2")]
        assert await store.list_callbacks("other") == []

async def test_cache(db_path: Path) -> None:
    now = [dt.datetime(2025, 1, 1, tzinfo=dt.UTC)]
    async with Store.open(db_path, clock=lambda: now[0]) as store:
        assert await store.cache_get("k") == (False, None)
        await store.cache_set("k", {"n": JSONNumber("12345678901234567890")})
        await store.cache_set("short", "v", ttl=10)
        await store.cache_set("k", {"n": JSONNumber("1.50")})  # upsert
        assert await store.cache_get("k") == (True, {"n": "1.50"})
        assert await store.cache_get("short") == (True, "v")
        now[0] += dt.timedelta(seconds=11)
        assert await store.cache_get("short") == (False, None)  # expired: deleted lazily
        await store.cache_set("other", 1, ttl=5)
        now[0] += dt.timedelta(seconds=6)
        assert await store.cache_purge() == 1
        assert await store.cache_delete("k") is True
        assert await store.cache_delete("k") is False

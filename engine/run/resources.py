"""Resources and limits (spec §12): named semaphores acquired all-or-nothing, with a timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

__all__ = ["ResourceLimits"]


class ResourceLimits:
    """`limits`: name → capacity (0 = never available); names without a limit are free."""

    def __init__(self, limits: Mapping[str, int] | None = None, acquire_timeout: float = 60.0) -> None:
        self.limits = dict(limits or {})
        self.acquire_timeout = acquire_timeout
        self._semaphores: dict[str, asyncio.Semaphore] = {}

    def _semaphore(self, name: str) -> asyncio.Semaphore | None:
        if name not in self.limits:
            return None
        semaphore = self._semaphores.get(name)
        if semaphore is None:
            semaphore = self._semaphores[name] = asyncio.Semaphore(max(self.limits[name], 0))
        return semaphore

    async def acquire(self, names: list[str]) -> list[asyncio.Semaphore] | None:
        """Hold every limited resource of `names` (sorted, de-duplicated); None on failure/timeout."""
        held: list[asyncio.Semaphore] = []
        for name in sorted(set(names)):
            semaphore = self._semaphore(name)
            if semaphore is None:
                continue
            if self.limits[name] <= 0:
                self.release(held)
                return None
            try:
                await asyncio.wait_for(semaphore.acquire(), self.acquire_timeout)
            except TimeoutError:
                self.release(held)
                return None
            held.append(semaphore)
        return held

    @staticmethod
    def release(held: list[asyncio.Semaphore]) -> None:
        for semaphore in held:
            semaphore.release()

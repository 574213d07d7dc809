"""State-change events of resolutions and steps, for UIs and the store (a small publish/subscribe bus).

Every step state change (`StepEvent`) and every resolution state change (`ResolutionEvent`) is published
synchronously, in order, to the callbacks registered with `subscribe`; `stream()` gives an async iterator
over the same events (an unbounded queue per consumer, closed by `close()`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

__all__ = ["Event", "EventBus", "ResolutionEvent", "StepEvent"]


@dataclass(frozen=True, slots=True)
class StepEvent:
    resolution_id: str
    step: str
    old_state: str
    new_state: str
    error: str
    reason: str  # "run", "result", "condition", "prune", "expand", "contract", "recovery", "edit"


@dataclass(frozen=True, slots=True)
class ResolutionEvent:
    resolution_id: str
    old_state: str
    new_state: str
    reason: str


Event = StepEvent | ResolutionEvent
_CLOSED = object()


class EventBus:
    """Callbacks and async-iterator consumers of engine events."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[Event], None]] = []
        self._queues: list[asyncio.Queue[object]] = []

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call `callback` for every event; returns a function that unsubscribes it."""
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback)

    @property
    def listened(self) -> bool:
        """Whether anyone receives events: publishers skip building them otherwise (thousands per run)."""
        return bool(self._callbacks or self._queues)

    def publish(self, event: Event) -> None:
        for callback in list(self._callbacks):
            callback(event)
        for queue in self._queues:
            queue.put_nowait(event)

    async def stream(self) -> AsyncIterator[Event]:
        """Events from now on, until `close()`."""
        queue: asyncio.Queue[object] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while True:
                item = await queue.get()
                if item is _CLOSED:
                    return
                assert isinstance(item, StepEvent | ResolutionEvent)
                yield item
        finally:
            self._queues.remove(queue)

    def close(self) -> None:
        for queue in self._queues:
            queue.put_nowait(_CLOSED)

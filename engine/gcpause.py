"""Pausing Python's cyclic garbage collector around allocation-heavy, cycle-free work.

Loading a large template allocates hundreds of thousands of dicts, lists and tuples and no cycles; the
collector's generation scans then cost about a third of the load time for nothing.

Pauses nest and may overlap across threads (the studio validates on a worker thread while the UI thread
parses): the collector is switched back on only when the last pause ends, and only if it was on when the
first one began. A collection never starts inside a pause — which also keeps a worker thread from
finalising objects that belong to the UI thread.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    _enter()
    try:
        yield
    finally:
        _leave()


def _enter() -> None:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def _leave() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()

"""Python's cyclic garbage collector, run on the UI thread only.

The studio has worker threads (validation, SQLite readers, aiosqlite's writer). An automatic collection starts
in whichever thread happens to allocate; if that is a worker and the garbage holds Qt objects (a closed
document's session, a discarded view), they are destroyed off the UI thread — their timers stay registered
with the UI thread's dispatcher and the next tick crashes. So automatic collection is switched off and this
object runs the same generational collections from a UI-thread timer, using the interpreter's thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["UiThreadCollector", "install_collector"]

CHECK_MS = 500

_installed: list[UiThreadCollector] = []


class UiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold (as the interpreter would)."""
        thresholds, counts = gc.get_threshold(), gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0


def install_collector(parent: QObject) -> UiThreadCollector:
    """Switch to UI-thread collection once per process (`parent`: usually the QApplication)."""
    if not _installed:
        _installed.append(UiThreadCollector(parent))
    return _installed[0]

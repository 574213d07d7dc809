"""How long the UI can freeze while someone types in the YAML pane (benchmarks/studio.py calls this).

    stall_ms = measure_typing_stall(editor, "x" * 200)

Types `text` at the editor's cursor with real key events, one character per `key_delay_ms`, from a
running event loop (not QTest.qWait, which sleeps up to 10 ms between event batches and would hide or
fake stalls), while a 1 ms precise heartbeat timer records the longest gap between its ticks. Measuring
continues for `settle_ms` after the last key, so the debounced parse and validation (off the UI thread)
and their adoption by the views (on it) are part of the figure. The result, in milliseconds, is the
worst freeze a user would have felt; ≤ 16 ms means no dropped frame at 60 Hz.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

__all__ = ["measure_typing_stall"]


def measure_typing_stall(editor: QWidget, text: str, *, key_delay_ms: int = 30, settle_ms: int = 800) -> float:
    """The longest gap (ms) between 1 ms heartbeat ticks while `text` is typed into `editor`; see the
    module docstring. `editor` needs focus-free key delivery only (it works offscreen)."""
    loop = QEventLoop()
    worst, last = [0.0], [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    heartbeat = QTimer(interval=1, timerType=Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(beat)
    remaining = list(text)

    def type_next() -> None:
        if not remaining:
            typist.stop()
            QTimer.singleShot(settle_ms, loop.quit)
            return
        character = remaining.pop(0)
        if character == "\n":
            QTest.keyClick(editor, Qt.Key.Key_Return)
        else:
            QTest.keyClicks(editor, character)

    typist = QTimer(interval=key_delay_ms, timerType=Qt.TimerType.PreciseTimer)
    typist.timeout.connect(type_next)
    heartbeat.start()
    typist.start()
    last[0] = time.perf_counter()
    loop.exec()
    heartbeat.stop()
    return worst[0] * 1000.0

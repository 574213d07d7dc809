"""The asyncio loop the studio runs the engine on: qasync's loop over the Qt event loop.

The application runs a qasync `QEventLoop`; when no asyncio loop is running (pytest-qt spinning Qt's loop, or an
app still on a plain `app.exec()`), one is installed in qasync's `already_running` mode: asyncio callbacks are
then Qt timer and socket events, processed by whatever Qt event loop spins. Commands issued before any loop runs
(the window being built) wait for the Qt loop's first turn, so that they land on the application's loop when it
has one (see `RunController.spawn`). Either way engine coroutines interleave with UI events on the one GUI thread,
and nothing blocks.
"""

from __future__ import annotations

import asyncio
import os

from PySide6.QtWidgets import QApplication

__all__ = ["event_loop", "running_loop"]

_installed: list[asyncio.AbstractEventLoop] = []


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The asyncio loop running now, if any (the app's qasync loop once `app.exec` runs under it)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def event_loop() -> asyncio.AbstractEventLoop:
    """The running asyncio loop, or qasync's loop installed over the Qt event loop (once per process)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    if _installed and not _installed[0].is_closed():
        asyncio.events._set_running_loop(_installed[0])
        return _installed[0]
    os.environ.setdefault("QT_API", "pyside6")  # qasync picks its Qt binding from QT_API
    import qasync

    app = QApplication.instance()
    if app is None:
        raise RuntimeError("the run loop needs a QApplication")
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app, already_running=True)
    _installed[:] = [loop]
    return loop

"""`utask-studio [FILE] [--functions-dir D] [--screenshot PNG]`: start the studio, or render it to a PNG and exit.

The Qt loop runs under qasync, so engine coroutines (runs, remote calls) share the GUI thread with the UI.
Heavy modules are imported only once the arguments are known, to keep the cold start short.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studio.qt_compat import binding_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from studio.main_window import MainWindow

__all__ = ["main"]

SCREENSHOT_SIZE = (1280, 800)
EXIT_UNREADABLE = 1
EXIT_SCREENSHOT_FAILED = 3
EXIT_BAD_BINDING = 4


def main(argv: Sequence[str] | None = None) -> int:
    """Run the studio; returns the process exit code."""
    # qasync picks its binding from QT_API.
    os.environ.setdefault("QT_API", "pyside6")
    args = _parser().parse_args(argv)
    problem = binding_problem()
    if problem is not None:
        _error(problem)
        return EXIT_BAD_BINDING
    app = _application()
    from studio.main_window import MainWindow  # noqa: PLC0415 - after the QApplication (see qt_compat)

    window = MainWindow(functions_dir=args.functions_dir)
    if args.screenshot is not None:
        if args.file is None or not _load(window, args.file):
            if args.file is None:
                _error("--screenshot needs a FILE to open")
            return EXIT_UNREADABLE
        return _screenshot(app, window, args.screenshot)
    window.resize(*_default_size(app))
    window.show()
    if args.file is not None:
        window.open_file(args.file)  # asks about a recovery file; a problem is shown in the window
    window.files.prune_recent()
    return _run(app)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="utask-studio", description="Author and validate µTask templates.")
    parser.add_argument("file", nargs="?", type=Path, help="template to open (YAML)")
    parser.add_argument("--screenshot", metavar="PNG", type=Path,
                        help="open FILE, lay it out, save the main window as PNG and exit")
    parser.add_argument("--functions-dir", metavar="D", type=Path,
                        help="µTask functions folder (default: functions/ beside FILE)")
    return parser


def _application() -> QApplication:
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from studio.collector import install_collector  # noqa: PLC0415
    from studio.icons import app_icon  # noqa: PLC0415
    from studio.main_window import APP_NAME  # noqa: PLC0415
    from studio.settings import StudioSettings  # noqa: PLC0415
    from studio.window_menus import apply_theme  # noqa: PLC0415

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    install_collector(app)  # before any worker thread exists (see studio/collector.py)
    app.setApplicationName("utask-studio")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("utask-studio")
    app.setDesktopFileName("utask-studio")
    app.setWindowIcon(app_icon())
    theme = StudioSettings().theme()
    if theme != "system":
        apply_theme(theme)
    return app


def _load(window: MainWindow, path: Path) -> bool:
    """Open `path` for a screenshot; when it can't be read or its YAML is broken, say why and return False."""
    try:
        session = window.files.load(path)
    except OSError as exc:
        _error(f"cannot open {path}: {exc.strerror or exc}")
        return False
    error = session.document.parse_error
    if error is not None:
        _error(f"cannot open {path}:{error.line}:{error.column}: {error.message}")
        session.close()
        return False
    window.set_session(session)
    return True


def _screenshot(app: QApplication, window: MainWindow, png: Path) -> int:
    """Show the window, let the event loop lay everything out, then grab it; 0 when the PNG was written."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    window.resize(*SCREENSHOT_SIZE)
    window.show()
    outcome = {"code": EXIT_SCREENSHOT_FAILED}

    def grab() -> None:
        app.processEvents()
        window.canvas.fit_all()
        if window.grab().save(str(png), "PNG"):
            outcome["code"] = 0
        else:
            _error(f"cannot write the screenshot to {png}")
        app.quit()

    QTimer.singleShot(0, grab)
    _run(app)
    return outcome["code"]


def _run(app: QApplication) -> int:
    """Spin the Qt loop through qasync's asyncio loop until the application quits."""
    import asyncio  # noqa: PLC0415

    import qasync  # noqa: PLC0415

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    with loop:
        loop.run_until_complete(quitting.wait())
    return 0


def _default_size(app: QApplication) -> tuple[int, int]:
    screen = app.primaryScreen()
    if not screen:  # (no screen at all: a headless session)
        return SCREENSHOT_SIZE
    available = screen.availableGeometry()
    return min(1440, round(available.width() * 0.85)), min(920, round(available.height() * 0.85))


def _error(message: str) -> None:
    # A gui-script on Windows has no stderr at all.
    if sys.stderr is not None:
        print(f"utask-studio: {message}", file=sys.stderr)

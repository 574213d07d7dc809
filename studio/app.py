"""`utask-studio [FILE] [--screenshot PNG] [--functions-dir D]`: start the studio, or render it to a PNG and exit."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studio.icons import app_icon
from studio.main_window import APP_NAME, MainWindow
from studio.qt_compat import binding_problem

__all__ = ["main"]

SCREENSHOT_SIZE = (1280, 800)
EXIT_UNREADABLE = 1
EXIT_SCREENSHOT_FAILED = 3
EXIT_BAD_BINDING = 4


def main(argv: Sequence[str] | None = None) -> int:
    """Run the studio; returns the process exit code."""
    # qasync (the engine's loop bridge, later) picks its binding from QT_API.
    os.environ.setdefault("QT_API", "pyside6")
    args = _parser().parse_args(argv)
    problem = binding_problem()
    if problem is not None:
        print(f"utask-studio: {problem}", file=sys.stderr)
        return EXIT_BAD_BINDING
    app = _application()
    window = MainWindow(functions_dir=args.functions_dir)
    if args.file is not None and not _open(window, args.file):
        return EXIT_UNREADABLE
    if args.screenshot is not None:
        return _screenshot(app, window, args.screenshot)
    window.resize(*_default_size(app))
    window.show()
    return app.exec()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="utask-studio", description="Author and validate µTask templates.")
    parser.add_argument("file", nargs="?", type=Path, help="template to open (YAML)")
    parser.add_argument("--screenshot", metavar="PNG", type=Path,
                        help="open FILE, lay it out, save the main window as PNG and exit")
    parser.add_argument("--functions-dir", metavar="D", type=Path,
                        help="µTask functions folder (default: functions/ beside FILE)")
    return parser


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName("utask-studio")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("utask-studio")
    app.setDesktopFileName("utask-studio")
    app.setWindowIcon(app_icon())
    return app


def _open(window: MainWindow, path: Path) -> bool:
    """Open `path`; when it can't be read or parsed, say why on stderr and return False."""
    result = window.open_file(path)
    if result.template is not None:
        return True
    for diagnostic in result.errors:
        _error(f"cannot open {diagnostic.format_text()}")
    return False


def _screenshot(app: QApplication, window: MainWindow, png: Path) -> int:
    """Show the window, let the event loop lay everything out, then grab it; 0 when the PNG was written."""
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    outcome = {"code": EXIT_SCREENSHOT_FAILED}

    def grab() -> None:
        app.processEvents()
        if window.grab().save(str(png), "PNG"):
            outcome["code"] = 0
        else:
            _error(f"cannot write the screenshot to {png}")
        app.quit()

    QTimer.singleShot(0, grab)
    app.exec()
    return outcome["code"]


def _default_size(app: QApplication) -> tuple[int, int]:
    screen = app.primaryScreen()
    if screen is None:
        return SCREENSHOT_SIZE
    available = screen.availableGeometry()
    return min(1440, round(available.width() * 0.85)), min(920, round(available.height() * 0.85))


def _error(message: str) -> None:
    # A gui-script on Windows has no stderr at all.
    if sys.stderr is not None:
        print(f"utask-studio: {message}", file=sys.stderr)

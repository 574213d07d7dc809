"""Figures of the studio's main window (prints them; never asserts timing).

    python benchmarks/studio.py [--repeat N]

- cold start: a fresh interpreter to the main window shown (median of N subprocesses);
- open: a generated 1,000-step template, from the open call to an idle event loop with every node on the canvas
  (in-process, after a bare start-up);
- typing: the worst stall while typing a line in the YAML pane of a 500-step template (the editor's own probe;
  median of three bursts, in a window that has finished opening).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from studio.document.generated import generated_template  # noqa: E402 - after the path and platform

SETTLE_MS = 1000
TYPING_RUNS = 3
GOALS = {"cold start": 1500.0, "open 1,000 steps": 2000.0, "typing stall (500 steps)": 16.0}

# The child prints the wall-clock time at which its window has been shown and painted.
COLD_START = """
import time
from studio.app import _application
app = _application()
from PySide6.QtCore import QTimer
from studio.main_window import MainWindow
window = MainWindow()
window.resize(1280, 800)
window.show()
def shown():
    app.processEvents()  # the first paint
    print(time.time())
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def generated(count: int) -> str:
    """The benchmark's template of `count` echo steps (the same shape and seed as the big-template tests)."""
    return generated_template(count, description="generated for the studio benchmark")


def cold_start_ms(repeat: int, settings: Path) -> float:
    """Interpreter start included: the wall time of the subprocess until it reports the window shown."""
    env = {**os.environ, "UTASK_STUDIO_SETTINGS": str(settings)}
    times = []
    for _ in range(repeat):
        started = time.time()
        result = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True, cwd=ROOT,
                                env=env, timeout=120, check=True)
        times.append((float(result.stdout.split()[-1]) - started) * 1000)
    return statistics.median(times)


def open_ms(path: Path, settings: Path) -> tuple[float, int]:
    from PySide6.QtCore import QEvent  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from studio.main_window import MainWindow  # noqa: PLC0415
    from studio.settings import StudioSettings  # noqa: PLC0415

    app = QApplication.instance() or QApplication([])
    window = MainWindow(settings=StudioSettings(settings))
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    started = time.perf_counter()
    window.open_file(path)
    deadline = time.perf_counter() + 60
    while len(window.scene.nodes) < 1000 and time.perf_counter() < deadline:
        app.processEvents()
    app.processEvents()  # what the nodes posted (paints, layout of the other views) runs too
    elapsed = (time.perf_counter() - started) * 1000
    nodes = len(window.scene.nodes)
    window.set_session(None)
    _close_runs(window)
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()  # this window's garbage must not be collected in the middle of the next measurement
    return elapsed, nodes


def typing_stall_ms(path: Path, settings: Path) -> float | None:
    probe = _typing_probe()
    if probe is None:
        return None
    from PySide6.QtTest import QTest  # noqa: PLC0415

    from studio.main_window import MainWindow  # noqa: PLC0415
    from studio.settings import StudioSettings  # noqa: PLC0415

    window = MainWindow(settings=StudioSettings(settings))
    window.resize(1280, 800)
    window.show()
    window.open_file(path)
    QTest.qWait(SETTLE_MS)  # the window's first paint and layout are the open's cost, not typing's
    window.yaml.setFocus()
    try:  # the worst stall of each of three bursts of typing; their median
        stalls = [float(probe(window.yaml, "  # typed in the benchmark\n")) for _ in range(TYPING_RUNS)]
        return statistics.median(stalls)
    finally:
        window.set_session(None)  # never asks: the benchmark discards its typing
        _close_runs(window)


def _close_runs(window: Any) -> None:
    """Close the window's runs store (its writer thread would keep the process alive)."""
    if getattr(window, "run_panel", None) is not None:
        window.run_panel.shutdown()


def _typing_probe() -> Callable[..., float] | None:
    """`measure_typing_stall(editor, text) -> ms` of the YAML editor, wherever in studio.editor it lives."""
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    import studio.editor  # noqa: PLC0415

    modules = ["studio.editor", *(f"studio.editor.{m.name}" for m in pkgutil.iter_modules(studio.editor.__path__))]
    for name in modules:
        probe = getattr(importlib.import_module(name), "measure_typing_stall", None)
        if callable(probe):
            return cast(Callable[..., float], probe)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as temp:
        folder = Path(temp)
        settings = folder / "settings.ini"
        os.environ["UTASK_STUDIO_DATA"] = str(folder / "data")  # runs and inputs: never the user's own
        big, medium = folder / "generated-1000.yaml", folder / "generated-500.yaml"
        big.write_text(generated(1000), encoding="utf-8")
        medium.write_text(generated(500), encoding="utf-8")
        figures = {"cold start": cold_start_ms(repeat, settings)}
        figures["open 1,000 steps"], nodes = open_ms(big, settings)
        stall = typing_stall_ms(medium, settings)
    print(f"{'studio':<28}{'measured':>12}{'goal':>12}")
    for name, goal in GOALS.items():
        value = figures.get(name, stall if name.startswith("typing") else None)
        shown = f"{value:.0f} ms" if value is not None and value >= 100 else (
            f"{value:.1f} ms" if value is not None else "n/a")
        print(f"{name:<28}{shown:>12}{f'≤ {goal:.0f} ms':>12}")
    print(f"(open: {nodes} nodes on the canvas; cold start: median of {repeat}; typing: editor probe"
          f"{'' if stall is not None else ' not available'})")


if __name__ == "__main__":
    main()

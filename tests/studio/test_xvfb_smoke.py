"""The one test on a real X server: the studio on Qt's xcb plugin under Xvfb.

Offscreen rendering hides the crash that loading pygraphviz before the QApplication causes on xcb
(design/packaging.md §2), so this runs the installed `utask-studio` command the way a user's desktop would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from studio_support import ROOT, SAMPLE_DIR

SOCKETS = Path("/tmp/.X11-unix")
FIRST_DISPLAY = 97


def free_displays() -> Iterator[int]:
    for number in range(FIRST_DISPLAY, FIRST_DISPLAY + 60):
        if not (SOCKETS / f"X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            yield number


def start_xvfb(xvfb: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start Xvfb on the first free display that accepts it; wait for its socket."""
    for number in free_displays():
        server = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and server.poll() is None:
            if (SOCKETS / f"X{number}").exists():
                return server, f":{number}"
            time.sleep(0.05)
        stop(server)  # lost a race for that display, or too slow: try the next one
    pytest.fail("could not start Xvfb on any display")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def display() -> Iterator[str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    server, name = start_xvfb(xvfb)
    try:
        yield name
    finally:
        stop(server)


def studio_command() -> list[str]:
    installed = Path(sys.executable).with_name("utask-studio")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "studio"]


def test_screenshot_on_a_real_x_server(display: str, artifacts: Path, tmp_path: Path) -> None:
    """The whole authoring window (palette, canvas, YAML, inspector, problems) drawn by a real X server."""
    png = artifacts / "xvfb-payments-antifraud.png"
    png.unlink(missing_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display, UTASK_STUDIO_SETTINGS=str(tmp_path / "settings.ini"))
    result = subprocess.run([*studio_command(), str(SAMPLE_DIR / "payments-antifraud.yaml"), "--screenshot", str(png)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert result.returncode == 0, f"exit {result.returncode} (negative = killed by a signal)\n{result.stderr}"
    assert png.exists() and png.stat().st_size > 20_000

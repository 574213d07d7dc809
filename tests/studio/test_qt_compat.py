"""PySide6 6.12.0 loses references to None on Python 3.11 (see studio/qt_compat.py): the pinned binding
must not, and thousands of void Qt calls must leave the process alive."""

from __future__ import annotations

import subprocess
import sys

from studio_support import ROOT

VOID_CALLS = """
from PySide6.QtCore import QPointF
point = QPointF()
for _ in range(50_000):
    point.setX(1.0)  # an affected binding aborts after a few thousand of these
print("survived")
"""


def test_the_installed_binding_does_not_leak_none() -> None:
    from studio.qt_compat import binding_problem

    assert binding_problem() is None


def test_many_void_qt_calls_do_not_abort_the_process() -> None:
    result = subprocess.run([sys.executable, "-c", VOID_CALLS], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "survived"

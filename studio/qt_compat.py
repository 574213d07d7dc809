"""Checks for defects of the Qt binding we run on, detected at run time rather than assumed.

PySide6 6.12.0's abi3 wheels, on Python 3.11, drop one reference to `None` on almost every call of a Qt
method that returns nothing (`QPainter.drawRect`, `QGraphicsItem.setPos`, …); an interactive session then
aborts with "Fatal Python error: none_dealloc" after a few dozen repaints. Python 3.12+ is unaffected
(`None` is immortal there) and PySide6 6.11 does not have the defect, so pyproject.toml pins
`PySide6-Essentials<6.12`; the studio refuses to start on an affected binding rather than crash later.
"""

from __future__ import annotations

import sys

__all__ = ["binding_leaks_none", "binding_problem"]

PROBE_CALLS = 16


def binding_leaks_none() -> bool:
    """Whether void Qt calls lose references to None in this process."""
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QPointF  # QtCore only: never a GUI class or pygraphviz before the app

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        point.setX(1.0)  # returns void
    return sys.getrefcount(None) < before


def binding_problem() -> str | None:
    """A message explaining why this Qt binding cannot run the studio, or None when it can."""
    if not binding_leaks_none():
        return None
    import PySide6

    return (f"PySide6 {PySide6.__version__} loses references to None on Python "
            f"{sys.version_info.major}.{sys.version_info.minor} and would crash the studio; "
            "install PySide6-Essentials<6.12 (or use Python 3.12+)")

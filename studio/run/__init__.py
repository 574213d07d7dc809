"""Local runs in the studio: the embedded engine run in-process (qasync), watched on the canvas, inspected,
controlled (pause, resume, cancel, run from a step, force a state, answer callbacks) and kept in a SQLite store.

    panel = attach_run_panel(window)      # Run menu + toolbar + Run dock on a QMainWindow
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QMainWindow

    from engine.store import ResolutionInfo
    from studio.run.inputs_form import InputMemory
    from studio.run.panel import RunPanel

__all__ = ["attach_run_panel"]


def attach_run_panel(window: QMainWindow, *, store_path: str | Path | None = None, memory: InputMemory | None = None,
                     ask_resume: Callable[[list[ResolutionInfo]], bool] | None = None) -> RunPanel:
    """Add the Run menu, toolbar and dock to `window` (which has `session` and `scene`); returns the panel.
    `store_path`: the runs database (default: the user data folder's runs.sqlite); `memory`: where the last
    inputs are remembered (default: the user config folder); `ask_resume(found)`: whether to resume a run the
    previous studio left behind (default: a question box)."""
    from studio.run.panel import RunPanel  # noqa: PLC0415 - importing the package stays cheap (no Qt widgets)

    return RunPanel(window, store_path=store_path, memory=memory, ask_resume=ask_resume)

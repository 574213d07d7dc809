"""The run views inside the studio's Run dock: a sample run dry from the UI shows up in the history, its timeline
has a bar per execution, and the inspector follows the canvas selection. Screenshots of each tab."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from studio_support import SAMPLE_DIR
from test_run_core_support import answering, close_window, open_window, release_the_loop, wait_idle

__all__ = ["release_the_loop"]  # the fixture, imported for pytest


def test_a_dry_run_from_the_ui_fills_history_timeline_and_inspector(qtbot: QtBot, tmp_path: Path,
                                                                   artifacts: Path) -> None:
    window, panel = open_window(qtbot, tmp_path, SAMPLE_DIR / "payments-antifraud.yaml")
    try:
        panel.exec_dialog = answering(qtbot, lambda dialog: QTest.mouseClick(dialog.example,
                                                                             Qt.MouseButton.LeftButton))
        panel.actions.run.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        resolution = panel.controller.resolution
        assert resolution is not None
        history, timeline, inspector = panel.history, panel.timeline, panel.inspector
        qtbot.waitUntil(lambda: [r.resolution_id for r in history.records] == [resolution.id], timeout=5000)
        assert history.records[0].state == "DONE"
        assert history.records[0].dry_run is not None or history.table.isColumnHidden(4)  # no empty Mode column
        qtbot.waitUntil(lambda: bool(timeline.attempts), timeout=5000)
        executed = {name for name, step in resolution.steps.items() if step.try_count and not step.is_child}
        assert executed <= {attempt.step for attempt in timeline.attempts}
        step = sorted(executed)[0]
        window.scene.select_step(step)
        qtbot.waitUntil(lambda: inspector.step_name == step)
        assert inspector.chip.text() == resolution.steps[step].state
        for index, name in enumerate(("inspector", "history", "timeline")):
            panel.tabs.setCurrentIndex(index)
            qtbot.wait(30)
            panel.dock.grab().save(str(artifacts / f"run_dock_{name}.png"))
    finally:
        close_window(panel)

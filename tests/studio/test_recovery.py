"""Autosave and crash recovery: a dirty document is written to NAME.studio.recovery (never over the template)
every 30 s and when the application loses focus; the next window on that file offers to restore it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shell_support import ScriptedPrompts, make_window
from studio_support import SAMPLE_DIR

from studio.document import AddStep
from studio.document.files import recovery_path
from studio.files_ui import AUTOSAVE_MS
from studio.main_window import MainWindow
from studio.settings import StudioSettings

STEP = {"description": "unsaved work", "action": {"type": "echo", "configuration": {"output": {}}}}


def edited_window(qtbot: QtBot, tmp_path: Path) -> tuple[Path, bytes]:
    """A window whose copy of a sample has an unsaved step, autosaved; returns the path and its bytes."""
    path = tmp_path / "payments.yaml"
    path.write_bytes((SAMPLE_DIR / "payments-antifraud.yaml").read_bytes())
    window = make_window(qtbot, tmp_path, path=path)
    assert window.session is not None and window.session.push(AddStep("unsaved_step", STEP))
    assert window.files.autosave() == recovery_path(path)
    return path, path.read_bytes()


def test_autosave_writes_the_recovery_file_only(qtbot: QtBot, tmp_path: Path) -> None:
    path, before = edited_window(qtbot, tmp_path)
    assert path.read_bytes() == (SAMPLE_DIR / "payments-antifraud.yaml").read_bytes() == before
    assert "unsaved_step:" in recovery_path(path).read_text(encoding="utf-8")


def test_autosave_runs_every_30_seconds_and_on_focus_loss(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "payments.yaml"
    path.write_bytes((SAMPLE_DIR / "payments-antifraud.yaml").read_bytes())
    window = make_window(qtbot, tmp_path, path=path)
    assert window.files.autosave_timer.isActive() and window.files.autosave_timer.interval() == AUTOSAVE_MS == 30_000
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert not recovery_path(path).exists(), "a clean document has nothing to recover"
    assert window.session is not None and window.session.push(AddStep("unsaved_step", STEP))
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert "unsaved_step:" in recovery_path(path).read_text(encoding="utf-8")


def test_after_a_crash_the_next_window_offers_the_recovery(qtbot: QtBot, tmp_path: Path) -> None:
    path, _ = edited_window(qtbot, tmp_path)  # that window "crashes": it is never closed properly
    prompts = ScriptedPrompts(restore=[True])
    window = make_window(qtbot, tmp_path / "second", prompts, path=path)
    assert len(prompts.asked) == 1 and prompts.asked[0].startswith("restore payments.yaml")
    assert window.session is not None and "unsaved_step" in window.session.document.structure
    assert window.isWindowModified() and "unsaved_step" in window.scene.nodes
    window.commands.save.trigger()
    assert "unsaved_step:" in path.read_text(encoding="utf-8")
    assert not recovery_path(path).exists()


def test_a_declined_recovery_opens_the_file_and_is_not_offered_again(qtbot: QtBot, tmp_path: Path) -> None:
    path, original = edited_window(qtbot, tmp_path)
    prompts = ScriptedPrompts(restore=[False])
    window = make_window(qtbot, tmp_path / "second", prompts, path=path)
    assert window.session is not None and "unsaved_step" not in window.session.document.structure
    assert not window.isWindowModified() and not recovery_path(path).exists()
    assert window.open_file(path) and len(prompts.asked) == 1
    assert path.read_bytes() == original


def test_discarding_on_close_removes_the_recovery_file(qtbot: QtBot, tmp_path: Path) -> None:
    path, _ = edited_window(qtbot, tmp_path)
    window = make_window(qtbot, tmp_path / "second", ScriptedPrompts(restore=[True]), path=path)
    assert window.close()  # the scripted answer to "save?" is Discard
    assert not recovery_path(path).exists()


def test_headless_nobody_is_asked_and_nothing_is_lost(qtbot: QtBot, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """On the offscreen platform the real dialogs would wait forever: the work-keeping answer is taken."""
    path, _ = edited_window(qtbot, tmp_path)
    window = MainWindow(settings=StudioSettings(tmp_path / "second.ini"))  # the real Prompts
    qtbot.addWidget(window)
    assert window.open_file(path)
    assert window.session is not None and "unsaved_step" not in window.session.document.structure
    assert recovery_path(path).exists(), "kept for a person to restore later"
    assert window.session.push(AddStep("more", STEP))
    assert not window.close(), "unsaved work keeps the window open"
    assert "recovery file" in capsys.readouterr().err
    window.session.undo_stack.undo()
    assert window.close()

"""File ▸ New / Open / Save / Save As / Close / Open Recent through the main window, with scripted answers."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot
from shell_support import ScriptedPrompts, make_window
from studio_support import SAMPLE_DIR

from engine.validate import validate_text
from studio.document import AddStep
from studio.files_ui import BLANK_TEMPLATE, Choice
from studio.settings import StudioSettings

STEP = {"description": "added", "action": {"type": "echo", "configuration": {"output": {}}}}


def copy_sample(tmp_path: Path, name: str = "payments-antifraud.yaml") -> Path:
    target = tmp_path / name
    target.write_bytes((SAMPLE_DIR / name).read_bytes())
    return target


def test_the_blank_template_is_valid(qtbot: QtBot, tmp_path: Path) -> None:
    assert validate_text(BLANK_TEMPLATE).diagnostics == []
    window = make_window(qtbot, tmp_path)
    window.commands.new.trigger()
    assert window.session is not None and window.session.document.text == BLANK_TEMPLATE
    assert window.windowTitle() == "Untitled[*] — µTask Studio" and set(window.scene.nodes) == {"hello"}


def test_new_from_a_sample_never_overwrites_the_sample(qtbot: QtBot, tmp_path: Path) -> None:
    sample = SAMPLE_DIR / "k8s-ingress-tls.yaml"
    prompts = ScriptedPrompts(paths=[sample, tmp_path / "mine"])
    window = make_window(qtbot, tmp_path, prompts)
    assert window.files.new_from_sample()
    assert window.session is not None and window.session.document.path is None
    assert "chat::post" in window.session.document.functions, "the sample's functions come along"
    window.commands.save.trigger()  # no path yet: Save asks where
    assert prompts.asked == ["sample", "save as k8s-ingress-tls.yaml"]
    assert (tmp_path / "mine.yaml").read_bytes() == sample.read_bytes()
    assert window.windowTitle() == "mine.yaml[*] — µTask Studio"


def test_open_through_the_dialog_and_recent_files_are_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    first, second = copy_sample(tmp_path), copy_sample(tmp_path, "k8s-ingress-tls.yaml")
    prompts = ScriptedPrompts(paths=[first, second])
    window = make_window(qtbot, tmp_path, prompts)
    window.commands.open.trigger()
    window.commands.open.trigger()
    assert window.session is not None and window.session.document.path == second
    assert StudioSettings(tmp_path / "settings.ini").recent_files() == [second.resolve(), first.resolve()]
    window.commands.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.commands.recent_menu.actions()][:2] == [second.name, first.name]
    window.commands.recent_menu.actions()[1].trigger()
    assert window.session.document.path == first


def test_a_missing_recent_file_is_pruned_with_a_message(qtbot: QtBot, tmp_path: Path) -> None:
    kept, gone = copy_sample(tmp_path), copy_sample(tmp_path, "k8s-ingress-tls.yaml")
    settings = StudioSettings(tmp_path / "settings.ini")
    settings.add_recent(kept)
    settings.add_recent(gone)
    gone.unlink()
    prompts = ScriptedPrompts()
    window = make_window(qtbot, tmp_path, prompts)
    assert not window.files.open_recent(gone.resolve())
    assert "no longer exists" in prompts.errors[0]
    assert window.settings.recent_files() == [kept.resolve()]
    settings.add_recent(gone)  # and at start-up, the status bar says which were dropped
    window.files.prune_recent()
    assert gone.name in window.statusBar().currentMessage()


def test_save_as_writes_the_new_path_and_its_sidecar(qtbot: QtBot, tmp_path: Path) -> None:
    original = copy_sample(tmp_path)
    window = make_window(qtbot, tmp_path, path=original)
    assert window.session is not None and window.session.push(AddStep("added", STEP))
    target = tmp_path / "elsewhere" / "copy.yaml"
    target.parent.mkdir()
    assert window.files.save_as(target)
    assert "added:" in target.read_text(encoding="utf-8")
    assert original.read_bytes() == (SAMPLE_DIR / "payments-antifraud.yaml").read_bytes()
    sidecar = json.loads((target.parent / "copy.studio.json").read_text(encoding="utf-8"))
    assert sidecar["version"] == 1 and isinstance(sidecar["positions"], dict)
    assert window.session.document.path == target and not window.isWindowModified()
    assert window.windowTitle() == "copy.yaml[*] — µTask Studio"


def test_unsaved_changes_ask_before_opening_another_file(qtbot: QtBot, tmp_path: Path) -> None:
    first, second = copy_sample(tmp_path), copy_sample(tmp_path, "k8s-ingress-tls.yaml")
    prompts = ScriptedPrompts(unsaved=[Choice.CANCEL, Choice.SAVE])
    window = make_window(qtbot, tmp_path, prompts, path=first)
    assert window.session is not None and window.session.push(AddStep("added", STEP))
    assert not window.open_file(second), "cancel keeps the document"
    assert window.session.document.path == first and window.isWindowModified()
    assert window.open_file(second)
    assert "added:" in first.read_text(encoding="utf-8")
    assert prompts.asked == ["unsaved payments-antifraud.yaml"] * 2


def test_closing_with_unsaved_changes_can_be_cancelled_or_discarded(qtbot: QtBot, tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    prompts = ScriptedPrompts(unsaved=[Choice.CANCEL, Choice.DISCARD])
    window = make_window(qtbot, tmp_path, prompts, path=path)
    assert window.session is not None and window.session.push(AddStep("added", STEP))
    assert not window.close() and window.isVisible()
    assert window.close()
    assert path.read_bytes() == (SAMPLE_DIR / "payments-antifraud.yaml").read_bytes()


def test_an_unreadable_file_is_explained_and_the_open_document_stays(qtbot: QtBot, tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00\xd8 not text")
    path = copy_sample(tmp_path)
    prompts = ScriptedPrompts()
    window = make_window(qtbot, tmp_path, prompts, path=path)
    assert not window.open_file(binary)
    assert not window.open_file(tmp_path / "missing.yaml")
    assert len(prompts.errors) == 2 and "missing.yaml" in prompts.errors[1]
    assert window.session is not None and window.session.document.path == path


def test_a_failing_save_loses_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    prompts = ScriptedPrompts()
    window = make_window(qtbot, tmp_path, prompts, path=copy_sample(tmp_path))
    assert window.session is not None and window.session.push(AddStep("added", STEP))
    assert not window.files.save_as(tmp_path / "no" / "such" / "dir" / "x.yaml")
    assert "Cannot save" in prompts.errors[0] and window.isWindowModified()
    assert "added" in window.session.document.structure


def test_close_empties_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, path=copy_sample(tmp_path))
    window.commands.close.trigger()
    assert window.session is None and not window.scene.items() and window.windowTitle() == "µTask Studio"

"""Byte-exact saves through the main window: opening and saving any template changes nothing; an edit
changes only the lines it must; undoing every edit and saving gives the original bytes back."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from shell_support import make_window
from studio_support import ROOT, SAMPLES

from studio.document import AddStep, Connect, RenameStep

CONFORMANCE = ROOT.parent / "shared" / "conformance" / "utask" / "templates"
TEMPLATES = SAMPLES + sorted(CONFORMANCE.glob("*.yaml"))
STEP = {"description": "added on the canvas", "action": {"type": "echo", "configuration": {"output": {}}}}


def copied(tmp_path: Path, source: Path) -> Path:
    target = tmp_path / source.name
    target.write_bytes(source.read_bytes())
    return target


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_the_conformance_templates_are_there() -> None:
    if not CONFORMANCE.is_dir():
        pytest.skip(f"{CONFORMANCE} is not checked out")
    assert len(TEMPLATES) > len(SAMPLES) + 40


@pytest.mark.parametrize("source", TEMPLATES, ids=lambda p: p.stem)
def test_open_then_save_is_byte_identical(qtbot: QtBot, tmp_path: Path, source: Path) -> None:
    path = copied(tmp_path, source)
    window = make_window(qtbot, tmp_path, path=path)
    window.commands.save.trigger()
    assert path.read_bytes() == source.read_bytes()
    assert (tmp_path / f"{path.stem}.studio.json").exists()


@pytest.mark.parametrize("source", SAMPLES, ids=lambda p: p.stem)
def test_canvas_edits_change_only_their_lines_and_undo_restores_the_bytes(qtbot: QtBot, tmp_path: Path,
                                                                           source: Path) -> None:
    path = copied(tmp_path, source)
    original = source.read_bytes()
    window = make_window(qtbot, tmp_path, path=path)
    session = window.session
    assert session is not None
    first, last = list(session.document.structure)[0], list(session.document.structure)[-1]
    assert session.push(AddStep("added", STEP))
    window.commands.save.trigger()
    added = changed_lines(original, path.read_bytes())
    assert all(line.startswith("+") for line in added) and any("added:" in line for line in added)
    assert len(added) <= 8
    assert session.push(Connect("added", first))
    window.commands.save.trigger()
    connected = changed_lines(original, path.read_bytes())
    assert len(connected) - len(added) <= 2 and any(first in line for line in connected if "dependencies" in line)
    assert session.push(RenameStep(last, "renamed_last"))
    while session.undo_stack.canUndo():
        window.commands.undo.trigger()
    assert window.isWindowModified(), "the saved file has the added step: the document differs from it"
    window.commands.save.trigger()
    assert path.read_bytes() == original
    assert not window.isWindowModified()

"""DocumentSession: edits through the QUndoStack, refused edits, merging, validation off the UI thread."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from studio_support import SAMPLES

from studio.document import AddStep, Connect, MoveSteps, RenameStep, ReplaceText, TemplateDocument
from studio.session import DocumentSession


def open_session(path: Path) -> DocumentSession:
    session = DocumentSession.open(path)
    session.validate_now()
    return session


def test_edits_undo_to_the_original_bytes(qtbot: QtBot) -> None:
    original = SAMPLES[0].read_text(encoding="utf-8")
    session = open_session(SAMPLES[0])
    first = next(iter(session.document.structure))
    assert session.push(AddStep("extra_step", {"action": {"type": "echo", "configuration": {"output": {}}}}))
    assert session.push(Connect("extra_step", first))
    assert session.push(RenameStep(first, "renamed_first"))
    assert "renamed_first" in session.document.text and session.is_dirty
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert session.document.text == original
    assert not session.is_dirty
    session.undo_stack.redo()
    assert "extra_step" in session.document.text


def test_a_refused_edit_changes_nothing_and_says_why(qtbot: QtBot) -> None:
    session = open_session(SAMPLES[0])
    before = session.document.text
    with qtbot.waitSignal(session.edit_refused) as refused:
        assert not session.push(Connect("no-such-step", "other"))
    assert "no-such-step" in refused.args[0]
    assert session.document.text == before and session.undo_stack.count() == 0


def test_keystrokes_and_moves_merge_into_one_undo_step(qtbot: QtBot) -> None:
    session = open_session(SAMPLES[0])
    end = session.document.text.index("\n")
    for offset, char in enumerate("abc"):
        session.push(ReplaceText(end + offset, end + offset, char))
    assert session.undo_stack.count() == 1
    step = next(iter(session.document.structure))
    session.push(MoveSteps({step: (10.0, 10.0)}))
    session.push(MoveSteps({step: (20.0, 30.0)}))
    assert session.undo_stack.count() == 2
    assert session.document.positions[step] == (20.0, 30.0)
    session.undo_stack.undo()
    assert step not in session.document.positions or session.document.positions[step] != (20.0, 30.0)


def test_typing_is_parsed_and_validated_off_the_ui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("name: typing\ndescription: typing test\ntitle_format: typing\nsteps:\n"
                    "  a:\n    action: {type: echo, configuration: {output: {}}}\n", encoding="utf-8")
    session = open_session(path)
    assert list(session.diagnostics) == []
    structures: list[object] = []
    session.structure_changed.connect(structures.append)
    text = session.document.text
    at = text.index("    action")
    with qtbot.waitSignal(session.diagnostics_changed, timeout=5000) as changed:
        session.push(ReplaceText(at, at, "    dependencies: [ghost]\n"))
        assert structures == []  # nothing parsed on the keystroke itself
    assert any("ghost" in d.message for d in changed.args[0])
    assert structures, "the off-thread parse delivers the structure change"


def test_save_is_atomic_and_clears_the_dirty_marker(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "copy.yaml"
    path.write_bytes(SAMPLES[0].read_bytes())
    session = open_session(path)
    session.push(ReplaceText(0, 0, "# note\n"))
    with qtbot.waitSignal(session.dirty_changed) as dirty:
        session.save()
    assert dirty.args == [False]
    assert path.read_text(encoding="utf-8").startswith("# note\n")
    assert TemplateDocument.open(path).text == session.document.text

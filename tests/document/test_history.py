"""Undo back to the start restores the original bytes; keystrokes and moves merge into one step."""

from __future__ import annotations

from document_support import SAMPLES

from studio.document import AddStep, Connect, MoveSteps, RemoveStep, RenameStep, ReplaceText, SetField, TemplateDocument
from studio.document.history import History


def test_undo_to_the_start_and_redo_to_the_end() -> None:
    for path in SAMPLES:
        document = TemplateDocument.open(path)
        original = document.text
        history = History(document)
        first, second = list(document.structure)[:2]
        history.push(AddStep("extra", {"description": "x", "action": {"type": "echo"}}))
        history.push(Connect("extra", first, "ANY"))
        history.push(RenameStep(first, "renamed"))
        history.push(SetField(("steps", second, "description"), "changed"))
        history.push(RemoveStep("renamed"))
        final = document.text
        assert history.undo_text == "Remove step renamed"
        while history.undo():
            pass
        assert document.text == original and not document.is_dirty
        while history.redo():
            pass
        assert document.text == final


def test_typing_merges_until_a_new_line() -> None:
    document = TemplateDocument("name: a\n")
    history = History(document)
    for index, char in enumerate("bcd"):
        history.push(ReplaceText(7 + index, 7 + index, char))
    history.push(ReplaceText(10, 10, "\n"))
    assert document.text == "name: abcd\n\n"
    history.undo()
    assert document.text == "name: abcd\n"
    history.undo()
    assert document.text == "name: a\n" and history.undo() is None


def test_moves_merge_and_saving_stops_merging() -> None:
    document = TemplateDocument("steps:\n  a: {}\n")
    history = History(document)
    history.push(MoveSteps({"a": (1.0, 1.0)}))
    history.push(MoveSteps({"a": (2.0, 2.0)}))
    history.set_clean()
    history.push(MoveSteps({"a": (3.0, 3.0)}))
    assert not history.is_clean
    history.undo()
    assert history.is_clean and document.positions["a"] == (2.0, 2.0)
    history.undo()
    assert "a" not in document.positions

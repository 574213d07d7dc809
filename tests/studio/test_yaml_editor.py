"""The editable YAML pane: typing as session edits, undo through the session, external edits mirrored
minimally, emoji offsets, diagnostics underlined, completion, selection following, find and go to line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot
from studio_support import BROKEN_TEMPLATE

from studio.document import RemoveStep, RenameStep, SetField, TemplateDocument
from studio.editor.stall import measure_typing_stall
from studio.editor.yaml_editor import YamlEditor
from studio.session import DocumentSession

TEMPLATE = """\
name: editor-example
description: Editing in the YAML pane.
title_format: Editor example
inputs:
  - name: host
    description: Where to connect.
steps:
  fetch:
    description: Fetch the list.
    action:
      type: echo
      configuration: {output: {url: 'https://{{.input.host}}/x'}}
  notify:
    description: Tell everyone.
    dependencies: [fetch]
    foreach: '{{.step.fetch.output}}'
    action:
      type: echo
      configuration: {output: {item: 'x'}}
  report:
    description: Write the report.
    dependencies: [fetch]
    action:
      type: echo
      configuration: {output: {text: 'done'}}
"""


def make_session(text: str, tmp_path: Path) -> DocumentSession:
    path = tmp_path / "example.yaml"
    path.write_bytes(text.encode("utf-8"))
    session = DocumentSession.open(path)
    session.validate_now()
    return session


class EditorOpener:
    """Opens editors on sessions of given texts, and detaches and closes every one after the test."""

    def __init__(self, qtbot: QtBot, tmp_path: Path) -> None:
        self.qtbot, self.tmp_path = qtbot, tmp_path
        self.opened: list[tuple[YamlEditor, DocumentSession]] = []

    def __call__(self, text: str, size: tuple[int, int] | None = None, *, show: bool = True) -> YamlEditor:
        """An editor on `text`; with a `size` it is resized and (unless `show` is False) shown and exposed."""
        session = make_session(text, self.tmp_path)
        widget = YamlEditor()
        self.qtbot.addWidget(widget)
        if size is not None:
            widget.resize(*size)
        widget.set_session(session)
        self.opened.append((widget, session))
        if size is not None and show:
            widget.show()
            self.qtbot.waitExposed(widget)
        return widget

    def close_all(self) -> None:
        while self.opened:
            widget, session = self.opened.pop()
            widget.set_session(None)
            session.close()


@pytest.fixture
def open_editor(qtbot: QtBot, tmp_path: Path) -> Iterator[EditorOpener]:
    opener = EditorOpener(qtbot, tmp_path)
    yield opener
    opener.close_all()


@pytest.fixture
def editor(open_editor: EditorOpener) -> YamlEditor:
    return open_editor(TEMPLATE, (760, 520))


def session_of(editor: YamlEditor) -> DocumentSession:
    assert editor.session is not None
    return editor.session


def widget_text(editor: YamlEditor) -> str:
    return editor.document().toRawText().replace("\u2029", "\n")


def put_cursor(editor: YamlEditor, offset: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(editor.widget_position(offset))
    editor.setTextCursor(cursor)


def test_typing_is_one_undoable_edit_and_the_document_follows(editor: YamlEditor) -> None:
    session = session_of(editor)
    end_of_description = TEMPLATE.index("Fetch the list.") + len("Fetch the list.")
    put_cursor(editor, end_of_description)
    QTest.keyClicks(editor, " Quickly")
    expected = TEMPLATE[:end_of_description] + " Quickly" + TEMPLATE[end_of_description:]
    assert session.document.text == expected
    assert widget_text(editor) == expected
    assert session.undo_stack.count() == 1
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.document.text == TEMPLATE and widget_text(editor) == TEMPLATE
    assert editor.python_offset(editor.textCursor().position()) == end_of_description
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert session.document.text == expected and widget_text(editor) == expected
    assert editor.python_offset(editor.textCursor().position()) == end_of_description + len(" Quickly")


def test_backspace_and_selection_replacement_are_edits_too(editor: YamlEditor) -> None:
    session = session_of(editor)
    start = TEMPLATE.index("Tell everyone")
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("Tell"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    QTest.keyClicks(editor, "Warn")
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    assert session.document.text == TEMPLATE.replace("Tell everyone", "War everyone")
    assert widget_text(editor) == session.document.text
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert widget_text(editor) == TEMPLATE


def test_an_external_rename_is_mirrored_and_the_cursor_before_it_stays(editor: YamlEditor) -> None:
    session = session_of(editor)
    put_cursor(editor, TEMPLATE.index("Editing in"))
    before = editor.textCursor().position()
    scroll = editor.verticalScrollBar().value()
    # A cursor between two renamed spots stays on its character: the text was patched, not reloaded.
    between = QTextCursor(editor.document())
    between.setPosition(editor.widget_position(TEMPLATE.index("Tell everyone")))
    assert session.push(RenameStep("fetch", "download"))
    assert widget_text(editor) == session.document.text
    assert "download" in widget_text(editor) and "fetch" not in widget_text(editor)
    assert editor.textCursor().position() == before
    assert editor.verticalScrollBar().value() == scroll
    offset = editor.python_offset(between.position())
    assert session.document.text[offset:].startswith("Tell everyone") and offset != TEMPLATE.index("Tell everyone")
    session.undo_stack.undo()
    assert widget_text(editor) == TEMPLATE and editor.textCursor().position() == before


def test_the_cursor_after_an_external_insertion_moves_with_its_text(editor: YamlEditor) -> None:
    session = session_of(editor)
    put_cursor(editor, TEMPLATE.index("Write the report."))
    assert session.push(SetField(("steps", "fetch", "description"), "Fetch the whole list of things."))
    offset = editor.python_offset(editor.textCursor().position())
    assert session.document.text[offset:].startswith("Write the report.")


def test_emoji_and_other_non_bmp_text_keep_offsets_right(open_editor: EditorOpener) -> None:
    text = TEMPLATE.replace("Fetch the list.", "Fetch 🐍 the 𝄞 list.")
    widget = open_editor(text)
    session = session_of(widget)
    after_clef = text.index("𝄞") + 1
    put_cursor(widget, after_clef)
    # QTest.keyClicks cannot type outside the BMP: send the key event an input method would.
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, "🎉"))
    QTest.keyClicks(widget, "x")
    expected = text[:after_clef] + "🎉x" + text[after_clef:]
    assert session.document.text == expected
    QTest.keyClick(widget, Qt.Key.Key_Backspace)
    QTest.keyClick(widget, Qt.Key.Key_Backspace)  # a whole emoji, both UTF-16 halves
    assert session.document.text == text
    # An external edit after the emoji lands on the right characters.
    assert session.push(RenameStep("notify", "announce"))
    assert widget_text(widget) == session.document.text


def test_windows_line_breaks_stay_in_the_document(open_editor: EditorOpener) -> None:
    text = TEMPLATE.replace("\n", "\r\n")
    widget = open_editor(text)
    session = session_of(widget)
    end = text.index("Tell everyone.") + len("Tell everyone.")
    put_cursor(widget, end)
    QTest.keyClick(widget, Qt.Key.Key_Return)
    QTest.keyClicks(widget, "custom_states: [A]")
    assert session.document.text == text[:end] + "\r\n    custom_states: [A]" + text[end:]
    assert session.push(RenameStep("report", "summary"))
    assert widget_text(widget) == session.document.text.replace("\r\n", "\n")


def test_problems_are_underlined_with_their_message_as_tooltip(open_editor: EditorOpener) -> None:
    widget = open_editor(BROKEN_TEMPLATE)
    session = session_of(widget)
    underlined = [s for s in widget.extraSelections()
                  if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]
    assert underlined and len(underlined) == len(widget.marks.diagnostics)
    typo = BROKEN_TEMPLATE.index("hots")
    found = widget.marks.at_position(widget.widget_position(typo))
    assert any(d.code == "handle-unknown-input" for d in found)
    line = BROKEN_TEMPLATE.count("\n", 0, typo)
    assert widget.gutter_marker(line) is not None and widget.gutter_marker(0) is None
    # Fixing the typo clears that problem once the session has validated the new text.
    put_cursor(widget, typo + len("hots"))
    QTest.keyClick(widget, Qt.Key.Key_Backspace)
    QTest.keyClick(widget, Qt.Key.Key_Backspace)
    QTest.keyClicks(widget, "st")
    session.wait_for_validation()
    assert not any(d.code == "handle-unknown-input" for d in widget.marks.diagnostics)


def test_broken_yaml_keeps_the_editor_working_and_the_problem_arrives(editor: YamlEditor) -> None:
    session = session_of(editor)
    put_cursor(editor, TEMPLATE.index("  notify:"))
    QTest.keyClicks(editor, "  oops: [unclosed")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    session.wait_for_validation()
    assert session.document.snapshot is None
    assert any(d.is_error for d in editor.marks.diagnostics)
    assert editor.extraSelections()
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    session.wait_for_validation()
    assert widget_text(editor) == TEMPLATE and session.document.snapshot is not None


def type_handle(editor: YamlEditor, step: str, handle: str) -> None:
    """Start a new description line inside `step` and type `handle` there."""
    session = session_of(editor)
    key = session.document.text.index(f"  {step}:\n") + len(f"  {step}:")
    put_cursor(editor, key)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QTest.keyClicks(editor, "long_description: x " + handle)


def test_completion_offers_existing_steps_ancestors_first(editor: YamlEditor) -> None:
    type_handle(editor, "report", "{{ .step.")
    assert editor.completer.is_visible()
    items = editor.completer.items()
    assert items[0] == "fetch" and "notify" in items and "report" not in items
    QTest.keyClicks(editor, "no")
    assert editor.completer.items() == ["notify"]
    QTest.keyClick(editor, Qt.Key.Key_Down)  # stays on the only entry (no wrapping to "nothing selected")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert "x {{ .step.notify" in session_of(editor).document.text
    assert not editor.completer.is_visible()


def test_iterator_is_offered_only_inside_a_foreach_step(editor: YamlEditor) -> None:
    type_handle(editor, "notify", "{{ .")
    assert "iterator" in editor.completer.items() and "input" in editor.completer.items()
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    type_handle(editor, "report", "{{ .")
    assert "iterator" not in editor.completer.items() and "step" in editor.completer.items()


def test_function_names_after_a_pipe(editor: YamlEditor) -> None:
    type_handle(editor, "report", "{{ .input.host | up")
    assert editor.completer.items() == ["upper"]
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert "{{ .input.host | upper" in session_of(editor).document.text


def test_the_cursor_selects_its_step_and_a_selection_moves_the_cursor(editor: YamlEditor, qtbot: QtBot) -> None:
    session = session_of(editor)
    put_cursor(editor, TEMPLATE.index("Write the report."))
    qtbot.waitUntil(lambda: session.selection == ["report"])
    with qtbot.waitSignal(session.selection_changed):
        session.select(["notify"], origin="canvas")
    line, _ = editor.cursor_line_column()
    assert line == TEMPLATE[:TEMPLATE.index("  notify:")].count("\n") + 1
    qtbot.wait(250)
    assert session.selection == ["notify"]  # following the canvas is not a new choice to echo back


def test_navigate_selects_the_problem_range(open_editor: EditorOpener) -> None:
    widget = open_editor(BROKEN_TEMPLATE)
    session = session_of(widget)
    problem = next(d for d in session.diagnostics if d.code == "handle-unknown-input")
    session.navigate(problem)
    assert widget.textCursor().hasSelection()
    assert widget.cursor_line_column() == (problem.line, problem.column)


def test_find_and_go_to_line(editor: YamlEditor, qtbot: QtBot) -> None:
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert editor.find_bar.isVisible()
    QTest.keyClicks(editor.find_bar.field, "ECHO")
    assert editor.find_bar.count.text() == "3 matches"
    QTest.keyClick(editor.find_bar.field, Qt.Key.Key_Return)
    assert editor.textCursor().selectedText() == "echo" and editor.find_bar.count.text() == "1 of 3"
    QTest.keyClick(editor.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert editor.find_bar.count.text() == "3 of 3"  # backwards, wrapping around
    editor.find_bar.case.setChecked(True)
    assert editor.find_bar.count.text() == "0 matches"
    QTest.keyClick(editor.find_bar.field, Qt.Key.Key_Escape)
    assert not editor.find_bar.isVisible()
    QTest.keyClick(editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor.find_bar.field, "14")
    QTest.keyClick(editor.find_bar.field, Qt.Key.Key_Return)
    assert editor.cursor_line_column() == (14, 1)
    assert widget_text(editor) == TEMPLATE  # the Enter of the bar never reaches the text


def test_detached_editor_is_empty_and_disabled(qtbot: QtBot) -> None:
    widget = YamlEditor()
    qtbot.addWidget(widget)
    assert not widget.isEnabled() and widget.toPlainText() == ""
    document = TemplateDocument(TEMPLATE)
    session = DocumentSession(document)
    widget.set_session(session)
    assert widget.isEnabled() and widget.toPlainText() == TEMPLATE
    assert not widget.document().isUndoRedoEnabled()  # undo is the session's
    widget.set_session(None)
    assert widget.toPlainText() == ""
    session.push(RenameStep("fetch", "download"))  # no longer connected: nothing happens to the widget
    assert widget.toPlainText() == ""
    session.close()


def test_screenshot_with_problems_and_completion(open_editor: EditorOpener, artifacts: Path) -> None:
    widget = open_editor(BROKEN_TEMPLATE, (820, 560))
    session = session_of(widget)
    type_handle(widget, "notify", "{{ .step.")
    assert widget.completer.is_visible()
    QTest.keyClick(widget, Qt.Key.Key_Down)  # move in the popup: the highlighted entry changes, the text does not
    shot = widget.grab()
    popup = widget.completer.popup
    painter = QPainter(shot)
    painter.drawPixmap(widget.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    assert shot.save(str(artifacts / "yaml-editor-problems-completion.png"))
    assert "{{ .step.\n" in session.document.text or "{{ .step." in session.document.text


def test_highlighting_lands_on_the_right_characters_after_an_emoji(open_editor: EditorOpener) -> None:
    text = TEMPLATE.replace("Fetch the list.", "🐍 '{{.input.host}}'")
    widget = open_editor(text)
    line = text[:text.index("🐍")].count("\n")
    block = widget.document().findBlockByNumber(line)
    handle = block.text().index("{{")
    ranges = {(r.start, r.length) for r in block.layout().formats()}
    # The handle starts one UTF-16 unit later than its code-point column (the snake takes two).
    assert (handle + 1, len("{{.input.host}}")) in ranges


def test_dark_palette_screenshot(qtbot: QtBot, open_editor: EditorOpener, artifacts: Path) -> None:
    widget = open_editor(BROKEN_TEMPLATE, (820, 420), show=False)
    session = session_of(widget)
    light = widget.gutter_marker(8)
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Base, "#1e1f22"), (QPalette.ColorRole.Window, "#2b2d30"),
                         (QPalette.ColorRole.Text, "#dfe1e5"), (QPalette.ColorRole.WindowText, "#dfe1e5"),
                         (QPalette.ColorRole.Highlight, "#2f65ca")):
        palette.setColor(role, QColor(colour))
    widget.setPalette(palette)
    assert widget.gutter_marker(8) != light  # problem colours follow the palette
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_diagnostic(next(d for d in session.diagnostics if d.code == "handle-unknown-input"))
    QTest.keyClick(widget, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget.find_bar.field, "notify")
    assert widget.grab().save(str(artifacts / "yaml-editor-dark-find.png"))


def test_measure_typing_stall_types_through_the_real_key_path(editor: YamlEditor) -> None:
    session = session_of(editor)
    end = TEMPLATE.index("Write the report.") + len("Write the report.")
    put_cursor(editor, end)
    stall = measure_typing_stall(editor, " ok", key_delay_ms=5, settle_ms=50)
    assert session.document.text == TEMPLATE[:end] + " ok" + TEMPLATE[end:]
    assert stall > 0.0 and session.undo_stack.count() == 1


def test_hovering_a_problem_shows_its_message_and_hint(open_editor: EditorOpener) -> None:
    widget = open_editor(BROKEN_TEMPLATE, (820, 560))
    cursor = QTextCursor(widget.document())
    cursor.setPosition(widget.widget_position(BROKEN_TEMPLATE.index("hots") + 1))
    point = widget.cursorRect(cursor).center()
    hover = QHelpEvent(QEvent.Type.ToolTip, point, widget.viewport().mapToGlobal(point))
    QApplication.sendEvent(widget.viewport(), hover)
    assert QToolTip.isVisible() and "refers to no declared input" in QToolTip.text()
    assert "declare" in QToolTip.text()  # the hint
    QToolTip.hideText()


def test_a_compound_edit_is_mirrored_in_place(editor: YamlEditor) -> None:
    session = session_of(editor)
    put_cursor(editor, TEMPLATE.index("Write the report."))
    assert session.push(RemoveStep("fetch"))  # the step, and the dependencies of notify and report on it
    assert widget_text(editor) == session.document.text
    assert session.document.text[editor.python_offset(editor.textCursor().position()):].startswith("Write the")
    session.undo_stack.undo()
    assert widget_text(editor) == TEMPLATE


def test_gutter_tooltip_and_context_menu_undo(editor: YamlEditor, qtbot: QtBot) -> None:
    session = session_of(editor)
    session.push(RenameStep("report", "summary"))
    broken = TEMPLATE.index("  notify:")
    put_cursor(editor, broken)
    QTest.keyClicks(editor, "  x: [")
    session.wait_for_validation()
    line = next(d.line for d in editor.marks.diagnostics if d.is_error) - 1
    y = round(editor.blockBoundingGeometry(editor.document().findBlockByNumber(line))
              .translated(editor.contentOffset()).center().y())
    point = QPoint(4, y)
    QApplication.sendEvent(editor.gutter, QHelpEvent(QEvent.Type.ToolTip, point, editor.gutter.mapToGlobal(point)))
    assert QToolTip.isVisible() and "Error" in QToolTip.text()
    QToolTip.hideText()
    seen: list[str] = []

    def read_menu() -> None:
        menu = QApplication.activePopupWidget()
        assert menu is not None
        seen.extend(action.text() for action in menu.actions())
        menu.close()

    QTimer.singleShot(0, read_menu)
    centre = editor.viewport().rect().center()
    QApplication.sendEvent(editor.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre,
                                                                 editor.viewport().mapToGlobal(centre)))
    # The session's Undo / Redo replace the widget's own (which are always disabled here).
    assert seen[:3] == ["Undo Edit text", "Redo", ""] and not any(text.startswith("&Undo") for text in seen)

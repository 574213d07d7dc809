"""The editable YAML pane: every keystroke is a `ReplaceText` on the session, every other change of the
text (undo, redo, canvas, inspector) is mirrored back with minimal cursor edits.

    editor = YamlEditor()
    editor.set_session(session)     # None detaches

The widget's own undo is off: Ctrl+Z / Ctrl+Shift+Z go to `session.undo_stack`, where keystrokes merge
into one step. `_mirror` is the text the widget shows, as the session holds it (Python code points,
`\\r\\n` kept); `TextMap` converts between its offsets and the widget's UTF-16 positions. Parsing and
validation never run here: the session does them off the UI thread after a pause in typing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QHelpEvent, QKeyEvent, QKeySequence, QResizeEvent, QTextCursor
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from engine.diagnostics import Diagnostic, Severity
from studio.document import ReplaceText, TemplateDocument
from studio.document.scope import last_parsed_steps, step_at, step_key_offset
from studio.editor.completion import HandleCompleter
from studio.editor.diagnostic_marks import DiagnosticMarks, severity_colour, tooltip_html
from studio.editor.find_bar import FindBar, match_selections
from studio.editor.text_diff import Replacement, line_replacements, replacements_from_ranges, trimmed_replacement
from studio.editor.text_map import TextMap, widget_text
from studio.editor.yaml_tokens import INDENT, new_line_indent
from studio.editor.yaml_view import YamlView
from studio.session import DocumentSession

__all__ = ["YamlEditor"]

FOLLOW_DELAY_MS = 150  # the cursor rests this long in a step before the other views select it
_GO_TO_LINE = QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L)
_COMPLETE = QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Space)
_REFRESH_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


class YamlEditor(YamlView):
    _worst_by_line: dict[int, Severity] = {}  # noqa: RUF012 - replaced, never mutated
    _find_matches: list[QTextEdit.ExtraSelection] = []  # noqa: RUF012 - replaced, never mutated

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.document().setUndoRedoEnabled(False)  # undo belongs to the session's QUndoStack
        self._session: DocumentSession | None = None
        self._connections: list[tuple[Any, Callable[..., None]]] = []
        self._mirror = ""
        self._map: TextMap | None = None
        self._applying = False  # mirroring a session change: contentsChange is not the user's
        self._step_under_cursor: str | None = None
        self.marks = DiagnosticMarks(self)
        self.completer = HandleCompleter(self)
        self.find_bar = FindBar(self)
        self._follow = QTimer(self, singleShot=True, interval=FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self._select_step_under_cursor)
        self.document().contentsChange.connect(self._on_contents_change)
        self.cursorPositionChanged.connect(self._follow.start)
        self.setEnabled(False)

    # -- session -------------------------------------------------------------------------------------

    @property
    def session(self) -> DocumentSession | None:
        return self._session

    def set_session(self, session: DocumentSession | None) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
        self._session = session
        self.completer.hide()
        self.find_bar.hide()
        self.marks.clear()
        self._step_under_cursor = None
        self._load(session.document.text if session is not None else "")
        self.setEnabled(session is not None)
        if session is None:
            return
        for signal, slot in ((session.text_changed, self._on_session_text),
                             (session.diagnostics_changed, self._on_diagnostics),
                             (session.selection_changed, self._on_selection),
                             (session.navigate_requested, self.show_diagnostic)):
            signal.connect(slot)
            self._connections.append((signal, slot))
        self._on_diagnostics(session.diagnostics)

    def session_document(self) -> TemplateDocument | None:
        return self._session.document if self._session is not None else None

    def plain_text(self) -> str:
        """The text shown, as the document holds it (Python offsets)."""
        return self._mirror

    def python_offset(self, position: int) -> int:
        """The document offset of widget position `position`."""
        return self._text_map().to_python(position)

    def widget_position(self, offset: int) -> int:
        """The widget position of document offset `offset`."""
        return self._text_map().to_widget(offset)

    def _text_map(self) -> TextMap:
        if self._map is None:
            self._map = TextMap(self._mirror)
        return self._map

    def _load(self, text: str) -> None:
        self._applying = True
        try:
            self.setPlainText(widget_text(text))
        finally:
            self._applying = False
        self._mirror, self._map = text, None
        self.moveCursor(QTextCursor.MoveOperation.Start)

    # -- typing → session ----------------------------------------------------------------------------

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        if self._applying or self._session is None:
            return
        old = self._mirror
        offsets = self._text_map()
        overflow = max(0, position + removed - offsets.to_widget(len(old)))  # the document's final separator
        removed, added = removed - overflow, added - overflow
        start, end = offsets.to_python(position), offsets.to_python(position + removed)
        new = self._widget_segment(position, added)
        if "\r\n" in old:
            new = new.replace("\n", "\r\n")  # keep the file's line breaks
        replacement = trimmed_replacement(old, start, end, new)
        if replacement is None:
            return  # a re-highlight or a no-op replacement: formats changed, the text did not
        edit = ReplaceText(*replacement)
        self._mirror = old[:edit.start] + edit.new + old[edit.end:]
        self._map = None
        if not self._session.push(edit) or self._session.document.text != self._mirror:
            self._resync()  # never expected: the document refused plain text; show what it holds
        self._mirror = self._session.document.text

    def _widget_segment(self, position: int, length: int) -> str:
        if length <= 0:
            return ""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    # -- session → widget ----------------------------------------------------------------------------

    def _on_session_text(self, ranges: Sequence[tuple[int, int, int]]) -> None:
        assert self._session is not None
        text = self._session.document.text
        if text == self._mirror:
            return  # our own keystroke coming back
        self.completer.hide()
        replacements = replacements_from_ranges(self._mirror, text, ranges)
        if replacements is None:  # one of several events of a compound edit: the text is already final
            replacements = line_replacements(self._mirror, text)
        self._replace(replacements, self._text_map())
        self._mirror, self._map = text, None
        if self._shown_text() != widget_text(text):
            self._resync()
        self.refresh_decorations()

    def _replace(self, replacements: Sequence[Replacement], offsets: TextMap) -> None:
        """Apply (start, end, new) replacements of the shown text, last first, as cursor edits: other
        cursors (the user's, the problem marks) keep their characters, and the widget keeps its scroll."""
        cursor = QTextCursor(self.document())
        self._applying = True
        cursor.beginEditBlock()
        try:
            for start, end, new in reversed(replacements):
                cursor.setPosition(offsets.to_widget(start))
                cursor.setPosition(offsets.to_widget(end), QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(widget_text(new))
        finally:
            cursor.endEditBlock()
            self._applying = False

    def _shown_text(self) -> str:
        return self.document().toRawText().replace("\u2029", "\n")

    def _resync(self) -> None:
        """Make the widget show the document's text with a few line replacements (a safety net)."""
        assert self._session is not None
        text = self._session.document.text
        shown = self._shown_text()
        self._replace(line_replacements(shown, widget_text(text)), TextMap(shown))
        self._mirror, self._map = text, None

    # -- diagnostics ---------------------------------------------------------------------------------

    def _on_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        document = self.session_document()
        own = [d for d in diagnostics if document is None or d.file in (document.file_name, "<string>")]
        self.marks.set_diagnostics(own)
        self.refresh_decorations()

    def show_diagnostic(self, diagnostic: Diagnostic) -> None:
        """Put the cursor on a problem and select its range (navigate_requested)."""
        cursor = self.marks.range_cursor(diagnostic)
        self.setTextCursor(cursor)
        self.centerCursor()

    def decorations(self) -> list[QTextEdit.ExtraSelection]:
        return [*self._find_matches, *self.marks.selections()]

    def gutter_marker(self, block_number: int) -> QColor | None:
        severity = self._worst_by_line.get(block_number)
        return severity_colour(severity, self.palette()) if severity is not None else None

    def refresh_decorations(self) -> None:
        self._worst_by_line = self.marks.worst_by_line()
        super().refresh_decorations()

    def gutter_tooltip(self, event: QEvent) -> bool:
        assert isinstance(event, QHelpEvent)
        block = self.block_at_gutter_y(event.pos().y())
        found = self.marks.on_line(block) if block is not None else []
        if not found:
            QToolTip.hideText()
            return False
        QToolTip.showText(event.globalPos(), tooltip_html(found, self.palette()), self)
        return True

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            found = self.marks.at_position(self.cursorForPosition(event.pos()).position())
            if found:
                QToolTip.showText(event.globalPos(), tooltip_html(found, self.palette()), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # -- find ----------------------------------------------------------------------------------------

    def open_find(self) -> None:
        """Show the find bar (Ctrl+F), seeded with the selected text."""
        self.find_bar.open_find()

    def open_go_to_line(self) -> None:
        """Show the go-to-line field (Ctrl+L)."""
        self.find_bar.open_go_to_line()

    def set_find_matches(self, matches: list[tuple[int, int]]) -> None:
        """Tint these (start, end) widget ranges (the find bar's matches)."""
        self._find_matches = match_selections(matches, self)
        self.refresh_decorations()

    # -- selection following -------------------------------------------------------------------------

    def _select_step_under_cursor(self) -> None:
        if self._session is None:
            return
        location = step_at(self._mirror, self.python_offset(self.textCursor().position()))
        name = location.name if location is not None else None
        if name is None or name == self._step_under_cursor:
            return
        self._step_under_cursor = name
        if self._session.selection != [name] and name in last_parsed_steps(self._session.document):
            self._session.select([name], origin=self)

    def _on_selection(self, names: list[str], origin: object) -> None:
        if origin is self or not names:
            return
        name = names[0]
        here = step_at(self._mirror, self.python_offset(self.textCursor().position()))
        if here is not None and here.name == name:
            self._step_under_cursor = name
            return
        offset = step_key_offset(self._mirror, name)
        if offset is None:
            return
        self._step_under_cursor = name  # moving there is not a new choice of the user
        cursor = self.textCursor()
        cursor.setPosition(self.widget_position(offset))
        self.setTextCursor(cursor)
        self.centerCursor()

    # -- keys ----------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Claim our shortcuts while focused, before the window's actions (Find, Go to line) see them.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and self._is_own_key(event):
            event.accept()
            return True
        return super().event(event)

    def _is_own_key(self, event: QKeyEvent) -> bool:
        return any(event.matches(key) for key in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
                                                   QKeySequence.StandardKey.Find, QKeySequence.StandardKey.FindNext,
                                                   QKeySequence.StandardKey.FindPrevious)) \
            or _matches(event, _GO_TO_LINE) or _matches(event, _COMPLETE)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._handle_popup_key(event) or self._handle_command_key(event):
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self._new_line()
        elif event.key() == Qt.Key.Key_Tab and not event.modifiers():
            self.textCursor().insertText(INDENT)  # YAML forbids tabs for indentation
        else:
            super().keyPressEvent(event)
        if (event.text() and event.text().isprintable()) or event.key() in _REFRESH_KEYS:
            self.completer.refresh()
        elif self.completer.is_visible() and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.completer.refresh()

    def _handle_popup_key(self, event: QKeyEvent) -> bool:
        if not self.completer.is_visible():
            return False
        if self.completer.navigate(event):
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            return self.completer.accept_current()
        if event.key() == Qt.Key.Key_Escape:
            self.completer.hide()
            return True
        return False

    def _handle_command_key(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo):
            if self._session is not None:
                self._session.undo_stack.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            if self._session is not None:
                self._session.undo_stack.redo()
        elif event.matches(QKeySequence.StandardKey.Find):
            self.open_find()
        elif event.matches(QKeySequence.StandardKey.FindNext) or event.matches(QKeySequence.StandardKey.FindPrevious):
            if not self.find_bar.field.text():
                self.find_bar.open_find()
            else:
                self.find_bar.find_match(backward=event.matches(QKeySequence.StandardKey.FindPrevious))
        elif _matches(event, _GO_TO_LINE):
            self.open_go_to_line()
        elif _matches(event, _COMPLETE):
            self.completer.refresh(explicit=True)
        elif event.key() == Qt.Key.Key_Escape and self.find_bar.isVisible():
            self.find_bar.close_bar()
        else:
            return False
        return True

    def _new_line(self) -> None:
        """Enter keeps the line's indentation, one level deeper after a `key:` that opens a block."""
        cursor = self.textCursor()
        cursor.insertText("\n" + new_line_indent(cursor.block().text()[:cursor.positionInBlock()]))
        self.setTextCursor(cursor)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The standard menu, with Undo / Redo of the session (the widget's own are switched off)."""
        menu = self.createStandardContextMenu(event.pos())
        for action in menu.actions()[:3]:
            if action.isSeparator():
                break
            menu.removeAction(action)  # the widget's Undo and Redo, always disabled here
        if self._session is not None:
            first = menu.actions()[0] if menu.actions() else None
            undo = self._session.undo_stack.createUndoAction(menu)
            redo = self._session.undo_stack.createRedoAction(menu)
            menu.insertActions(first, [undo, redo])  # type: ignore[arg-type]
        menu.exec(event.globalPos())
        menu.deleteLater()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_decorations()  # problem colours follow the light or dark palette

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.find_bar.isVisible():
            self.find_bar.place()

    def cursor_point(self) -> QPoint:
        """Where the cursor is drawn, in the editor's coordinates (tests and screenshots)."""
        return self.viewport().mapTo(self, self.cursorRect().center())


def _matches(event: QKeyEvent, sequence: QKeySequence) -> bool:
    return QKeySequence(event.keyCombination()) == sequence

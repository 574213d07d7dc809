"""The YAML pane's find bar (Ctrl+F: next / previous, match case, every match tinted) and go to line
(Ctrl+L), floating at the top right of the text like in code editors."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton

from studio.theme import mix, muted_text

if TYPE_CHECKING:
    from studio.editor.yaml_editor import YamlEditor

__all__ = ["FindBar", "match_selections"]

_MAX_TINTED = 2000  # matches tinted at once; more are still found by next / previous
_AMBER = "#f5b83d"
_NOT_FOUND = "#d92d20"


class FindBar(QFrame):
    def __init__(self, editor: YamlEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._go_to_line = False
        self._starts: list[int] = []  # widget positions of the matches, for "2 of 5"
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.field = QLineEdit(self)
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(220)
        self.field.installEventFilter(self)
        self.field.textChanged.connect(self._on_text_changed)
        self.case = self._button("Aa", "Match case", checkable=True)
        self.case.toggled.connect(lambda _: self._on_text_changed(self.field.text()))
        self.previous = self._button("↑", "Previous match (Shift+Enter, Shift+F3)")
        self.previous.clicked.connect(lambda: self.find_match(backward=True))
        self.next = self._button("↓", "Next match (Enter, F3)")
        self.next.clicked.connect(lambda: self.find_match())
        self.count = QLabel(self)
        self.count.setMinimumWidth(70)
        close = self._button("✕", "Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 4, 4)
        layout.setSpacing(4)
        for widget in (self.field, self.count, self.case, self.previous, self.next, close):
            layout.addWidget(widget)
        self.hide()

    def _button(self, text: str, tip: str, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        button.setAutoRaise(True)
        return button

    # -- opening -------------------------------------------------------------------------------------

    def open_find(self) -> None:
        self._set_mode(go_to_line=False)
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self._show()

    def open_go_to_line(self) -> None:
        self._set_mode(go_to_line=True)
        self.field.clear()
        line, _ = self._editor.cursor_line_column()
        self.field.setPlaceholderText(f"Go to line (1–{self._editor.blockCount()}), e.g. {line} or {line}:4")
        self._show()

    def close_bar(self) -> None:
        self.hide()
        self._editor.set_find_matches([])
        self._editor.setFocus()

    def _set_mode(self, go_to_line: bool) -> None:
        self._go_to_line = go_to_line
        for widget in (self.case, self.previous, self.next):
            widget.setVisible(not go_to_line)
        if not go_to_line:
            self.field.setPlaceholderText("Find")
        self.count.clear()

    def _show(self) -> None:
        self.adjustSize()
        self.place()
        self.show()
        self.raise_()
        self.field.setFocus()
        self.field.selectAll()
        if not self._go_to_line:
            self._on_text_changed(self.field.text())

    def place(self) -> None:
        """Top right of the text area (called on resize too)."""
        viewport = self._editor.viewport().geometry()
        self.move(viewport.right() - self.width() - 16, viewport.top() + 4)

    # -- finding -------------------------------------------------------------------------------------

    def find_match(self, backward: bool = False) -> bool:
        """Select the next (or previous) match after the cursor, wrapping around; False if none."""
        needle = self.field.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag(0)
        if self.case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        document = self._editor.document()
        found = document.find(needle, self._editor.textCursor(), flags)
        if found.isNull():  # wrap around
            start = QTextCursor(document)
            start.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            found = document.find(needle, start, flags)
        if found.isNull():
            return False
        self._editor.setTextCursor(found)
        self._editor.centerCursor()
        if self._starts:
            where = bisect.bisect_left(self._starts, found.selectionStart())
            self.count.setText(f"{min(where, len(self._starts) - 1) + 1} of {len(self._starts)}")
        return True

    def _on_text_changed(self, text: str) -> None:
        if self._go_to_line:
            return
        matches = self._matches(text)
        self._starts = [start for start, _ in matches]
        self._editor.set_find_matches(matches[:_MAX_TINTED])
        self.count.setText(f"{len(matches)} match{'es' if len(matches) != 1 else ''}" if text else "")
        palette = self.count.palette()
        palette.setColor(QPalette.ColorRole.WindowText, muted_text(palette) if matches or not text
                         else QColor(_NOT_FOUND))
        self.count.setPalette(palette)

    def _matches(self, needle: str) -> list[tuple[int, int]]:
        """(start, end) widget positions of every match of `needle` in the text."""
        if not needle:
            return []
        text = self._editor.plain_text()
        flags = 0 if self.case.isChecked() else re.IGNORECASE
        found = []
        for match in re.finditer(re.escape(needle), text, flags):
            found.append((self._editor.widget_position(match.start()), self._editor.widget_position(match.end())))
        return found

    def _go(self) -> None:
        parts = self.field.text().replace(",", ":").split(":")
        try:
            line = int(parts[0])
            column = int(parts[1]) if len(parts) > 1 and parts[1].strip() else 1
        except ValueError:
            self.count.setText("not a line number")
            return
        self.hide()
        self._editor.go_to(line, column)
        self._editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # consumed: never a new line in the text
                if self._go_to_line:
                    self._go()
                else:
                    self.find_match(backward=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
                return True
            if not self._go_to_line and event.matches(QKeySequence.StandardKey.FindNext):
                self.find_match()
                return True
            if not self._go_to_line and event.matches(QKeySequence.StandardKey.FindPrevious):
                self.find_match(backward=True)
                return True
        return super().eventFilter(watched, event)


def match_selections(matches: list[tuple[int, int]], editor: YamlEditor) -> list[QTextEdit.ExtraSelection]:
    """A soft amber tint behind every match."""
    palette = editor.palette()
    tint = QTextCharFormat()
    tint.setBackground(mix(palette.color(QPalette.ColorRole.Base), QColor(_AMBER), 0.4))
    out = []
    document = editor.document()
    for start, end in matches:
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor, selection.format = cursor, tint
        out.append(selection)
    return out


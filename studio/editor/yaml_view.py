"""The YAML pane: read-only source with line numbers, the current line shaded, and go-to-position."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QFontDatabase,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QTextEdit, QWidget

from studio.editor.highlighter import YamlHighlighter
from studio.theme import mix

__all__ = ["YamlView"]

GUTTER_PADDING = 8


class _Gutter(QWidget):
    """The line-number margin; it only forwards painting to the view, which knows the block geometry."""

    def __init__(self, view: YamlView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self) -> QSize:
        return QSize(self._view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._view.paint_gutter(event)


class YamlView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Read-only but with a visible, keyboard-movable cursor, so go-to-problem shows where it landed.
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFrameShape(QFrame.Shape.NoFrame)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), QGuiApplication.font().pointSizeF()))
        self.setFont(font)
        self._highlighter = YamlHighlighter(self.document(), self.palette())
        self._gutter = _Gutter(self)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._scroll_gutter)
        self.cursorPositionChanged.connect(self._shade_current_line)
        self._update_margins()

    def set_text(self, text: str) -> None:
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def go_to(self, line: int, column: int = 1, end_line: int | None = None, end_column: int | None = None) -> None:
        """Put the cursor at 1-based `line`:`column`, selecting up to the end position when one is given."""
        cursor = QTextCursor(self._position(line, column))
        if end_line is not None and end_column is not None and (end_line, end_column) > (line, column):
            cursor.setPosition(self._position(end_line, end_column).position(), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()

    def cursor_line_column(self) -> tuple[int, int]:
        """The 1-based line and column of the cursor (where the selection starts when there is one)."""
        cursor = self.textCursor()
        position = min(cursor.anchor(), cursor.position())
        block = self.document().findBlock(position)
        return block.blockNumber() + 1, position - block.position() + 1

    def gutter_width(self) -> int:
        digits = max(3, len(str(self.blockCount())))
        return self.fontMetrics().horizontalAdvance("9" * digits) + 2 * GUTTER_PADDING

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(event.rect(), mix(base, palette.color(QPalette.ColorRole.Window), 0.5))
        current = self.textCursor().blockNumber()
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        while block.isValid() and top <= event.rect().bottom():
            height = round(self.blockBoundingRect(block).height())
            if block.isVisible():
                strong = block.blockNumber() == current
                painter.setPen(mix(palette.color(QPalette.ColorRole.Text), base, 0.15 if strong else 0.6))
                rect = QRect(0, top, self._gutter.width() - GUTTER_PADDING, height)
                painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 str(block.blockNumber() + 1))
            block, top = block.next(), top + height
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the system switched between light and dark
            self._highlighter.set_palette(self.palette())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def _position(self, line: int, column: int) -> QTextCursor:
        block = self.document().findBlockByNumber(min(max(line, 1), self.blockCount()) - 1)
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + min(max(column, 1) - 1, max(block.length() - 1, 0)))
        return cursor

    def _update_margins(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def _shade_current_line(self) -> None:
        palette = self.palette()
        shade = QTextCharFormat()
        base, highlight = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Highlight)
        shade.setBackground(mix(base, highlight, 0.08))
        shade.setProperty(QTextFormat.Property.FullWidthSelection, True)
        cursor = self.textCursor()
        cursor.clearSelection()
        selection = QTextEdit.ExtraSelection()
        selection.format = shade
        selection.cursor = cursor
        self.setExtraSelections([selection])
        self._gutter.update()

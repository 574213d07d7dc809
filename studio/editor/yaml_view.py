"""The YAML pane's base: source with line numbers, the current line shaded, and go-to-position.

`YamlView` is read-only; `studio.editor.yaml_editor.YamlEditor` builds the editable pane on it through
two hooks: `decorations()` (more ExtraSelections: problems, find matches) and `gutter_marker(line)`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
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
from studio.editor.text_map import TextMap
from studio.theme import mix

__all__ = ["YamlView"]

GUTTER_PADDING = 8
MARKER_SPACE = 12  # room left of the line numbers for a problem marker
_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class _Gutter(QWidget):
    """The line-number margin; it only forwards painting to the view, which knows the block geometry."""

    def __init__(self, view: YamlView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self) -> QSize:
        return QSize(self._view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._view.paint_gutter(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._view.gutter_tooltip(event):
            return True
        return super().event(event)


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
        self._shaded_block = -1
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self._update_margins()

    def set_text(self, text: str) -> None:
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def go_to(self, line: int, column: int = 1, end_line: int | None = None, end_column: int | None = None) -> None:
        """Put the cursor at 1-based `line`:`column`, selecting up to the end position when one is given."""
        cursor = self.cursor_at(line, column)
        if end_line is not None and end_column is not None and (end_line, end_column) > (line, column):
            cursor.setPosition(self.cursor_at(end_line, end_column).position(), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()

    def cursor_line_column(self) -> tuple[int, int]:
        """The 1-based line and column of the cursor (where the selection starts when there is one)."""
        cursor = self.textCursor()
        position = min(cursor.anchor(), cursor.position())
        block = self.document().findBlock(position)
        column = position - block.position()
        if not block.text().isascii():  # columns count code points, positions UTF-16 units
            offsets = TextMap(block.text())
            column = offsets.to_python(column)
        return block.blockNumber() + 1, column + 1

    def cursor_at(self, line: int, column: int) -> QTextCursor:
        """A cursor at 1-based `line` and code-point `column` (clamped to the text)."""
        block = self.document().findBlockByNumber(min(max(line, 1), self.blockCount()) - 1)
        text = block.text()
        index = min(max(column, 1) - 1, len(text))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + (index if text.isascii() else TextMap(text).to_widget(index)))
        return cursor

    @property
    def gutter(self) -> QWidget:
        """The line-number margin (its tooltips show the problems of a line)."""
        return self._gutter

    # -- hooks for the editor ------------------------------------------------------------------------

    def decorations(self) -> list[QTextEdit.ExtraSelection]:
        """ExtraSelections drawn over the current-line shade (the editor adds problems and matches)."""
        return []

    def gutter_marker(self, block_number: int) -> QColor | None:
        """The colour of the marker dot of a line (0-based block number), if it has one."""
        return None

    def gutter_tooltip(self, event: QEvent) -> bool:
        """Show a tooltip for a gutter position; True when one was shown."""
        return False

    # -- gutter --------------------------------------------------------------------------------------

    def gutter_width(self) -> int:
        digits = max(3, len(str(self.blockCount())))
        return self.fontMetrics().horizontalAdvance("9" * digits) + 2 * GUTTER_PADDING + MARKER_SPACE

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        painter.fillRect(event.rect(), mix(base, palette.color(QPalette.ColorRole.Window), 0.5))
        pens = {True: mix(text, base, 0.15), False: mix(text, base, 0.6)}  # the current line, the others
        current = self.textCursor().blockNumber()
        right = self._gutter.width() - GUTTER_PADDING
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        while block.isValid() and top <= event.rect().bottom():
            height = round(self.blockBoundingRect(block).height())
            if block.isVisible() and top + height >= event.rect().top():
                number = block.blockNumber()
                painter.setPen(pens[number == current])
                painter.drawText(QRect(0, top, right, height), _NUMBER_ALIGNMENT, str(number + 1))
                self._paint_marker(painter, number, top, height)
            block, top = block.next(), top + height
        painter.end()

    def block_at_gutter_y(self, y: int) -> int | None:
        """The 0-based block number drawn at gutter height `y`, if any."""
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        while block.isValid() and top <= y:
            bottom = top + self.blockBoundingRect(block).height()
            if y < bottom:
                return block.blockNumber()
            block, top = block.next(), bottom
        return None

    def _paint_marker(self, painter: QPainter, block_number: int, top: int, height: int) -> None:
        colour = self.gutter_marker(block_number)
        if colour is None:
            return
        size = max(6, min(8, height // 2))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(GUTTER_PADDING // 2 + (MARKER_SPACE - size) // 2, top + (height - size) // 2, size, size)
        painter.restore()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the system switched between light and dark
            self._highlighter.set_palette(self.palette())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def _update_margins(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def _on_cursor_moved(self) -> None:
        # Typing along one line leaves the shade where it is: the shade's cursor moves with the text, and
        # not resetting the selections spares a repaint of the whole viewport per keystroke.
        if self.textCursor().blockNumber() != self._shaded_block:
            self.refresh_decorations()

    def refresh_decorations(self) -> None:
        """Redraw the current-line shade and the `decorations()` (after a cursor move or a change)."""
        self._shaded_block = self.textCursor().blockNumber()
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
        self.setExtraSelections([selection, *self.decorations()])
        self._gutter.update()

"""The completion popup of the YAML pane: template handles and functions inside `{{ }}`.

What to offer comes from `studio.document.scope.handles_at` (Qt-free); this module shows it in a
QCompleter popup beside the cursor and inserts the chosen name in place of the word being typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent, QPainter, QStandardItem, QStandardItemModel, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCompleter,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from studio.document.scope import Completion, completion_context, handles_at
from studio.theme import muted_text

if TYPE_CHECKING:
    from studio.editor.yaml_editor import YamlEditor

__all__ = ["HandleCompleter"]

DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
INSERT_ROLE = Qt.ItemDataRole.UserRole + 2
_MAX_ROWS = 300  # a list longer than this is never read; typing narrows it
_PADDING = 8
_NAVIGATION_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class _Delegate(QStyledItemDelegate):
    """The name on the left, where it comes from in a muted colour on the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        detail = index.data(DETAIL_ROLE)
        if not detail:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        rect: QRect = option.rect.adjusted(0, 0, -_PADDING, 0)
        painter.save()
        painter.setPen(palette.highlightedText().color() if selected else muted_text(palette))
        label_width = option.fontMetrics.horizontalAdvance(str(index.data(Qt.ItemDataRole.DisplayRole))) + 4 * _PADDING
        elided = option.fontMetrics.elidedText(detail, Qt.TextElideMode.ElideRight, rect.width() - label_width)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 4)


class HandleCompleter(QObject):
    """Offers the names in scope at the editor's cursor; `refresh()` after each keystroke."""

    def __init__(self, editor: YamlEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setWidget(editor)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        popup = QListView()
        popup.setUniformItemSizes(True)
        popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        popup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._completer.setPopup(popup)
        popup.setItemDelegate(_Delegate(popup))  # after setPopup, which installs its own delegate
        self._completer.setMaxVisibleItems(10)
        self._completer.setWrapAround(False)  # Down on the last entry keeps it (wrapping deselects, then Enter
        # would insert a line break instead of the name)
        self._completer.activated[QModelIndex].connect(self._insert)  # type: ignore[index]
        self._start = 0  # Python offset where the word being completed starts

    @property
    def popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None
        return popup

    def is_visible(self) -> bool:
        return self.popup.isVisible()

    def items(self) -> list[str]:
        """The labels offered now (tests, and the screenshot)."""
        return [self._model.item(row).text() for row in range(self._model.rowCount())]

    def hide(self) -> None:
        self.popup.hide()

    def refresh(self, explicit: bool = False) -> None:
        """Show, narrow or hide the popup for the word at the cursor; `explicit` (Ctrl+Space) also
        lists functions before any letter is typed."""
        document = self._editor.session_document()
        if document is None:
            self.hide()
            return
        offset = self._editor.python_offset(self._editor.textCursor().position())
        context = completion_context(document.text, offset)
        if context is None or (context.kind == "function" and not context.prefix and not explicit
                               and not self.is_visible()):
            self.hide()
            return
        found = handles_at(document, offset)
        if not found:
            self.hide()
            return
        self._start = context.start
        self._show(found[:_MAX_ROWS])

    def navigate(self, event: QKeyEvent) -> bool:
        """Up / Down / Page keys that reached the editor move in the open list instead (True if so)."""
        if not self.is_visible() or event.key() not in _NAVIGATION_KEYS:
            return False
        QApplication.sendEvent(self.popup, event)
        return True

    def accept_current(self) -> bool:
        """Insert the highlighted entry (Enter/Tab while the popup is open); False when none is."""
        index = self.popup.currentIndex()
        if not self.is_visible() or not index.isValid():
            return False
        self._insert(index)
        return True

    def _show(self, completions: list[Completion]) -> None:
        self._model.clear()
        for completion in completions:
            item = QStandardItem(completion.label)
            item.setData(completion.detail, DETAIL_ROLE)
            item.setData(completion.insert_text, INSERT_ROLE)
            item.setToolTip(completion.detail)
            self._model.appendRow(item)
        popup = self.popup
        popup.setFont(self._editor.font())
        metrics = popup.fontMetrics()
        width = max(metrics.horizontalAdvance(c.label) + metrics.horizontalAdvance(c.detail) for c in completions)
        width = min(max(width + 6 * _PADDING, 260), 560)
        rect = self._editor.cursorRect()
        rect.translate(self._editor.viewport().mapTo(self._editor, QPoint(0, 0)))
        rect.setWidth(width)
        self._completer.complete(rect)
        popup.setCurrentIndex(self._completer.completionModel().index(0, 0))

    def _insert(self, index: QModelIndex) -> None:
        text = index.data(INSERT_ROLE) or index.data(Qt.ItemDataRole.DisplayRole)
        self.hide()
        cursor = self._editor.textCursor()
        cursor.setPosition(self._editor.widget_position(self._start), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)  # through the widget, so it becomes a ReplaceText like typing
        self._editor.setTextCursor(cursor)

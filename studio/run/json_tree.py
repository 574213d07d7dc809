"""The JSON viewer of the run inspector: `JsonTreeModel` (Key · Value · Type of a JSON-like value) and
`JsonSection`, a titled collapsible section showing one value as that tree or as raw JSON, with a Copy JSON button.

The tree model is lazy: a container's rows are created when it is expanded, 500 at a time, and values are
previewed in bounded text, so a 10 MB output opens at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from studio.run.views_support import bounded_json, is_object, iter_items, json_text, kind_of, mute, preview, size_of
from studio.theme import is_dark

__all__ = ["RAW_LIMIT", "JsonSection", "JsonTreeModel", "is_empty_value"]

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()  # the invisible root
RAW_LIMIT = 200_000  # characters of raw JSON shown; Copy JSON copies everything
_KIND_COLOURS = {"string": "#1a7f37", "number": "#0550ae", "boolean": "#8250df", "null": "#8250df"}
_DARK_KIND_COLOURS = {"string": "#7ee787", "number": "#79c0ff", "boolean": "#d2a8ff", "null": "#d2a8ff"}


class _Node:
    __slots__ = ("children", "items", "key", "parent", "row", "total", "value")

    def __init__(self, key: str, value: Any, parent: _Node | None, row: int) -> None:
        self.key, self.value, self.parent, self.row = key, value, parent, row
        self.total = size_of(value)
        self.children: list[_Node] = []
        self.items: Any = None  # the container's (key, value) iterator, advanced batch by batch


class JsonTreeModel(QAbstractItemModel):
    """Key · Value · Type of a JSON-like value; children materialised on demand (`fetchMore`)."""

    BATCH = 500
    HEADERS = ("Key", "Value", "Type")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("", {}, None, 0)

    def set_value(self, value: Any) -> None:
        self.beginResetModel()
        self._root = _Node("", value if is_object(value) or kind_of(value) == "array" else {"value": value},
                           None, 0)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: Index = _TOP) -> QModelIndex:
        children = self.node(parent).children
        if not 0 <= row < len(children) or not 0 <= column < 3:
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = _TOP) -> QModelIndex:  # type: ignore[override]
        node = self.node(index).parent if index.isValid() else None
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def rowCount(self, parent: Index = _TOP) -> int:
        return len(self.node(parent).children) if parent.column() <= 0 else 0

    def columnCount(self, parent: Index = _TOP) -> int:
        return 3

    def hasChildren(self, parent: Index = _TOP) -> bool:
        return self.node(parent).total > 0 and parent.column() <= 0

    def canFetchMore(self, parent: Index) -> bool:
        node = self.node(parent)
        return len(node.children) < node.total

    def fetchMore(self, parent: Index) -> None:
        node = self.node(parent)
        if node.items is None:
            node.items = iter_items(node.value)
        start = len(node.children)
        count = min(self.BATCH, node.total - start)
        if count <= 0 or node.items is None:
            return
        self.beginInsertRows(parent, start, start + count - 1)
        for row in range(start, start + count):
            key, value = next(node.items)
            node.children.append(_Node(key, value, node, row))
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node, column = self.node(index), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (node.key, _value_text(node.value), _kind_text(node.value))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return preview(node.value, 4000)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            colours = _DARK_KIND_COLOURS if is_dark(QGuiApplication.palette()) else _KIND_COLOURS
            colour = colours.get(kind_of(node.value))
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QColor("#6e7781")
        return None


def _value_text(value: Any) -> str:
    kind = kind_of(value)
    if kind == "object" and size_of(value) > 20:
        return f"{{{size_of(value)} keys}}"
    if kind == "array" and size_of(value) > 20:
        return f"[{size_of(value)} items]"
    return preview(value, 160)


def _kind_text(value: Any) -> str:
    kind = kind_of(value)
    if kind in ("object", "array"):
        return f"{kind} ({size_of(value)})"
    if kind == "string":
        return f"string ({len(value)})" if len(value) > 160 else kind
    return kind


def is_empty_value(value: Any) -> bool:
    """Nothing to show: null, an empty string, an empty object or array."""
    return value is None or value == "" or (kind_of(value) in ("object", "array") and size_of(value) == 0)


class _ElidedLabel(QLabel):
    """A one-line label that never asks for more width: it elides its text to what it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


class JsonSection(QFrame):
    """A titled, collapsible section: a JSON tree or the raw JSON, and a Copy JSON button."""

    MAX_HEIGHT = 320

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runSection")
        self.value: Any = None
        self._raw_ready = False
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setStyleSheet("QToolButton { font-weight: 600; border: none; }")
        self.toggle.toggled.connect(self._set_open)
        self.summary = _ElidedLabel()
        self.copy = QPushButton("Copy JSON")
        self.copy.setToolTip(f"Copy the {title.lower()} as JSON")
        self.copy.clicked.connect(self.copy_json)
        self.model = JsonTreeModel(self)
        self.tree = QTreeView()
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setModel(self.model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 170)
        header.resizeSection(2, 100)
        self.tree.expanded.connect(self._fit_height)
        self.tree.collapsed.connect(self._fit_height)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw.setFont(QFont("monospace"))
        self.body = QStackedWidget()
        self.body.addWidget(self.tree)
        self.body.addWidget(self.raw)
        self.body.hide()
        self._build_layout()

    def _build_layout(self) -> None:
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.toggle)
        head.addWidget(self.summary, 1)
        head.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.body)
        mute(self.summary)

    def set_value(self, value: Any, summary: str | None = None) -> None:
        if self._unchanged(value):  # a live run shows the step again: keep what the user expanded
            return
        self.value = value
        empty = is_empty_value(value)
        self.summary.setText("—" if empty else (summary if summary is not None else preview(value, 90)))
        self.toggle.setEnabled(not empty)
        self.copy.setEnabled(not empty)
        self.model.set_value(None if empty else value)
        self._raw_ready = False
        if empty:
            self.toggle.setChecked(False)
        self._fit_height()
        self._render_raw_if_shown()

    def _unchanged(self, value: Any) -> bool:
        if value is self.value and value is not None:
            return True
        try:
            small = size_of(value) <= 200 and size_of(self.value) <= 200
            return small and value == self.value and not is_empty_value(value)
        except Exception:  # noqa: BLE001 - values that cannot be compared are shown again
            return False

    @property
    def is_empty(self) -> bool:
        return not self.toggle.isEnabled()

    def set_raw(self, raw: bool) -> None:
        self.body.setCurrentWidget(self.raw if raw else self.tree)
        self._render_raw_if_shown()
        self._fit_height()

    def copy_json(self) -> None:
        QGuiApplication.clipboard().setText(json_text(self.value))
        self.copy.setText("Copied ✓")
        QTimer.singleShot(1200, self.copy, lambda: self.copy.setText("Copy JSON"))

    def _set_open(self, opened: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        self.body.setVisible(opened)
        self._render_raw_if_shown()

    def _render_raw_if_shown(self) -> None:
        """The raw text is made only when seen, and bounded: big values are cut with a note."""
        if self._raw_ready or self.body.currentWidget() is not self.raw or not self.body.isVisibleTo(self):
            return
        text, cut = bounded_json(self.value, RAW_LIMIT)
        if cut:
            text += f"\n… (cut at {RAW_LIMIT:,} characters: Copy JSON copies all of it)"
        self.raw.setPlainText(text)
        self._raw_ready = True
        self._fit_height()

    def _fit_height(self, *_: object) -> None:
        line = max(self.tree.sizeHintForRow(0), self.tree.fontMetrics().height() + 1)
        if self.body.currentWidget() is self.raw:
            lines = min(self.raw.blockCount(), 40)
            height = lines * self.raw.fontMetrics().lineSpacing() + 14
        else:
            rows = max(1, _visible_rows(self.tree, QModelIndex(), 30))
            height = rows * line + self.tree.header().sizeHint().height() + 6
        self.body.setFixedHeight(max(48, min(self.MAX_HEIGHT, height)))


def _visible_rows(tree: QTreeView, parent: QModelIndex, limit: int) -> int:
    model = tree.model()
    count = 0
    for row in range(model.rowCount(parent)):
        count += 1
        index = model.index(row, 0, parent)
        if tree.isExpanded(index):
            count += _visible_rows(tree, index, limit - count)
        if count >= limit:
            break
    return count

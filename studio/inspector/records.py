"""A table of records (inputs, resolver inputs, variables): one row per list item, one column per key.

Editing a cell commits one SetField on that key; check-box columns commit when toggled; + adds a record,
− removes the selected one. Multi-line values are shown on one line and edited in the YAML pane.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.diagnostics import JsonPath
from engine.load.resolve import resolve_plain
from studio.document import DELETE, Edit, SetField
from studio.document.emit import Flow, flow_text
from studio.document.forms import FieldError, FieldSpec, Kind, text_of, value_from_snippet, value_from_text
from studio.inspector.fields import ERROR_COLOUR, field_tooltip

__all__ = ["RecordTable"]

Push = Callable[[Edit], str | None]
_STRING_TYPES = ("string", "password", "", None)


class _ChoiceDelegate(QStyledItemDelegate):
    """Enum columns are edited with an editable combo of the schema's choices."""

    def __init__(self, specs: Sequence[FieldSpec], parent: QWidget) -> None:
        super().__init__(parent)
        self.specs = specs

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        spec = self.specs[index.column()]
        if spec.kind is not Kind.ENUM:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(spec.templates)
        combo.addItems(["", *(text_of(choice) for choice in spec.choices)])
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class RecordTable(QWidget):
    def __init__(self, path: JsonPath, specs: Sequence[FieldSpec], push: Push, noun: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.specs, self.push, self.noun = tuple(path), list(specs), push, noun
        self.records: list[Any] = []
        self._loading = False
        self.table = QTableWidget(0, len(self.specs))
        for column, spec in enumerate(self.specs):
            header_item = QTableWidgetItem(spec.key)
            header_item.setToolTip(field_tooltip(spec))
            self.table.setHorizontalHeaderItem(column, header_item)
        self.table.setItemDelegate(_ChoiceDelegate(self.specs, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.itemChanged.connect(self._cell_changed)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.hide()
        self._assemble()

    def _assemble(self) -> None:
        self.add_button = self._tool("+", f"Add {self.noun}", self.add_record)
        self.remove_button = self._tool("−", f"Remove the selected {self.noun}", self.remove_selected)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

    @staticmethod
    def _tool(text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setFixedWidth(28)
        button.clicked.connect(slot)
        return button

    # -- showing -----------------------------------------------------------------------------------

    def show_records(self, records: Any) -> None:
        """Show the list (None or a non-list shows no rows); the cell being edited is left alone."""
        self.records = list(records) if isinstance(records, list) else []
        editing = self.table.state() == QAbstractItemView.State.EditingState
        if editing and self.table.rowCount() == len(self.records):
            return
        self._loading = True
        try:
            self.table.setRowCount(len(self.records))
            for row, record in enumerate(self.records):
                for column, spec in enumerate(self.specs):
                    self.table.setItem(row, column, self._item(record, spec))
        finally:
            self._loading = False
        self.table.resizeColumnsToContents()
        self._fit_height()
        self.remove_button.setEnabled(bool(self.records))

    def _item(self, record: Any, spec: FieldSpec) -> QTableWidgetItem:
        value = record.get(spec.key) if isinstance(record, dict) else None
        item = QTableWidgetItem()
        if spec.kind is Kind.BOOL and (value is None or isinstance(value, bool)):
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            return item
        text = flow_text(value) if isinstance(value, dict | list) else text_of(value)  # `[a, b]` parses back
        if "\n" in text:  # one line here; the full text in the tooltip and the YAML pane
            item.setText(text.split("\n", 1)[0] + " …")
            item.setToolTip(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        else:
            item.setText(text)
        return item

    def _fit_height(self) -> None:
        rows = self.table.rowCount()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        rows_height = sum(self.table.rowHeight(row) for row in range(rows))
        height += rows_height or self.table.verticalHeader().defaultSectionSize()
        if self.table.horizontalScrollBar().isVisible() or self.table.horizontalHeader().length() > self.table.width():
            height += self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(height)

    def set_problems(self, problems: dict[JsonPath, list[str]]) -> None:
        """Cells (or whole rows) that diagnostics point at get a red tint and the messages as tooltip."""
        tint = QBrush(QColor(ERROR_COLOUR).lighter(185))
        for row in range(self.table.rowCount()):
            for column, spec in enumerate(self.specs):
                item = self.table.item(row, column)
                messages = problems.get((*self.path, row, spec.key), []) + problems.get((*self.path, row), [])
                if item is not None and messages:
                    item.setBackground(tint)
                    item.setToolTip("\n".join(messages))

    # -- editing -----------------------------------------------------------------------------------

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        row, spec = item.row(), self.specs[item.column()]
        record = self.records[row] if row < len(self.records) and isinstance(self.records[row], dict) else {}
        try:
            value = self._cell_value(item, spec, record)
        except FieldError as exc:
            self.show_error(str(exc))
            return
        if value is DELETE and spec.key not in record:
            return
        self.show_error(self.push(SetField((*self.path, row, spec.key), value)))

    def _cell_value(self, item: QTableWidgetItem, spec: FieldSpec, record: dict[str, Any]) -> Any:
        if spec.kind is Kind.BOOL and item.data(Qt.ItemDataRole.CheckStateRole) is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            return checked if checked or spec.default not in (False, None) else DELETE
        text = item.text()
        if spec.kind is not Kind.YAML:
            return value_from_text(text, spec)
        if not text.strip():
            return DELETE
        if text.lstrip().startswith(("[", "{")):
            value = value_from_snippet(text, spec)
            return Flow(value) if isinstance(value, list) else value  # typed `[a, b]`, written `[a, b]`
        old = record.get(spec.key)
        if isinstance(old, str) or (old is None and record.get("type") in _STRING_TYPES):
            return text  # a text stays a text ('40' is not 40); typed inputs take typed defaults
        return resolve_plain(text.strip())

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def add_record(self) -> None:
        taken = {str(r.get("name")) for r in self.records if isinstance(r, dict)}
        name = next(f"{self.noun}_{n}" for n in range(1, len(taken) + 2) if f"{self.noun}_{n}" not in taken)
        record = {"name": name, "value": ""} if "expression" in (s.key for s in self.specs) else {"name": name}
        edit = SetField((*self.path, len(self.records)), record) if self.records else SetField(self.path, [record])
        self.show_error(self.push(edit))

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.records):
            self.show_error(f"Select the {self.noun} to remove first.")
            return
        path = (*self.path, row) if len(self.records) > 1 else self.path
        self.show_error(self.push(SetField(path, DELETE)))

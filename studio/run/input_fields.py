"""One editor per template input (engine.model.template.Input): text, password, number, bool, a choice of legal
values, a list editor for collections. Each field gives the value as the engine expects it (numbers and booleans
parsed, lists as lists) and takes one back; what it cannot parse is passed as text, so that the engine's own
check (`engine.run.create.check_inputs`) words the problem."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.model.template import Input

__all__ = ["InputField", "make_field"]

_NOTHING = "—"  # the empty choice of an optional input with legal values


def _parse_scalar(definition: Input, text: str) -> Any:
    """Text typed by the user → the value the engine expects for the input's type."""
    if definition.type in ("number", "bool"):
        try:
            return json.loads(text.strip().lower() if definition.type == "bool" else text)
        except ValueError:
            return text
    return text


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


class InputField(QWidget):
    """Base of the editors: `value()` (None when empty) and `set_value(value)`."""

    def __init__(self, definition: Input, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definition = definition
        self.setToolTip(definition.description)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


class _TextField(InputField):
    def __init__(self, definition: Input, parent: QWidget | None = None) -> None:
        super().__init__(definition, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"input-{definition.name}")
        if definition.type == "password":
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        hint = {"number": "a number", "password": "never saved"}.get(definition.type, "")
        if definition.regex:
            hint = f"must match {definition.regex}"
        if definition.default is not None:
            hint = f"default: {_as_text(definition.default)}"
        self.edit.setPlaceholderText(hint)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

    def value(self) -> Any:
        text = self.edit.text()
        return None if text == "" else _parse_scalar(self.definition, text)

    def set_value(self, value: Any) -> None:
        self.edit.setText(_as_text(value))


class _BoolField(InputField):
    def __init__(self, definition: Input, parent: QWidget | None = None) -> None:
        super().__init__(definition, parent)
        self.box = QCheckBox("yes", self)  # the description is shown under it, wrapped, like the other fields
        self.box.setObjectName(f"input-{definition.name}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(value is True or (isinstance(value, str) and value.strip().lower() == "true"))


class _ChoiceField(InputField):
    def __init__(self, definition: Input, parent: QWidget | None = None) -> None:
        super().__init__(definition, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"input-{definition.name}")
        if definition.optional or definition.default is not None:
            self.combo.addItem(_NOTHING, None)
        for legal in definition.legal_values:
            self.combo.addItem(_as_text(legal), legal)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        for index in range(self.combo.count()):
            if _as_text(self.combo.itemData(index)) == _as_text(value):
                self.combo.setCurrentIndex(index)
                return


class _ListField(InputField):
    """A collection: editable rows, + to add one, − to remove the selected one."""

    def __init__(self, definition: Input, parent: QWidget | None = None) -> None:
        super().__init__(definition, parent)
        self.rows = QListWidget(self)
        self.rows.setObjectName(f"input-{definition.name}")
        self.rows.setMaximumHeight(96)
        add, remove = QToolButton(self), QToolButton(self)
        add.setText("+")
        add.setToolTip("Add an item")
        remove.setText("−")
        remove.setToolTip("Remove the selected item")
        add.clicked.connect(lambda: self.add_item(""))
        remove.clicked.connect(self._remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rows, 1)
        layout.addLayout(buttons)

    def add_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text, self.rows)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        if not text:
            self.rows.setCurrentItem(item)
            self.rows.editItem(item)
        return item

    def _remove_selected(self) -> None:
        row = self.rows.currentRow()
        if row >= 0:
            self.rows.takeItem(row)

    def value(self) -> Any:
        texts = [self.rows.item(i).text() for i in range(self.rows.count())]
        items = [_parse_scalar(self.definition, text) for text in texts if text.strip() != ""]
        return items or None

    def set_value(self, value: Any) -> None:
        self.rows.clear()
        for item in value if isinstance(value, list) else ([] if value is None else [value]):
            self.add_item(_as_text(item))


def make_field(definition: Input, parent: QWidget | None = None) -> InputField:
    if definition.legal_values and not definition.collection:
        return _ChoiceField(definition, parent)
    if definition.collection:
        return _ListField(definition, parent)
    if definition.type == "bool":
        return _BoolField(definition, parent)
    return _TextField(definition, parent)

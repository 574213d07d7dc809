"""Small dialogs of the run panel: a step's dry-run fixture, forcing a state, answering a waiting callback.

Each one checks what the user typed (JSON must parse) and shows the problem inline instead of closing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.model.run import StepRun
from engine.run.pipeline import plain

__all__ = ["CallbackDialog", "FixtureDialog", "ForceStateDialog", "json_text", "parse_json"]


def json_text(value: Any) -> str:
    return "" if value is None else json.dumps(plain(value), indent=2, ensure_ascii=False, default=str)


def parse_json(text: str, what: str) -> Any:
    """The JSON value of `text` (None when blank); ValueError with a message naming `what`."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as error:
        raise ValueError(f"{what} is not valid JSON: {error}") from None


def _json_editor(text: str = "", placeholder: str = "") -> QPlainTextEdit:
    editor = QPlainTextEdit(text)
    editor.setPlaceholderText(placeholder)
    editor.setTabChangesFocus(True)
    editor.setMinimumHeight(90)
    return editor


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { color: #d1242f; }")
    return label


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _state_box(states: Sequence[str], current: str) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)  # any custom state may be typed
    box.addItems(list(states))
    box.setCurrentText(current or (states[0] if states else "DONE"))
    return box


class FixtureDialog(QDialog):
    """What a side-effecting step returns in a dry run: state, output, metadata, error. `fixture` holds the
    result once accepted (None: remove the fixture)."""

    def __init__(self, step: str, states: Sequence[str], fixture: dict[str, Any] | None,
                 pin_source: StepRun | None = None, parent: QWidget | None = None, *, pin_run: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Dry-run fixture of {step}")
        self.setMinimumWidth(480)
        self.fixture: dict[str, Any] | None = None
        self.pinned_from = ""
        self.pin_run = pin_run  # the run pinned from (its resolution id), recorded with the fixture
        current = fixture or {}
        self.state = _state_box(states, str(current.get("state") or "DONE"))
        self.output = _json_editor(json_text(current.get("output")), '{"id": 42}')
        self.metadata = _json_editor(json_text(current.get("metadata")), '{"HTTPStatus": 200}')
        self.error = QLineEdit(str(current.get("error") or ""))
        self.problem = _error_label()
        form = QFormLayout()
        form.addRow("State", self.state)
        form.addRow("Output", self.output)
        form.addRow("Metadata", self.metadata)
        form.addRow("Error", self.error)
        buttons = _buttons(self, "Keep fixture")
        self.pin = QPushButton("Pin from current run")
        self.pin.setEnabled(pin_source is not None)
        self.pin.setToolTip("Use what this step returned in the run shown" if pin_source else
                            "Run (or open) a run first: its real output can then be pinned")
        self.pin.clicked.connect(lambda: self.pin_from(pin_source) if pin_source is not None else None)
        self.remove = QPushButton("Remove fixture")
        self.remove.setEnabled(fixture is not None)
        self.remove.clicked.connect(self._remove)
        buttons.addButton(self.pin, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Used by dry runs instead of executing the step's action."))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._remove_requested = False

    def pin_from(self, step: StepRun) -> None:
        self.state.setCurrentText(str(step.state))
        self.output.setPlainText(json_text(step.output))
        self.metadata.setPlainText(json_text(step.metadata))
        self.error.setText(step.error)
        self.pinned_from = f"run {self.pin_run}" if self.pin_run else "a previous run"

    def _remove(self) -> None:
        self._remove_requested = True
        self.fixture = None
        super().accept()

    def accept(self) -> None:
        try:
            output = parse_json(self.output.toPlainText(), "Output")
            metadata = parse_json(self.metadata.toPlainText(), "Metadata")
        except ValueError as error:
            self.problem.setText(str(error))
            return
        fixture: dict[str, Any] = {"state": self.state.currentText().strip() or "DONE", "output": output}
        if metadata is not None:
            fixture["metadata"] = metadata
        if self.error.text().strip():
            fixture["error"] = self.error.text().strip()
        if self.pinned_from:
            fixture["pinned_from"] = self.pinned_from
        self.fixture = fixture
        super().accept()

    @property
    def removed(self) -> bool:
        return self._remove_requested


class ForceStateDialog(QDialog):
    """What-if: the state to force on a step (its custom states first), with an optional output."""

    def __init__(self, step: str, states: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Force the state of {step}")
        self.setMinimumWidth(420)
        self.state = _state_box(states, states[0] if states else "DONE")
        self.output = _json_editor("", "optional output, JSON")
        self.problem = _error_label()
        self.value: tuple[str, Any] | None = None
        form = QFormLayout()
        form.addRow("State", self.state)
        form.addRow("Output", self.output)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{step}</b> takes this state; every step after it runs again, and steps "
                                "this state rules out are pruned."))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(_buttons(self, "Force and run"))

    def accept(self) -> None:
        state = self.state.currentText().strip()
        if not state:
            self.problem.setText("Choose a state.")
            return
        try:
            output = parse_json(self.output.toPlainText(), "Output")
        except ValueError as error:
            self.problem.setText(str(error))
            return
        self.value = (state, output)
        super().accept()


class CallbackDialog(QDialog):
    """Answer a waiting callback (or approval): which one, and the JSON body to post."""

    def __init__(self, callbacks: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resolve a callback")
        self.setMinimumWidth(460)
        self.which = QComboBox()
        for callback_id, step in callbacks:
            self.which.addItem(f"{step}  ({callback_id[:8]}…)", callback_id)
        self.body = _json_editor("{}", '{"decision": "approve"}')
        self.problem = _error_label()
        self.value: tuple[str, Any] | None = None
        form = QFormLayout()
        form.addRow("Callback", self.which)
        form.addRow("Body", self.body)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(_buttons(self, "Post and continue"))

    def accept(self) -> None:
        try:
            body = parse_json(self.body.toPlainText(), "The body")
        except ValueError as error:
            self.problem.setText(str(error))
            return
        self.value = (str(self.which.currentData()), body if body is not None else {})
        super().accept()

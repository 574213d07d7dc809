"""The Run… dialog: a form generated from the template's `inputs` and `resolver_inputs`, checked with the
engine's own rules (`engine.run.create.check_inputs`, as `utask-engine run` does) before the run starts.

The last inputs used are remembered per template (`InputMemory`, a JSON file in the user's config folder; password
inputs are never written); a sample's example inputs (`NAME.inputs.json` beside the template) are offered.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from engine.model.template import Input, Template
from engine.run.create import InputError, check_inputs
from studio.document.files import Encoding, write_text_atomic
from studio.run.input_fields import InputField, make_field

__all__ = ["InputMemory", "InputsDialog", "example_inputs", "example_inputs_path"]

Inputs = dict[str, Any]


def example_inputs_path(template_path: Path | None) -> Path | None:
    """`NAME.inputs.json` beside `NAME.yaml`, when there is one."""
    if template_path is None:
        return None
    path = template_path.with_name(template_path.stem + ".inputs.json")
    return path if path.is_file() else None


def example_inputs(template_path: Path | None) -> tuple[Inputs, Inputs] | None:
    """(inputs, resolver_inputs) of the sample's example file; None when missing or unreadable."""
    path = example_inputs_path(template_path)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if set(data) <= {"inputs", "resolver_inputs"}:
        return dict(data.get("inputs") or {}), dict(data.get("resolver_inputs") or {})
    return data, {}


def _default_memory_path() -> Path:
    override = os.environ.get("UTASK_STUDIO_DATA")
    folder = Path(override) if override else platformdirs.user_config_path("utask-studio", appauthor=False)
    return folder / "last-inputs.json"


class InputMemory:
    """The last inputs used per template, in one JSON file; password inputs are dropped before writing."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or _default_memory_path()

    def _all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, template: Template) -> tuple[Inputs, Inputs] | None:
        entry = self._all().get(template.normalized_name)
        if not isinstance(entry, dict):
            return None
        return dict(entry.get("inputs") or {}), dict(entry.get("resolver_inputs") or {})

    def save(self, template: Template, inputs: Inputs, resolver_inputs: Inputs) -> None:
        data = self._all()
        data[template.normalized_name] = {"inputs": _without_secrets(template.inputs, inputs),
                                          "resolver_inputs": _without_secrets(template.resolver_inputs,
                                                                              resolver_inputs)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", Encoding())


def _without_secrets(definitions: list[Input], values: Inputs) -> Inputs:
    secret = {d.name for d in definitions if d.type == "password"}
    return {name: value for name, value in values.items() if name not in secret}


class _Section(QGroupBox):
    """The fields of one input list, with an inline error line under each."""

    def __init__(self, title: str, definitions: list[Input], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.definitions = [d for d in definitions if d.name]
        self.fields: dict[str, InputField] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for definition in self.definitions:
            field = make_field(definition, self)
            box = QWidget(self)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(field)
            if definition.description:
                column.addWidget(_note(definition.description, "color: palette(mid);"))
            error = _note("", "color: #d1242f;")
            error.hide()
            column.addWidget(error)
            self.fields[definition.name], self.errors[definition.name] = field, error
            form.addRow(_label(definition), box)

    def values(self) -> Inputs:
        out: Inputs = {}
        for name, field in self.fields.items():
            value = field.value()
            if value is not None:
                out[name] = value
        return out

    def set_values(self, values: Inputs) -> None:
        for name, value in values.items():
            if name in self.fields:
                self.fields[name].set_value(value)

    def show_error(self, name: str, message: str) -> bool:
        for field_name, label in self.errors.items():
            label.setVisible(field_name == name)
            label.setText(message if field_name == name else "")
        return name in self.errors

    def check(self) -> Inputs:
        """The values as the engine will take them; InputError (shown under its field) when refused."""
        try:
            return check_inputs(self.definitions, self.values(), filter_undeclared=False)
        except InputError as error:
            self.show_error(error.name, str(error))
            raise


def _note(text: str, style: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"QLabel {{ {style} font-size: 11px; }}")
    return label


def _label(definition: Input) -> QLabel:
    suffix = "" if definition.optional or definition.default is not None or definition.type == "bool" else " *"
    label = QLabel(definition.name + suffix)
    label.setToolTip(definition.description)
    return label


class InputsDialog(QDialog):
    """Accepted only with inputs the engine accepts: `inputs` and `resolver_inputs` hold them then."""

    def __init__(self, template: Template, *, dry_run: bool, template_path: Path | None = None,
                 memory: InputMemory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template, self.memory = template, memory
        self.inputs: Inputs = {}
        self.resolver_inputs: Inputs = {}
        self.setWindowTitle(f"Run {template.name or 'template'}")
        self.setMinimumWidth(520)
        self.task_section = _Section("Inputs", template.inputs, self)
        self.resolver_section = _Section("Resolver inputs", template.resolver_inputs, self)
        self.example = QPushButton("Use example inputs", self)
        self.example.setObjectName("use-example-inputs")
        self._example = example_inputs(template_path)
        self.example.setEnabled(self._example is not None)
        self.example.setToolTip("Fill the form from the sample's .inputs.json" if self._example else
                                "No NAME.inputs.json beside this template")
        self.example.clicked.connect(self.use_example)
        self.message = _note("", "color: #d1242f;")
        self._build(dry_run)
        remembered = memory.load(template) if memory is not None else None
        if remembered is not None:
            self.fill(*remembered)
        else:
            self.fill(*self._defaults())

    def _build(self, dry_run: bool) -> None:
        mode = QLabel("DRY RUN — actions with side effects are described, not executed" if dry_run else
                      "WET RUN — real requests will be sent")
        colour = "#b45309" if dry_run else "#b91c1c"
        mode.setObjectName("run-mode")
        mode.setStyleSheet(f"QLabel {{ background: {colour}; color: white; font-weight: 600; padding: 6px 10px;"
                           " border-radius: 4px; }")
        body = QWidget(self)
        column = QVBoxLayout(body)
        for section in (self.task_section, self.resolver_section):
            section.setVisible(bool(section.definitions))
            column.addWidget(section)
        if not (self.task_section.definitions or self.resolver_section.definitions):
            column.addWidget(QLabel("This template takes no inputs."))
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # descriptions wrap instead
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.run_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.run_button.setText("Dry run" if dry_run else "Run for real")
        buttons.addButton(self.example, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(mode)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _defaults(self) -> tuple[Inputs, Inputs]:
        def defaults(definitions: list[Input]) -> Inputs:
            return {d.name: d.default for d in definitions if d.default is not None}
        return defaults(self.template.inputs), defaults(self.template.resolver_inputs)

    def fill(self, inputs: Inputs, resolver_inputs: Inputs) -> None:
        self.task_section.set_values(inputs)
        self.resolver_section.set_values(resolver_inputs)

    def use_example(self) -> None:
        if self._example is not None:
            self.fill(*self._example)

    def field(self, name: str, *, resolver: bool = False) -> InputField:
        return (self.resolver_section if resolver else self.task_section).fields[name]

    def accept(self) -> None:
        """Check both forms with the engine's rules; stay open with the problem shown under its field."""
        try:
            inputs = self.task_section.check()
            resolver_inputs = self.resolver_section.check()
        except InputError as error:
            self.message.setText(str(error))
            return
        self.message.setText("")
        self.inputs, self.resolver_inputs = inputs, resolver_inputs
        if self.memory is not None:
            try:
                self.memory.save(self.template, self.task_section.values(), self.resolver_section.values())
            except OSError as error:  # remembering is a convenience: the run goes on
                self.message.setText(f"Could not remember these inputs: {error}")
        super().accept()

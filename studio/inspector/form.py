"""What the step form and the root form share: fields keyed by their path, refreshed in place from a
snapshot, committing SetField edits through the inspector, and marked by the diagnostics under them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from engine.diagnostics import Diagnostic, JsonPath
from studio.document import DELETE, Edit, SetField
from studio.document.emit import Flow
from studio.document.forms import FieldSpec, Kind, snippet_text
from studio.document.layout import Snapshot
from studio.inspector.fields import MISSING, FieldEditor
from studio.inspector.records import RecordTable
from studio.inspector.section import SPACING, Section

__all__ = ["Form", "Push"]

Push = Callable[[Edit], str | None]  # None when the edit landed, else the refusal to show


class Form(QWidget):
    """Sections of fields under `base` (() for the template, ("steps", name) for a step)."""

    def __init__(self, base: JsonPath, push: Push, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = tuple(base)
        self.push = push
        self.snapshot: Snapshot | None = None
        self.fields: dict[JsonPath, FieldEditor] = {}  # relative path → editor
        self.tables: dict[JsonPath, RecordTable] = {}
        self.sections: dict[str, Section] = {}
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(SPACING)

    # -- building ----------------------------------------------------------------------------------

    def add_section(self, title: str) -> Section:
        section = Section(title)
        self.sections[title] = section
        self.layout_.addWidget(section)
        return section

    def add_field(self, section: Section, relative: JsonPath, spec: FieldSpec) -> FieldEditor:
        editor = self.make_field(relative, spec)
        if spec.kind in (Kind.YAML, Kind.MULTILINE):
            section.add_block(spec, editor)  # snippets need the width more than a label column
        else:
            section.add_row(spec, editor)
        return editor

    def make_field(self, relative: JsonPath, spec: FieldSpec) -> FieldEditor:
        editor = FieldEditor(spec, self._committer(tuple(relative)))
        self.fields[tuple(relative)] = editor
        return editor

    def _committer(self, relative: JsonPath) -> Callable[[Any], str | None]:
        return lambda value: self.set_field(relative, value)

    def add_table(self, section: Section, relative: JsonPath, specs: Sequence[FieldSpec], noun: str) -> RecordTable:
        table = RecordTable((*self.base, *relative), specs, self.push, noun)
        self.tables[tuple(relative)] = table
        section.add_wide(table)
        return table

    def finish(self) -> None:
        self.layout_.addStretch(1)
        self.align_labels()

    def align_labels(self) -> None:
        """One label column width for every section, so fields line up down the whole form."""
        labels = [label for section in self.sections.values() for label in section.labels]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    # -- values ------------------------------------------------------------------------------------

    def absolute(self, relative: JsonPath) -> JsonPath:
        return (*self.base, *relative)

    def value(self, relative: JsonPath) -> Any:
        """The value at `relative` in the last snapshot, MISSING when there is none."""
        path = self.absolute(relative)
        if self.snapshot is None or not self.snapshot.has_value(path):
            return MISSING
        return self.snapshot.value_at(path)

    def set_field(self, relative: JsonPath, value: Any) -> str | None:
        """Commit one field: nothing when the file already says so, else one SetField."""
        current = self.value(relative)
        if value is DELETE and current is MISSING:
            return None
        if isinstance(value, Flow) and isinstance(current, list):
            if current == list(value):
                return None
            if self.snapshot is not None and not self.snapshot.is_flow(self.absolute(relative)):
                value = list(value)  # a list written as a block stays a block
        if current is not MISSING and type(current) is type(value) and current == value:
            return None
        return self.push(SetField(self.absolute(relative), value))

    def refresh(self, snapshot: Snapshot) -> None:
        """Show the values of `snapshot` in place (fields being edited keep what the user typed)."""
        self.snapshot = snapshot
        for relative, editor in self.fields.items():
            value = self.value(relative)
            source = None
            if isinstance(value, dict | list) or editor.spec.kind is Kind.YAML:
                source = snippet_text(snapshot, self.absolute(relative)) or None
            editor.show_value(value, source)
        for relative, table in self.tables.items():
            table.show_records(None if self.value(relative) is MISSING else self.value(relative))

    # -- diagnostics -------------------------------------------------------------------------------

    def show_problems(self, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
        """Mark each field a diagnostic points into; returns those about this form that no field took."""
        marks: dict[JsonPath, list[str]] = {relative: [] for relative in self.fields}
        by_path: dict[JsonPath, list[str]] = {}
        unplaced: list[Diagnostic] = []
        for diagnostic in diagnostics:
            relative = self._relative(diagnostic.path)
            if relative is None:
                continue
            owner = self._owner(relative)
            if owner is not None:
                marks[owner].append(diagnostic.full_message())
            elif any(relative[:len(t)] == t for t in self.tables):
                by_path.setdefault(diagnostic.path, []).append(diagnostic.full_message())
            else:
                unplaced.append(diagnostic)
        for relative, editor in self.fields.items():
            editor.set_problems(marks[relative])
        for table in self.tables.values():
            table.set_problems(by_path)
        return unplaced

    def _relative(self, path: JsonPath) -> JsonPath | None:
        if tuple(path[:len(self.base)]) != self.base:
            return None
        return tuple(path[len(self.base):])

    def _owner(self, relative: JsonPath) -> JsonPath | None:
        """The field with the longest path that is a prefix of `relative`."""
        for length in range(len(relative), 0, -1):
            if relative[:length] in self.fields:
                return relative[:length]
        return None

"""A collapsible group of form rows: a header button with an arrow, a form body with aligned labels."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.document.forms import FieldSpec
from studio.inspector.fields import field_tooltip
from studio.theme import mix

__all__ = ["Section", "SPACING"]

SPACING = 6  # between rows; sections and the panel use multiples of it


class Section(QWidget):
    """A titled, collapsible part of the form. `add_row` puts a label (with the schema's help as tooltip)
    and an editor side by side; `add_wide` gives a widget the full width."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QToolButton()
        self.header.setText(title)
        self.header.setAutoRaise(True)
        self._expanded = True
        self.labels: list[QLabel] = []
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setArrowType(Qt.ArrowType.DownArrow)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = QFont(self.header.font())
        font.setBold(True)
        self.header.setFont(font)
        self.header.clicked.connect(lambda: self.set_expanded(not self._expanded))
        self.trailing = QHBoxLayout()  # badges beside the title
        self.trailing.setSpacing(SPACING)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(SPACING * 2, SPACING // 2, SPACING * 2, SPACING)
        self.form.setHorizontalSpacing(SPACING * 2)
        self.form.setVerticalSpacing(SPACING)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._assemble()

    def _assemble(self) -> None:
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, SPACING, 0)
        top.addWidget(self.header, 1)
        top.addLayout(self.trailing)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFixedHeight(1)
        self.rule = line
        self._paint_rule()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(line)
        layout.addLayout(top)
        layout.addWidget(self.body)

    def _paint_rule(self) -> None:
        palette = self.palette()
        colour = mix(palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText), 0.15)
        self.rule.setStyleSheet(f"background: {colour.name()}; border: none;")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light ⇄ dark while the app runs
            self._paint_rule()

    def set_expanded(self, expanded: bool) -> None:
        self._expanded = expanded
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    @property
    def expanded(self) -> bool:
        return self._expanded

    def add_row(self, spec: FieldSpec | str, editor: QWidget) -> QLabel:
        title = spec if isinstance(spec, str) else spec.title
        label = QLabel(title + ("" if isinstance(spec, str) or not spec.required else " *"))
        label.setToolTip(field_tooltip(spec) if isinstance(spec, FieldSpec) else "")
        label.setBuddy(editor)
        # Labels sit level with the first line of tall editors (snippets, tables).
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setMinimumHeight(editor.sizeHint().height() if editor.sizeHint().height() < 40 else 26)
        self.form.addRow(label, editor)
        self.labels.append(label)
        return label

    def add_wide(self, widget: QWidget) -> None:
        self.form.addRow(widget)

    def add_block(self, spec: FieldSpec, widget: QWidget) -> QLabel:
        """A caption over a full-width widget (lists that need the width more than a label column)."""
        caption = QLabel(spec.title)
        caption.setToolTip(field_tooltip(spec))
        caption.setBuddy(widget)
        self.form.addRow(caption)
        self.form.addRow(widget)
        return caption

    def clear_rows(self, keep: int = 0) -> None:
        """Remove every row after the first `keep` ones (the action's fields change with its type)."""
        while self.form.rowCount() > keep:
            # takeRow + deleteLater, not removeRow: the row being removed may be the one whose commit
            # triggered this refresh, still on the call stack.
            row = self.form.takeRow(self.form.rowCount() - 1)
            if row.labelItem is not None and row.labelItem.widget() in self.labels:
                self.labels.remove(row.labelItem.widget())  # type: ignore[arg-type]
            for item in (row.labelItem, row.fieldItem):
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()

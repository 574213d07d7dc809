"""The Problems panel: the validator's diagnostics, one row each; activating a row asks to go there."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QStackedWidget, QTreeWidget, QTreeWidgetItem, QWidget

from engine.diagnostics import Diagnostic, Severity
from studio.icons import dot_icon

__all__ = ["ProblemsPanel"]

SEVERITY_COLOURS = {Severity.ERROR: "#d1242f", Severity.WARNING: "#d4a72c", Severity.INFO: "#2f81f7"}
COLUMNS = ("Location", "Problem", "Code")
DIAGNOSTIC_ROLE = Qt.ItemDataRole.UserRole


class ProblemsPanel(QStackedWidget):
    """A table of diagnostics, or a friendly line when there are none."""

    activated = Signal(object)  # the Diagnostic of the clicked row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemClicked.connect(self._emit)
        self.tree.itemActivated.connect(self._emit)
        self.empty = QLabel("No problems: µTask would accept this template.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)  # drawn in the palette's disabled (muted) text colour
        self.addWidget(self.tree)
        self.addWidget(self.empty)
        self.setCurrentWidget(self.empty)

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.tree.clear()
        self.tree.addTopLevelItems([_row(diagnostic) for diagnostic in diagnostics])
        self.setCurrentWidget(self.tree if diagnostics else self.empty)

    def row_count(self) -> int:
        return self.tree.topLevelItemCount()

    def diagnostic(self, row: int) -> Diagnostic:
        return self.tree.topLevelItem(row).data(0, DIAGNOSTIC_ROLE)

    def _emit(self, item: QTreeWidgetItem, column: int = 0) -> None:
        self.activated.emit(item.data(0, DIAGNOSTIC_ROLE))


def _row(diagnostic: Diagnostic) -> QTreeWidgetItem:
    item = QTreeWidgetItem([f"{diagnostic.line}:{diagnostic.column}", diagnostic.full_message(), diagnostic.code])
    item.setIcon(0, dot_icon(QColor(SEVERITY_COLOURS[diagnostic.severity])))
    item.setData(0, DIAGNOSTIC_ROLE, diagnostic)
    item.setToolTip(1, f"{diagnostic.severity}: {diagnostic.full_message()}")
    item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item

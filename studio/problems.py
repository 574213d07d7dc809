"""The Problems panel: the session's diagnostics, one row each; activating a row navigates to the problem.

While the YAML does not parse, a banner on top says why (the rows below are the parse error itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QStackedWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from engine.diagnostics import Diagnostic, JsonPath
from studio.icons import severity_icon
from studio.session import DocumentSession

__all__ = ["COLUMNS", "ProblemsPanel", "step_of"]

COLUMNS = ("Problem", "Hint", "Step", "Location")
DIAGNOSTIC_ROLE = Qt.ItemDataRole.UserRole


def step_of(path: JsonPath) -> str | None:
    """The step a diagnostic is about: its path starts with ("steps", NAME)."""
    if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], str):
        return path[1]
    return None


class ProblemsPanel(QWidget):
    """A table of diagnostics, or a friendly line when there are none; see the module docstring."""

    activated = Signal(object)  # the Diagnostic of the clicked row (after session.navigate)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.banner = QLabel()
        self.banner.setObjectName("yamlBrokenBanner")
        self.banner.setWordWrap(True)
        self.banner.setContentsMargins(8, 4, 8, 4)
        self.banner.setStyleSheet("#yamlBrokenBanner { background: rgba(209, 36, 47, 0.14); }")
        self.banner.hide()
        self.tree = self._make_tree()
        self.empty = QLabel("No problems: µTask would accept this template.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)  # drawn in the palette's disabled (muted) text colour
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        self.stack.setCurrentWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack)

    def set_session(self, session: DocumentSession | None) -> None:
        if self.session is not None:
            self.session.diagnostics_changed.disconnect(self.set_diagnostics)
            self.session.reparsed.disconnect(self._update_banner)
        self.session = session
        if session is not None:
            session.diagnostics_changed.connect(self.set_diagnostics)
            session.reparsed.connect(self._update_banner)
        self.set_diagnostics(session.diagnostics if session is not None else ())
        self._update_banner()

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.tree.clear()
        self.tree.addTopLevelItems([_row(diagnostic) for diagnostic in diagnostics])
        self.stack.setCurrentWidget(self.tree if diagnostics else self.empty)
        self._update_banner()

    def row_count(self) -> int:
        return self.tree.topLevelItemCount()

    def diagnostic(self, row: int) -> Diagnostic:
        item = self.tree.topLevelItem(row)
        if item is None:
            raise IndexError(row)
        diagnostic: Diagnostic = item.data(0, DIAGNOSTIC_ROLE)
        return diagnostic

    def _make_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setColumnCount(len(COLUMNS))
        tree.setHeaderLabels(COLUMNS)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, 380)
        tree.itemClicked.connect(self._go)
        tree.itemActivated.connect(self._go)
        return tree

    def _go(self, item: QTreeWidgetItem, column: int = 0) -> None:
        diagnostic = item.data(0, DIAGNOSTIC_ROLE)
        if self.session is not None:
            self.session.navigate(diagnostic)
        self.activated.emit(diagnostic)

    def _update_banner(self, *_: object) -> None:
        error = self.session.document.parse_error if self.session is not None else None
        if error is None:
            self.banner.hide()
            return
        self.banner.setText(f"<b>The YAML does not parse</b> (line {error.line}, column {error.column}): "
                            f"{error.message}. The canvas shows the last version that did.")
        self.banner.show()


def _row(diagnostic: Diagnostic) -> QTreeWidgetItem:
    where = f"{Path(diagnostic.file).name}:{diagnostic.line}:{diagnostic.column}"
    item = QTreeWidgetItem([diagnostic.message, diagnostic.hint, step_of(diagnostic.path) or "", where])
    item.setIcon(0, severity_icon(str(diagnostic.severity)))
    item.setData(0, DIAGNOSTIC_ROLE, diagnostic)
    item.setToolTip(0, f"{diagnostic.severity}: {diagnostic.full_message()} [{diagnostic.code}]")
    item.setToolTip(1, diagnostic.hint)
    item.setToolTip(3, f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}")
    return item

"""Rename in place: a line edit over the card's name (double-click or F2). Enter renames (a refactoring
of every reference); a refused name keeps the editor open with the reason under it; Escape cancels."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit

from studio.canvas.node import StepNode

if TYPE_CHECKING:
    from studio.canvas.view import CanvasView

__all__ = ["RenameEditor"]

ERROR_STYLE = "QLabel { background: #fdecea; color: #a61b29; border: 1px solid #f1aeb5; border-radius: 4px;" \
              " padding: 2px 6px; }"


class RenameEditor(QLineEdit):
    def __init__(self, view: CanvasView) -> None:
        super().__init__(view.viewport())
        self.node: StepNode | None = None
        self.error = QLabel(view.viewport())
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.installEventFilter(self)
        self.hide()

    @property
    def view(self) -> CanvasView:
        viewport = self.parentWidget()  # not stored: see Minimap.view
        assert viewport is not None
        return cast("CanvasView", viewport.parentWidget())

    def start(self, node: StepNode) -> None:
        self.node = node
        self.setText(node.name)
        self.error.hide()
        self.place()
        self.show()
        self.setFocus()
        self.selectAll()

    def place(self) -> None:
        """Over the name, at the view's zoom (the editor stays readable when zoomed out)."""
        if self.node is None:
            return
        rect = self.view.mapFromScene(self.node.mapRectToScene(self.node.name_rect())).boundingRect()
        self.setGeometry(rect.x(), rect.y(), max(rect.width(), 160), max(rect.height(), self.sizeHint().height()))
        self.error.setFixedWidth(max(self.width(), 220))
        self.error.adjustSize()
        self.error.move(self.x(), self.y() + self.height() + 2)

    def commit(self) -> bool:
        """Rename; False (editor kept, reason shown) when the document refuses the name."""
        if self.node is None:
            return True
        old, new = self.node.name, self.text().strip()
        scene = self.view.template_scene()
        if not scene.editing.rename_step(old, new):
            self.error.setText(scene.editing.last_refusal)
            self.place()
            self.error.show()
            self.error.raise_()
            return False
        self.finish()
        return True

    def finish(self) -> None:
        self.node = None
        self.hide()
        self.error.hide()
        self.view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.commit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.finish()
                return True
        if watched is self and event.type() == QEvent.Type.FocusOut and self.isVisible() and self.node is not None:
            if self.text().strip() == self.node.name:
                self.finish()
        return super().eventFilter(watched, event)

"""Find step (Ctrl+F): a small search field over the canvas. Typing selects the steps whose name contains
the text (case-insensitive), dims the others and centres the first match; Enter goes to the next one,
Shift+Enter to the previous one, Escape closes it and restores the canvas."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton

from studio.canvas.node import StepNode

if TYPE_CHECKING:
    from studio.canvas.view import CanvasView

__all__ = ["FindBar"]

DIMMED = 0.25
MARGIN = 12


class FindBar(QFrame):
    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self.setObjectName("canvasFindBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find step…")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(200)
        self.count = QLabel(self)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 4, 4)
        layout.setSpacing(6)
        for widget in (self.field, self.count, close):
            layout.addWidget(widget)
        self.matches: list[StepNode] = []
        self.current = -1
        self.field.textChanged.connect(self.search)
        self.field.installEventFilter(self)
        self.hide()

    @property
    def view(self) -> CanvasView:
        return cast("CanvasView", self.parentWidget())  # not stored: see Minimap.view

    def open_bar(self) -> None:
        self.adjustSize()
        self.place()
        self.show()
        self.raise_()
        self.field.setFocus()
        self.field.selectAll()
        if self.field.text():
            self.search(self.field.text())

    def place(self) -> None:
        area = self.view.viewport().geometry()
        self.move(area.right() - self.width() - MARGIN, area.top() + MARGIN)

    def close_bar(self) -> None:
        self.hide()
        for node in self.view.steps():
            node.setOpacity(1.0)
        self.view.setFocus()

    def search(self, text: str) -> None:
        wanted = text.strip().lower()
        nodes = self.view.steps()
        self.matches = [node for node in nodes if wanted and wanted in node.name.lower()]
        matched = set(map(id, self.matches))
        for node in nodes:
            node.setOpacity(1.0 if not wanted or id(node) in matched else DIMMED)
        scene = self.view.template_scene()
        scene.select_steps(node.name for node in self.matches)
        self.current = -1
        self._show_count()
        if self.matches:
            self.step(1, select_only=False)

    def step(self, direction: int, select_only: bool = True) -> None:
        """Centre the next (or previous) match; Enter also makes it the only selected step."""
        if not self.matches:
            return
        self.current = (self.current + direction) % len(self.matches)
        node = self.matches[self.current]
        if select_only:
            self.view.template_scene().select_step(node.name)
        self.view.centre_on(node.centre())
        self._show_count()

    def _show_count(self) -> None:
        if not self.field.text().strip():
            self.count.setText("")
        elif not self.matches:
            self.count.setText("no match")
        else:
            self.count.setText(f"{self.current + 1}/{len(self.matches)}" if self.current >= 0 else
                               f"{len(self.matches)}")
        self.adjustSize()
        self.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.step(-1 if shift else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

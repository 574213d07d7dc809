"""The minimap: the whole graph in miniature in the canvas's bottom-right corner, with the visible part
framed. Clicking or dragging in it centres the canvas there.

Cards are drawn as plain rectangles from their positions (not by rendering the scene), so a 1,000-step
graph costs a few thousand rectangle fills, and redraws are coalesced to one per event-loop turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from studio.canvas.node import StepNode
from studio.theme import action_colour, canvas_colour, card_colour, mix

if TYPE_CHECKING:
    from studio.canvas.view import CanvasView

__all__ = ["Minimap"]

MAX_SIZE = (200, 150)
MIN_SIDE = 48
VIEWPORT_SHARE = 0.28  # never more than this of the viewport's width or height
MARGIN = 12
INSET = 6.0


class Minimap(QWidget):
    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self.resize(*MAX_SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Overview: click or drag to move around the graph")
        self._pending = QTimer(self, singleShot=True, interval=0)
        self._pending.timeout.connect(self._repaint)
        self.hide()  # until part of the graph is out of view

    @property
    def view(self) -> CanvasView:
        # Asked from Qt, not stored: a Python reference back to the parent would make a cycle that the
        # garbage collector may clear while Qt still delivers events to these widgets.
        return cast("CanvasView", self.parentWidget())

    def schedule_update(self) -> None:
        self._pending.start()

    def _repaint(self) -> None:
        """Shown only when part of the graph is out of view, sized to the graph's shape."""
        content = self.content()
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        wanted = not content.isEmpty() and not visible.contains(content)
        if wanted:
            self._fit_shape(content)
            self.place()
        self.setVisible(wanted)
        self.update()

    def _fit_shape(self, content: QRectF) -> None:
        area = self.view.viewport().size()
        width = min(MAX_SIZE[0], area.width() * VIEWPORT_SHARE)
        height = min(MAX_SIZE[1], area.height() * VIEWPORT_SHARE)
        ratio = content.width() / content.height()
        if width / height > ratio:
            width = max(height * ratio, MIN_SIDE)
        else:
            height = max(width / ratio, MIN_SIDE)
        self.resize(int(width), int(height))

    def place(self) -> None:
        """Bottom-right corner of the view's viewport."""
        area = self.view.viewport().geometry()
        self.move(area.right() - self.width() - MARGIN, area.bottom() - self.height() - MARGIN)

    def content(self) -> QRectF:
        scene = self.view.scene()
        return scene.itemsBoundingRect() if scene is not None else QRectF()

    def scale_and_origin(self) -> tuple[float, QPointF]:
        """Scene → minimap: a scale and the scene point drawn at the map's top-left inset."""
        content = self.content()
        inner = QRectF(self.rect()).adjusted(INSET, INSET, -INSET, -INSET)
        if content.isEmpty():
            return 1.0, content.topLeft()
        scale = min(inner.width() / content.width(), inner.height() / content.height())
        # Centred in the map.
        offset = QPointF((inner.width() / scale - content.width()) / 2, (inner.height() / scale - content.height()) / 2)
        return scale, content.topLeft() - offset

    def to_map(self, point: QPointF, mapping: tuple[float, QPointF] | None = None) -> QPointF:
        scale, origin = mapping or self.scale_and_origin()
        return (point - origin) * scale + QPointF(INSET, INSET)

    def to_scene(self, point: QPointF) -> QPointF:
        scale, origin = self.scale_and_origin()
        return (point - QPointF(INSET, INSET)) / scale + origin

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.view.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = mix(canvas_colour(palette), palette.color(QPalette.ColorRole.Text), 0.25)
        painter.setPen(QPen(frame, 1))
        painter.setBrush(card_colour(palette))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        mapping = self.scale_and_origin()  # once: it measures the whole scene
        painter.setPen(Qt.PenStyle.NoPen)
        for node in self.view.steps():
            rect = node.sceneBoundingRect()
            painter.setBrush(self._node_colour(node, palette))
            painter.drawRect(QRectF(self.to_map(rect.topLeft(), mapping), rect.size() * mapping[0]))
        self._paint_visible(painter, palette, mapping)

    def _node_colour(self, node: StepNode, palette: QPalette) -> object:
        if node.isSelected():
            return palette.color(QPalette.ColorRole.Highlight)
        return mix(action_colour(node.action_type), card_colour(palette), 0.35)

    def _paint_visible(self, painter: QPainter, palette: QPalette, mapping: tuple[float, QPointF]) -> None:
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        frame = QRectF(self.to_map(visible.topLeft(), mapping), self.to_map(visible.bottomRight(), mapping))
        highlight = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(highlight, 1.5))
        fill = mix(highlight, card_colour(palette), 0.85)
        fill.setAlphaF(0.35)
        painter.setBrush(fill)
        painter.drawRect(frame.intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1)))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.view.centerOn(self.to_scene(event.position()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.view.centerOn(self.to_scene(event.position()))
        event.accept()

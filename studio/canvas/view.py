"""The canvas view: antialiased, pans with the mouse, zooms with Ctrl+wheel, fits the graph when opened."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget

from studio.theme import canvas_colour, mix, muted_text

__all__ = ["CanvasView"]

MIN_ZOOM = 0.05
MAX_ZOOM = 3.0
ZOOM_STEP = 1.15
GRID = 24.0
# Fitting never magnifies: a 3-step template is shown at 100 %, not blown up.
MAX_FIT_ZOOM = 1.0
FIT_MARGIN = 20.0  # around the graph when fitting (the scene itself keeps a wider margin for panning)


class CanvasView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Panning is by dragging and the wheel; scroll bars would only frame the graph with clutter.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.placeholder = "Open a µTask template (Ctrl+O)"
        # Until the user zooms, resizing the window keeps the whole graph in view.
        self._auto_fit = True

    def zoom(self) -> float:
        return self.transform().m11()

    def fit_all(self) -> None:
        """Show the whole graph, centred, at most at 100 %; resizes keep it fitted until the user zooms."""
        self._auto_fit = True
        self._fit()

    def set_zoom(self, factor: float) -> None:
        self._auto_fit = False
        factor = min(max(factor, MIN_ZOOM), MAX_ZOOM)
        self.setTransform(self.transform().fromScale(factor, factor))
        self.zoom_changed.emit(factor)

    def zoom_by(self, ratio: float) -> None:
        self.set_zoom(self.zoom() * ratio)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP ** (event.angleDelta().y() / 120))
            event.accept()
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self._fit()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """A quiet dot grid on a background a shade off the cards' colour, in the palette's light or dark."""
        palette = self.palette()
        background = canvas_colour(palette)
        painter.fillRect(rect, background)
        if self.zoom() < 0.4:
            return
        painter.setPen(mix(background, palette.color(QPalette.ColorRole.Text), 0.16))
        left, top = int(rect.left() // GRID) * GRID, int(rect.top() // GRID) * GRID
        points = [QPointF(left + i * GRID, top + j * GRID)
                  for i in range(int(rect.width() // GRID) + 2) for j in range(int(rect.height() // GRID) + 2)]
        painter.drawPoints(points)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.scene() is not None and not self.scene().items():
            painter.resetTransform()
            painter.setPen(muted_text(self.palette()))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)

    def _fit(self) -> None:
        scene = self.scene()
        if scene is None or not scene.items():
            return
        content = scene.itemsBoundingRect().adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        self.fitInView(content, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > MAX_FIT_ZOOM:
            self.setTransform(self.transform().fromScale(MAX_FIT_ZOOM, MAX_FIT_ZOOM))
        self.centerOn(content.center())
        self.zoom_changed.emit(self.zoom())

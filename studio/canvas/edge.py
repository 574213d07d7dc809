"""A dependency on the canvas: a Bézier arrow from the step depended on to the step that waits for it.

Qualified dependencies (`step:STATE`) carry the states as a label; `ANY` is dashed, like µTask's WAIT.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from studio.canvas.chips import chip_size, node_fonts, paint_chip
from studio.canvas.geometry import Route, smooth_route
from studio.canvas.layout import RANK_GAP
from studio.canvas.node import StepNode
from studio.theme import is_dark, mix, state_colour

__all__ = ["DependencyEdge"]

ARROW_LENGTH = 10.0
ARROW_WIDTH = 8.0
LINE_WIDTH = 1.6
LOOP_REACH = 34.0  # how far a self-dependency loop sticks out of the card
LABEL_DEPTH = 0.6  # where labels sit in the gap under the source, from its top (0) to its bottom (1)


class DependencyEdge(QGraphicsItem):
    """Drawn in scene coordinates (the item sits at the origin), below the nodes."""

    def __init__(self, source: StepNode, target: StepNode, states: tuple[str, ...] = (),
                 route: Route | None = None) -> None:
        super().__init__()
        self.source = source
        self.target = target
        self.states = states  # empty for a plain dependency (DONE)
        source.edges.append(self)
        if target is not source:
            target.edges.append(self)
        self.setZValue(0)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)  # selected + Delete: disconnect
        self._font = node_fonts(QGuiApplication.font()).chip
        self._set_route(route)

    @property
    def key(self) -> tuple[str, str]:
        """(dependency, dependent): the step depended on and the step that waits."""
        return self.source.name, self.target.name

    def reroute(self, route: Route | None = None) -> None:
        """Follow the cards after a move (a layout's route is only kept while they stay where it put them)."""
        self.prepareGeometryChange()
        self._set_route(route)
        self.update()

    def detach(self) -> None:
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def _set_route(self, route: Route | None) -> None:
        self._path = self._build_path(route)
        self._arrow = _arrow_head(self._path)
        self._label_rect = self._place_label()
        rect = self._path.boundingRect().united(self._arrow.boundingRect()).united(self._label_rect)
        # Wide enough for the selected (thicker) line; computed once per route, asked for constantly.
        self._bounds = rect.adjusted(-2 * LINE_WIDTH, -2 * LINE_WIDTH, 2 * LINE_WIDTH, 2 * LINE_WIDTH)

    @property
    def label(self) -> str:
        return ",".join(self.states)

    def path(self) -> QPainterPath:
        return QPainterPath(self._path)

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        return stroker.createStroke(self._path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        palette = self.scene().palette()
        colour = self._colour(palette)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour, LINE_WIDTH * (2.2 if self.isSelected() else 1.5 if self._highlighted() else 1))
        if self.states[:1] == ("ANY",):
            pen.setDashPattern([4, 3])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._arrow)
        if self.states:
            paint_chip(painter, self._label_rect, self.label, self._accent(), palette, self._font)

    def _highlighted(self) -> bool:
        return self.isSelected() or self.source.isSelected() or self.target.isSelected()

    def _accent(self) -> QColor:
        """The colour of the first state that isn't DONE (µTask's state palette)."""
        return state_colour(next((state for state in self.states if state != "DONE"), "DONE"))

    def _colour(self, palette: QPalette) -> QColor:
        if self._highlighted():
            return palette.color(QPalette.ColorRole.Highlight)
        if self.states:  # µTask's state colours are made for light pages: lift them on dark ones
            return mix(self._accent(), QColor("white"), 0.3) if is_dark(palette) else self._accent()
        return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.5)

    def _build_path(self, route: Route | None) -> QPainterPath:
        if self.source is self.target:
            return self._loop_path()
        points = route or self._default_route()
        path = QPainterPath(QPointF(*points[0]))
        for index in range(1, len(points) - 2, 3):
            path.cubicTo(QPointF(*points[index]), QPointF(*points[index + 1]), QPointF(*points[index + 2]))
        return path

    def _default_route(self) -> Route:
        """Bottom of the source to the top of the target, for edges the layout did not route."""
        source = self.source.mapRectToScene(self.source.card())
        target = self.target.mapRectToScene(self.target.card())
        if target.top() >= source.bottom():
            points = [(source.center().x(), source.bottom()), (target.center().x(), target.top())]
        else:  # the target is above (a cycle): leave from the top, arrive at the bottom
            points = [(source.center().x(), source.top()), (target.center().x(), target.bottom())]
        return smooth_route(points)

    def _loop_path(self) -> QPainterPath:
        """A step that depends on itself: a loop on the card's right side (an error the Problems panel explains)."""
        card = self.source.mapRectToScene(self.source.card())
        start, end = QPointF(card.right(), card.center().y() - 10), QPointF(card.right(), card.center().y() + 10)
        path = QPainterPath(start)
        path.cubicTo(start + QPointF(LOOP_REACH, -18), end + QPointF(LOOP_REACH, 18), end)
        return path

    def _place_label(self) -> QRectF:
        """Centred on the line in the gap below the source, clear of every card; a bit past the middle of the gap,
        where edges fanning out of one step have already parted."""
        if not self.states:
            return QRectF()
        size = chip_size(self.label, self._font)
        wanted = self.source.mapRectToScene(self.source.card()).bottom() + RANK_GAP * LABEL_DEPTH
        anchor = min((self._path.pointAtPercent(step / 64) for step in range(65)), key=lambda p: abs(p.y() - wanted))
        if self.source is self.target:
            anchor = self._path.pointAtPercent(0.5) + QPointF(size.width() / 2 + 4, 0)
        return QRectF(anchor.x() - size.width() / 2, anchor.y() - size.height() / 2, size.width(), size.height())


def _arrow_head(path: QPainterPath) -> QPolygonF:
    """A filled triangle whose tip is the end of `path`, pointing along its last direction."""
    tip = path.pointAtPercent(1.0)
    angle = math.radians(path.angleAtPercent(1.0))
    direction = QPointF(math.cos(angle), -math.sin(angle))  # Qt's angles turn counter-clockwise, y points down
    normal = QPointF(-direction.y(), direction.x())
    back = tip - direction * ARROW_LENGTH
    return QPolygonF([tip, back + normal * (ARROW_WIDTH / 2), back - normal * (ARROW_WIDTH / 2)])

"""Icons from resources/: the application icon, the action-type glyphs drawn on step nodes and in the palette,
and the small marks of the Problems panel."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

from resources import resource_path
from studio.theme import action_colour, action_icon_name

__all__ = ["action_icon", "action_renderer", "app_icon", "dot_icon", "severity_icon", "tool_icon"]

SEVERITY_COLOURS = {"error": "#d1242f", "warning": "#bf8700", "info": "#2f81f7"}


@cache
def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons/app.svg")))


@cache
def action_renderer(action_type: str) -> QSvgRenderer:
    """A vector renderer for the action's glyph (white strokes), shared by every node of that type."""
    return QSvgRenderer(str(resource_path(f"icons/actions/{action_icon_name(action_type)}.svg")))


def _canvas(size: int) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so it stays crisp on high-DPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


@cache
def action_icon(action_type: str, size: int = 20) -> QIcon:
    """The node badge in small: the action's glyph on a rounded square of its family colour."""
    pixmap, painter = _canvas(size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(action_colour(action_type))
    badge = QRectF(0.5, 0.5, size - 1, size - 1)
    painter.drawRoundedRect(badge, size * 0.24, size * 0.24)
    inset = size * 0.2
    action_renderer(action_type).render(painter, badge.adjusted(inset, inset, -inset, -inset))
    painter.end()
    return QIcon(pixmap)


def dot_icon(colour: QColor, size: int = 12) -> QIcon:
    """A filled circle, without depending on the style's icon set."""
    pixmap, painter = _canvas(size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3))
    painter.end()
    return QIcon(pixmap)


@cache
def severity_icon(severity: str, size: int = 14) -> QIcon:
    """Error: a red disc with a cross; warning: an amber triangle with `!`; info: a blue disc with `i`."""
    pixmap, painter = _canvas(size)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS["info"])))
    box = QRectF(1, 1, size - 2, size - 2)
    if severity == "warning":
        painter.drawPolygon([box.bottomLeft(), box.bottomRight(), QPointF(box.center().x(), box.top())])
    else:
        painter.drawEllipse(box)
    painter.setPen(QPen(QColor("white"), size / 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    _draw_mark(painter, severity, box)
    painter.end()
    return QIcon(pixmap)


def _draw_mark(painter: QPainter, severity: str, box: QRectF) -> None:
    cx, cy, unit = box.center().x(), box.center().y(), box.width() / 10
    if severity == "error":
        reach = 2.2 * unit
        painter.drawLine(QPointF(cx - reach, cy - reach), QPointF(cx + reach, cy + reach))
        painter.drawLine(QPointF(cx + reach, cy - reach), QPointF(cx - reach, cy + reach))
    elif severity == "warning":
        painter.drawLine(QPointF(cx, cy - 1 * unit), QPointF(cx, cy + 1.8 * unit))
        painter.drawPoint(QPointF(cx, cy + 3.6 * unit))
    else:
        painter.drawLine(QPointF(cx, cy - 0.5 * unit), QPointF(cx, cy + 2.6 * unit))
        painter.drawPoint(QPointF(cx, cy - 2.6 * unit))


def tool_icon(name: str, colour: QColor, size: int = 20) -> QIcon:
    """Line icons of the toolbar drawn in `colour` (the palette's button text): "undo", "redo", "yaml", "fit"."""
    icon = QIcon()
    for mode, alpha in ((QIcon.Mode.Normal, 1.0), (QIcon.Mode.Disabled, 0.35)):
        pixmap, painter = _canvas(size)
        pen_colour = QColor(colour)
        pen_colour.setAlphaF(alpha)
        painter.setPen(QPen(pen_colour, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        _TOOL_DRAWINGS[name](painter, size / 20)
        painter.end()
        icon.addPixmap(pixmap, mode)
    return icon


def _draw_undo(painter: QPainter, unit: float, mirrored: bool = False) -> None:
    if mirrored:
        painter.translate(20 * unit, 0)
        painter.scale(-1, 1)
    path = QPainterPath(QPointF(5 * unit, 8 * unit))
    path.lineTo(12 * unit, 8 * unit)
    path.cubicTo(18 * unit, 8 * unit, 18 * unit, 16 * unit, 12 * unit, 16 * unit)
    path.lineTo(8 * unit, 16 * unit)
    painter.drawPath(path)
    painter.drawPolyline([QPointF(8 * unit, 4.5 * unit), QPointF(4.5 * unit, 8 * unit), QPointF(8 * unit, 11.5 * unit)])


def _draw_yaml(painter: QPainter, unit: float) -> None:
    """A document with code lines: the YAML pane."""
    painter.drawRoundedRect(QRectF(3.5 * unit, 3 * unit, 13 * unit, 14 * unit), 2 * unit, 2 * unit)
    for row, (start, end) in enumerate(((6.5, 11), (8.5, 13.5), (8.5, 12), (6.5, 10))):
        y = (6.5 + row * 2.4) * unit
        painter.drawLine(QPointF(start * unit, y), QPointF(end * unit, y))


def _draw_fit(painter: QPainter, unit: float) -> None:
    """Four corners around the graph: fit it in the view."""
    for x, y, dx, dy in ((3, 3, 1, 1), (17, 3, -1, 1), (3, 17, 1, -1), (17, 17, -1, -1)):
        corner = QPointF(x * unit, y * unit)
        painter.drawPolyline([corner + QPointF(0, 4 * dy * unit), corner, corner + QPointF(4 * dx * unit, 0)])
    painter.drawRoundedRect(QRectF(7.5 * unit, 7.5 * unit, 5 * unit, 5 * unit), unit, unit)


_TOOL_DRAWINGS = {
    "undo": _draw_undo,
    "redo": lambda painter, unit: _draw_undo(painter, unit, mirrored=True),
    "yaml": _draw_yaml,
    "fit": _draw_fit,
}

"""Icons from resources/: the application icon and the action-type glyphs drawn on step nodes."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from resources import resource_path
from studio.theme import action_icon_name

__all__ = ["action_renderer", "app_icon", "dot_icon"]


@cache
def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons/app.svg")))


@cache
def action_renderer(action_type: str) -> QSvgRenderer:
    """A vector renderer for the action's glyph (white strokes), shared by every node of that type."""
    return QSvgRenderer(str(resource_path(f"icons/actions/{action_icon_name(action_type)}.svg")))


def dot_icon(colour: QColor, size: int = 12) -> QIcon:
    """A filled circle: severities in the Problems panel, without depending on the style's icon set."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so it stays crisp on high-DPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3))
    painter.end()
    return QIcon(pixmap)

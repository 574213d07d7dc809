"""Things painted over the canvas in viewport coordinates: the stale-graph banner, a transient notice
(a refused gesture) and the run-state legend."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen

from studio.canvas.run_state import LEGEND_STATES, run_colour
from studio.theme import card_colour, is_dark, mix

__all__ = ["STALE_TEXT", "paint_banner", "paint_legend"]

STALE_TEXT = "YAML has errors — showing the last valid graph"
WARNING_ACCENT = "#b7791f"
REFUSED_ACCENT = "#dc3545"
PADDING_X, PADDING_Y = 12.0, 6.0


def paint_banner(painter: QPainter, rect: QRectF, text: str, accent: str, palette: QPalette, font: QFont) -> None:
    """A rounded, tinted pill filling `rect`, with a dot in `accent` before the text."""
    metrics = QFontMetricsF(font)
    colour = QColor(accent)
    background = mix(card_colour(palette), colour, 0.28 if is_dark(palette) else 0.12)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(mix(background, colour, 0.5), 1))
    painter.setBrush(background)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(QPointF(rect.left() + PADDING_X + 3, rect.center().y()), 4, 4)
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    text_rect = rect.adjusted(PADDING_X + 12, 0, -PADDING_X, 0)
    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)


def paint_legend(painter: QPainter, viewport: QRectF, palette: QPalette, font: QFont) -> QRectF:
    """µTask's state colours, one swatch each, in a small card at the top-left of the viewport."""
    metrics = QFontMetricsF(font)
    row = metrics.height() + 4
    width = max(metrics.horizontalAdvance(state) for state in LEGEND_STATES) + 34
    rect = QRectF(viewport.left() + 10, viewport.top() + 10, width, row * len(LEGEND_STATES) + 12)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(mix(card_colour(palette), palette.color(QPalette.ColorRole.Text), 0.2), 1))
    painter.setBrush(card_colour(palette))
    painter.drawRoundedRect(rect, 6, 6)
    painter.setFont(font)
    for index, state in enumerate(LEGEND_STATES):
        top = rect.top() + 6 + index * row
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(run_colour(state)))
        painter.drawRoundedRect(QRectF(rect.left() + 10, top + row / 2 - 5, 10, 10), 3, 3)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(QRectF(rect.left() + 28, top, width - 30, row), Qt.AlignmentFlag.AlignVCenter, state)
    return rect

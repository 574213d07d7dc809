"""Fonts of the cards and the rounded "chips" (custom states, foreach, edge qualifiers, run state)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen

from studio.theme import mix, tinted

__all__ = ["NodeFonts", "chip_size", "node_fonts", "paint_chip"]


@dataclass(frozen=True, slots=True)
class NodeFonts:
    name: QFont
    detail: QFont
    description: QFont
    chip: QFont


@cache
def node_fonts(base: QFont) -> NodeFonts:
    """The fonts of cards and chips, derived from the application font (one set per font, shared)."""
    def sized(scale: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
        font = QFont(base)
        font.setPointSizeF(base.pointSizeF() * scale)
        font.setWeight(weight)
        return font

    return NodeFonts(sized(1.08, QFont.Weight.DemiBold), sized(0.9), sized(0.95), sized(0.8, QFont.Weight.DemiBold))


def chip_size(text: str, font: QFont) -> QSizeF:
    metrics = QFontMetricsF(font)
    return QSizeF(metrics.horizontalAdvance(text) + 12, metrics.height() + 3)


def paint_chip(painter: QPainter, rect: QRectF, text: str, accent: QColor, palette: QPalette, font: QFont,
               solid: bool = False) -> None:
    """A rounded pill with `text`, tinted with `accent` (or filled with it, white text, when `solid`)."""
    if solid:
        background, foreground = accent, QColor("white")
    else:
        background, foreground = tinted(accent, palette)
    painter.setPen(QPen(mix(background, accent, 0.45), 1))
    painter.setBrush(background)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setFont(font)
    painter.setPen(foreground)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

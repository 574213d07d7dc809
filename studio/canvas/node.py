"""A step on the canvas: a card with the action's glyph, the step name, its type, description and badges."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from engine.model.template import Step
from studio.icons import action_renderer
from studio.theme import action_colour, card_colour, mix, muted_text, state_colour, tinted

if TYPE_CHECKING:
    from studio.canvas.edge import DependencyEdge

__all__ = ["NodeFonts", "StepNode", "chip_size", "node_fonts", "paint_chip"]

WIDTH = 232.0
PADDING = 10.0
BADGE = 30.0
RADIUS = 8.0
TEXT_LEFT = PADDING + BADGE + 9
MIN_TYPE_WIDTH = 44.0  # the chips never squeeze the action type below this
FOREACH_COLOUR = "#0e7490"
MORE_COLOUR = "#6b7280"
STACK_OFFSET = 4.0  # foreach steps look like a small stack of cards
CHIP_GAP = 4.0
# Below this zoom text is unreadable anyway: draw plain cards (keeps 1,000-step graphs fluid).
DETAIL_ZOOM = 0.35


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


def paint_chip(painter: QPainter, rect: QRectF, text: str, accent: QColor, palette: QPalette, font: QFont) -> None:
    """A rounded pill with `text`, tinted with `accent` (custom states, foreach, edge qualifiers)."""
    background, foreground = tinted(accent, palette)
    painter.setPen(QPen(mix(background, accent, 0.45), 1))
    painter.setBrush(background)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setFont(font)
    painter.setPen(foreground)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class StepNode(QGraphicsItem):
    """One step of the template; selectable, not editable yet (the document model will drive edits)."""

    def __init__(self, name: str, step: Step) -> None:
        super().__init__()
        self.name = name
        self.action_type = step.action.type if step.action is not None else ""
        self.description = step.description
        self.foreach = bool(step.foreach)
        self.custom_states = list(step.custom_states)
        self.edges: list[DependencyEdge] = []
        self._fonts = node_fonts(QGuiApplication.font())
        self._size = QSizeF(WIDTH, self._height())
        self._hovered = False
        self._chips = self._layout_chips()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.setToolTip(self._tooltip())

    def size(self) -> tuple[float, float]:
        return self._size.width(), self._size.height()

    def card(self) -> QRectF:
        """The card in item coordinates (the item's position is the card's top-left corner)."""
        return QRectF(QPointF(0, 0), self._size)

    def boundingRect(self) -> QRectF:
        stack = STACK_OFFSET * 2 if self.foreach else 0
        return self.card().adjusted(-3, -3, 3 + stack, 4 + stack)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            for edge in self.edges:  # edges of the selected step are drawn highlighted
                edge.update()
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = False
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        palette = self.scene().palette()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_card(painter, palette)
        self._paint_badge(painter)
        if option.levelOfDetailFromTransform(painter.worldTransform()) >= DETAIL_ZOOM:
            self._paint_texts(painter, palette)
            self._paint_chips(painter, palette)

    def _height(self) -> float:
        name, detail, description = (QFontMetricsF(f).height() for f in (
            self._fonts.name, self._fonts.detail, self._fonts.description))
        return round(PADDING * 2 + max(BADGE, name + detail) + 6 + description)

    def _tooltip(self) -> str:
        """Rich text (Qt renders tooltips as HTML), so every piece of the template is escaped."""
        lines = [f"<b>{escape(self.name)}</b> — {escape(self.action_type or 'no action')}"]
        if self.description:
            lines.append(escape(self.description))
        if self.foreach:
            lines.append("<i>Runs once per item (foreach)</i>")
        if self.custom_states:
            lines.append("Custom states: " + escape(", ".join(self.custom_states)))
        return "<br>".join(lines)

    def _paint_card(self, painter: QPainter, palette: QPalette) -> None:
        base = card_colour(palette)
        border = mix(base, palette.color(QPalette.ColorRole.Text), 0.2)
        card = self.card()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 22))  # soft drop shadow, cheaper than a QGraphicsEffect
        painter.drawRoundedRect(card.translated(0, 2), RADIUS, RADIUS)
        painter.setPen(QPen(border, 1))
        painter.setBrush(base)
        for depth in (2, 1) if self.foreach else ():
            offset = STACK_OFFSET * depth
            painter.drawRoundedRect(card.translated(offset, offset), RADIUS, RADIUS)
        painter.setPen(self._outline(palette, border))
        painter.drawRoundedRect(card, RADIUS, RADIUS)

    def _outline(self, palette: QPalette, border: QColor) -> QPen:
        highlight = palette.color(QPalette.ColorRole.Highlight)
        if self.isSelected():
            return QPen(highlight, 2.5)
        return QPen(mix(border, highlight, 0.6), 1.5) if self._hovered else QPen(border, 1)

    def _paint_badge(self, painter: QPainter) -> None:
        badge = QRectF(PADDING, PADDING, BADGE, BADGE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(action_colour(self.action_type))
        painter.drawRoundedRect(badge, 7, 7)
        action_renderer(self.action_type).render(painter, badge.adjusted(6, 6, -6, -6))

    def _paint_texts(self, painter: QPainter, palette: QPalette) -> None:
        left = TEXT_LEFT
        width = WIDTH - left - PADDING
        name_height = QFontMetricsF(self._fonts.name).height()
        self._text(painter, QRectF(left, PADDING - 1, width, name_height), self.name, self._fonts.name,
                   palette.color(QPalette.ColorRole.Text))
        detail = QRectF(left, PADDING - 1 + name_height, self._detail_width(width), BADGE + 2 - name_height)
        self._text(painter, detail, self.action_type or "no action", self._fonts.detail, muted_text(palette))
        top = PADDING + max(BADGE, name_height + QFontMetricsF(self._fonts.detail).height()) + 6
        line = QRectF(PADDING, top, WIDTH - 2 * PADDING, QFontMetricsF(self._fonts.description).height())
        self._text(painter, line, self.description, self._fonts.description, muted_text(palette))

    @staticmethod
    def _text(painter: QPainter, rect: QRectF, text: str, font: QFont, colour: QColor) -> None:
        painter.setFont(font)
        painter.setPen(colour)
        elided = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)

    def _detail_width(self, available: float) -> float:
        """What the action type may use of the second row once the chips have taken theirs."""
        return max(available - sum(rect.width() + CHIP_GAP for rect, _, _ in self._chips), MIN_TYPE_WIDTH)

    def _layout_chips(self) -> list[tuple[QRectF, str, QColor]]:
        """Chips right-aligned on the type row: foreach, then custom states, then "+N" for what doesn't fit."""
        chips = [("foreach", QColor(FOREACH_COLOUR))] if self.foreach else []
        chips += [(state, state_colour(state)) for state in self.custom_states]
        kept = self._fitting(chips, WIDTH - PADDING - TEXT_LEFT - MIN_TYPE_WIDTH)
        right, centre = WIDTH - PADDING, PADDING + BADGE * 0.78
        placed = []
        for text, colour in reversed(kept):
            size = chip_size(text, self._fonts.chip)
            placed.append((QRectF(right - size.width(), centre - size.height() / 2, size.width(), size.height()),
                           text, colour))
            right -= size.width() + CHIP_GAP
        return placed

    def _fitting(self, chips: list[tuple[str, QColor]], room: float) -> list[tuple[str, QColor]]:
        def width(candidate: list[tuple[str, QColor]]) -> float:
            return sum(chip_size(text, self._fonts.chip).width() + CHIP_GAP for text, _ in candidate)

        for count in range(len(chips), -1, -1):
            more = [(f"+{len(chips) - count}", QColor(MORE_COLOUR))] if count < len(chips) else []
            if count == 0 or width(chips[:count] + more) <= room:
                return chips[:count] + more
        return []

    def _paint_chips(self, painter: QPainter, palette: QPalette) -> None:
        for rect, text, colour in self._chips:
            paint_chip(painter, rect, text, colour, palette, self._fonts.chip)

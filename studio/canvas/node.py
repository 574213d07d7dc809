"""A step on the canvas: a card with the action's glyph, the step name, its type, description and badges,
an output port (drag from it to connect), a problem badge and, during a run, the step's state."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from engine.model.template import Step
from studio.canvas.chips import NodeFonts, chip_size, node_fonts, paint_chip
from studio.canvas.run_paint import STRIP_WIDTH, paint_run_card, run_chips, run_tooltip
from studio.canvas.run_state import StepRunView, run_colour
from studio.canvas.step_info import StepInfo
from studio.icons import action_renderer
from studio.theme import action_colour, card_colour, mix, muted_text, state_colour

if TYPE_CHECKING:
    from studio.canvas.edge import DependencyEdge

__all__ = ["WIDTH", "NodeFonts", "StepNode", "card_height", "chip_size", "node_fonts", "paint_chip"]

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
PORT_RADIUS = 5.0
PORT_GRAB = 9.0  # the port is easier to grab than it looks
PROBLEM_RADIUS = 8.0
PROBLEM_COLOURS = {"error": "#dc3545", "warning": "#e0a800"}
# Below this zoom text is unreadable anyway: draw plain cards (keeps 1,000-step graphs fluid).
DETAIL_ZOOM = 0.35


def card_height() -> float:
    """The height of every card (three rows of text beside the glyph), in the application font."""
    fonts = node_fonts(QGuiApplication.font())
    name, detail, description = (QFontMetricsF(f).height() for f in (fonts.name, fonts.detail, fonts.description))
    return round(PADDING * 2 + max(BADGE, name + detail) + 6 + description)


class StepNode(QGraphicsItem):
    """One step of the template. It changes nothing by itself: the scene turns gestures into edits."""

    def __init__(self, name: str, step: Step | StepInfo) -> None:
        super().__init__()
        self.name = name
        self.edges: list[DependencyEdge] = []
        self.problem: str | None = None  # "error" / "warning" when diagnostics point into this step
        self.problem_messages: list[str] = []
        self.run_view: StepRunView | None = None
        self.pulse = 0.0  # RUNNING cards fade their border with the scene's pulse (0..1)
        self.link_hint: str | None = None  # while a connection is dragged over it: "ok" or "refused"
        self._fonts = node_fonts(QGuiApplication.font())
        self._hovered = False
        self._apply_info(step if isinstance(step, StepInfo) else StepInfo.from_step(step))
        self._size = QSizeF(WIDTH, card_height())
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        # Cards are costly to draw (text, SVG glyph): cached as pixmaps, redrawn only when they change.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.setToolTip(self._tooltip())

    # -- what the card shows ---------------------------------------------------------------------------

    @property
    def info(self) -> StepInfo:
        return StepInfo(self.action_type, self.description, self.foreach, tuple(self.custom_states))

    def set_info(self, info: StepInfo) -> None:
        if info == self.info:
            return
        self.prepareGeometryChange()  # a foreach card's stack makes it bigger
        self._apply_info(info)
        self._refresh()

    def set_name(self, name: str) -> None:
        self.name = name
        self._refresh()

    def set_problems(self, severity: str | None, messages: list[str]) -> None:
        if (severity, messages) != (self.problem, self.problem_messages):
            self.problem, self.problem_messages = severity, messages
            self._refresh()

    def set_link_hint(self, hint: str | None) -> None:
        if hint != self.link_hint:
            self.link_hint = hint
            self.update()

    def set_run_view(self, view: StepRunView | None) -> None:
        if view != self.run_view:
            self.run_view = view
            self._refresh()

    def _apply_info(self, info: StepInfo) -> None:
        self.action_type = info.action_type
        self.description = info.description
        self.foreach = info.foreach
        self.custom_states = list(info.custom_states)
        self._chips = self._layout_chips()

    def _refresh(self) -> None:
        self.setToolTip(self._tooltip())
        self.update()

    # -- geometry ------------------------------------------------------------------------------------

    def size(self) -> tuple[float, float]:
        return self._size.width(), self._size.height()

    def card(self) -> QRectF:
        """The card in item coordinates (the item's position is the card's top-left corner)."""
        return QRectF(QPointF(0, 0), self._size)

    def centre(self) -> QPointF:
        return self.mapToScene(self.card().center())

    def name_rect(self) -> QRectF:
        """Where the name is written, in item coordinates (the in-place rename editor goes there)."""
        return QRectF(TEXT_LEFT - 3, PADDING - 3, WIDTH - TEXT_LEFT - PADDING + 3,
                      QFontMetricsF(self._fonts.name).height() + 4)

    def port_centre(self) -> QPointF:
        """The output port, in item coordinates: the middle of the card's bottom edge."""
        return QPointF(self._size.width() / 2, self._size.height())

    def port_hit(self, scene_pos: QPointF) -> bool:
        delta = self.mapFromScene(scene_pos) - self.port_centre()
        return delta.x() ** 2 + delta.y() ** 2 <= PORT_GRAB ** 2

    def boundingRect(self) -> QRectF:
        stack = STACK_OFFSET * 2 if self.foreach else 0
        return self.card().adjusted(-3, -PROBLEM_RADIUS, PROBLEM_RADIUS, PORT_RADIUS + 2 + stack)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            for edge in self.edges:  # edges of the selected step are drawn highlighted
                edge.update()
        elif change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:  # a moved card takes its arrows along
                edge.reroute()
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = False
        self.update()

    # -- painting ------------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        palette = self.scene().palette()
        if option.levelOfDetailFromTransform(painter.worldTransform()) < DETAIL_ZOOM:
            self._paint_overview(painter, palette)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_card(painter, palette)
        self._paint_badge(painter)
        self._paint_texts(painter, palette)
        self._paint_chips(painter, palette)
        self._paint_port(painter, palette)
        if self.problem is not None:
            self._paint_problem(painter)

    def _paint_overview(self, painter: QPainter, palette: QPalette) -> None:
        """Zoomed far out: a plain block in the action's (or run state's) colour, no text nor glyph."""
        colour = QColor(run_colour(self.run_view.state)) if self.run_view is not None else mix(
            action_colour(self.action_type), card_colour(palette), 0.3)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 6) if self.isSelected() else Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRect(self.card())
        if self.problem is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(PROBLEM_COLOURS.get(self.problem, "#dc3545")))
            painter.drawRect(QRectF(self._size.width() - 40, 0, 40, 40))

    def _tooltip(self) -> str:
        """Rich text (Qt renders tooltips as HTML), so every piece of the template is escaped."""
        lines = [f"<b>{escape(self.name)}</b> — {escape(self.action_type or 'no action')}"]
        if self.description:
            lines.append(escape(self.description))
        if self.foreach:
            lines.append("<i>Runs once per item (foreach)</i>")
        if self.custom_states:
            lines.append("Custom states: " + escape(", ".join(self.custom_states)))
        colour = PROBLEM_COLOURS.get(self.problem or "", "")
        lines += [f"<span style='color:{colour}'>⚠ {escape(message)}</span>" for message in self.problem_messages]
        if self.run_view is not None:
            lines += run_tooltip(self.run_view)
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
        if self.run_view is not None:
            paint_run_card(painter, card, RADIUS, self.run_view, palette, self.pulse)
        else:
            painter.drawRoundedRect(card, RADIUS, RADIUS)
        if self.isSelected() or self._hovered or self.link_hint is not None:
            painter.setPen(self._outline(palette, border))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(card, RADIUS, RADIUS)

    def _outline(self, palette: QPalette, border: QColor) -> QPen:
        highlight = palette.color(QPalette.ColorRole.Highlight)
        if self.link_hint is not None:
            return QPen(QColor(PROBLEM_COLOURS["error"]) if self.link_hint == "refused" else highlight, 3)
        if self.isSelected():
            return QPen(highlight, 2.5)
        return QPen(mix(border, highlight, 0.6), 1.5)

    def _paint_badge(self, painter: QPainter) -> None:
        badge = QRectF(PADDING + self._inset(), PADDING, BADGE, BADGE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(action_colour(self.action_type))
        painter.drawRoundedRect(badge, 7, 7)
        action_renderer(self.action_type).render(painter, badge.adjusted(6, 6, -6, -6))

    def _inset(self) -> float:
        """Room left of the content for the run state's strip."""
        return STRIP_WIDTH - 3 if self.run_view is not None else 0.0

    def _paint_texts(self, painter: QPainter, palette: QPalette) -> None:
        left = TEXT_LEFT + self._inset()
        width = WIDTH - left - PADDING - (PROBLEM_RADIUS if self.problem else 0)
        name_height = QFontMetricsF(self._fonts.name).height()
        self._text(painter, QRectF(left, PADDING - 1, width, name_height), self.name, self._fonts.name,
                   palette.color(QPalette.ColorRole.Text))
        detail = QRectF(left, PADDING - 1 + name_height, self._detail_width(width), BADGE + 2 - name_height)
        self._text(painter, detail, self.action_type or "no action", self._fonts.detail, muted_text(palette))
        line = self._description_row()
        used = self._paint_run_chips(painter, palette, line) if self.run_view is not None else 0.0
        line.setLeft(line.left() + self._inset())
        line.setRight(line.right() - used)
        self._text(painter, line, self.description, self._fonts.description, muted_text(palette))

    def _description_row(self) -> QRectF:
        name_height = QFontMetricsF(self._fonts.name).height()
        top = PADDING + max(BADGE, name_height + QFontMetricsF(self._fonts.detail).height()) + 6
        return QRectF(PADDING, top, WIDTH - 2 * PADDING, QFontMetricsF(self._fonts.description).height())

    def _paint_run_chips(self, painter: QPainter, palette: QPalette, row: QRectF) -> float:
        """Right-aligned on the description row; returns the width they took."""
        assert self.run_view is not None
        right = row.right()
        for text, colour, solid in reversed(run_chips(self.run_view)):
            size = chip_size(text, self._fonts.chip)
            rect = QRectF(right - size.width(), row.center().y() - size.height() / 2, size.width(), size.height())
            paint_chip(painter, rect, text, colour, palette, self._fonts.chip, solid)
            right -= size.width() + CHIP_GAP
        return row.right() - right

    @staticmethod
    def _text(painter: QPainter, rect: QRectF, text: str, font: QFont, colour: QColor) -> None:
        if rect.width() <= 4:
            return
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

    def _paint_port(self, painter: QPainter, palette: QPalette) -> None:
        """The output port: quiet until the card is hovered or selected, then in the highlight colour."""
        highlight = palette.color(QPalette.ColorRole.Highlight)
        active = self._hovered or self.isSelected()
        painter.setPen(QPen(highlight if active else mix(card_colour(palette), palette.color(
            QPalette.ColorRole.Text), 0.35), 1.5))
        painter.setBrush(highlight if active else card_colour(palette))
        painter.drawEllipse(self.port_centre(), PORT_RADIUS, PORT_RADIUS)

    def _paint_problem(self, painter: QPainter) -> None:
        """A small round badge on the card's top-right corner: red for errors, amber for warnings."""
        centre = QPointF(self._size.width() - 2, 2)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(QColor(PROBLEM_COLOURS.get(self.problem or "", "#dc3545")))
        painter.drawEllipse(centre, PROBLEM_RADIUS, PROBLEM_RADIUS)
        font = QFont(self._fonts.chip)
        font.setBold(True)
        painter.setFont(font)
        box = QRectF(centre.x() - PROBLEM_RADIUS, centre.y() - PROBLEM_RADIUS, 2 * PROBLEM_RADIUS, 2 * PROBLEM_RADIUS)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "!")

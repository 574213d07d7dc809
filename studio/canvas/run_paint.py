"""How a step card shows a run: tinted in its state's colour with a solid strip on the left, a state chip,
tries, foreach progress ("3/10", failures in red) and a "dry run" marker. RUNNING cards pulse."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen

from studio.canvas.run_state import FAILED_COLOUR, StepRunView, run_colour
from studio.theme import card_colour, mix

__all__ = ["RunChip", "paint_run_card", "run_chips", "run_tooltip", "STRIP_WIDTH"]

STRIP_WIDTH = 6.0
DRY_RUN_COLOUR = "#6b7280"
PROGRESS_COLOUR = "#0e7490"
RunChip = tuple[str, QColor, bool]  # text, colour, solid (filled) or tinted


def run_chips(view: StepRunView) -> list[RunChip]:
    """The chips of a run state, most important first (the state itself)."""
    state = view.state + (f" · try {view.tries}" if view.tries > 1 else "")
    chips: list[RunChip] = [(state, QColor(run_colour(view.state)), True)]
    if view.children_total:
        chips.append((f"{view.children_done}/{view.children_total}", QColor(PROGRESS_COLOUR), False))
    if view.children_failed:
        chips.append((f"{view.children_failed} failed", QColor(FAILED_COLOUR), True))
    if view.dry_run:
        chips.append(("dry run", QColor(DRY_RUN_COLOUR), False))
    return chips


def paint_run_card(painter: QPainter, card: QRectF, radius: float, view: StepRunView, palette: QPalette,
                   pulse: float) -> None:
    """The card's fill, strip and border in the state's colour; `pulse` (0..1) fades RUNNING's border."""
    colour = QColor(run_colour(view.state))
    path = QPainterPath()
    path.addRoundedRect(card, radius, radius)
    painter.setPen(QPen(colour if view.state != "RUNNING" else mix(colour, card_colour(palette), pulse * 0.7), 2))
    painter.setBrush(mix(card_colour(palette), colour, 0.1))
    painter.drawPath(path)
    painter.save()
    painter.setClipPath(path)
    painter.fillRect(QRectF(card.left(), card.top(), STRIP_WIDTH, card.height()), colour)
    painter.restore()


def run_tooltip(view: StepRunView) -> list[str]:
    lines = [f"Run: <b>{view.state}</b>" + (f", {view.tries} tries" if view.tries else "")]
    if view.children_total:
        lines.append(f"Items: {view.children_done}/{view.children_total} done, {view.children_failed} failed")
    if view.dry_run:
        lines.append("<i>Dry run: the action's side effects were not performed</i>")
    if view.error:
        lines.append(f"<span style='color:{FAILED_COLOUR}'>{escape(view.error)}</span>")
    return lines

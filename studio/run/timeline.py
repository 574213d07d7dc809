"""`Timeline`: a Gantt view of a run's step executions — one row per step (document order, foreach children under
their parent), one bar per execution attempt from RUNNING to the state it ended in, coloured by that state.

The attempts are rebuilt from the run's state changes by `studio.run.attempts` (pure data); this module paints
them. Only visible rows are painted, so thousands of steps scroll smoothly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QHBoxLayout, QLabel, QPushButton, QToolTip, QVBoxLayout, QWidget

from engine.model.run import Resolution
from studio.run.attempts import Attempt, StateChange, attempts_of, run_attempts, step_rows
from studio.run.views_support import format_clock, format_duration, mute
from studio.theme import mix, muted_text, state_colour

# Attempt, StateChange, attempts_of and step_rows live in studio.run.attempts; still importable from here.
__all__ = ["Attempt", "StateChange", "Timeline", "TimelineCanvas", "attempts_of", "nice_step", "step_rows",
           "tick_label"]

_NICE_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
               1800, 3600, 7200, 14400, 43200, 86400)


def nice_step(seconds_per_pixel: float, min_pixels: float = 90) -> float:
    """The tick interval: the first nice step at least `min_pixels` apart."""
    wanted = seconds_per_pixel * min_pixels
    return next((step for step in _NICE_STEPS if step >= wanted), _NICE_STEPS[-1] * math.ceil(wanted / 86400))


def tick_label(offset: float, step: float) -> str:
    if step < 1:
        decimals = 0 if step >= 0.1 or offset == 0 else (1 if step >= 0.01 else 3)
        return f"{offset * 1000:.0f} ms" if offset < 1 else f"{offset:.{max(1, decimals)}f} s"
    if offset < 60 or step < 60:
        minutes, seconds = divmod(offset, 60)
        return f"{offset:.0f} s" if minutes == 0 else f"{minutes:.0f}:{seconds:02.0f}"
    hours, minutes = divmod(offset / 60, 60)
    return f"{minutes:.0f} min" if hours == 0 else f"{hours:.0f} h {minutes:02.0f}"


class TimelineCanvas(QAbstractScrollArea):
    """Paints the rows, bars and time axis; only what is visible."""

    ROW = 22
    AXIS = 30
    PAD = 14

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[str] = []
        self.row_states: list[str] = []
        self.child_rows: frozenset[str] = frozenset()
        self.attempts: list[list[Attempt]] = []
        self.t0 = self.t1 = dt.datetime.now(dt.UTC)
        self.pps = 100.0  # pixels per second
        self.gutter = 160
        self.hovered = -1
        self.empty_text = "Open a run to see its timeline."
        self.viewport().setMouseTracking(True)
        self.viewport().installEventFilter(self)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)

    # ------------------------------------------------------------------------------------ data & geometry

    def set_data(self, rows: list[str], states: list[str], attempts: list[list[Attempt]], t0: dt.datetime,
                 t1: dt.datetime, children: frozenset[str]) -> None:
        self.rows, self.row_states, self.attempts, self.child_rows = rows, states, attempts, children
        self.t0, self.t1 = t0, max(t1, t0 + dt.timedelta(milliseconds=1))
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(name) + (14 if name in children else 0) for name in rows), default=0)
        self.gutter = max(120, min(260, widest + 34))
        self.fit()

    @property
    def span(self) -> float:
        return max(0.001, (self.t1 - self.t0).total_seconds())

    def fit(self) -> None:
        """Zoom so the whole run fits the width."""
        usable = max(50, self.viewport().width() - self.gutter - 2 * self.PAD)
        self.pps = usable / self.span
        self._update_scrollbars()
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom around `anchor_x` (viewport x; the centre by default), keeping that moment in place."""
        anchor_x = anchor_x if anchor_x is not None else (self.gutter + self.viewport().width()) / 2
        moment = self.seconds_at(anchor_x)
        fitted = max(50, self.viewport().width() - self.gutter - 2 * self.PAD) / self.span
        self.pps = min(max(self.pps * factor, fitted), 1e6)
        self._update_scrollbars()
        self.horizontalScrollBar().setValue(round(self.gutter + self.PAD + moment * self.pps - anchor_x))
        self.viewport().update()

    def _update_scrollbars(self) -> None:
        width = self.span * self.pps + 2 * self.PAD
        visible = self.viewport().width() - self.gutter
        self.horizontalScrollBar().setRange(0, max(0, round(width - visible)))
        self.horizontalScrollBar().setPageStep(max(1, visible))
        height = len(self.rows) * self.ROW + self.AXIS
        self.verticalScrollBar().setRange(0, max(0, height - self.viewport().height()))
        self.verticalScrollBar().setPageStep(max(1, self.viewport().height() - self.AXIS))
        self.verticalScrollBar().setSingleStep(self.ROW)

    def x_of(self, moment: dt.datetime) -> float:
        return (self.gutter + self.PAD + (moment - self.t0).total_seconds() * self.pps
                - self.horizontalScrollBar().value())

    def seconds_at(self, x: float) -> float:
        return (x + self.horizontalScrollBar().value() - self.gutter - self.PAD) / self.pps

    def row_at(self, y: float) -> int:
        if y < self.AXIS:
            return -1
        row = int((y - self.AXIS + self.verticalScrollBar().value()) // self.ROW)
        return row if 0 <= row < len(self.rows) else -1

    def bar_rect(self, attempt: Attempt) -> QRectF:
        top = self.AXIS + attempt.row * self.ROW - self.verticalScrollBar().value()
        left, right = self.x_of(attempt.start), self.x_of(attempt.end)
        width = max(4.0, right - left)
        return QRectF(left, top + 5, width, self.ROW - 10)

    def attempt_at(self, point: QPoint | QPointF) -> Attempt | None:
        row = self.row_at(point.y())
        if row < 0 or point.x() < self.gutter:
            return None
        hits = [a for a in self.attempts[row] if self.bar_rect(a).adjusted(-2, -3, 2, 3).contains(QPointF(point))]
        return hits[-1] if hits else None

    def tooltip_text(self, attempt: Attempt) -> str:
        lines = [f"<b>{attempt.step}</b> · try {attempt.number}", f"state: {attempt.state}",
                 f"start: {format_clock(attempt.start, millis=True)}",
                 "end: running…" if attempt.ongoing else f"end: {format_clock(attempt.end, millis=True)}",
                 f"duration: {format_duration(attempt.duration)}"]
        if attempt.approximate:
            lines.append("<i>recorded together with other tries: times approximate</i>")
        return "<br>".join(lines)

    # ------------------------------------------------------------------------------------------ events

    def resizeEvent(self, event: QResizeEvent) -> None:
        fitted = abs(self.horizontalScrollBar().maximum()) == 0
        super().resizeEvent(event)
        if fitted:
            self.fit()
        else:
            self._update_scrollbars()

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        # Tooltips through a filter: overriding viewportEvent crashes PySide6 (called during construction).
        if watched is self.viewport() and event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            attempt = self.attempt_at(event.pos())
            if attempt is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(attempt), self.viewport())
            return True
        return super().eventFilter(watched, event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position().y())
        if row != self.hovered:
            self.hovered = row
            self.viewport().update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.hovered = -1
        self.viewport().update()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8, event.position().x())
            event.accept()
            return
        super().wheelEvent(event)

    # ---------------------------------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        palette = self.palette()
        painter.fillRect(self.viewport().rect(), palette.base())
        if not self.rows:
            painter.setPen(muted_text(palette))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        first = max(0, self.verticalScrollBar().value() // self.ROW)
        last = min(len(self.rows), first + self.viewport().height() // self.ROW + 2)
        self._paint_rows(painter, first, last)
        self._paint_grid(painter)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(QRectF(self.gutter, self.AXIS, self.viewport().width(), self.viewport().height()))
        for row in range(first, last):
            for attempt in self.attempts[row]:
                self._paint_bar(painter, attempt)
        painter.setClipping(False)
        self._paint_gutter(painter, first, last)
        self._paint_axis(painter)

    def _row_top(self, row: int) -> float:
        return self.AXIS + row * self.ROW - self.verticalScrollBar().value()

    def _paint_rows(self, painter: QPainter, first: int, last: int) -> None:
        palette = self.palette()
        stripe = mix(palette.color(palette.ColorRole.Base), palette.color(palette.ColorRole.Text), 0.03)
        hover = mix(palette.color(palette.ColorRole.Base), palette.color(palette.ColorRole.Highlight), 0.12)
        for row in range(first, last):
            band = QRectF(0, self._row_top(row), self.viewport().width(), self.ROW)
            if row == self.hovered:
                painter.fillRect(band, hover)
            elif row % 2:
                painter.fillRect(band, stripe)

    def _ticks(self) -> tuple[float, list[float]]:
        step = nice_step(1 / self.pps)
        start = math.floor(max(0.0, self.seconds_at(self.gutter)) / step) * step
        end = self.seconds_at(self.viewport().width())
        count = int((end - start) / step) + 2
        return step, [start + i * step for i in range(count) if 0 <= start + i * step <= self.span + step]

    def _paint_grid(self, painter: QPainter) -> None:
        palette = self.palette()
        painter.setPen(QPen(mix(palette.color(palette.ColorRole.Base), palette.color(palette.ColorRole.Text), 0.1)))
        _, ticks = self._ticks()
        for offset in ticks:
            x = self.x_of(self.t0) + offset * self.pps
            if x >= self.gutter:
                painter.drawLine(QPointF(x, self.AXIS), QPointF(x, self.viewport().height()))

    def _paint_bar(self, painter: QPainter, attempt: Attempt) -> None:
        rect = self.bar_rect(attempt)
        if rect.right() < self.gutter or rect.left() > self.viewport().width():
            return
        colour = state_colour(attempt.state)
        painter.setPen(QPen(colour.darker(125), 1))
        painter.setBrush(mix(colour, self.palette().color(self.palette().ColorRole.Base), 0.45)
                         if attempt.approximate else colour)
        painter.drawRoundedRect(rect, 3, 3)
        if attempt.ongoing:  # still running: µTask's animated stripes, drawn still
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(255, 255, 255, 110), Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(rect, 3, 3)

    def _paint_gutter(self, painter: QPainter, first: int, last: int) -> None:
        palette = self.palette()
        window = palette.color(palette.ColorRole.Window)
        painter.fillRect(QRectF(0, self.AXIS, self.gutter, self.viewport().height()), window)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        for row in range(first, last):
            top = self._row_top(row)
            if row == self.hovered:
                painter.fillRect(QRectF(0, top, self.gutter, self.ROW), mix(window, palette.color(
                    palette.ColorRole.Highlight), 0.15))
            name = self.rows[row]
            indent = 22 if name in self.child_rows else 8
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(state_colour(self.row_states[row]))
            painter.drawEllipse(QPointF(indent + 4, top + self.ROW / 2), 4, 4)
            painter.setPen(muted_text(palette) if name in self.child_rows else palette.color(palette.ColorRole.Text))
            text = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, self.gutter - indent - 20)
            painter.drawText(QRectF(indent + 14, top, self.gutter - indent - 16, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter, text)
        painter.setPen(mix(window, palette.color(palette.ColorRole.Text), 0.2))
        painter.drawLine(QPointF(self.gutter - 0.5, 0), QPointF(self.gutter - 0.5, self.viewport().height()))

    def _paint_axis(self, painter: QPainter) -> None:
        palette = self.palette()
        window = palette.color(palette.ColorRole.Window)
        painter.fillRect(QRectF(0, 0, self.viewport().width(), self.AXIS), window)
        line = mix(window, palette.color(palette.ColorRole.Text), 0.2)
        painter.setPen(line)
        painter.drawLine(QPointF(0, self.AXIS - 0.5), QPointF(self.viewport().width(), self.AXIS - 0.5))
        step, ticks = self._ticks()
        painter.setPen(muted_text(palette))
        for offset in ticks:
            x = self.x_of(self.t0) + offset * self.pps
            if x < self.gutter:
                continue
            painter.drawLine(QPointF(x, self.AXIS - 6), QPointF(x, self.AXIS - 1))
            label = tick_label(offset, step)
            if x + 4 + painter.fontMetrics().horizontalAdvance(label) <= self.viewport().width():
                painter.drawText(QRectF(x + 4, 0, 120, self.AXIS - 4), Qt.AlignmentFlag.AlignBottom, label)
        painter.setPen(palette.color(palette.ColorRole.Text))
        painter.drawText(QRectF(8, 0, self.gutter - 12, self.AXIS - 4),
                         Qt.AlignmentFlag.AlignBottom, f"Step   ·   {format_clock(self.t0)}")
        painter.setPen(line)
        painter.drawLine(QPointF(self.gutter - 0.5, 0), QPointF(self.gutter - 0.5, self.AXIS))


def _legend(attempts: Sequence[Attempt]) -> str:
    """Rich text: a coloured square and the name of each state the bars end in."""
    states = dict.fromkeys(attempt.state for attempt in attempts)
    return "&nbsp;&nbsp;&nbsp;".join(f"<span style='color:{state_colour(state).name()}'>■</span>&nbsp;{state}"
                                     for state in states)


class Timeline(QWidget):
    """A run's step executions over time. `show_resolution(resolution, audit_entries)`; `clear()`."""

    attempt_clicked = Signal(str)  # step name (the run panel may select it on the canvas)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas(self)
        self.summary = QLabel()
        mute(self.summary)
        self.legend = QLabel()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(8, 4, 8, 4)
        buttons.setSpacing(4)
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.legend)
        buttons.addSpacing(12)
        for text, tip, slot in (("Fit", "Zoom to fit the whole run", self.canvas.fit),
                                ("−", "Zoom out (Ctrl+wheel)", lambda: self.canvas.zoom(0.5)),
                                ("+", "Zoom in (Ctrl+wheel)", lambda: self.canvas.zoom(2.0))):
            button = QPushButton(text)
            button.setObjectName({"Fit": "fit", "−": "zoom-out", "+": "zoom-in"}[text])
            button.setToolTip(tip)
            button.setFixedWidth(44 if text == "Fit" else 30)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(buttons)
        layout.addWidget(self.canvas, 1)
        self.canvas.viewport().installEventFilter(self)

    @property
    def attempts(self) -> list[Attempt]:
        return [attempt for row in self.canvas.attempts for attempt in row]

    def clear(self) -> None:
        self.canvas.set_data([], [], [], dt.datetime.now(dt.UTC), dt.datetime.now(dt.UTC), frozenset())
        self.summary.setText("")
        self.legend.setText("")

    def show_resolution(self, resolution: Resolution, audit_entries: Sequence[StateChange]) -> None:
        data = run_attempts(resolution, audit_entries)
        flat = data.flat
        if not flat:
            self.canvas.empty_text = "No step of this run has been executed yet."
            self.canvas.set_data([], [], [], data.now, data.now, frozenset())
            self.summary.setText("")
            self.legend.setText("")
            return
        t0 = min([a.start for a in flat] + data.run_starts[:1])
        t1 = max(a.end for a in flat)
        self.canvas.set_data(data.rows, data.states, data.attempts, t0, t1, data.children)
        ran = sum(1 for row in data.attempts if row)
        self.summary.setText(f"Started {format_clock(t0, date=True)}  ·  {format_duration((t1 - t0).total_seconds())}"
                             f"  ·  {len(flat)} execution(s) of {ran} step(s)")
        self.legend.setText(_legend(flat))

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if watched is self.canvas.viewport() and event.type() == QEvent.Type.MouseButtonRelease \
                and isinstance(event, QMouseEvent):
            attempt = self.canvas.attempt_at(event.position())
            if attempt is not None:
                self.attempt_clicked.emit(attempt.step)
        return super().eventFilter(watched, event)

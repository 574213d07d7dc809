"""Small widgets floating over the canvas: the stale-graph banner, a transient notice and the run legend.

Widgets rather than foreground painting, so scrolling (which blits the viewport) never smears them.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from studio.canvas.overlays import PADDING_X, PADDING_Y, paint_banner, paint_legend
from studio.canvas.run_state import LEGEND_STATES

__all__ = ["Banner", "Legend"]

MARGIN = 10
MAX_SHARE = 0.8  # of the viewport's width; longer texts are elided (the status bar has them whole)


class Banner(QWidget):
    """A pill of text centred at the top of the viewport; with `timeout_ms`, it hides itself after a while."""

    def __init__(self, parent: QWidget, accent: str, top: int = MARGIN, timeout_ms: int = 0) -> None:
        super().__init__(parent)
        self.accent, self.top, self.text = accent, top, ""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._timer = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_text(self, text: str, area: QRectF) -> None:
        self.text = text
        self.place(area)
        self.setToolTip(text)
        self.show()
        self.raise_()
        self.update()
        if self._timer.interval():
            self._timer.start()

    def place(self, area: QRectF) -> None:
        metrics = QFontMetricsF(QGuiApplication.font())
        width = min(metrics.horizontalAdvance(self.text) + 2 * PADDING_X + 16, area.width() * MAX_SHARE)
        height = metrics.height() + 2 * PADDING_Y + 2
        self.setGeometry(int(area.center().x() - width / 2), int(area.top() + self.top), int(width), int(height))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        paint_banner(painter, rect, self.text, self.accent, self.palette(), QGuiApplication.font())


class Legend(QWidget):
    """µTask's state colours, shown while run states are painted."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        metrics = QFontMetricsF(QGuiApplication.font())
        width = max(metrics.horizontalAdvance(state) for state in LEGEND_STATES) + 34
        self.resize(int(width) + 2, int((metrics.height() + 4) * len(LEGEND_STATES) + 14))
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = QRectF(self.rect()).adjusted(-10 + 0.5, -10 + 0.5, 0, 0)  # paint_legend leaves a 10 px margin
        paint_legend(painter, area, self.palette(), QGuiApplication.font())

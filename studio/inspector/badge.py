"""A small rounded label saying what running an action does (side effects, read-only, function)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from studio.icons import action_renderer
from studio.theme import action_colour, tinted

__all__ = ["BADGES", "Badge", "action_pixmap"]

# kind → (text, accent, tooltip)
BADGES = {
    "side-effects": ("Side effects", "#d97706", "Running this action changes something outside µTask "
                                                "(x-utask-side-effects): a dry run skips it."),
    "read-only": ("Read-only here", "#16a34a", "This action has side effects in general, but not with this "
                                               "configuration (x-utask-read-only-when)."),
    "safe": ("No side effects", "#16a34a", "Running this action changes nothing outside µTask."),
    "function": ("Function", "#4f46e5", "A function from the functions directory: its side effects are those "
                                        "of the action it wraps."),
    "unknown": ("Unknown action", "#6b7280", "Neither a builtin action nor a loaded function."),
}


class Badge(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.hide()

    def show_kind(self, kind: str) -> None:
        self.kind = kind
        text, accent, tip = BADGES[kind]
        background, foreground = tinted(QColor(accent), self.palette())
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet(f"QLabel {{ background: {background.name()}; color: {foreground.name()};"
                           f" border-radius: 8px; padding: 1px 8px; font-weight: 600; }}")
        self.show()


def action_pixmap(action_type: str, size: int) -> QPixmap:
    """The action's glyph on a rounded tile of its colour, as on the canvas nodes."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x: crisp on high-DPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(action_colour(action_type))
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    margin = size * 0.2
    action_renderer(action_type).render(painter, QRectF(margin, margin, size - 2 * margin, size - 2 * margin))
    painter.end()
    return pixmap

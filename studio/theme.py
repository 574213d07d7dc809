"""Colours of the studio, derived from the system palette so light and dark themes both work.

Only accents are fixed: one colour per action family, and µTask's own state colours
(spec/utask-dashboard.md §4) for state-qualified dependencies.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

__all__ = [
    "action_colour",
    "action_icon_name",
    "canvas_colour",
    "card_colour",
    "is_dark",
    "mix",
    "muted_text",
    "state_colour",
    "tinted",
]

# Action families, not every plugin its own hue: a busy graph stays calm.
_ACTION_COLOURS = {
    "http": "#2563eb",
    "apiovh": "#1d4ed8",
    "echo": "#64748b",
    "callback": "#7c3aed",
    "subtask": "#0d9488",
    "batch": "#0f766e",
    "email": "#db2777",
    "notify": "#ea580c",
    "script": "#475569",
    "ssh": "#334155",
    "tag": "#ca8a04",
    "cache": "#0891b2",
    "ping": "#16a34a",
}
_FUNCTION_COLOUR = "#4f46e5"
_UNKNOWN_COLOUR = "#6b7280"

# µTask's dashboard colours for step states (steps list, §4.3); custom states get its "other" orange.
_STATE_COLOURS = {
    "DONE": "#28a745",
    "ANY": "#ad0067",
    "TODO": "#8a8a8a",
    "RUNNING": "#32acff",
    "EXPANDED": "#32acff",
    "WAITING": "#8a2be2",
    "TO_RETRY": "#f09000",
    "CLIENT_ERROR": "#b04020",
    "SERVER_ERROR": "#b04020",
    "FATAL_ERROR": "#b04020",
    "PRUNE": "#8a8a8a",
}
_CUSTOM_STATE_COLOUR = "#e08600"


def action_colour(action_type: str) -> QColor:
    """The accent of an action type; functions (`name::verb` or any unknown type) share one."""
    if action_type in _ACTION_COLOURS:
        return QColor(_ACTION_COLOURS[action_type])
    return QColor(_FUNCTION_COLOUR if action_type else _UNKNOWN_COLOUR)


def action_icon_name(action_type: str) -> str:
    """The icon file (without extension) under resources/icons/actions/ for an action type."""
    if action_type in _ACTION_COLOURS:
        return action_type
    return "function" if action_type else "unknown"


def state_colour(state: str) -> QColor:
    return QColor(_STATE_COLOURS.get(state, _CUSTOM_STATE_COLOUR))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """`first` moved `amount` (0..1) of the way towards `second`."""
    return QColor.fromRgbF(*(a + (b - a) * amount for a, b in zip(first.getRgbF(), second.getRgbF(), strict=True)))


def canvas_colour(palette: QPalette) -> QColor:
    """The canvas background: a shade between the window and the text fields."""
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Window), 0.6)


def card_colour(palette: QPalette) -> QColor:
    """Step cards stand out from the canvas: white-ish on light themes, a lifted grey on dark ones."""
    if is_dark(palette):
        return mix(palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Text), 0.07)
    return palette.color(QPalette.ColorRole.Base)


def muted_text(palette: QPalette) -> QColor:
    """Secondary text: the text colour halfway to the background, readable in both themes."""
    return mix(palette.color(QPalette.ColorRole.Text), card_colour(palette), 0.42)


def tinted(accent: QColor, palette: QPalette) -> tuple[QColor, QColor]:
    """(background, foreground) of a chip or label in `accent`, legible on this palette's base colour."""
    base = card_colour(palette)
    if is_dark(palette):
        return mix(base, accent, 0.28), mix(accent, QColor("white"), 0.45)
    return mix(base, accent, 0.13), mix(accent, QColor("black"), 0.25)

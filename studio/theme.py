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
    pairs = zip(first.getRgbF(), second.getRgbF(), strict=True)  # type: ignore[call-overload, unused-ignore]
    return QColor.fromRgbF(*(a + (b - a) * amount for a, b in pairs))


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


# -- application themes --------------------------------------------------------------------------------

THEMES = ("system", "light", "dark")

_LIGHT = {"Window": "#f3f4f6", "WindowText": "#1f2328", "Base": "#ffffff", "AlternateBase": "#f6f8fa",
          "Text": "#1f2328", "Button": "#f3f4f6", "ButtonText": "#1f2328", "ToolTipBase": "#ffffff",
          "ToolTipText": "#1f2328", "PlaceholderText": "#8c959f", "Highlight": "#2f6fde",
          "HighlightedText": "#ffffff", "Link": "#0969da", "Mid": "#c9ced6", "Midlight": "#e4e7eb",
          "Dark": "#9aa3ad", "Light": "#ffffff", "Shadow": "#6e7781"}
_DARK = {"Window": "#26282c", "WindowText": "#dfe1e5", "Base": "#1d1f22", "AlternateBase": "#23262a",
         "Text": "#dfe1e5", "Button": "#2d3035", "ButtonText": "#dfe1e5", "ToolTipBase": "#2d3035",
         "ToolTipText": "#dfe1e5", "PlaceholderText": "#7d8590", "Highlight": "#3574f0",
         "HighlightedText": "#ffffff", "Link": "#58a6ff", "Mid": "#3c3f45", "Midlight": "#34373c",
         "Dark": "#16181b", "Light": "#404349", "Shadow": "#0b0c0d"}
_DISABLED_TEXT = {"light": "#8c959f", "dark": "#6e7681"}


def themed_palette(theme: str) -> QPalette:
    """The palette of the "light" or "dark" theme (a calm, GitHub-like neutral set)."""
    roles = _DARK if theme == "dark" else _LIGHT
    palette = QPalette()
    for role_name, colour in roles.items():
        palette.setColor(getattr(QPalette.ColorRole, role_name), QColor(colour))
    disabled = QColor(_DISABLED_TEXT["dark" if theme == "dark" else "light"])
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette

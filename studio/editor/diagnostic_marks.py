"""Problems drawn in the YAML pane: a wavy underline per diagnostic, a dot in the gutter, a tooltip.

Each diagnostic's range is held by a QTextCursor, which the QTextDocument moves along with every edit:
the marks stay on the right characters while the user types, until the next validation replaces them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from engine.diagnostics import Diagnostic, Severity
from studio.editor.text_map import TextMap
from studio.editor.yaml_view import YamlView
from studio.theme import is_dark

__all__ = ["DiagnosticMarks", "severity_colour", "tooltip_html"]

# (light theme, dark theme)
_COLOURS = {
    Severity.ERROR: ("#d92d20", "#ff6b61"),
    Severity.WARNING: ("#c27803", "#f5b83d"),
    Severity.INFO: ("#2563eb", "#6ea8ff"),
}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def severity_colour(severity: Severity, palette: QPalette) -> QColor:
    return QColor(_COLOURS[severity][is_dark(palette)])


@dataclass(slots=True)
class _Mark:
    diagnostic: Diagnostic
    cursor: QTextCursor  # selects the underlined range; moves with edits


class DiagnosticMarks:
    """The diagnostics of one view, as underlines, gutter markers and tooltips."""

    def __init__(self, view: YamlView) -> None:
        self._view = view
        self._marks: list[_Mark] = []

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [mark.diagnostic for mark in self._marks]

    def set_diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._marks = [_Mark(d, self.range_cursor(d)) for d in sorted(diagnostics, key=lambda d: _RANK[d.severity])]

    def clear(self) -> None:
        self._marks = []

    def range_cursor(self, diagnostic: Diagnostic) -> QTextCursor:
        """A cursor selecting what `diagnostic` is about: its range, or else the word at its position."""
        cursor = self._view.cursor_at(diagnostic.line, diagnostic.column)
        end_line, end_column = diagnostic.end_line, diagnostic.end_column
        if end_line is not None and end_column is not None and (end_line, end_column) > (diagnostic.line,
                                                                                         diagnostic.column):
            cursor.setPosition(self._view.cursor_at(end_line, end_column).position(),
                               QTextCursor.MoveMode.KeepAnchor)
        if not cursor.hasSelection():
            _select_word_or_line(cursor)
        return cursor

    def selections(self) -> list[QTextEdit.ExtraSelection]:
        """Wavy underlines, least severe first so that errors are drawn on top."""
        palette = self._view.palette()
        out = []
        for mark in reversed(self._marks):
            text_format = QTextCharFormat()
            text_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            text_format.setUnderlineColor(severity_colour(mark.diagnostic.severity, palette))
            selection = QTextEdit.ExtraSelection()
            selection.cursor, selection.format = mark.cursor, text_format
            out.append(selection)
        return out

    def at_position(self, position: int) -> list[Diagnostic]:
        """The diagnostics whose range covers widget position `position`."""
        return [m.diagnostic for m in self._marks
                if m.cursor.selectionStart() <= position <= m.cursor.selectionEnd()]

    def on_line(self, block_number: int) -> list[Diagnostic]:
        document = self._view.document()
        return [m.diagnostic for m in self._marks
                if document.findBlock(m.cursor.selectionStart()).blockNumber() == block_number]

    def worst_by_line(self) -> dict[int, Severity]:
        """The most severe diagnostic of each line (0-based block numbers), for the gutter."""
        document = self._view.document()
        worst: dict[int, Severity] = {}
        for mark in reversed(self._marks):  # most severe last, so it wins
            worst[document.findBlock(mark.cursor.selectionStart()).blockNumber()] = mark.diagnostic.severity
        return worst


def tooltip_html(diagnostics: Sequence[Diagnostic], palette: QPalette) -> str:
    """Message and hint of each diagnostic, coloured by severity."""
    parts = []
    for diagnostic in diagnostics:
        colour = severity_colour(diagnostic.severity, palette).name()
        hint = f"<br><i>{html.escape(diagnostic.hint)}</i>" if diagnostic.hint else ""
        parts.append(f"<p style='margin:0 0 4px 0'><b style='color:{colour}'>{diagnostic.severity.capitalize()}"
                     f"</b> {html.escape(diagnostic.message)}{hint}"
                     f"<br><span style='color:gray'>{html.escape(diagnostic.code)}</span></p>")
    return "".join(parts)


def _select_word_or_line(cursor: QTextCursor) -> None:
    """Select the word at the cursor, or the rest of its line (trimmed), or the line's last character."""
    block = cursor.block()
    text = block.text()
    offsets = TextMap(text)  # `text` is a Python string; positions in the block count UTF-16 units
    start = offsets.to_python(cursor.position() - block.position())
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    if end == start:
        stripped = text.rstrip()
        if start < len(stripped):
            end = len(stripped)
        elif stripped:
            start, end = len(text) - len(text.lstrip()), len(stripped)
        else:
            return
    cursor.setPosition(block.position() + offsets.to_widget(start))
    cursor.setPosition(block.position() + offsets.to_widget(end), QTextCursor.MoveMode.KeepAnchor)

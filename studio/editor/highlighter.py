"""YAML syntax highlighting for the YAML pane, with colours picked for the palette's light or dark base."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from studio.editor.text_map import TextMap
from studio.editor.yaml_tokens import NOT_IN_BLOCK, Kind, tokenize_line
from studio.theme import is_dark, mix

__all__ = ["YamlHighlighter"]

# (light theme, dark theme) foregrounds; template handles also get a tinted background so they stand out.
_COLOURS = {
    Kind.KEY: ("#1f4fa8", "#8ab4f8"),
    Kind.STRING: ("#1a7f37", "#9ece6a"),
    Kind.SCALAR: ("#b3401a", "#f0a070"),
    Kind.COMMENT: ("#7a7f87", "#8b919a"),
    Kind.HANDLE: ("#8a3ffc", "#d0a6ff"),
    Kind.ANCHOR: ("#a0529b", "#e095d8"),
}


class YamlHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self._formats = _formats(palette)

    def set_palette(self, palette: QPalette) -> None:
        """Recolour after a light/dark switch."""
        self._formats = _formats(palette)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        state = self.previousBlockState()
        tokens, next_state = tokenize_line(text, NOT_IN_BLOCK if state < 0 else state)
        offsets = TextMap(text)  # the tokens count code points, setFormat UTF-16 units (emoji take two)
        for token in tokens:
            start, end = offsets.to_widget(token.start), offsets.to_widget(token.start + token.length)
            self.setFormat(start, end - start, self._formats[token.kind])
        self.setCurrentBlockState(next_state)


def _formats(palette: QPalette) -> dict[Kind, QTextCharFormat]:
    dark = is_dark(palette)
    formats: dict[Kind, QTextCharFormat] = {}
    for kind, colours in _COLOURS.items():
        text_format = QTextCharFormat()
        text_format.setForeground(QColor(colours[dark]))
        formats[kind] = text_format
    formats[Kind.KEY].setFontWeight(QFont.Weight.DemiBold)
    formats[Kind.COMMENT].setFontItalic(True)
    base = palette.color(QPalette.ColorRole.Base)
    formats[Kind.HANDLE].setBackground(mix(base, QColor(_COLOURS[Kind.HANDLE][dark]), 0.12))
    return formats

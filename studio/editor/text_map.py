"""Offsets between the document's text (Python code points) and a QTextDocument showing it (Qt-free).

A QTextDocument counts UTF-16 code units, so a character outside the Basic Multilingual Plane (an emoji)
takes two positions there and one in Python; a Windows line break `\\r\\n` (kept in the document's text
so that saving is byte-exact) is a single block break there. Every other character takes one position on
both sides (a lone `\\r` also becomes one block break). `TextMap` converts in both directions in
O(log n); for the usual ASCII text with `\\n` line breaks it is the identity and costs nothing to build.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["TextMap", "utf16_length", "widget_text"]

_SPECIAL = re.compile("[\U00010000-\U0010ffff]|\r\n")


def utf16_length(text: str) -> int:
    """How many UTF-16 code units `text` takes (its length in a QString)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for _ in re.finditer("[\U00010000-\U0010ffff]", text))


def widget_text(text: str) -> str:
    """The text as a QTextDocument holds it after setPlainText (one break per `\\r\\n` or lone `\\r`)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class TextMap:
    """Offset conversions for one text; build a new one whenever the text changes."""

    __slots__ = ("_deltas", "_python", "_widget")

    def __init__(self, text: str) -> None:
        # Python offset of each special character, its widget offset, and the running difference
        # (widget − Python) just after it.
        self._python: list[int] = []
        self._widget: list[int] = []
        self._deltas: list[int] = []
        if text.isascii() and "\r" not in text:
            return
        delta = 0
        for match in _SPECIAL.finditer(text):
            start = match.start()
            self._python.append(start)
            self._widget.append(start + delta)
            delta += 1 if match.end() - start == 1 else -1  # an astral character +1, `\r\n` −1
            self._deltas.append(delta)

    @property
    def is_identity(self) -> bool:
        return not self._python

    def to_widget(self, offset: int) -> int:
        """The widget position of Python offset `offset` (a position between characters)."""
        index = bisect.bisect_left(self._python, offset)  # specials that start strictly before `offset`
        return offset + (self._deltas[index - 1] if index else 0)

    def to_python(self, position: int) -> int:
        """The Python offset of widget position `position`; one inside a surrogate pair (which Qt never
        reports for a cursor) counts as just after that character."""
        index = bisect.bisect_left(self._widget, position)  # specials whose widget start is before it
        if not index:
            return position
        last = index - 1
        astral = self._deltas[last] > (self._deltas[last - 1] if last else 0)
        if astral and position == self._widget[last] + 1:
            return self._python[last] + 1
        return position - self._deltas[last]

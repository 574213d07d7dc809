"""Offsets between the document's text (code points, `\\r\\n` kept) and the QTextDocument (UTF-16), and the
small replacements that mirror a change of the document in the widget."""

from __future__ import annotations

import pytest

from studio.editor.text_diff import line_replacements, replacements_from_ranges
from studio.editor.text_map import TextMap, utf16_length, widget_text

TEXTS = ["plain ascii\nlines\n", "é and ü: BMP only\n", "a🐍b\r\nc😀😀\r\n\r\nd𝄞", "\r\n", "😀", "x\ry\r\nz"]


@pytest.mark.parametrize("text", TEXTS)
def test_offsets_round_trip_between_every_character(text: str) -> None:
    offsets = TextMap(text)
    for index in range(len(text) + 1):
        if 0 < index < len(text) and text[index - 1:index + 1] == "\r\n":
            continue  # between the two halves of one line break: not a place a cursor can be
        position = utf16_length(widget_text(text[:index]))
        assert offsets.to_widget(index) == position
        assert offsets.to_python(position) == index


def test_ascii_text_is_the_identity_map() -> None:
    assert TextMap("steps:\n  a: {}\n").is_identity
    assert not TextMap("emoji 🐍").is_identity


def test_widget_text_has_one_break_per_line_break() -> None:
    assert widget_text("a\r\nb\rc\n") == "a\nb\nc\n"
    assert utf16_length("🐍x") == 3


def apply(text: str, replacements: list[tuple[int, int, str]]) -> str:
    for start, end, new in reversed(replacements):
        text = text[:start] + new + text[end:]
    return text


def test_ranges_that_explain_the_change_are_used_as_they_are() -> None:
    old, new = "a: 1\nb: 2\nc: 3\n", "a: 10\nb: 2\nc: 33\n"
    found = replacements_from_ranges(old, new, [(4, 0, 1), (14, 0, 1)])
    assert found == [(4, 4, "0"), (14, 14, "3")]
    assert replacements_from_ranges(old, new, [(4, 0, 1)]) is None  # only part of the change


def test_line_replacements_touch_only_the_changed_lines() -> None:
    old = "".join(f"line {n}\n" for n in range(200))
    new = old.replace("line 20\n", "").replace("line 150\n", "line one-fifty\n")
    found = line_replacements(old, new)
    assert apply(old, found) == new
    assert len(found) == 2 and all(len(text) < 20 and end - start < 20 for start, end, text in found)
    assert line_replacements(old, old) == []
    assert apply("x", line_replacements("x", "y😀\r\nz")) == "y😀\r\nz"

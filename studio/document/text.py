"""Text primitives: character patches over the source text, a line index, and the file's writing style.

Every edit of the document ends up as a `PatchSet`: non-overlapping replacements of character ranges.
Applying one and then its inverse gives back the exact previous text, which is what makes undo exact
and keeps a file nobody touched byte-identical.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["LineIndex", "Patch", "PatchSet", "TextStyle", "detect_style", "minimal_replacement"]


@dataclass(frozen=True, slots=True)
class Patch:
    """Replace `text[start:end]` (character offsets) by `new`; `old` is what was there."""

    start: int
    end: int
    new: str
    old: str = ""


class PatchSet:
    """Non-overlapping patches of one text, sorted by position, applied all at once."""

    __slots__ = ("patches",)

    def __init__(self, patches: Iterable[Patch]) -> None:
        ordered = sorted(patches, key=lambda p: (p.start, p.end))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start < before.end:
                raise ValueError(f"overlapping patches at {before.start}..{before.end} and {after.start}")
        self.patches = tuple(ordered)

    def __bool__(self) -> bool:
        return any(p.new != p.old for p in self.patches)

    def apply(self, text: str) -> str:
        """The patched text; every patch's `old` must match (a stale patch set is a bug, not a guess)."""
        parts: list[str] = []
        cursor = 0
        for patch in self.patches:
            if text[patch.start:patch.end] != patch.old:
                raise ValueError(f"stale patch at offset {patch.start}: the text changed underneath it")
            parts += (text[cursor:patch.start], patch.new)
            cursor = patch.end
        parts.append(text[cursor:])
        return "".join(parts)

    def inverse(self) -> PatchSet:
        """The patch set that turns the patched text back into the original."""
        shift = 0
        undo: list[Patch] = []
        for patch in self.patches:
            start = patch.start + shift
            undo.append(Patch(start, start + len(patch.new), patch.old, patch.new))
            shift += len(patch.new) - len(patch.old)
        return PatchSet(undo)

    def ranges(self) -> list[tuple[int, int, int]]:
        """(start, removed length, inserted length) of each patch, in original offsets."""
        return [(p.start, p.end - p.start, len(p.new)) for p in self.patches]

    @staticmethod
    def of(text: str, replacements: Iterable[tuple[int, int, str]]) -> PatchSet:
        """Build a patch set for `text`, filling in each patch's `old` from the text."""
        return PatchSet(Patch(start, end, new, text[start:end]) for start, end, new in replacements)


def minimal_replacement(old: str, new: str) -> tuple[int, int, str]:
    """The smallest single replacement `(start, end, inserted)` of `old[start:end]` that turns `old` into `new`:
    the prefix and suffix they share are left alone (`(len(old), len(old), "")` when they are equal)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, len(old) - suffix, new[prefix:len(new) - suffix]


class LineIndex:
    """Offsets of line starts: converts 1-based (line, column) marks of libyaml to string offsets."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def offset(self, line: int, column: int) -> int:
        if line > len(self.starts):
            return len(self.text)
        return self.starts[line - 1] + column - 1

    def line_of(self, offset: int) -> int:
        """1-based line holding `offset`."""
        return bisect.bisect_right(self.starts, offset)

    def line_start(self, line: int) -> int:
        return self.starts[line - 1] if line <= len(self.starts) else len(self.text)

    def line_text(self, line: int) -> str:
        """Line `line` without its line break."""
        start = self.line_start(line)
        end = self.line_start(line + 1) if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How the file is written, so that the fragments we insert look like the rest of it."""

    newline: str = "\n"
    indent: int = 2  # spaces per mapping level
    list_offset: int = 2  # columns between a key and the `-` of its block list (0: flush `-`)


def detect_style(text: str, key_columns: Iterable[tuple[int, int]], dash_offsets: Iterable[int]) -> TextStyle:
    """The majority style: `key_columns` are (parent key column, child key column) pairs of nested
    mappings, `dash_offsets` the column difference between a key and the dashes of its list."""
    newline = "\r\n" if "\r\n" in text else "\n"
    steps = Counter(child - parent for parent, child in key_columns if child > parent)
    indent = steps.most_common(1)[0][0] if steps else 2
    offsets = Counter(o for o in dash_offsets if o >= 0)
    list_offset = offsets.most_common(1)[0][0] if offsets else indent
    return TextStyle(newline, indent, list_offset)

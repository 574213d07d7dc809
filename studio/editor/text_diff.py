"""Which small replacements turn the text a view shows into the document's new text (Qt-free).

The session reports each change as (start, removed, inserted) ranges of the text before it. One edit's
ranges explain the new text exactly; a compound edit (remove a step and the dependencies on it) reports
several TextChanged events only once all are applied, so the first event no longer explains the final
text. Then a line diff of the changed region finds the few replacements instead — never a reload.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from studio.document.text import minimal_replacement

__all__ = ["Replacement", "line_replacements", "replacements_from_ranges", "trimmed_replacement"]

Replacement = tuple[int, int, str]  # (start, end) in the old text → new text
_MAX_DIFF_LINES = 5000  # beyond this, one replacement of the changed region is cheaper than a diff


def replacements_from_ranges(old: str, new: str, ranges: Sequence[tuple[int, int, int]]) -> list[Replacement] | None:
    """The replacements the ranges describe, if they turn `old` into exactly `new`; else None."""
    replacements: list[Replacement] = []
    parts: list[str] = []
    shift = cursor = 0
    for start, removed, inserted in ranges:
        if start < cursor or start + removed > len(old):
            return None
        inserted_text = new[start + shift:start + shift + inserted]
        replacements.append((start, start + removed, inserted_text))
        parts += (old[cursor:start], inserted_text)
        cursor = start + removed
        shift += inserted - removed
    parts.append(old[cursor:])
    return replacements if "".join(parts) == new else None


def line_replacements(old: str, new: str) -> list[Replacement]:
    """Line-level replacements turning `old` into `new` (only the region between the first and the
    last difference is compared)."""
    prefix = _common_prefix(old, new)
    prefix = old.rfind("\n", 0, prefix) + 1  # whole lines
    suffix = _common_suffix(old[prefix:], new[prefix:])
    old_end, new_end = len(old) - suffix, len(new) - suffix
    old_end, new_end = _to_line_end(old, old_end, new, new_end)
    old_lines = old[prefix:old_end].splitlines(keepends=True)
    new_lines = new[prefix:new_end].splitlines(keepends=True)
    if len(old_lines) + len(new_lines) > _MAX_DIFF_LINES:
        return [(prefix, old_end, new[prefix:new_end])]
    replacements: list[Replacement] = []
    old_offsets = _offsets(old_lines, prefix)
    new_offsets = _offsets(new_lines, prefix)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            replacements.append((old_offsets[i1], old_offsets[i2], new[new_offsets[j1]:new_offsets[j2]]))
    return replacements


def trimmed_replacement(old: str, start: int, end: int, new: str) -> Replacement | None:
    """`old[start:end]` → `new` with the ends they share trimmed; None when nothing changes (Qt reports
    re-highlighted blocks as changes of the same text)."""
    first, last, inserted = minimal_replacement(old[start:end], new)
    if first == last and not inserted:  # the same text: both ends shared all the way
        return None
    return start + first, start + last, inserted


def _offsets(lines: list[str], start: int) -> list[int]:
    offsets = [start]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def _to_line_end(old: str, old_end: int, new: str, new_end: int) -> tuple[int, int]:
    """Extend both ends (by the same amount: the common suffix) to a line end."""
    extra = old.find("\n", old_end)
    step = (extra + 1 - old_end) if extra >= 0 else len(old) - old_end
    return old_end + step, new_end + step


def _common_prefix(first: str, second: str) -> int:
    """Length of the common prefix, by halving (slice comparisons run in C)."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(first: str, second: str) -> int:
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[len(first) - middle:] == second[len(second) - middle:]:
            low = middle
        else:
            high = middle - 1
    return low

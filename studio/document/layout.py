"""Where things are in the text, beyond what the engine's SourceMap records.

The engine gives the start and end of every value and the start of every key. Edits also need the full
extent of a mapping entry or list item (its key, its value, the comments that belong to it), whether a
collection is written in block or flow style, and where a new entry goes. We derive that from the text
and those marks with line scans: YAML block structure is carried by indentation, so a line belongs to
an entry while it is blank, a comment, or indented deeper than the entry's key (or dash).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.diagnostics import JsonPath
from engine.load.source import SourceMap
from studio.document.text import LineIndex

__all__ = ["Snapshot"]


@dataclass(slots=True)
class Snapshot:
    """One parse of one text: data, positions, and the line index to turn them into offsets."""

    text: str
    data: Any
    source_map: SourceMap
    lines: LineIndex

    # -- lookups -------------------------------------------------------------------------------------

    def value_at(self, path: JsonPath) -> Any:
        """The parsed value at `path` (KeyError/IndexError/TypeError when there is none)."""
        value = self.data
        for part in path:
            value = value[part]
        return value

    def has_value(self, path: JsonPath) -> bool:
        try:
            self.value_at(path)
        except (KeyError, IndexError, TypeError):
            return False
        return path in self.source_map.values

    def value_range(self, path: JsonPath) -> tuple[int, int]:
        line, column, end_line, end_column = self.source_map.values[path]
        return self.lines.offset(line, column), self.lines.offset(end_line, end_column)

    def key_offset(self, path: JsonPath) -> int:
        line, column = self.source_map.keys[path]
        return self.lines.offset(line, column)

    def is_flow(self, path: JsonPath) -> bool:
        """Whether the collection at `path` is written `{...}` / `[...]`."""
        start, _ = self.value_range(path)
        return self.text[start:start + 1] in ("{", "[")

    def head_column(self, path: JsonPath) -> int:
        """0-based column where the entry or item holding `path` starts: its key, or its dash."""
        if path in self.source_map.keys:
            return self.source_map.keys[path][1] - 1
        start, _ = self.value_range(path)
        dash = self.text.rfind("-", self.lines.line_start(self.lines.line_of(start)), start)
        return dash - self.lines.line_start(self.lines.line_of(start)) if dash >= 0 else self._column(start)

    def head_line(self, path: JsonPath) -> int:
        if path in self.source_map.keys:
            return self.source_map.keys[path][0]
        return self.source_map.values[path][0]

    def _column(self, offset: int) -> int:
        return offset - self.lines.line_start(self.lines.line_of(offset))

    # -- extents -------------------------------------------------------------------------------------

    def last_line(self, path: JsonPath) -> int:
        """Last line with content of the entry or item holding `path` (trailing comments excluded)."""
        first = self.head_line(path)
        column = self.head_column(path)
        is_entry = path in self.source_map.keys
        last = max(first, self.source_map.values[path][0])
        for number in range(first + 1, self.lines.line_count + 1):
            line = self.lines.line_text(number)
            stripped = line.lstrip(" ")
            indent = len(line) - len(stripped)
            if not stripped or stripped.startswith("#"):
                continue  # comments never end a block, whatever their indentation
            flush_item = is_entry and indent == column and (stripped == "-" or stripped.startswith("- "))
            if indent <= column and not flush_item:
                break
            last = number
        return last

    def entry_range(self, path: JsonPath) -> tuple[int, int]:
        """Offsets of the whole lines of the entry holding `path`, line breaks included."""
        return self.lines.line_start(self.head_line(path)), self.lines.line_start(self.last_line(path) + 1)

    def removal_range(self, path: JsonPath) -> tuple[int, int]:
        """What to cut to remove the entry: its lines, the comments right above it at its indentation,
        and one run of blank lines so that the rest keeps its spacing."""
        start_line, end_line = self.head_line(path), self.last_line(path) + 1
        column = self.head_column(path)
        while start_line > 1 and self._is_comment_at(start_line - 1, column):
            start_line -= 1
        after = end_line
        while after <= self.lines.line_count and self._is_blank(after):
            after += 1
        if after > end_line and not self._ends_block(after, column):
            end_line = after
        else:
            while start_line > 1 and self._is_blank(start_line - 1):
                start_line -= 1
        return self.lines.line_start(start_line), self._line_end_offset(end_line)

    def _line_end_offset(self, line: int) -> int:
        return self.lines.line_start(line) if line <= self.lines.line_count else len(self.text)

    def _is_blank(self, number: int) -> bool:
        return not self.lines.line_text(number).strip()

    def _is_comment_at(self, number: int, column: int) -> bool:
        line = self.lines.line_text(number)
        return line.lstrip(" ").startswith("#") and len(line) - len(line.lstrip(" ")) == column

    def _ends_block(self, number: int, column: int) -> bool:
        """Whether line `number` is past the end of the collection whose items start at `column`."""
        if number > self.lines.line_count:
            return True
        line = self.lines.line_text(number)
        return len(line) - len(line.lstrip(" ")) < column

    def child_column(self, path: JsonPath) -> int | None:
        """0-based column of the keys (or dashes) of the non-empty block collection at `path`."""
        value = self.value_at(path)
        if not value or self.is_flow(path):
            return None
        first = (*path, next(iter(value)) if isinstance(value, dict) else 0)
        return self.head_column(first)

    def append_offset(self, path: JsonPath) -> int:
        """Where a new entry or item of the non-empty block collection at `path` goes: after the last."""
        value = self.value_at(path)
        last = (*path, next(reversed(value)) if isinstance(value, dict) else len(value) - 1)
        return self._line_end_offset(self.last_line(last) + 1)

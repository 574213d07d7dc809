"""Where things are in the source: JSON paths mapped to 1-based line/column spans."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.diagnostics import JsonPath

__all__ = ["SourceMap", "Span"]


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


@dataclass(slots=True)
class SourceMap:
    """Positions of values (start and end) and of mapping keys, by JSON path.

    Paths under an alias or a merge key have no entry of their own; lookups fall back to the nearest
    ancestor that has one, so every diagnostic still lands on a sensible line.
    """

    values: dict[JsonPath, tuple[int, int, int, int]] = field(default_factory=dict)
    keys: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def value_span(self, path: JsonPath) -> Span:
        for depth in range(len(path), -1, -1):
            found = self.values.get(path[:depth])
            if found is not None:
                return Span(*found)
        return Span(1, 1)

    def key_span(self, path: JsonPath) -> Span:
        """Span of the key that holds `path`, falling back to the value (list items have no key)."""
        for depth in range(len(path), 0, -1):
            sub = path[:depth]
            key = self.keys.get(sub)
            if key is not None:
                return Span(key[0], key[1], key[0], key[1] + len(str(sub[-1])))
            if sub in self.values:
                return self.value_span(sub)
        return self.value_span(())

    def has(self, path: JsonPath) -> bool:
        return path in self.values

    def offset_span(self, path: JsonPath, offset: int) -> Span:
        """Position of character `offset` of the string at `path` (best effort for folded scalars)."""
        start = self.value_span(path)
        if path not in self.values or not self.lines:
            return start
        text = self.lines[start.line - 1] if start.line <= len(self.lines) else ""
        opener = text[start.column - 1: start.column]
        if opener in ("|", ">"):
            return self._block_offset(start, offset)
        shift = 1 if opener in ("'", '"') else 0
        return Span(start.line, start.column + shift + offset)

    def _block_offset(self, start: Span, offset: int) -> Span:
        # Block scalar content starts on the next line; every line is indented by the block's own
        # indentation (that of its first non-empty line); spaces beyond it are part of the content.
        line_no = start.line + 1
        remaining = offset
        indent: int | None = None
        while line_no <= len(self.lines):
            text = self.lines[line_no - 1]
            if indent is None and text.strip():
                indent = len(text) - len(text.lstrip(" "))
            width = indent or 0
            content = max(len(text) - width, 0)
            if remaining <= content:
                return Span(line_no, width + 1 + remaining)
            remaining -= content + 1
            line_no += 1
        return start

"""The single exception type of the template engine, and Go's position conventions.

Go's text/template reports two kinds of errors, and µTask shows users the Go text verbatim, so we keep
Go's exact message in `TemplateError.message` and add machine-friendly positions beside it:

* **parse** errors: ``template: <name>:<line>: <detail>``. Only a line, no column. The line is the line of
  the *last token the parser pulled from the lexer* (Go's ``t.token[0]``), which is usually, but not
  always, the offending token: a multi-line action can report the line of a token *after* the culprit.
  `offset` is that token's position, so `line` and `offset` always agree.
* **exec** errors: ``template: <name>:<line>:<col>: executing "<tmpl>" at <<node>>: <detail>``. Go's
  ``<col>`` is a **0-based byte offset** from the start of the line (on line 1, from the start of the
  template, which is the same thing). Non-ASCII text before the node therefore shifts Go's column.
* exec errors without a node: ``template: <name>: <detail>``; no position at all.

Our own attributes are editor-friendly and independent of Go's units:

* `line`: 1-based line (None only when Go's message has no position);
* `column`: 1-based **character** column, or None when Go's message carries no column (parse errors);
* `offset`: 0-based **character** offset into the template source, when known.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "ErrorKind",
    "TemplateError",
    "char_column",
    "exec_error",
    "exec_error_without_node",
    "go_location",
    "line_of",
    "parse_error",
]

ErrorKind = Literal["parse", "exec"]


class TemplateError(Exception):
    """Any error raised while parsing or executing a Go template (see the module docstring)."""

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind,
        line: int | None,
        column: int | None = None,
        offset: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind: ErrorKind = kind
        self.line = line
        self.column = column
        self.offset = offset

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"TemplateError({self.message!r}, kind={self.kind!r}, line={self.line!r}, "
            f"column={self.column!r}, offset={self.offset!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        # The keyword-only constructor defeats Exception's default pickling (multiprocessing needs it).
        return (_rebuild, (self.message, self.kind, self.line, self.column, self.offset))


def _rebuild(message: str, kind: ErrorKind, line: int | None, column: int | None, offset: int | None) -> TemplateError:
    return TemplateError(message, kind=kind, line=line, column=column, offset=offset)


def line_of(text: str, offset: int) -> int:
    """1-based line of a character offset."""
    return text.count("\n", 0, offset) + 1


def char_column(text: str, offset: int) -> int:
    """1-based character column of a character offset."""
    return offset - (text.rfind("\n", 0, offset) + 1) + 1


def go_location(text: str, offset: int) -> tuple[int, int]:
    """Go's ``(line, column)`` for a character offset: 1-based line, 0-based *byte* column."""
    start = text.rfind("\n", 0, offset) + 1
    prefix = text[start:offset]
    column = len(prefix) if prefix.isascii() else _utf8_len(prefix)
    return text.count("\n", 0, start) + 1, column


def _utf8_len(text: str) -> int:
    # surrogateescape maps the "\udcXX" stand-ins for invalid bytes back to one byte, as Go sees them.
    try:
        return len(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return len(text.encode("utf-8", "surrogatepass"))


def parse_error(parse_name: str, line: int, detail: str, offset: int | None) -> TemplateError:
    """A parse error formatted exactly like Go's ``(*parse.Tree).errorf``."""
    return TemplateError(
        f"template: {parse_name}:{line}: {detail}", kind="parse", line=line, column=None, offset=offset
    )


def exec_error(text: str, parse_name: str, executing: str, offset: int, context: str, detail: str) -> TemplateError:
    """An exec error at a node, formatted like Go's ``state.errorf`` (`context` is the node's String())."""
    line, go_column = go_location(text, offset)
    message = f'template: {parse_name}:{line}:{go_column}: executing "{executing}" at <{context}>: {detail}'
    return TemplateError(message, kind="exec", line=line, column=char_column(text, offset), offset=offset)


def exec_error_without_node(name: str, detail: str) -> TemplateError:
    """An exec error Go reports without a position, e.g. ``template: tmpl: <detail>``."""
    return TemplateError(f"template: {name}: {detail}", kind="exec", line=None)

"""Reading a template file into a `Document`: text, plain data, positions and the problems found.

Everything a user can get wrong here (a missing file, a binary or huge file, broken YAML, a root that
is not a mapping) becomes a diagnostic; nothing raises.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostic, JsonPath, Severity
from engine.load.source import SourceMap
from engine.load.yaml11 import Limits, YamlSyntaxError, parse_yaml

__all__ = ["MAX_FILE_BYTES", "Document", "parse_document", "read_document"]

MAX_FILE_BYTES = 8 * 1024 * 1024
DEFAULT_LIMITS = Limits()


@dataclass(slots=True)
class Document:
    """A parsed YAML file; `data` is None when it could not be read."""

    file: str
    text: str
    data: Any
    source_map: SourceMap
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Values dropped from the model because of a type error: rules stay quiet about them, since the
    # type error already says what is wrong there.
    dropped: set[JsonPath] = field(default_factory=set)

    def is_dropped(self, path: JsonPath) -> bool:
        """Whether `path` is, contains or lies inside a value dropped for a type error."""
        return any(path[: len(d)] == d or d[: len(path)] == path for d in self.dropped)

    def report(self, severity: Severity, code: str, message: str, hint: str = "", *,
               path: JsonPath = (), at_key: bool = False, offset: int | None = None,
               utask: str | None = None) -> Diagnostic:
        """Add a diagnostic positioned at `path` (its key with `at_key`, a character with `offset`)."""
        if offset is not None:
            span = self.source_map.offset_span(path, offset)
        elif at_key:
            span = self.source_map.key_span(path)
        else:
            span = self.source_map.value_span(path)
        diagnostic = Diagnostic(severity, code, message, hint, self.file, span.line, span.column,
                                span.end_line, span.end_column, path, utask)
        self.diagnostics.append(diagnostic)
        return diagnostic

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def read_document(path: str | Path, *, replace_tabs: bool = False, limits: Limits = DEFAULT_LIMITS,
                  max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read and parse a file; I/O and encoding problems become diagnostics."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        return _failed(name, "file-unreadable", f"cannot read the file: {exc.strerror or exc}",
                       "check the path and its permissions")
    if len(raw) > max_bytes:
        return _failed(name, "file-too-large", f"the file is larger than {max_bytes // (1024 * 1024)} MiB",
                       "µTask templates are far smaller: check that this is the right file")
    text, problem = _decode(raw)
    if text is None:
        assert problem is not None
        return _failed(name, "file-encoding", problem[0], "save the file as UTF-8", problem[1], problem[2])
    return parse_document(text, name, replace_tabs=replace_tabs, limits=limits)


def parse_document(text: str, file: str = "<string>", *, replace_tabs: bool = False,
                   limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse YAML text; with `replace_tabs` every TAB becomes two spaces first (µTask's test harness)."""
    if replace_tabs:
        text = text.replace("\t", "  ")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return _failed(file, "file-binary", "the file contains NUL bytes: it is not a text file",
                       "open a YAML template, not a binary file", line, 1, text)
    try:
        parsed = parse_yaml(text, limits)
    except YamlSyntaxError as exc:
        return _failed(file, exc.code, exc.message, exc.hint, exc.line, exc.column, text)
    parsed.source_map.lines = text.splitlines()
    document = Document(file, text, parsed.data, parsed.source_map)
    for problem in parsed.problems:
        diagnostic = Diagnostic(Severity.ERROR if problem.code == "yaml-duplicate-key" else Severity.WARNING,
                                problem.code, problem.message, problem.hint, file, problem.line,
                                problem.column, path=problem.path)
        document.diagnostics.append(diagnostic)
    return document


def _decode(raw: bytes) -> tuple[str | None, tuple[str, int, int] | None]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, ("the file starts like UTF-16 but is not valid UTF-16", 1, 1)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        kind = "binary data" if b"\x00" in raw[:8192] else "text that is not UTF-8"
        return None, (f"the file is {kind} (invalid UTF-8 byte 0x{raw[exc.start]:02x})", line, column)


def _failed(file: str, code: str, message: str, hint: str, line: int = 1, column: int = 1,
            text: str = "") -> Document:
    diagnostic = Diagnostic(Severity.ERROR, code, message, hint, file, line, column)
    return Document(file, text, None, SourceMap(), [diagnostic])

"""Diagnostics: what is wrong with a template, where, and how to fix it.

Every problem the loader or the validator finds becomes a `Diagnostic`. They carry a source position
(1-based line and column), a severity, a stable code (scripts and the studio key on it) and a message
that says what is wrong followed by a hint that says what to do.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Diagnostic", "JsonPath", "Severity", "did_you_mean", "format_path"]

JsonPath = tuple[str | int, ...]


class Severity(enum.StrEnum):
    """How bad a diagnostic is; only errors make a template invalid."""

    ERROR = "error"  # µTask would refuse the template (or it cannot work at all)
    WARNING = "warning"  # accepted by µTask but almost certainly a mistake
    INFO = "info"  # a remark, e.g. a deprecated form


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one file."""

    severity: Severity
    code: str
    message: str
    hint: str = ""
    file: str = "<string>"
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    path: JsonPath = ()
    # The error text a µTask server would return for this problem, when µTask has one.
    utask_message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def full_message(self) -> str:
        """The message and the hint, as one line."""
        return f"{self.message} — {self.hint}" if self.hint else self.message

    def format_text(self) -> str:
        """`FILE:LINE:COL: SEVERITY: MESSAGE [CODE]`, the CLI's text format."""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.full_message()} [{self.code}]"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "path": format_path(self.path),
        }
        if self.utask_message is not None:
            data["utask_message"] = self.utask_message
        return data


def format_path(path: JsonPath) -> str:
    """Render a JSON path the way the docs write it: `steps.fetch.dependencies[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """A `did you mean `x`?` hint naming the closest candidate, or None when none is close."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=cutoff)
    return f"did you mean `{close[0]}`?" if close else None

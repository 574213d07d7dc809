"""Helpers shared by the validator tests: validate inline templates and pick diagnostics precisely.

Templates are written inline with `textwrap.dedent`, so line 1 is the first line of the literal and every
position asserted by a test can be read off the text.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from engine.diagnostics import Diagnostic, Severity
from engine.load.functions import FunctionRegistry
from engine.validate import ValidationResult, validate_text

__all__ = ["ERROR", "INFO", "WARNING", "absent", "check", "dump", "expect", "functions_in", "no_errors", "only",
           "step_utask", "swap", "template_utask", "with_code"]

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def check(text: str, *, functions: FunctionRegistry | None = None) -> ValidationResult:
    """Validate an inline (dedented) template."""
    return validate_text(textwrap.dedent(text), functions=functions)


def functions_in(folder: Path, files: dict[str, str]) -> FunctionRegistry:
    """Write function files (dedented) into `folder` and load it like `--functions-dir`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    registry = FunctionRegistry.from_directory(folder)
    assert not [d for d in registry.diagnostics if d.is_error], registry.diagnostics
    return registry


def dump(result: ValidationResult) -> str:
    """Every diagnostic, one a line, for assertion messages."""
    return "\n".join(f"{d.format_text()} | utask={d.utask_message!r}" for d in result.diagnostics) or "(none)"


def with_code(result: ValidationResult, code: str) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.code == code]


def only(result: ValidationResult, code: str) -> Diagnostic:
    """The one diagnostic with `code` (fails if there are none or several)."""
    found = with_code(result, code)
    assert len(found) == 1, f"expected exactly one {code}, got {len(found)}:\n{dump(result)}"
    return found[0]


def expect(result: ValidationResult, code: str, line: int, column: int, *, severity: Severity = ERROR,
           utask: str | None = None, message: str | None = None) -> Diagnostic:
    """Assert the single `code` diagnostic's severity, position and, when given, its messages."""
    diagnostic = only(result, code)
    assert (diagnostic.severity, diagnostic.line, diagnostic.column) == (severity, line, column), dump(result)
    if utask is not None:
        assert diagnostic.utask_message == utask, dump(result)
    if message is not None:
        assert diagnostic.message == message, dump(result)
    return diagnostic


def absent(result: ValidationResult, code: str) -> None:
    assert not with_code(result, code), dump(result)


def no_errors(result: ValidationResult) -> None:
    assert result.ok and result.errors == [] and result.utask_errors == [], dump(result)


def swap(text: str, old: str, new: str) -> str:
    """`text` with its single occurrence of `old` replaced (a near-identical template)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def template_utask(message: str) -> str:
    return f"Invalid task template: {message}"


def step_utask(step: str, message: str) -> str:
    return f"Invalid task template: Invalid step {step}: {message}"

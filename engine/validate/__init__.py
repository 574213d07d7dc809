"""Validation and linting of µTask templates: every µTask load-time rule, with positions and hints.

    result = validate_file("my-template.yaml", functions_dir="functions/")
    for diagnostic in result.diagnostics:
        print(diagnostic.format_text())
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.diagnostics import Diagnostic, Severity
from engine.gcpause import gc_paused
from engine.load.document import Document, parse_document, read_document
from engine.load.functions import FunctionRegistry
from engine.load.models import build_template
from engine.model.template import Template
from engine.validate.conditions import check_conditions
from engine.validate.context import Checker
from engine.validate.executors import check_executors
from engine.validate.functions import validate_function_path
from engine.validate.handles import check_handles
from engine.validate.references import check_references
from engine.validate.root import check_inputs, check_root, check_variables
from engine.validate.step_schema import check_step_schema
from engine.validate.steps import check_cycles, check_step
from engine.validate.syntax import check_template_syntax

__all__ = ["ValidationResult", "validate_document", "validate_file", "validate_function_file", "validate_text"]


@dataclass(slots=True)
class ValidationResult:
    """What a validation found; `template` is None when the file could not be modelled at all."""

    document: Document
    template: Template | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error (warnings allowed)."""
        return not any(d.is_error for d in self.diagnostics)

    @property
    def utask_errors(self) -> list[str]:
        """The messages µTask itself would refuse this template with at load time."""
        return [d.utask_message for d in self.diagnostics if d.is_error and d.utask_message]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def validate_file(path: str | Path, *, functions: FunctionRegistry | None = None,
                  functions_dir: str | Path | None = None, replace_tabs: bool = False) -> ValidationResult:
    """Load and validate a template file. Functions come from `functions`, `functions_dir`, or a
    `functions/` directory beside the template when it exists."""
    if functions is None:
        functions = _default_functions(Path(path), functions_dir, replace_tabs)
    return validate_document(read_document(path, replace_tabs=replace_tabs), functions)


def validate_text(text: str, file: str = "<string>", *, functions: FunctionRegistry | None = None) -> ValidationResult:
    return validate_document(parse_document(text, file), functions or FunctionRegistry())


def validate_document(document: Document, functions: FunctionRegistry | None = None,
                      template: Template | None = None) -> ValidationResult:
    """Run every rule on a parsed document (pass `template` to skip rebuilding the model)."""
    with gc_paused():
        template = template if template is not None else build_template(document)
        if template is not None:
            checker = Checker(document, template, functions or FunctionRegistry())
            _run_rules(checker)
    document.diagnostics.sort(key=lambda d: (d.line, d.column, d.severity != Severity.ERROR))
    return ValidationResult(document, template, list(document.diagnostics))


def _run_rules(checker: Checker) -> None:
    check_root(checker)
    check_inputs(checker, "inputs")
    check_inputs(checker, "resolver_inputs")
    check_variables(checker)
    for name, step in checker.template.steps.items():
        check_step(checker, name, step)
        check_executors(checker, name, step)
        check_conditions(checker, name, step)
        check_step_schema(checker, name, step)
    check_cycles(checker)
    check_handles(checker)
    check_template_syntax(checker)
    check_references(checker)


def _default_functions(path: Path, functions_dir: str | Path | None, replace_tabs: bool) -> FunctionRegistry:
    if functions_dir is not None:
        return FunctionRegistry.from_directory(functions_dir, replace_tabs=replace_tabs)
    beside = path.parent / "functions"
    if beside.is_dir():
        return FunctionRegistry.from_directory(beside, replace_tabs=replace_tabs)
    return FunctionRegistry()


def validate_function_file(path: str | Path, functions: FunctionRegistry | None = None) -> list[Diagnostic]:
    """Check one function file on its own (other functions come from `functions` or its directory)."""
    return validate_function_path(path, functions)

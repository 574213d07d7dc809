"""Rules for function files on their own: an action that exists, a valid plugin configuration,
well-formed conditions and custom states. Problems are reported in the function file itself."""

from __future__ import annotations

from pathlib import Path

from engine.diagnostics import Diagnostic, JsonPath
from engine.load.document import Document, read_document
from engine.load.functions import FunctionRegistry
from engine.load.models import build_function
from engine.model.template import FunctionDefinition, Template
from engine.validate.actions import check_plugin_configuration
from engine.validate.conditions import OPERATORS
from engine.validate.context import BUILTIN_ACTIONS, RESERVED_STATES, Checker

__all__ = ["check_function", "function_file_diagnostics", "validate_function_path"]


def validate_function_path(path: str | Path, registry: FunctionRegistry | None = None) -> list[Diagnostic]:
    """Load and check one function file; other functions come from `registry` (default: its directory)."""
    document = read_document(path)
    definition = build_function(document)
    if definition is not None:
        known = registry if registry is not None else FunctionRegistry.from_directory(Path(path).parent)
        check_function(document, definition, known)
    return sorted(document.diagnostics, key=lambda d: (d.line, d.column))


def check_function(document: Document, definition: FunctionDefinition, registry: FunctionRegistry) -> None:
    checker = Checker(document, Template(), registry)
    name = definition.name or Path(document.file).stem
    if definition.action is None:
        checker.error("action-missing", "the function has no `action`", "add `action:` with a `type` and its "
                      "`configuration`", ("name",))
    else:
        _check_action(checker, name, definition, ("action",))
    for index, state in enumerate(definition.custom_states):
        if state in RESERVED_STATES:
            checker.error("custom-state-reserved", f'Custom state "{state}" is not allowed as it\'s a reserved '
                          "state", "pick a name of your own", ("custom_states", index))
    for index, condition in enumerate(definition.conditions):
        _check_condition(checker, condition.type, [a.operator for a in condition.if_], ("conditions", index))


def _check_action(checker: Checker, name: str, definition: FunctionDefinition, path: JsonPath) -> None:
    action = definition.action
    assert action is not None
    if action.type in BUILTIN_ACTIONS:
        if "configuration" not in action.model_fields_set:
            checker.error("configuration-missing", f"the {action.type} action has no `configuration`",
                          "add `configuration:` (µTask refuses an action without one)", path, at_key=True)
            return
        check_plugin_configuration(checker, name, action.type, action.configuration, (*path, "configuration"),
                                   None, (), "Invalid executor action")
    elif action.type not in checker.functions:
        checker.error("action-type-unknown", f"unknown action type {action.type!r}",
                      "use a builtin action or another function of this directory", (*path, "type"))


def _check_condition(checker: Checker, kind: str, operators: list[str], path: JsonPath) -> None:
    if kind not in ("skip", "check"):
        checker.error("condition-type-invalid", f"Unknown condition type: {kind}", "use `skip` or `check`",
                      (*path, "type"))
    for index, operator in enumerate(operators):
        if operator.upper() not in OPERATORS:
            checker.error("condition-operator-invalid", f"Unknown condition operator: {operator}",
                          f"use one of {', '.join(OPERATORS)}", (*path, "if", index, "operator"))


def function_file_diagnostics(registry: FunctionRegistry) -> list[Diagnostic]:
    """Check every function of a registry; returns their new diagnostics."""
    found: list[Diagnostic] = []
    for loaded in registry.functions.values():
        before = len(loaded.document.diagnostics)
        check_function(loaded.document, loaded.definition, registry)
        found.extend(loaded.document.diagnostics[before:])
    return found

"""What every validation rule works with: the document, its model, the functions, and a reporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from engine.diagnostics import Diagnostic, JsonPath, Severity
from engine.load.document import Document
from engine.load.functions import FunctionRegistry
from engine.model.graph import StepGraph
from engine.model.template import Template

__all__ = ["BUILTIN_ACTIONS", "RESERVED_STATES", "Checker"]

BUILTIN_ACTIONS = frozenset({"echo", "http", "script", "ssh", "subtask", "callback", "ping", "notify", "email",
                             "apiovh", "tag", "batch", "cache"})
RESERVED_STATES = ("TODO", "WAITING", "RUNNING", "DONE", "CLIENT_ERROR", "SERVER_ERROR", "FATAL_ERROR",
                   "CRASHED", "PRUNE", "TO_RETRY", "RETRY_NOW", "AFTERRUN_ERROR", "ANY", "EXPANDED")
_TEMPLATE_PREFIX = "Invalid task template: "


@dataclass
class Checker:
    """Shared state of one validation run."""

    document: Document
    template: Template
    functions: FunctionRegistry = field(default_factory=FunctionRegistry)

    def error(self, code: str, message: str, hint: str, path: JsonPath, *, utask: str | None = None,
              at_key: bool = False, offset: int | None = None) -> Diagnostic:
        """Report an error µTask also refuses at load; `utask` is its message (without the prefix)."""
        full = _TEMPLATE_PREFIX + utask if utask is not None else None
        if self.document.dropped and self.document.is_dropped(path):
            return Diagnostic(Severity.ERROR, code, message, hint, self.document.file, path=path, utask_message=full)
        return self.document.report(Severity.ERROR, code, message, hint, path=path, at_key=at_key,
                                    offset=offset, utask=full)

    def step_error(self, step: str, code: str, message: str, hint: str, path: JsonPath, *,
                   utask: str | None = None, at_key: bool = False) -> Diagnostic:
        """Like `error`, with µTask's `Invalid step NAME: ` prefix on the µTask message."""
        text = f"Invalid step {step}: {utask if utask is not None else message}"
        return self.error(code, message, hint, path, utask=text, at_key=at_key)

    def warning(self, code: str, message: str, hint: str, path: JsonPath, *, at_key: bool = False,
                offset: int | None = None) -> Diagnostic:
        return self.document.report(Severity.WARNING, code, message, hint, path=path, at_key=at_key,
                                    offset=offset)

    def info(self, code: str, message: str, hint: str, path: JsonPath, *, at_key: bool = False) -> Diagnostic:
        return self.document.report(Severity.INFO, code, message, hint, path=path, at_key=at_key)

    @cached_property
    def graph(self) -> StepGraph:
        return StepGraph({name: step.dependencies for name, step in self.template.steps.items()})

    def step_custom_states(self, name: str) -> list[str]:
        """A step's own custom states followed by those of its function chain (de-duplicated)."""
        step = self.template.steps[name]
        states = list(dict.fromkeys(step.custom_states))
        action_type = step.action.type if step.action else ""
        seen: set[str] = set()
        while action_type in self.functions and action_type not in seen:
            seen.add(action_type)
            function = self.functions.functions[action_type].definition
            states.extend(s for s in function.custom_states if s not in states)
            action_type = function.action.type if function.action else ""
        return states

"""What a step card shows, read from the parsed YAML mapping (always current) or from a modelled Step.

Qt-free on purpose: the scene compares these to update only the cards whose text changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from engine.diagnostics import Diagnostic, Severity
from engine.model.template import Step
from studio.document import TemplateDocument

__all__ = ["StepInfo", "problems_by_step", "step_infos"]


@dataclass(frozen=True, slots=True)
class StepInfo:
    action_type: str = ""
    description: str = ""
    foreach: bool = False
    custom_states: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, raw: Any) -> StepInfo:
        """From the step's YAML mapping as written; anything malformed shows as empty (the Problems panel
        explains it), never as an error here."""
        if not isinstance(raw, dict):
            return cls()
        action = raw.get("action")
        kind = action.get("type") if isinstance(action, dict) else None
        states = raw.get("custom_states")
        description = raw.get("description")
        return cls(
            action_type=kind if isinstance(kind, str) else "",
            description=description if isinstance(description, str) else "",
            foreach=bool(raw.get("foreach")),
            custom_states=tuple(s for s in states if isinstance(s, str)) if isinstance(states, list) else (),
        )

    @classmethod
    def from_step(cls, step: Step) -> StepInfo:
        return cls(step.action.type if step.action is not None else "", step.description, bool(step.foreach),
                   tuple(step.custom_states))


def step_infos(document: TemplateDocument) -> dict[str, StepInfo]:
    """What each card shows: from the current parse, or the last modelled template while it is broken."""
    structure = document.structure
    snapshot = document.snapshot
    if snapshot is not None:
        data = snapshot.data.get("steps") if isinstance(snapshot.data, dict) else None
        steps = data if isinstance(data, dict) else {}
        return {name: StepInfo.from_mapping(steps.get(name)) for name in structure}
    template = document.last_good_template
    known = template.steps if template is not None else {}
    return {name: StepInfo.from_step(known[name]) if name in known else StepInfo() for name in structure}


def problems_by_step(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """Errors and warnings whose path points into a step, by step name."""
    found: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        path = diagnostic.path
        if len(path) >= 2 and path[0] == "steps" and diagnostic.severity is not Severity.INFO:
            found.setdefault(str(path[1]), []).append(diagnostic)
    return found

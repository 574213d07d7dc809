"""Copy and paste of steps as YAML text (Qt-free): what is copied can be pasted into any text editor, and
YAML copied from elsewhere (a `steps:` section or bare `name: {step}` entries) pastes onto the canvas.

Pasted steps get unique names; dependencies among them follow the renames, dependencies on steps of the
document are kept, and dependencies on steps that exist nowhere are dropped (they would only be errors).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Mapping
from typing import Any

from engine.load.yaml11 import YamlSyntaxError, parse_yaml
from engine.model.graph import parse_dependency
from studio.document.emit import entry_lines
from studio.document.skeleton import unique_step_name
from studio.document.text import TextStyle

__all__ = ["PastedStep", "parse_steps", "plan_paste", "steps_yaml"]

PastedStep = tuple[str, str, dict[str, Any]]  # name as copied, name in the document, the step mapping


def steps_yaml(steps: Mapping[str, Any], style: TextStyle | None = None) -> str:
    """The steps as a `steps:` YAML section, in the document's style."""
    return "\n".join(entry_lines("steps", dict(steps), 0, style or TextStyle())) + "\n"


def parse_steps(text: str) -> dict[str, dict[str, Any]]:
    """The steps in clipboard text; empty when the text is not steps (then nothing is pasted)."""
    try:
        data = parse_yaml(text).data
    except YamlSyntaxError:
        return {}
    if isinstance(data, dict) and isinstance(data.get("steps"), dict):
        data = data["steps"]
    if not isinstance(data, dict) or not data:
        return {}
    if not all(isinstance(name, str) and isinstance(step, dict) for name, step in data.items()):
        return {}
    return dict(data)


def plan_paste(steps: Mapping[str, dict[str, Any]], existing: Collection[str]) -> list[PastedStep]:
    """New names and rewritten mappings for `steps` pasted into a document whose steps are `existing`."""
    taken = set(existing)
    names: dict[str, str] = {}
    for name in steps:
        names[name] = unique_step_name(name, taken)
        taken.add(names[name])
    return [(name, names[name], _rewritten(step, names, existing)) for name, step in steps.items()]


def _rewritten(step: dict[str, Any], names: Mapping[str, str], existing: Collection[str]) -> dict[str, Any]:
    out: dict[str, Any] = _renamed_handles(copy.deepcopy(step), {old: new for old, new in names.items() if old != new})
    dependencies = _dependencies(step.get("dependencies"), names, existing)
    if dependencies:
        out["dependencies"] = dependencies
    else:
        out.pop("dependencies", None)
    for condition in out.get("conditions") or []:
        then = condition.get("then") if isinstance(condition, dict) else None
        if isinstance(then, dict):
            condition["then"] = {names.get(key, key): value for key, value in then.items()}
    return out


def _dependencies(raw: Any, names: Mapping[str, str], existing: Collection[str]) -> list[str]:
    items = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    kept = []
    for text in items:
        if not isinstance(text, str):
            continue
        dependency = parse_dependency(text)
        if dependency.step in names:
            kept.append(names[dependency.step] + text[len(dependency.step):])
        elif dependency.step in existing:
            kept.append(text)
    return kept


def _renamed_handles(value: Any, renamed: Mapping[str, str]) -> Any:
    """`{{.step.OLD…}}` handles inside every string, renamed like the steps they point to."""
    if not renamed:
        return value
    if isinstance(value, str):
        for old, new in renamed.items():
            value = re.sub(rf"(?<![\w\])])\.step\.{re.escape(old)}(?![\w-])", f".step.{new}", value)
        return value
    if isinstance(value, dict):
        return {key: _renamed_handles(item, renamed) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed_handles(item, renamed) for item in value]
    return value

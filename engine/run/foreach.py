"""Foreach steps (spec §9): expansion into `<parent>-<i>` children and contraction into `children`."""

from __future__ import annotations

import json
from typing import Any

from engine.model.graph import parse_dependency
from engine.model.run import StepRun
from engine.model.states import StepState
from engine.templating import TemplateError, Values, load_json

__all__ = ["ForeachError", "children_entries", "make_children", "render_items"]


class ForeachError(Exception):
    pass


def _go_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    return "number"


def render_items(values: Values, foreach: str) -> list[Any]:
    """Render `foreach` in the plain context and decode a JSON array with exact numbers."""
    try:
        text = values.apply(foreach)
    except TemplateError as error:
        raise ForeachError(f"Templating error: {error.message}") from None
    try:
        items = load_json(text)
    except json.JSONDecodeError as error:
        raise ForeachError(f"invalid character in foreach value: {error.msg}") from None
    if items is None:
        return []
    if not isinstance(items, list):
        raise ForeachError(f"json: cannot unmarshal {_go_kind(items)} into Go value of type []interface {{}}")
    return items


def make_children(parent: StepRun, items: list[Any]) -> list[StepRun]:
    definition = parent.definition
    conditions = [c for c in parent.conditions
                  if c.type != "skip" or c.foreach in ("", "children")]
    sequence = definition.foreach_strategy == "sequence"
    children: list[StepRun] = []
    for index, item in enumerate(items):
        name = f"{parent.name}-{index}"
        child_definition = definition.model_copy(update={
            "description": f"{index} - {definition.description}", "pre_hook": None, "execution_delay": 0,
            "foreach": "", "foreach_strategy": "", "conditions": conditions})
        dependencies = list(parent.dependencies)
        if sequence and index > 0:
            dependencies.append(f"{parent.name}-{index - 1}")
        children.append(StepRun(name, child_definition, max_retries=parent.max_retries, item=item,
                                dependencies=dependencies, conditions=list(conditions), is_child=True,
                                parent=parent.name))
    return children


def children_entries(children: list[StepRun]) -> list[dict[str, Any]]:
    """The `children` of a contracted parent (§9.3): PRUNE children left out, no `error` key."""
    entries: list[dict[str, Any]] = []
    for child in children:
        if child.state == StepState.PRUNE:
            continue
        entry: dict[str, Any] = {}
        if child.output is not None:
            entry["output"] = child.output
        metadata = dict(child.metadata) if isinstance(child.metadata, dict) else {}
        metadata["iterator"] = child.item
        entry["metadata"] = metadata
        entry["state"] = child.state
        entries.append(entry)
    return entries


def without_children(dependencies: list[str], children: set[str]) -> list[str]:
    return [d for d in dependencies if parse_dependency(d).step not in children]


__all__ += ["without_children"]

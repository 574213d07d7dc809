"""New steps from the palette: a unique name and a configuration skeleton taken from the action's schema
(required fields filled with their first example or an empty value of their type), or from a function's
arguments. Qt-free, so the canvas drop and the tests share it.

    name, step = new_step("http", existing=document.structure)
    session.push(AddStep(name, step))
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from engine.load.functions import FunctionRegistry
from schemas import action_types, load_schema

__all__ = ["ACTION_MIME", "FUNCTION_MIME", "config_skeleton", "new_step", "unique_step_name"]

# Drag-and-drop payloads from the palette: the action type, or the function name, as UTF-8.
ACTION_MIME = "application/x-utask-action"
FUNCTION_MIME = "application/x-utask-function"

_EMPTY_OF_TYPE: dict[str, Any] = {"string": "", "object": {}, "array": [], "integer": 0, "number": 0,
                                  "boolean": False}
# Actions whose empty configuration would be refused by µTask: give them a useful start.
_FRIENDLY_DEFAULTS: dict[str, dict[str, Any]] = {
    "echo": {"output": {}},
    "http": {"method": "GET", "url": "https://"},
}


def new_step(kind: str, existing: Collection[str], *, functions: FunctionRegistry | None = None,
             description: str = "") -> tuple[str, dict[str, Any]]:
    """A unique name and a step mapping for an action type or a function of `functions`."""
    name = unique_step_name(_base_name(kind), existing)
    step: dict[str, Any] = {"description": description or f"New {kind} step"}
    step["action"] = {"type": kind, "configuration": _configuration_for(kind, functions)}
    return name, step


def unique_step_name(base: str, existing: Collection[str]) -> str:
    """`base`, or `base2`, `base3`… — the first that no step uses."""
    if base not in existing:
        return base
    number = 2
    while f"{base}{number}" in existing:
        number += 1
    return f"{base}{number}"


def config_skeleton(action_type: str) -> dict[str, Any]:
    """The required fields of an action's configuration, each with a first example or an empty value."""
    if action_type in _FRIENDLY_DEFAULTS:
        return dict(_FRIENDLY_DEFAULTS[action_type])
    schema = load_schema(f"actions/{action_type}")
    properties = schema.get("properties", {})
    return {key: _placeholder(properties.get(key, {})) for key in schema.get("required", [])}


def _configuration_for(kind: str, functions: FunctionRegistry | None) -> dict[str, Any]:
    if kind in action_types():
        return config_skeleton(kind)
    loaded = functions.get(kind) if functions is not None else None
    arguments = loaded.arguments if loaded is not None else ()
    return {argument: "" for argument in arguments}


def _placeholder(schema: dict[str, Any]) -> Any:
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    return _EMPTY_OF_TYPE.get(kind if isinstance(kind, str) else "string", "")


def _base_name(kind: str) -> str:
    # Function names look like `chat::post`; step names only take letters, digits, `_` and `-`.
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", kind.split("::")[-1]).strip("_-")
    return cleaned or "step"

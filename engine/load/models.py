"""Turning a parsed document into the pydantic models, with every type error reported in place.

A type error does not stop the rest of the analysis: the offending value is dropped (it becomes the
Go zero value) and the model is built again, so one bad field never hides the other problems.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.diagnostics import JsonPath, Severity, did_you_mean
from engine.load.document import Document
from engine.model.template import (
    KNOWN_KEYS,
    Assertion,
    Condition,
    Executor,
    FunctionDefinition,
    Input,
    OutputStrategy,
    Step,
    Template,
    Variable,
)
from engine.model.types import go_type_name

__all__ = ["build_function", "build_template"]

ModelT = TypeVar("ModelT", bound=BaseModel)

# Run-time step fields µTask refuses in a template; they are reported by the validator, not as unknown.
STEP_RUNTIME_FIELDS = frozenset({"state", "children_steps", "children_steps_map", "output", "metadata", "tags",
                                 "children", "error", "try_count", "last_run", "item"})
_MAX_REPAIR_ROUNDS = 8


def build_template(document: Document) -> Template | None:
    """The Template model of a document, or None when its root is unusable."""
    return _build(document, Template, "template")


def build_function(document: Document) -> FunctionDefinition | None:
    """The FunctionDefinition model of a function file, or None when its root is unusable."""
    return _build(document, FunctionDefinition, "function file")


def _build(document: Document, model: type[ModelT], what: str) -> ModelT | None:
    data = document.data
    if document.has_errors and data is None:
        return None
    if data is None:
        document.report(Severity.ERROR, "file-empty", f"the {what} is empty",
                        "start from a sample: `name`, `description`, `title_format` and `steps` are needed")
        return None
    if not isinstance(data, dict):
        document.report(Severity.ERROR, "root-not-mapping",
                        f"the {what} must be a mapping of keys to values, not a {go_type_name(data)}",
                        "write `key: value` lines at the top level, e.g. `name: my-template`")
        return None
    instance = _validate_repairing(document, model, data)
    _warn_unknown_keys(document, model, data)
    return instance


def _validate_repairing(document: Document, model: type[ModelT], data: dict[str, Any]) -> ModelT | None:
    try:
        return model.model_validate(data)
    except ValidationError as first_error:
        errors = first_error.errors()
    repaired = copy.deepcopy(data)
    reported: set[JsonPath] = set()
    for _ in range(_MAX_REPAIR_ROUNDS):
        for error in errors:
            path = tuple(error["loc"])
            if path not in reported:
                reported.add(path)
                document.dropped.add(path)
                _report_type_error(document, path, error, data)
            _drop(repaired, path)
        try:
            return model.model_validate(repaired)
        except ValidationError as again:
            errors = again.errors()
    return None


def _report_type_error(document: Document, path: JsonPath, error: Any, data: dict[str, Any]) -> None:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected a mapping, got {go_type_name(error.get('input'))}"
    elif error["type"] == "list_type":
        message = f"expected a list, got {go_type_name(error.get('input'))}"
    field = _field_label(path)
    hint = _type_hint(message)
    document.report(Severity.ERROR, "type-mismatch", f"{field}: {message}", hint, path=path,
                    utask=f"json: cannot unmarshal {go_type_name(error.get('input'))} into Go struct field "
                          f"{field}")


def _field_label(path: JsonPath) -> str:
    names = [str(part) for part in path if isinstance(part, str)]
    return f"`{names[-1]}`" if names else "value"


def _type_hint(message: str) -> str:
    if "a string" in message:
        return "write a single text value here (quote it if it contains `: ` or starts with a special character)"
    if "a boolean" in message:
        return "write true or false"
    if "an integer" in message:
        return "write a whole number"
    if "a list" in message:
        return "write a YAML list, e.g. `[a, b]` or one `- item` per line"
    if "a mapping" in message:
        return "write `key: value` pairs here"
    return "fix the value's type"


def _drop(data: Any, path: JsonPath) -> None:
    """Remove the value at `path` so the model can be rebuilt without it."""
    parent = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1] if path else None
    if isinstance(parent, dict) and last in parent:
        del parent[last]
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = {} if isinstance(parent[last], dict | list) else None


def _warn_unknown_keys(document: Document, model: type[BaseModel], data: dict[str, Any]) -> None:
    if model is Template:
        _check_keys(document, Template, data, ())
        for list_key in ("inputs", "resolver_inputs"):
            _check_each(document, Input, data.get(list_key), (list_key,))
        _check_each(document, Variable, data.get("variables"), ("variables",))
        steps = data.get("steps")
        if isinstance(steps, dict):
            for name, step in steps.items():
                _check_step(document, step, ("steps", name))
    else:
        _check_keys(document, FunctionDefinition, data, ())
        _check_executor(document, data.get("action"), ("action",))
        _check_executor(document, data.get("pre_hook"), ("pre_hook",))
        _check_conditions(document, data.get("conditions"), ("conditions",))


def _check_step(document: Document, step: Any, path: JsonPath) -> None:
    if not isinstance(step, dict):
        return
    _check_keys(document, Step, step, path, ignore=STEP_RUNTIME_FIELDS)
    _check_executor(document, step.get("action"), (*path, "action"))
    _check_executor(document, step.get("pre_hook"), (*path, "pre_hook"))
    _check_conditions(document, step.get("conditions"), (*path, "conditions"))


def _check_executor(document: Document, executor: Any, path: JsonPath) -> None:
    if isinstance(executor, dict):
        _check_keys(document, Executor, executor, path)
        if isinstance(executor.get("output"), dict):
            _check_keys(document, OutputStrategy, executor["output"], (*path, "output"))


def _check_conditions(document: Document, conditions: Any, path: JsonPath) -> None:
    if not isinstance(conditions, list):
        return
    for index, condition in enumerate(conditions):
        if isinstance(condition, dict):
            _check_keys(document, Condition, condition, (*path, index))
            _check_each(document, Assertion, condition.get("if"), (*path, index, "if"))


def _check_each(document: Document, model: type[BaseModel], items: Any, path: JsonPath) -> None:
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                _check_keys(document, model, item, (*path, index))


def _check_keys(document: Document, model: type[BaseModel], data: dict[str, Any], path: JsonPath,
                ignore: frozenset[str] = frozenset()) -> None:
    known = KNOWN_KEYS[model]  # type: ignore[index]
    for key in data:
        if key not in known and key not in ignore:
            document.report(Severity.WARNING, "unknown-key", f"unknown key `{key}` is ignored by µTask",
                            _unknown_key_hint(key, known), path=(*path, key), at_key=True)


def _unknown_key_hint(key: str, known: frozenset[str]) -> str:
    return did_you_mean(key, sorted(known), cutoff=0.75) or "remove it, or check its indentation"

"""Task and resolution creation (spec §3.2, §16): input checks, defaults, floats, run_max."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from engine.model.run import Resolution, StepRun, Task
from engine.model.states import ResolutionState, TaskState
from engine.model.template import Input, Template
from engine.run.context import exact, to_float_numbers
from engine.templating import TemplateError, Values
from engine.validate.root import input_value_problem

__all__ = ["InputError", "check_inputs", "new_resolution", "new_task"]


class InputError(ValueError):
    """Inputs refused at creation (µTask's message); `name` is the input concerned."""

    def __init__(self, message: str, name: str = "") -> None:
        super().__init__(message)
        self.name = name


def check_inputs(definitions: list[Input], given: Mapping[str, Any], *, filter_undeclared: bool) -> dict[str, Any]:
    """Defaults applied, values checked (InputError), undeclared inputs dropped when `filter_undeclared`."""
    declared = {d.name for d in definitions}
    values = {k: v for k, v in given.items() if k in declared} if filter_undeclared else dict(given)
    for definition in definitions:
        value = values.get(definition.name)
        if value is None or value == "":
            if definition.default is not None:
                values[definition.name] = definition.default
                continue
            if definition.optional:
                if value is None:
                    values.pop(definition.name, None)
                continue
            raise InputError(f"Missing input '{definition.name}'", definition.name)
        problem = input_value_problem(definition, value)
        if problem:
            raise InputError(problem, definition.name)
    checked: dict[str, Any] = to_float_numbers(values)
    return checked


_SCHEMA_VERSIONS = {"3": "http://json-schema.org/draft-03/schema#", "4": "http://json-schema.org/draft-04/schema#",
                    "6": "http://json-schema.org/draft-06/schema#", "7": "http://json-schema.org/draft-07/schema#"}


def normalize_schema(schema: Any) -> Any:
    """µTask's json_schema normalization: keep `$schema`, else derive it from `version` (default draft-07)."""
    if not isinstance(schema, dict):
        return schema
    schema = dict(schema)
    version = schema.pop("version", None)
    if "$schema" not in schema:
        schema["$schema"] = _SCHEMA_VERSIONS.get(str(version), _SCHEMA_VERSIONS["7"])
    return schema


def new_id() -> str:
    return str(uuid.uuid4())


def new_task(template: Template, inputs: Mapping[str, Any], now: datetime.datetime, *,
             requester: str = "") -> Task:
    checked = check_inputs(template.inputs, inputs, filter_undeclared=True)
    task = Task(new_id(), template.normalized_name, "", checked, requester_username=requester, created=now,
                last_activity=now)
    values = Values(input=checked, task={"task_id": task.id})
    for key, value in template.tags.items():
        try:
            task.tags[key] = values.apply(value)
        except TemplateError:
            task.tags[key] = value
    if template.title_format:
        try:
            task.title = values.apply(template.title_format)
        except TemplateError:
            task.title = template.title_format
    return task


def new_resolution(template: Template, task: Task, resolver_inputs: Mapping[str, Any] | None,
                   now: datetime.datetime) -> Resolution:
    checked = check_inputs(template.resolver_inputs, resolver_inputs or {}, filter_undeclared=False)
    steps = {}
    for name, definition in template.steps.items():
        if definition.json_schema is not None:
            definition = definition.model_copy(update={"json_schema": normalize_schema(definition.json_schema)})
        steps[name] = StepRun.from_definition(name, definition)
    resolution = Resolution(new_id(), task.id, steps, ResolutionState.TODO, checked,
                            exact(template.base_configurations), run_max=template.retry_max or 100, created=now)
    task.resolution_id = resolution.id
    task.state = TaskState.TODO
    return resolution

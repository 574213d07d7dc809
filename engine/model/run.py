"""Run-time records: tasks, resolutions and the steps inside a resolution (spec §1, §5.1, §11).

A *task* is a template instantiated with inputs; its *resolution* carries a copy of the template's
steps, each with its live state, output, metadata, children, error and try count. The engine mutates
these records; the store persists them incrementally (a step at a time), so they stay plain dataclasses
with JSON-compatible fields.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from engine.model.states import ResolutionState, StepState, TaskState
from engine.model.template import Condition, Executor, Step

__all__ = ["Resolution", "StepRun", "Task"]


@dataclass(slots=True)
class StepRun:
    """One step of a resolution: its definition (copied from the template) and its live data."""

    name: str
    definition: Step
    state: str = StepState.TODO
    output: Any = None
    metadata: Any = None
    children: list[Any] | None = None
    error: str = ""
    try_count: int = 0
    max_retries: int = 0
    last_run: datetime.datetime | None = None
    item: Any = None  # the foreach element of a child step
    children_steps: list[str] = field(default_factory=list)  # a foreach parent's current children
    tags: dict[str, str] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)  # live: foreach parents gain `child:ANY`
    conditions: list[Condition] = field(default_factory=list)  # live: rendered messages are kept
    is_child: bool = False  # a foreach child (`<parent>-<i>`)
    parent: str = ""  # the foreach parent of a child
    dry_run: dict[str, Any] | None = None  # dry runs: what the side-effect action would have done (describe())

    @classmethod
    def from_definition(cls, name: str, definition: Step) -> StepRun:
        return cls(name, definition, max_retries=definition.max_retries,
                   dependencies=list(definition.dependencies), conditions=list(definition.conditions))

    @property
    def action(self) -> Executor | None:
        return self.definition.action


@dataclass(slots=True)
class Resolution:
    """The execution record of a task."""

    id: str
    task_id: str
    steps: dict[str, StepRun]
    state: str = ResolutionState.TODO
    resolver_inputs: dict[str, Any] = field(default_factory=dict)
    base_configurations: dict[str, Any] = field(default_factory=dict)
    run_count: int = 0
    run_max: int = 100
    next_retry: datetime.datetime | None = None
    last_start: datetime.datetime | None = None
    last_stop: datetime.datetime | None = None
    created: datetime.datetime | None = None


@dataclass(slots=True)
class Task:
    """A template instantiated with its requester's inputs."""

    id: str
    template_name: str
    title: str
    inputs: dict[str, Any]
    state: str = TaskState.TODO
    tags: dict[str, str] = field(default_factory=dict)
    result: Any = None
    requester_username: str = ""
    resolver_username: str = ""
    created: datetime.datetime | None = None
    last_activity: datetime.datetime | None = None
    resolution_id: str | None = None

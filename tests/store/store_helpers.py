"""Builders shared by the store tests, the SIGKILL writer and the benchmark."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from engine.model.run import Resolution, StepRun, Task
from engine.model.template import Step
from engine.templating.gotypes import JSONNumber


def step_definition(index: int, **extra: Any) -> Step:
    return Step.model_validate({
        "description": f"step {index}",
        "action": {"type": "echo", "configuration": {"output": {"index": JSONNumber(str(index)),
                                                                "when": JSONNumber("1619464078")}}},
        "dependencies": [f"s{index - 1}"] if index else [],
        "max_retries": 3,
        **extra,
    })


def make_steps(count: int, prefix: str = "s") -> dict[str, StepRun]:
    return {f"{prefix}{i}": StepRun.from_definition(f"{prefix}{i}", step_definition(i)) for i in range(count)}


def make_task(task_id: str = "t1", template: str = "hello", **fields: Any) -> Task:
    values: dict[str, Any] = {"title": f"task {task_id}", "inputs": {}}
    values.update(fields)
    return Task(id=task_id, template_name=template, **values)


def make_resolution(task_id: str = "t1", resolution_id: str = "r1", steps: int = 3, **fields: Any) -> Resolution:
    return Resolution(id=resolution_id, task_id=task_id, steps=make_steps(steps), **fields)


def reader(path: Path) -> sqlite3.Connection:
    """A plain second connection, to look at the file the way another process would."""
    return sqlite3.connect(path, isolation_level=None)

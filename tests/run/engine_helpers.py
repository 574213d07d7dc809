"""Helpers of the engine tests: templates from YAML text, a run in one call, a fixed clock."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

from engine.load.document import parse_document
from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution, Task
from engine.model.template import Template
from engine.run.engine import Engine
from engine.validate import validate_document

T0 = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime.datetime:
        return self.now


def template(text: str, functions: FunctionRegistry | None = None) -> Template:
    if "\ndescription:" not in text:
        text = text.replace("\nsteps:", "\ndescription: a test\ntitle_format: a test\nsteps:", 1)
    result = validate_document(parse_document(text, "test.yaml"), functions or FunctionRegistry())
    assert result.ok, [d.message for d in result.errors]
    assert result.template is not None
    return result.template


def run(text: str, inputs: dict[str, Any] | None = None, *, runs: int = 1, engine: Engine | None = None,
        **kwargs: Any) -> tuple[Engine, Task, Resolution]:
    """Create a task from `text` and run its resolution `runs` times."""
    engine = engine or Engine(clock=Clock())

    async def go() -> tuple[Task, Resolution]:
        task, resolution = await engine.create(template(text, engine.functions), inputs or {})
        for _ in range(runs):
            await engine.run(resolution.id, **kwargs)
        return task, resolution

    task, resolution = asyncio.run(go())
    return engine, task, resolution


def states(resolution: Resolution) -> dict[str, str]:
    return {name: step.state for name, step in resolution.steps.items()}

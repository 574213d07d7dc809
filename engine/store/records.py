"""How each field of the run-time records maps to a column, and the store's own small records.

A `Column` knows how to write a Python value (`to_db`), read it back (`from_db`) and show a stored value
as JSON text in the audit trail (`audit`). The audit keeps the stored text verbatim, so "from → to" is
exactly what was in the database before and after, numbers included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.model.run import StepRun
from engine.model.template import Condition, Step, Template
from engine.store.codec import NumberMode, datetime_text, decode, encode, parse_datetime
from engine.store.models import dump_model, dump_models, load_model, load_models

__all__ = [
    "RESOLUTION_COLUMNS",
    "STEP_COLUMNS",
    "TASK_COLUMNS",
    "AuditEntry",
    "Callback",
    "Column",
    "ResolutionInfo",
    "StepChange",
    "StoredTemplate",
]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    to_db: Callable[[Any], Any]
    from_db: Callable[[Any], Any]
    audit: Callable[[Any], str | None]  # stored value → JSON text


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return int(value)


def _date_to_db(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    return datetime_text(value)


def _date_from_db(value: Any) -> dt.datetime | None:
    return None if value is None else parse_datetime(value)


def _json_or_null(value: Any) -> str | None:
    return None if value is None else encode(value)


def _same(value: Any) -> Any:
    return value


def _text_column(name: str) -> Column:
    return Column(name, _text, _same, encode)


def _int_column(name: str) -> Column:
    return Column(name, _int, _same, str)


def _date_column(name: str) -> Column:
    return Column(name, _date_to_db, _date_from_db, _json_or_null)


def _json_column(name: str, *, nullable: bool, numbers: NumberMode = "exact") -> Column:
    def from_db(value: Any) -> Any:
        return None if value is None else decode(value, numbers)

    def audit(value: Any) -> str:
        return "null" if value is None else str(value)

    return Column(name, _json_or_null if nullable else encode, from_db, audit)


def _definition_to_db(value: Any) -> str:
    if not isinstance(value, Step):
        raise TypeError(f"expected a Step, got {type(value).__name__}")
    return dump_model(value)


def _conditions_to_db(value: Any) -> str:
    if not isinstance(value, list) or not all(isinstance(item, Condition) for item in value):
        raise TypeError("expected a list of Condition")
    return dump_models(value)


def _as_is(value: Any) -> str:
    return str(value)


STEP_COLUMNS: dict[str, Column] = {column.name: column for column in (
    _text_column("state"),
    _json_column("output", nullable=True),
    _json_column("metadata", nullable=True),
    _json_column("children", nullable=True),
    _text_column("error"),
    _int_column("try_count"),
    _int_column("max_retries"),
    _date_column("last_run"),
    _json_column("item", nullable=True),
    _json_column("children_steps", nullable=False),
    _json_column("tags", nullable=False),
    _json_column("dependencies", nullable=False),
    Column("conditions", _conditions_to_db, lambda text: load_models(Condition, text), _as_is),
    Column("definition", _definition_to_db, lambda text: load_model(Step, text), _as_is),
    _json_column("dry_run", nullable=True),  # schema version 2
)}

RESOLUTION_COLUMNS: dict[str, Column] = {column.name: column for column in (
    _text_column("state"),
    _json_column("resolver_inputs", nullable=False, numbers="float"),
    _json_column("base_configurations", nullable=False),
    _int_column("run_count"),
    _int_column("run_max"),
    _date_column("next_retry"),
    _date_column("last_start"),
    _date_column("last_stop"),
)}

# `tags` are kept in their own table; they are a task field all the same (audited as one JSON object).
TASK_COLUMNS: dict[str, Column] = {column.name: column for column in (
    _text_column("title"),
    _text_column("state"),
    _json_column("inputs", nullable=False, numbers="float"),
    _json_column("result", nullable=True),
    _text_column("requester_username"),
    _text_column("resolver_username"),
)}
TAGS_COLUMN = _json_column("tags", nullable=False)


def step_row(step: StepRun) -> list[Any]:
    """The values of `STEP_COLUMNS` for a step, in order."""
    return [column.to_db(getattr(step, name)) for name, column in STEP_COLUMNS.items()]


def step_from_row(name: str, row: tuple[Any, ...]) -> StepRun:
    values = {key: column.from_db(raw) for (key, column), raw in zip(STEP_COLUMNS.items(), row, strict=True)}
    return StepRun(name=name, **values)


@dataclass(frozen=True, slots=True)
class StepChange:
    """New values for some fields of one step (names as in `StepRun`: state, output, try_count…)."""

    step: str
    fields: Mapping[str, Any]
    # The values are stored values already (what `STEP_COLUMNS[name].to_db` gives): a caller that encoded
    # them to compare with what it wrote before passes them on instead of having them encoded twice.
    encoded: bool = False

    def __post_init__(self) -> None:
        if STEP_COLUMNS.keys() >= self.fields.keys():  # the usual case, checked without building sets
            return
        unknown = sorted(set(self.fields) - STEP_COLUMNS.keys())
        if unknown:
            raise ValueError(f"not step fields: {', '.join(unknown)} (known: {', '.join(STEP_COLUMNS)})")

    @classmethod
    def set(cls, step: str, **fields: Any) -> StepChange:
        return cls(step, fields)

    @classmethod
    def of(cls, run: StepRun, *fields: str) -> StepChange:
        """The current values of `fields` of a StepRun (all of them when none is named)."""
        return cls(run.name, {name: getattr(run, name) for name in (fields or tuple(STEP_COLUMNS))})


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One changed field: `step` is None for task and resolution fields; `old`/`new` are decoded JSON."""

    id: int
    task_id: str
    resolution_id: str | None
    step: str | None
    field: str
    old: Any
    new: Any
    at: dt.datetime
    reason: str


@dataclass(frozen=True, slots=True)
class ResolutionInfo:
    """A resolution without its steps, with its task's template and title (for lists)."""

    id: str
    task_id: str
    template_name: str
    title: str
    state: str
    run_count: int
    run_max: int
    next_retry: dt.datetime | None
    last_start: dt.datetime | None
    last_stop: dt.datetime | None
    created: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredTemplate:
    name: str  # as written
    normalized: str
    template: Template
    source: str | None
    etag: str
    updated: dt.datetime


@dataclass(frozen=True, slots=True)
class Callback:
    id: str
    token: str
    task_id: str
    resolution_id: str
    step: str
    schema: Any
    body: Any = None
    called: dt.datetime | None = None
    created: dt.datetime | None = None

"""Shared pieces of the run views (inspector, history, timeline): run data as plain JSON, bounded previews,
state colours and chips, times and durations as text, and blocking work moved off the UI thread.

Run records hold engine values (`JSONNumber` keeping a number's exact text, datetimes, state enums, pydantic
models); `json_data` turns them into plain JSON data and `kind_of` names their JSON type. Previews and the raw
JSON text are bounded so a 10 MB output never freezes the UI.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import QObject, QRectF, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QLabel
from shiboken6 import isValid

from engine.model.run import Resolution, Task
from engine.store import AuditEntry, reads
from engine.templating.gotypes import JSONNumber
from studio.theme import state_colour

__all__ = [
    "DRY_RUN_COLOUR",
    "DRY_RUN_TAG",
    "BackgroundCall",
    "chip_colours",
    "bounded_json",
    "format_clock",
    "is_object",
    "iter_items",
    "iter_json",
    "outlined_chip_style",
    "format_duration",
    "json_data",
    "json_text",
    "kind_of",
    "mute",
    "paint_chip",
    "preview",
    "read_only",
    "read_run",
    "resolution_colour",
    "size_of",
    "step_chip_style",
]

# The task tag the run panel sets ("true"/"false") so the history can show whether a run was a dry run:
# the store has no column for it.
DRY_RUN_TAG = "_studio_dry_run"
DRY_RUN_COLOUR = "#bf8700"  # the amber of dry-run marks (the run panel's banner uses it too)

# µTask's resolution state badge (spec/utask-dashboard.md §4.1); other states get its default grey.
_RESOLUTION_COLOURS = {
    "DONE": "#28a745",
    "TODO": "#007bff",
    "RUNNING": "#007bff",
    "WAITING": "#8a2be2",
    "TO_AUTORUN_DELAYED": "#8a2be2",
    "CANCELLED": "#fd7e14",
    "PAUSED": "#fd7e14",
    "ERROR": "#fd7e14",
    "BLOCKED_MAXRETRIES": "#dc3545",
    "BLOCKED_BADREQUEST": "#dc3545",
    "BLOCKED_FATAL": "#dc3545",
}
_RESOLUTION_DEFAULT = "#9ca3af"


def resolution_colour(state: str) -> QColor:
    return QColor(_RESOLUTION_COLOURS.get(state, _RESOLUTION_DEFAULT))


def chip_colours(background: QColor) -> tuple[QColor, QColor]:
    """(fill, text) of a solid chip: white text on dark fills, near-black on light ones (TODO, PRUNE)."""
    text = QColor("#1f2328") if background.lightnessF() > 0.62 else QColor("white")
    return background, text


def paint_chip(painter: QPainter, rect: QRectF, text: str, background: QColor, *, outlined: bool = False) -> QRectF:
    """A rounded state chip fitted to `text`, vertically centred in `rect`; returns the chip's rectangle.
    `outlined`: a quiet tag (coloured border and text) rather than a solid badge."""
    metrics = painter.fontMetrics()
    height = min(rect.height() - 4, metrics.height() + 4)
    width = min(rect.width(), metrics.horizontalAdvance(text) + 14)
    chip = QRectF(rect.left(), rect.center().y() - height / 2, width, height)
    fill, ink = chip_colours(background)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if outlined:
        painter.setPen(background)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(chip.adjusted(0.5, 0.5, -0.5, -0.5), height / 2, height / 2)
        ink = background.darker(115)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, height / 2, height / 2)
    painter.setPen(ink)
    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return chip


def step_chip_style(state: str) -> str:
    """A style sheet making a QLabel a step-state chip in µTask's colour."""
    fill, ink = chip_colours(state_colour(state))
    return (f"QLabel {{ background: {fill.name()}; color: {ink.name()}; border-radius: 9px; padding: 1px 9px;"
            " font-weight: 600; }")


def mute(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour, so it follows light/dark theme changes."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def outlined_chip_style(colour: str) -> str:
    """A style sheet making a QLabel a quiet outlined tag (the inspector's "dry run")."""
    ink = QColor(colour).darker(115).name()
    return f"QLabel {{ border: 1px solid {colour}; color: {ink}; border-radius: 9px; padding: 0px 8px; }}"


# -------------------------------------------------------------------------------------------- JSON data

def json_data(value: Any) -> Any:
    """Engine values as plain JSON data: exact numbers as numbers, dates as ISO text, models as mappings."""
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, JSONNumber):
        return _number(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, enum.Enum):
        return json_data(value.value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_data(item) for item in value]
    if isinstance(value, BaseModel):
        return json_data(value.model_dump(mode="python", by_alias=True, exclude_unset=True))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: json_data(getattr(value, field.name)) for field in dataclasses.fields(value)}
    return str(value)


def _number(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return str(value)


def json_text(value: Any) -> str:
    """The whole value as indented JSON (for the clipboard)."""
    return json.dumps(json_data(value), indent=2, ensure_ascii=False)


def kind_of(value: Any) -> str:
    """The JSON type name of an engine value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, JSONNumber | int | float) and not isinstance(value, enum.Enum):
        return "number"
    if isinstance(value, Mapping | BaseModel):
        return "object"
    if isinstance(value, list | tuple | set | frozenset):
        return "array"
    if isinstance(value, dt.datetime):
        return "date"
    return "string"


def iter_items(value: Any) -> Iterator[tuple[str, Any]] | None:
    """(key, value) pairs of a container, lazily (list indexes as keys); None for scalars."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return ((str(key), item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return ((str(index), item) for index, item in enumerate(value))
    return None


def is_object(value: Any) -> bool:
    return isinstance(value, Mapping | BaseModel)


def size_of(value: Any) -> int:
    """How many items a container holds (0 for scalars), without copying it."""
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return len(value)
    if isinstance(value, BaseModel):
        return len(value.model_fields_set)
    return 0


def iter_json(value: Any, indent: int = 2, level: int = 0) -> Iterator[str]:
    """Indented JSON text of `value` in small pieces, so a caller can stop early (bounded previews)."""
    items = iter_items(value)
    if items is None:
        yield json.dumps(json_data(value), ensure_ascii=False)
        return
    keyed = is_object(value)
    opening, closing = ("{", "}") if keyed else ("[", "]")
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    empty = True
    for key, item in items:
        yield (opening + "\n" if empty else ",\n") + inner
        empty = False
        if keyed:
            yield json.dumps(key, ensure_ascii=False) + ": "
        yield from iter_json(item, indent, level + 1)
    yield opening + closing if empty else "\n" + pad + closing


def bounded_json(value: Any, limit: int) -> tuple[str, bool]:
    """(JSON text of at most about `limit` characters, whether it was cut)."""
    pieces: list[str] = []
    length = 0
    for piece in iter_json(value):
        pieces.append(piece)
        length += len(piece)
        if length > limit:
            return "".join(pieces)[:limit], True
    return "".join(pieces), False


def preview(value: Any, limit: int = 120) -> str:
    """A one-line preview (`{"a": 1, "b": […]}`, a string cut with …), reading only what fits in `limit`."""
    text, cut = _preview(value, limit, depth=0)
    return text if not cut and len(text) <= limit else text[: limit - 1] + "…"


def _preview(value: Any, limit: int, depth: int) -> tuple[str, bool]:
    items = iter_items(value)
    if items is None:
        plain_text = isinstance(value, str) and not isinstance(value, JSONNumber | enum.Enum)
        text = json.dumps(value[: limit + 1], ensure_ascii=False) if plain_text else \
            json.dumps(json_data(value), ensure_ascii=False)
        return text, len(text) > limit
    keyed = is_object(value)
    opening, closing = ("{", "}") if keyed else ("[", "]")
    if depth >= 2:
        return (opening + "…" + closing, False) if size_of(value) else (opening + closing, False)
    parts: list[str] = []
    used = 2
    for key, item in items:
        text, _ = _preview(item, limit - used, depth + 1)
        part = f"{json.dumps(key, ensure_ascii=False)}: {text}" if keyed else text
        parts.append(part)
        used += len(part) + 2
        if used > limit:
            return opening + ", ".join(parts), True
    return opening + ", ".join(parts) + closing, False


# -------------------------------------------------------------------------------------------- times

def format_clock(moment: dt.datetime | None, *, date: bool = False, millis: bool = False) -> str:
    """A moment in local time: `14:02:41` (`.123` with millis), prefixed with the date when asked."""
    if moment is None:
        return "—"
    local = moment.astimezone() if moment.tzinfo is not None else moment
    text = local.strftime("%H:%M:%S") + (f".{local.microsecond // 1000:03d}" if millis else "")
    return f"{local:%Y-%m-%d} {text}" if date else text


def format_duration(seconds: float | None) -> str:
    """`840 µs`, `12 ms`, `1.4 s`, `2 min 05 s`, `1 h 02 min`."""
    if seconds is None:
        return "—"
    seconds = max(0.0, seconds)
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


# -------------------------------------------------------------------------------------------- threads

class _Relay(QObject):
    """Lives on the UI thread: a signal emitted from a worker is delivered there (queued)."""

    finished = Signal(object, object)  # result, exception


# Relays in flight, released only on the UI thread once delivered: if a worker dropped the last reference, the
# QObject would be destroyed on the worker's thread, which Qt does not allow.
_IN_FLIGHT: set[_Relay] = set()


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - delivered to the UI, which shows it
            self._relay.finished.emit(None, error)
        else:
            self._relay.finished.emit(result, None)


class BackgroundCall(QObject):
    """Runs blocking callables (SQLite reads, store deletes) on the thread pool and hands each result to a
    callback on the UI thread. Only the latest call's result is delivered when `latest_only`: a refresh
    started after another makes the older one stale."""

    def __init__(self, parent: QObject | None = None, *, latest_only: bool = True) -> None:
        super().__init__(parent)
        self._latest_only = latest_only
        self._generation = 0
        self._pending: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def start(self, work: Callable[[], Any], done: Callable[[Any, BaseException | None], None]) -> None:
        self._generation += 1
        generation = self._generation
        relay = _Relay()
        self._pending.add(relay)
        _IN_FLIGHT.add(relay)

        def deliver(result: Any, error: BaseException | None) -> None:
            _IN_FLIGHT.discard(relay)
            if not isValid(self):  # the view went away while the work ran
                return
            self._pending.discard(relay)
            if not self._latest_only or generation == self._generation:
                done(result, error)

        relay.finished.connect(deliver, Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(_Job(work, relay))


# -------------------------------------------------------------------------------------------- store

def read_only(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to the store at `path` (WAL: it never blocks the engine writing the file, and never
    writes — opening a `Store` would migrate, and closing it optimizes)."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"no run store at {path}")
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)


def read_run(path: str | Path, resolution_id: str) -> tuple[Task, Resolution, list[AuditEntry]]:
    """A stored run (task, resolution with its steps, audit trail), read in one snapshot by the store's own read
    functions (`engine.store.reads`, what `Store.load_task/load_resolution/audit_trail` run). Blocking: call it
    from a worker thread (`BackgroundCall`)."""
    connection = read_only(path)
    try:
        connection.execute("BEGIN")
        resolution = reads.load_resolution(connection, resolution_id)
        task = reads.load_task(connection, resolution.task_id)
        return task, resolution, reads.audit_trail(connection, task_id=None, resolution_id=resolution_id, step=None)
    finally:
        connection.close()

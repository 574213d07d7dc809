"""`StepRunInspector`: everything about one step of a run — state, tries, timings, what it would have sent (dry
run), its configuration, output, metadata, children, error and state history — each section an expandable JSON
tree with a raw JSON view and a Copy JSON button (`studio.run.json_tree`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from engine.model.run import Resolution, StepRun, Task
from engine.store import AuditEntry
from studio.run.json_tree import RAW_LIMIT, JsonSection, JsonTreeModel, is_empty_value
from studio.run.views_support import (
    DRY_RUN_COLOUR,
    BackgroundCall,
    format_clock,
    format_duration,
    json_text,
    mute,
    outlined_chip_style,
    preview,
    read_run,
    step_chip_style,
)
from studio.theme import muted_text

# JsonTreeModel and RAW_LIMIT live in studio.run.json_tree; still importable from here.
__all__ = ["RAW_LIMIT", "JsonTreeModel", "StepRunInspector", "Timing", "find_step", "history_data", "step_timing"]

_ACTIVE = frozenset({"RUNNING", "EXPANDED"})


@dataclass(frozen=True, slots=True)
class Timing:
    """When the step last started and stopped, from its state history (or its `last_run`)."""

    start: dt.datetime | None
    stop: dt.datetime | None

    @property
    def duration(self) -> float | None:
        return (self.stop - self.start).total_seconds() if self.start and self.stop else None


def step_timing(step: StepRun, history: Sequence[AuditEntry]) -> Timing:
    start, stop = step.last_run, None
    for entry in history:
        if entry.field != "state":
            continue
        if entry.new in _ACTIVE:
            start, stop = entry.at, None
        elif entry.old in _ACTIVE or start is not None:
            stop = entry.at
    if start is not None and step.last_run is not None and step.last_run > start:
        start = step.last_run  # several tries were written at once: the last one started at last_run
    return Timing(start, stop if step.state not in _ACTIVE else None)


def history_data(history: Sequence[AuditEntry]) -> list[dict[str, Any]]:
    """State changes (and a foreach child's creation/removal) as JSON records, oldest first."""
    records = []
    for entry in history:
        if entry.field not in ("state", "step"):
            continue
        change = {"from": entry.old, "to": entry.new, "reason": entry.reason, "at": entry.at.isoformat()}
        if entry.field == "step":
            change = {**change, "what": "child step added" if entry.new is not None else "child step removed"}
        records.append(change)
    return records


_SECTIONS = (("would_send", "Would have sent (dry run)"), ("configuration", "Configuration (as written)"),
             ("output", "Output"), ("metadata", "Metadata"), ("children", "Children"), ("item", "Foreach item"),
             ("error", "Error"), ("history", "State history"))


class StepRunInspector(QWidget):
    """The selected step of the current (or an opened) run. `show_step(task, resolution, name, audit)`; when no
    audit entries are given and a store path is set, the step's history is read from the store off the UI
    thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: Task | None = None
        self.resolution: Resolution | None = None
        self.step_name = ""
        self.store_path: Path | None = None
        self._reader = BackgroundCall(self)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chip = QLabel()
        self.dry_chip = QLabel("dry run")
        self.dry_chip.setStyleSheet(outlined_chip_style(DRY_RUN_COLOUR))
        self.dry_chip.setToolTip("A dry run: this step's side effects were not performed")
        self.facts = QLabel()
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree_button, self.json_button = QPushButton("Tree"), QPushButton("JSON")
        self.copy_all = QPushButton("Copy step")
        self.copy_all.setToolTip("Copy everything shown about this step as one JSON document")
        self.copy_all.clicked.connect(self.copy_step_json)
        self.sections = {key: JsonSection(title) for key, title in _SECTIONS}
        self.placeholder = QLabel("Select a step of the run to inspect what it received, sent and returned.")
        self._build()
        self.clear()

    def _build(self) -> None:
        modes = QButtonGroup(self)
        for button in (self.tree_button, self.json_button):
            button.setCheckable(True)
            modes.addButton(button)
        self.tree_button.setChecked(True)
        self.json_button.toggled.connect(self.set_raw)
        self.json_button.setToolTip("Show every section as raw JSON text")
        head = QHBoxLayout()
        for widget in (self.title, self.chip, self.dry_chip):
            head.addWidget(widget)
        head.addStretch(1)
        head.addWidget(self.tree_button)
        head.addWidget(self.json_button)
        head.addSpacing(8)
        head.addWidget(self.copy_all)
        head.setSpacing(8)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for section in self.sections.values():
            column.addWidget(section)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.details = QWidget()
        layout = QVBoxLayout(self.details)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.facts)
        layout.addWidget(scroll, 1)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        mute(self.placeholder)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.details)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.stack)

    # --------------------------------------------------------------------------------------------- API

    def set_store_path(self, path: str | Path | None) -> None:
        """Where state histories are read from when `show_step` is given no audit entries."""
        self.store_path = Path(path) if path is not None else None

    def clear(self) -> None:
        self.task, self.resolution, self.step_name = None, None, ""
        for section in self.sections.values():
            section.set_value(None)
        self.stack.setCurrentWidget(self.placeholder)

    def show_step(self, task: Task | None, resolution: Resolution, step_name: str,
                  audit: Sequence[AuditEntry] | None = None) -> None:
        """Show `step_name` of `resolution`; `audit`: the run's audit trail (any steps; filtered here)."""
        step = find_step(resolution, step_name)
        if step is None:
            self.clear()
            self.placeholder.setText(f"The step “{step_name}” is not part of this run.")
            return
        self.task, self.resolution, self.step_name = task, resolution, step_name
        history = [entry for entry in audit or () if entry.step == step_name]
        self._show_header(step, history)
        self._show_sections(step, resolution, history)
        self.stack.setCurrentWidget(self.details)
        if audit is None and self.store_path is not None:
            self._read_history(resolution.id, step_name)

    def set_raw(self, raw: bool) -> None:
        """Every section as raw JSON text (True) or as trees (False)."""
        self.json_button.setChecked(raw)
        for section in self.sections.values():
            section.set_raw(raw)

    # ------------------------------------------------------------------------------------------- parts

    def step_data(self) -> dict[str, Any]:
        """What the inspector shows of the step, as one mapping (empty when nothing is shown)."""
        step = find_step(self.resolution, self.step_name) if self.resolution is not None else None
        if step is None or self.resolution is None:
            return {}
        data: dict[str, Any] = {"step": step.name, "state": step.state, "tries": step.try_count,
                                "max_retries": step.max_retries, "resolution": self.resolution.id}
        data.update((key, section.value) for key, section in self.sections.items())
        return data

    def copy_step_json(self) -> None:
        QGuiApplication.clipboard().setText(json_text(self.step_data()))

    def _show_header(self, step: StepRun, history: Sequence[AuditEntry]) -> None:
        self.title.setText(step.name)
        self.chip.setText(step.state)
        self.chip.setStyleSheet(step_chip_style(step.state))
        self.dry_chip.setVisible(step.dry_run is not None)
        timing = step_timing(step, history)
        action = step.action.type if step.action is not None else "—"
        tries = f"{step.try_count} (max {step.max_retries})" if step.max_retries else str(step.try_count)
        facts = [("Action", action), ("Tries", tries), ("Started", format_clock(timing.start, millis=True)),
                 ("Stopped", format_clock(timing.stop, millis=True)), ("Duration", format_duration(timing.duration))]
        if step.is_child:
            facts.insert(1, ("Foreach parent", step.parent))
        muted = muted_text(self.palette()).name()
        self.facts.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(
            f"<span style='color:{muted}'>{label}</span>&nbsp;{value}" for label, value in facts))

    def _show_sections(self, step: StepRun, resolution: Resolution, history: Sequence[AuditEntry]) -> None:
        configuration = step.action.configuration if step.action is not None else None
        values: dict[str, Any] = {
            "would_send": step.dry_run, "configuration": configuration, "output": step.output,
            "metadata": step.metadata, "children": _children(step, resolution), "item": step.item,
            "error": step.error or None, "history": history_data(history)}
        for key, value in values.items():
            self.sections[key].set_value(value, _summary(key, value))
        self.sections["would_send"].setVisible(step.dry_run is not None)
        self.sections["item"].setVisible(step.is_child)
        for key in ("would_send", "output", "error"):  # what people look at first
            section = self.sections[key]
            section.toggle.setChecked(not section.is_empty)

    def _read_history(self, resolution_id: str, step_name: str) -> None:
        path = self.store_path
        assert path is not None

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None or self.resolution is None or self.step_name != step_name:
                return  # a run only in memory has no stored history: the section stays "—"
            _, _, audit = result
            history = [entry for entry in audit if entry.step == step_name]
            self.sections["history"].set_value(history_data(history), _summary("history", history_data(history)))
            step = find_step(self.resolution, step_name)
            if step is not None:
                self._show_header(step, history)

        self._reader.start(lambda: read_run(path, resolution_id), done)


def find_step(resolution: Resolution, name: str) -> StepRun | None:
    """A step of the resolution; a foreach child gone at contraction (`<parent>-<i>`, e.g. clicked on the
    timeline) is rebuilt from the record its parent kept of it."""
    if name in resolution.steps:
        return resolution.steps[name]
    parent_name, _, index = name.rpartition("-")
    parent = resolution.steps.get(parent_name)
    records = parent.children if parent is not None and isinstance(parent.children, list) else []
    if parent is None or not index.isdigit() or int(index) >= len(records) or not isinstance(
            records[int(index)], dict):
        return None
    record = records[int(index)]
    return StepRun(name, parent.definition, state=str(record.get("state", "")), output=record.get("output"),
                   metadata=record.get("metadata"), error=str(record.get("error") or ""), is_child=True,
                   parent=parent_name)


def _children(step: StepRun, resolution: Resolution) -> Any:
    """A foreach parent's collected children, or while it is expanded its live children's records."""
    if step.children is not None:
        return step.children
    if not step.children_steps:
        return None
    live = (resolution.steps.get(name) for name in step.children_steps)
    return [{"step": child.name, "state": child.state, "output": child.output, "metadata": child.metadata,
             "error": child.error} for child in live if child is not None]


def _summary(key: str, value: Any) -> str | None:
    if is_empty_value(value):
        return None
    if key == "history":
        last = value[-1]
        return f"{len(value)} change(s) · last: {last['from'] or '∅'} → {last['to'] or '∅'} ({last['reason']})"
    if key == "children":
        failed = sum(1 for child in value if isinstance(child, dict) and child.get("state") not in ("DONE", None))
        return f"{len(value)} child(ren)" + (f", {failed} not DONE" if failed else ", all DONE")
    if key == "error":
        return preview(value, 140)[1:-1]
    return None

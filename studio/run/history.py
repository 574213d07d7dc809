"""`RunHistory`: every run of a template kept in the SQLite store, newest first — state, start, duration,
inputs, dry-run flag — to open (activate a row) or delete (Delete key / context menu, after confirmation).

Reads use a plain read-only sqlite3 connection on a worker thread (`read_history`): the store is in WAL mode, so
reading never blocks the engine writing the same file, and the UI thread never waits for the disk. Deletes go
through the store's API (`Store.delete_task`: the run's task, resolution, steps and audit trail).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.store import Store
from engine.store.codec import decode, parse_datetime
from studio.run.views_support import (
    DRY_RUN_COLOUR,
    DRY_RUN_TAG,
    BackgroundCall,
    format_clock,
    format_duration,
    mute,
    paint_chip,
    preview,
    read_only,
    resolution_colour,
)
from studio.theme import muted_text

__all__ = ["HISTORY_QUERY", "RunHistory", "RunRecord", "delete_run", "read_history"]

Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()
LIMIT = 1000

# One row per resolution of the template's tasks (tasks.template_name holds the normalized name), newest
# first by the resolution's creation (the store's own order, index `resolutions_by_created`). The dry-run
# flag is the task tag DRY_RUN_TAG the run panel sets; the store has no column for it.
HISTORY_QUERY = """
SELECT r.id, r.task_id, r.state, r.created, r.last_start, r.last_stop, t.inputs, t.title,
       (SELECT g.value FROM task_tags g WHERE g.task_id = t.id AND g.key = ?)
FROM resolutions r JOIN tasks t ON t.id = r.task_id
WHERE t.template_name = ?
ORDER BY r.created DESC, r.id DESC
LIMIT ?
"""


@dataclass(frozen=True, slots=True)
class RunRecord:
    resolution_id: str
    task_id: str
    state: str
    created: dt.datetime
    started: dt.datetime | None
    stopped: dt.datetime | None
    inputs: dict[str, Any]
    title: str
    dry_run: bool | None  # None: not recorded

    @property
    def duration(self) -> float | None:
        if self.started is None or self.stopped is None or self.stopped < self.started:
            return None
        return (self.stopped - self.started).total_seconds()


def _date(text: str | None) -> dt.datetime | None:
    return parse_datetime(text) if text else None


def read_history(path: str | Path, template: str, limit: int = LIMIT) -> list[RunRecord]:
    """The runs of `template` in the store at `path`, newest first (blocking: call it off the UI thread).
    A store that does not exist yet has no runs."""
    if not Path(path).is_file():
        return []
    connection = read_only(path)
    try:
        rows = connection.execute(HISTORY_QUERY, (DRY_RUN_TAG, template.strip().lower(), limit)).fetchall()
    finally:
        connection.close()
    return [RunRecord(row[0], row[1], row[2], parse_datetime(row[3]), _date(row[4]), _date(row[5]),
                      decode(row[6], "float"), row[7], None if row[8] is None else row[8] == "true")
            for row in rows]


def delete_run(path: str | Path, task_id: str) -> bool:
    """Delete a run (its task and everything attached) through the store's API; blocking, like `read_history`."""
    async def delete() -> bool:
        async with Store.open(path) as store:
            return await store.delete_task(task_id)

    return asyncio.run(delete())


def inputs_text(inputs: dict[str, Any]) -> str:
    """`host=alpha.example, count=3, tags=["a", "b"]`: plain strings unquoted unless that would be ambiguous."""
    def shown(value: Any) -> str:
        if isinstance(value, str) and value and not any(c in value for c in ',="\n'):
            return value if len(value) <= 40 else value[:39] + "…"
        return preview(value, 40)

    return ", ".join(f"{key}={shown(value)}" for key, value in inputs.items()) or "—"


class RunHistoryModel(QAbstractTableModel):
    HEADERS = ("State", "Started", "Duration", "Inputs", "Mode")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: list[RunRecord] = []

    def set_records(self, records: Sequence[RunRecord]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def rowCount(self, parent: Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = _TOP) -> int:
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{record.title}\nresolution {record.resolution_id}\ntask {record.task_id}\n"
                    f"created {format_clock(record.created, date=True)}\ninputs {preview(record.inputs, 400)}")
        if role == Qt.ItemDataRole.UserRole:
            return record.resolution_id
        return None

    @staticmethod
    def _text(record: RunRecord, column: int) -> str:
        if column == 0:
            return record.state
        if column == 1:
            return _started_text(record.started or record.created)
        if column == 2:
            return "running…" if record.state == "RUNNING" else format_duration(record.duration)
        if column == 3:
            return inputs_text(record.inputs)
        return {True: "dry run", False: "live", None: ""}[record.dry_run]


def _started_text(moment: dt.datetime) -> str:
    """Today's runs by their time, older ones with their date."""
    local = moment.astimezone()
    same_day = local.date() == dt.datetime.now().astimezone().date()
    return format_clock(moment, date=not same_day)


class _ChipDelegate(QStyledItemDelegate):
    """The State column as µTask's resolution badge; the Mode column as a quiet outlined tag."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        text = index.data()
        if index.column() not in (0, 4) or not text:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        rect = QRectF(option.rect).adjusted(6, 0, -4, 0)
        if index.column() == 0:
            paint_chip(painter, rect, text, resolution_colour(text))
        else:
            colour = QColor(DRY_RUN_COLOUR) if text == "dry run" else muted_text(option.palette)
            paint_chip(painter, rect, text, colour, outlined=True)


class RunHistory(QWidget):
    """The runs of one template in one store. `refresh()` re-reads them in the background."""

    open_requested = Signal(str)  # resolution id
    deleted = Signal(str)  # resolution id, after it was deleted from the store
    loaded = Signal()  # the list was (re)read
    failed = Signal(str)  # why reading or deleting did not work

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store_path: Path | None = None
        self.template = ""
        self.active: frozenset[str] = frozenset()
        self._reader = BackgroundCall(self)
        self._writer = BackgroundCall(self, latest_only=False)
        self.model = RunHistoryModel(self)
        self.table = QTableView()
        self.message = QLabel()
        self.heading = QLabel()
        self.refresh_button = QPushButton("Refresh")
        self.delete_button = QPushButton("Delete…")
        self.stack = QStackedWidget()
        self._build()
        self._show_message("Choose a template to see its runs.")

    def _build(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setItemDelegate(_ChipDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column, width in ((0, 150), (1, 150), (2, 80), (4, 80)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.moveSection(4, 3)
        table.doubleClicked.connect(self._activated)  # and Enter, in eventFilter
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.installEventFilter(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMargin(16)
        mute(self.message)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.message)
        self.refresh_button.setToolTip("Read the runs from the store again")
        self.refresh_button.clicked.connect(self.refresh)
        self.delete_button.setToolTip("Delete the selected run from the store (Delete key)")
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        mute(self.heading)
        head = QHBoxLayout()
        head.setContentsMargins(8, 4, 8, 4)
        head.addWidget(self.heading, 1)
        head.addWidget(self.delete_button)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.stack)

    # --------------------------------------------------------------------------------------------- API

    def set_store_path(self, path: str | Path | None) -> None:
        self.store_path = Path(path) if path is not None else None
        self.refresh()

    def set_template(self, name: str) -> None:
        self.template = name
        self.refresh()

    def set_active_runs(self, resolution_ids: Iterable[str]) -> None:
        """Runs being executed right now: they cannot be deleted."""
        self.active = frozenset(resolution_ids)

    def refresh(self) -> None:
        if self.store_path is None or not self.template:
            self.model.set_records([])
            self._show_message("Choose a template to see its runs.")
            return
        path, template = self.store_path, self.template
        self._reader.start(lambda: read_history(path, template), self._history_read)

    @property
    def records(self) -> list[RunRecord]:
        return list(self.model.records)

    def selected(self) -> RunRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def delete_selected(self) -> None:
        """Delete the selected run after confirmation (refused while it runs)."""
        record = self.selected()
        if record is None or self.store_path is None:
            return
        if record.resolution_id in self.active:
            self.failed.emit("This run is in progress: cancel it before deleting it.")
            return
        if not self._confirm(record):
            return
        path = self.store_path
        self._writer.start(lambda: delete_run(path, record.task_id), lambda ok, error: self._deleted(record, error))

    # ------------------------------------------------------------------------------------------- parts

    def _history_read(self, records: Any, error: BaseException | None) -> None:
        if error is not None:
            self.model.set_records([])
            self._show_message(f"Cannot read the runs in {self.store_path}: {error}")
            self.failed.emit(str(error))
        else:
            self.model.set_records(records)
            self.table.setColumnHidden(4, all(record.dry_run is None for record in records))  # Mode: if recorded
            more = " (the latest)" if len(records) >= LIMIT else ""
            self.heading.setText(f"{len(records)} run(s) of {self.template}{more}, newest first")
            if records:
                self.stack.setCurrentWidget(self.table)
            else:
                self._show_message(f"No runs of “{self.template}” yet. Press Run to start one.")
        self.loaded.emit()

    def _deleted(self, record: RunRecord, error: BaseException | None) -> None:
        if error is not None:
            self.failed.emit(f"Cannot delete the run: {error}")
            return
        self.deleted.emit(record.resolution_id)
        self.refresh()

    def _confirm(self, record: RunRecord) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Delete run",
                          f"Delete the run started {format_clock(record.started or record.created, date=True)} "
                          f"({record.state})?", parent=self)
        box.setInformativeText("Its steps, outputs and audit trail are removed from the store. This cannot be "
                               "undone.")
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def _update_buttons(self, *_: object) -> None:
        self.delete_button.setEnabled(self.selected() is not None)

    def _show_message(self, text: str) -> None:
        if self.model.rowCount() == 0:
            self.heading.setText(f"Runs of {self.template}" if self.template else "Runs")
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.records[index.row()].resolution_id)

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        open_action = QAction("Open", menu)
        open_action.triggered.connect(lambda: self._activated(index))
        delete_action = QAction("Delete…", menu)
        delete_action.triggered.connect(self.delete_selected)
        menu.addActions([open_action, delete_action])
        menu.exec(self.table.viewport().mapToGlobal(position))

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.delete_selected()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activated(self.table.currentIndex())
                return True
        return super().eventFilter(watched, event)

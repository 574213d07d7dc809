"""The run views — step inspector, run history, timeline — on real stores written by the real engine."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolTip
from pytestqt.qtbot import QtBot

from engine.load.document import parse_document
from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution, Task
from engine.run.engine import Engine
from engine.run.store_recorder import StoreRecorder
from engine.store import AuditEntry, Store
from engine.validate import validate_document
from studio.run.history import RunHistory, read_history
from studio.run.inspector import StepRunInspector
from studio.run.timeline import Timeline
from studio.run.views_support import DRY_RUN_TAG

T = TypeVar("T")

TEMPLATE = """\
name: views-test
description: Fetch a host's records, count them and post a report.
title_format: Views test for {{.input.host}}
inputs:
  - name: host
steps:
  fetch:
    description: Read the records.
    action:
      type: echo
      configuration: {output: {records: ["a", "b", "c"], host: "{{.input.host}}"}, metadata: {code: 200}}
  count:
    description: Count up to 3, one try at a time.
    dependencies: [fetch]
    max_retries: 20
    action:
      type: echo
      configuration: {output: {num: "{{ add1 (default 0 .step.this.output.num) }}"}}
    conditions:
      - {type: check, if: [{value: "{{.step.this.output.num}}", operator: LT, expected: "3"}], then: {this: RETRY_NOW}}
  each:
    description: One child per record.
    dependencies: [fetch]
    foreach: '{{.step.fetch.output.records | toJson}}'
    action: {type: echo, configuration: {output: {record: "{{.iterator}}"}}}
  report:
    description: Post the report.
    dependencies: [each, count]
    action:
      type: http
      configuration: {url: "http://127.0.0.1:9/report", method: POST, body: '{"host":"{{.input.host}}"}'}
  flaky:
    description: Fails, retried by the next run.
    dependencies: [fetch]
    action: {type: echo, configuration: {error_message: "upstream unavailable"}}
"""


@dataclass
class StoredRun:
    task: Task
    resolution: Resolution
    audit: list[AuditEntry]


def _template() -> Any:
    result = validate_document(parse_document(TEMPLATE, "views-test.yaml"), FunctionRegistry())
    assert result.ok and result.template is not None, [d.message for d in result.errors]
    return result.template


def _run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on its own loop in a worker thread: the studio's qasync loop may be installed
    as the running loop of the test thread (run panel tests), where `asyncio.run` is refused."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def make_runs(db: Path, *, runs: int = 2, inputs: tuple[str, ...] = ("alpha.example", "beta.example")) -> list[
        StoredRun]:
    """Each input: a task run through the real engine into the store (dry run), `runs` times (retries)."""
    async def go() -> list[StoredRun]:
        made = []
        async with Store.open(db) as store:
            engine = Engine(recorder=StoreRecorder(store))
            await store.save_template(_template(), TEMPLATE)
            for host in inputs:
                task, resolution = await engine.create(_template(), {"host": host}, tags={DRY_RUN_TAG: "true"})
                for _ in range(runs):
                    await engine.run(resolution.id, dry_run=True)
                made.append(StoredRun(task, resolution, await store.audit_trail(resolution.id)))
        return made

    return _run_async(go)


@pytest.fixture(scope="module")
def store_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[StoredRun]]:
    db = tmp_path_factory.mktemp("runs") / "runs.sqlite"
    return db, make_runs(db)


def _read_stored(db: Path, resolution_id: str) -> StoredRun:
    from studio.run.views_support import read_run

    return StoredRun(*read_run(db, resolution_id))


def _click(widget: Any) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def _rows(model: Any, parent: Any = None) -> dict[str, str]:
    """Key → Value text of the rows under `parent` (the top level by default)."""
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    return {model.index(row, 0, parent).data(): model.index(row, 1, parent).data() for row in range(
        model.rowCount(parent))}


# ------------------------------------------------------------------------------------------- inspector

def test_inspector_shows_output_metadata_and_history_of_the_selected_step(
        qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]]) -> None:
    _, runs = store_runs
    run = runs[0]
    inspector = StepRunInspector()
    qtbot.addWidget(inspector)
    inspector.show_step(run.task, run.resolution, "fetch", run.audit)
    assert inspector.title.text() == "fetch" and inspector.chip.text() == "DONE"
    output = inspector.sections["output"]
    assert _rows(output.model) == {"records": '["a", "b", "c"]', "host": '"alpha.example"'}
    assert _rows(inspector.sections["metadata"].model) == {"code": "200"}
    assert inspector.sections["error"].is_empty and inspector.sections["error"].summary.text() == "—"
    history = inspector.sections["history"].value
    assert [(change["from"], change["to"]) for change in history] == [("TODO", "DONE")]
    assert "Tries 1" in inspector.facts.text().replace("</span>&nbsp;", " ")


def test_inspector_shows_children_errors_and_what_a_dry_run_would_have_sent(
        qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]], artifacts: Path) -> None:
    _, runs = store_runs
    run = runs[0]
    inspector = StepRunInspector()
    qtbot.addWidget(inspector)
    inspector.show_step(run.task, run.resolution, "each", run.audit)
    children = inspector.sections["children"]
    assert [child["output"] for child in children.value] == [{"record": r} for r in ("a", "b", "c")]
    assert children.summary.text() == "3 child(ren), all DONE"
    inspector.show_step(run.task, run.resolution, "each-1", run.audit)  # a child, gone at contraction
    assert inspector.chip.text() == "DONE" and inspector.sections["output"].value == {"record": "b"}
    assert "Foreach parent" in inspector.facts.text() and "each" in inspector.facts.text()
    inspector.show_step(run.task, run.resolution, "flaky", run.audit)
    assert inspector.sections["error"].value == "upstream unavailable"
    assert inspector.chip.text() == "SERVER_ERROR" and not inspector.sections["error"].body.isHidden()
    inspector.show_step(run.task, run.resolution, "report", run.audit)
    sent = inspector.sections["would_send"]
    assert not sent.isHidden() and not inspector.dry_chip.isHidden()
    assert _rows(sent.model)["url"] == '"http://127.0.0.1:9/report"'
    assert _rows(sent.model)["body"] == json.dumps('{"host":"alpha.example"}')
    inspector.resize(620, 720)
    inspector.show()
    inspector.sections["configuration"].toggle.setChecked(True)
    inspector.sections["history"].toggle.setChecked(True)
    qtbot.wait(20)
    inspector.grab().save(str(artifacts / "run_inspector.png"))


def test_copy_json_puts_the_whole_section_on_the_clipboard(
        qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]]) -> None:
    db, runs = store_runs
    stored = _read_stored(db, runs[0].resolution.id)  # exact numbers as the store gives them back
    inspector = StepRunInspector()
    qtbot.addWidget(inspector)
    inspector.show()
    inspector.show_step(stored.task, stored.resolution, "fetch", stored.audit)
    QGuiApplication.clipboard().clear()
    _click(inspector.sections["metadata"].copy)
    assert json.loads(QGuiApplication.clipboard().text()) == {"code": 200}
    _click(inspector.sections["output"].copy)
    assert json.loads(QGuiApplication.clipboard().text()) == {"records": ["a", "b", "c"], "host": "alpha.example"}
    _click(inspector.sections["history"].copy)
    changes = json.loads(QGuiApplication.clipboard().text())
    assert changes[-1]["to"] == "DONE" and dt.datetime.fromisoformat(changes[-1]["at"])
    _click(inspector.copy_all)
    step = json.loads(QGuiApplication.clipboard().text())
    assert (step["step"], step["state"], step["tries"], step["output"]["host"]) == ("fetch", "DONE", 1,
                                                                                   "alpha.example")
    assert step["metadata"] == {"code": 200} and step["error"] is None and step["history"] == changes


def test_the_json_toggle_shows_raw_json_of_every_section(
        qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]]) -> None:
    _, runs = store_runs
    inspector = StepRunInspector()
    qtbot.addWidget(inspector)
    inspector.show()
    inspector.show_step(runs[0].task, runs[0].resolution, "fetch", runs[0].audit)
    _click(inspector.json_button)
    output = inspector.sections["output"]
    assert output.body.currentWidget() is output.raw
    assert json.loads(output.raw.toPlainText()) == {"records": ["a", "b", "c"], "host": "alpha.example"}
    _click(inspector.tree_button)
    assert output.body.currentWidget() is output.tree


def test_the_inspector_reads_the_history_from_the_store_when_not_given(
        qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]]) -> None:
    db, runs = store_runs
    stored = _read_stored(db, runs[1].resolution.id)
    inspector = StepRunInspector()
    qtbot.addWidget(inspector)
    inspector.set_store_path(db)
    inspector.show_step(stored.task, stored.resolution, "count")
    qtbot.waitUntil(lambda: not inspector.sections["history"].is_empty)
    assert inspector.sections["history"].value[-1]["to"] == "DONE"
    assert inspector.sections["would_send"].isHidden()  # dry-run records are not persisted


def test_a_ten_megabyte_output_is_shown_lazily_and_copied_whole(qtbot: QtBot,
                                                                store_runs: tuple[Path, list[StoredRun]]) -> None:
    _, runs = store_runs
    run = runs[0]
    step = run.resolution.steps["fetch"]
    big = {"items": [{"n": n, "text": "x" * 120} for n in range(80_000)]}
    original = step.output
    step.output = big
    try:
        inspector = StepRunInspector()
        qtbot.addWidget(inspector)
        inspector.show()
        inspector.show_step(run.task, run.resolution, "fetch", run.audit)
        section = inspector.sections["output"]
        tree, model = section.tree, section.model
        assert _rows(model) == {"items": "[80000 items]"}
        items = model.index(0, 0)
        tree.expand(items)
        seen = model.rowCount(items)
        assert model.BATCH <= seen < 10_000  # rows are made when seen, a batch at a time
        tree.scrollToBottom()
        qtbot.waitUntil(lambda: model.rowCount(items) > seen)
        _click(inspector.json_button)
        assert len(section.raw.toPlainText()) < 210_000 and "Copy JSON copies all of it" in section.raw.toPlainText()
        _click(section.copy)
        assert json.loads(QGuiApplication.clipboard().text()) == big
    finally:
        step.output = original


# --------------------------------------------------------------------------------------------- history

def _history(qtbot: QtBot, db: Path) -> RunHistory:
    history = RunHistory()
    qtbot.addWidget(history)
    history.resize(760, 260)
    history.show()
    qtbot.waitExposed(history)
    with qtbot.waitSignal(history.loaded):
        history.set_template("Views-Test")  # names are matched as µTask does: trimmed, lower-cased
        history.set_store_path(db)
    qtbot.waitUntil(lambda: not history._reader.busy)
    return history


def _answer_next_dialog(button_text: str) -> None:
    """Click `button_text` in the next modal dialog, as a person would."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        _click(next(b for b in box.buttons() if b.text().replace("&", "") == button_text))

    QTimer.singleShot(0, answer)


def test_read_history_lists_runs_newest_first_with_their_inputs(tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    made = make_runs(db, runs=1, inputs=("one", "two", "three"))
    records = read_history(db, "views-test")
    assert [r.resolution_id for r in records] == [run.resolution.id for run in reversed(made)]
    assert [r.inputs for r in records] == [{"host": "three"}, {"host": "two"}, {"host": "one"}]
    assert all(r.state == "ERROR" and r.dry_run is True and r.duration is not None for r in records)
    assert read_history(db, "another-template") == [] and read_history(tmp_path / "none.sqlite", "x") == []


def test_history_shows_states_and_opens_a_run(qtbot: QtBot, tmp_path: Path, artifacts: Path) -> None:
    db = tmp_path / "runs.sqlite"
    made = make_runs(db)
    history = _history(qtbot, db)
    model = history.model
    assert model.rowCount() == 2
    assert [model.index(row, 0).data() for row in range(2)] == ["ERROR", "ERROR"]
    assert model.index(0, 3).data() == 'host=beta.example' and model.index(0, 4).data() == "dry run"
    history.grab().save(str(artifacts / "run_history.png"))
    rect = history.table.visualRect(model.index(1, 1))
    opened: list[str] = []
    history.open_requested.connect(opened.append)
    QTest.mouseClick(history.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    assert opened == [] and history.selected() == history.records[1]  # a click selects, it does not open
    QTest.mouseDClick(history.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      rect.center())
    assert opened == [made[0].resolution.id]
    history.table.selectRow(0)
    QTest.keyClick(history.table, Qt.Key.Key_Return)
    assert opened == [made[0].resolution.id, made[1].resolution.id]


def test_history_deletes_a_run_after_confirmation(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    made = make_runs(db)
    history = _history(qtbot, db)
    history.table.setFocus()
    history.table.selectRow(0)
    _answer_next_dialog("Cancel")
    QTest.keyClick(history.table, Qt.Key.Key_Delete)
    assert len(read_history(db, "views-test")) == 2  # cancelled: nothing deleted
    _answer_next_dialog("Delete")
    with qtbot.waitSignal(history.deleted) as deleted:
        QTest.keyClick(history.table, Qt.Key.Key_Delete)
    assert deleted.args == [made[1].resolution.id]
    qtbot.waitUntil(lambda: history.model.rowCount() == 1)
    assert [r.resolution_id for r in read_history(db, "views-test")] == [made[0].resolution.id]
    assert not history.delete_button.isEnabled()  # the list was read again: nothing selected
    history.table.selectRow(0)
    _answer_next_dialog("Delete")
    with qtbot.waitSignal(history.deleted):
        _click(history.delete_button)
    qtbot.waitUntil(lambda: history.stack.currentWidget() is history.message)
    assert read_history(db, "views-test") == []
    with sqlite3.connect(db) as connection:  # the task, its steps and audit trail are gone with it
        left = connection.execute("SELECT count(*) FROM audit WHERE task_id = ?", (made[1].task.id,)).fetchone()
    connection.close()
    assert left == (0,)


def test_history_refuses_to_delete_a_run_in_progress(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    made = make_runs(db, inputs=("only",))
    history = _history(qtbot, db)
    history.set_active_runs([made[0].resolution.id])
    history.table.selectRow(0)
    with qtbot.waitSignal(history.failed) as failed:
        QTest.keyClick(history.table, Qt.Key.Key_Delete)
    assert "in progress" in failed.args[0]
    assert len(read_history(db, "views-test")) == 1


def test_history_without_runs_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    history = _history(qtbot, tmp_path / "empty.sqlite")
    assert history.stack.currentWidget() is history.message
    assert "No runs of “Views-Test” yet" in history.message.text()


def test_history_of_a_file_that_is_not_a_store_shows_why(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("these are not runs\n" * 100, encoding="utf-8")
    history = RunHistory()
    qtbot.addWidget(history)
    history.set_template("views-test")
    with qtbot.waitSignal(history.failed):
        history.set_store_path(path)
    assert history.stack.currentWidget() is history.message
    assert history.message.text().startswith(f"Cannot read the runs in {path}")


# -------------------------------------------------------------------------------------------- timeline

def test_timeline_draws_one_bar_per_attempt(qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]]) -> None:
    db, runs = store_runs
    stored = _read_stored(db, runs[0].resolution.id)
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, 320)
    timeline.show()
    timeline.show_resolution(stored.resolution, stored.audit)
    per_step: dict[str, list[str]] = {}
    for attempt in timeline.attempts:
        per_step.setdefault(attempt.step, []).append(attempt.state)
    assert per_step["flaky"] == ["SERVER_ERROR", "SERVER_ERROR"]  # retried by the second run: two bars
    assert per_step["count"] == ["RETRY_NOW", "RETRY_NOW", "DONE"]  # three tries of a RETRY_NOW loop
    assert per_step["each"] == ["DONE"] and per_step["report"] == ["DONE"] and per_step["fetch"] == ["DONE"]
    assert [per_step[f"each-{i}"] for i in range(3)] == [["DONE"]] * 3  # children, gone from the store
    assert timeline.canvas.rows == ["fetch", "count", "each", "each-0", "each-1", "each-2", "report", "flaky"]
    flaky = [a for a in timeline.attempts if a.step == "flaky"]
    assert flaky[0].end <= flaky[1].start


def test_timeline_tooltips_give_times_and_durations(qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]],
                                                    artifacts: Path) -> None:
    db, runs = store_runs
    stored = _read_stored(db, runs[0].resolution.id)
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, 300)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.show_resolution(stored.resolution, stored.audit)
    qtbot.wait(20)  # let the layout take the new labels in
    timeline.grab().save(str(artifacts / "run_timeline.png"))
    canvas = timeline.canvas
    attempt = next(a for a in timeline.attempts if a.step == "fetch")
    centre = canvas.bar_rect(attempt).center().toPoint()
    assert canvas.attempt_at(centre) == attempt
    from PySide6.QtGui import QHelpEvent

    event = QHelpEvent(QHelpEvent.Type.ToolTip, centre, canvas.viewport().mapToGlobal(centre))
    QApplication.sendEvent(canvas.viewport(), event)
    text = QToolTip.text()
    start = attempt.start.astimezone().strftime("%H:%M:%S")
    assert "fetch" in text and f"start: {start}" in text and "end: " in text and "duration: " in text
    with qtbot.waitSignal(timeline.attempt_clicked) as clicked:
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert clicked.args == ["fetch"]


def test_timeline_of_two_thousand_steps(qtbot: QtBot) -> None:
    from studio_support import generated_template

    result = validate_document(parse_document(generated_template(2000), "big.yaml"), FunctionRegistry())
    assert result.template is not None
    template = result.template
    _, resolution = _run_async(lambda: Engine().create(template, {}))
    t0 = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    entries = []
    for index, name in enumerate(resolution.steps):
        start = t0 + dt.timedelta(milliseconds=5 * index)
        entries += [AuditEntry(0, "t", resolution.id, name, "state", "TODO", "RUNNING", start, "run"),
                    AuditEntry(0, "t", resolution.id, name, "state", "RUNNING", "DONE",
                               start + dt.timedelta(milliseconds=4), "result")]
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(900, 400)
    timeline.show()
    timeline.show_resolution(resolution, entries)
    canvas = timeline.canvas
    assert len(canvas.rows) == 2000 and len(timeline.attempts) == 2000
    canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().maximum())
    timeline.grab()  # paints the visible rows only
    last = timeline.attempts[-1]
    assert canvas.attempt_at(canvas.bar_rect(last).center().toPoint()) == last
    canvas.zoom(8.0)
    assert canvas.horizontalScrollBar().maximum() > 0
    fit = timeline.findChild(QPushButton, "fit")
    assert fit is not None
    QTest.mouseClick(fit, Qt.MouseButton.LeftButton)
    assert canvas.horizontalScrollBar().maximum() == 0


def test_a_step_still_running_shows_an_open_bar(qtbot: QtBot, store_runs: tuple[Path, list[StoredRun]]) -> None:
    db, runs = store_runs
    stored = _read_stored(db, runs[0].resolution.id)
    resolution = stored.resolution
    resolution.state = "RUNNING"
    resolution.steps["report"].state = "RUNNING"
    began = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=2)
    entries = [*stored.audit, AuditEntry(0, stored.task.id, resolution.id, "report", "state", "DONE", "RUNNING",
                                         began, "run")]
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.show_resolution(resolution, entries)
    running = [a for a in timeline.attempts if a.step == "report"][-1]
    assert running.ongoing and running.state == "RUNNING" and running.start == began
    assert running.duration >= 2 and "end: running…" in timeline.canvas.tooltip_text(running)


@pytest.mark.parametrize(("seconds_per_pixel", "step", "label"), [
    (0.00005, 0.005, "5 ms"), (0.004, 0.5, "500 ms"), (0.05, 5, "5 s"), (2.0, 300, "5 min"), (100, 14400, "4 h 00")])
def test_time_axis_ticks_are_round_and_readable(seconds_per_pixel: float, step: float, label: str) -> None:
    from studio.run.timeline import nice_step, tick_label

    assert nice_step(seconds_per_pixel) == step
    assert tick_label(step, step) == label

"""Run core against a real HTTP server on 127.0.0.1: a wet run records the real response; dry runs never call
it and use the fixture pinned from the wet run (kept in the sidecar); pause, resume, cancel; answering a callback;
a run interrupted by closing the studio is offered for resume by the next one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from test_run_core_support import (
    LocalServer,
    answering,
    canvas_states,
    close_window,
    http_template,
    open_window,
    release_the_loop,
    server,
    wait_idle,
    write_template,
)

from studio.document.sidecar import read_sidecar
from studio.run.dialogs import CallbackDialog, FixtureDialog

__all__ = ["release_the_loop", "server"]  # fixtures, imported for pytest

CALLBACK_TEMPLATE = """\
name: approval
description: Waits for a person.
title_format: approval
steps:
  ask:
    description: Create the callback.
    action:
      type: callback
      configuration: {action: create}
  wait:
    description: Wait for the answer.
    dependencies: [ask]
    action:
      type: callback
      configuration: {action: wait, id: "{{.step.ask.output.id}}"}
  apply:
    description: Use the answer.
    dependencies: [wait]
    action:
      type: echo
      configuration:
        output: {decision: "{{.step.wait.output.body.decision}}"}
"""


def _no_inputs(qtbot: QtBot) -> Any:
    return answering(qtbot, lambda dialog: None)


def _go_wet(qtbot: QtBot, panel: Any) -> None:
    QTest.mouseClick(panel.actions.chip, Qt.MouseButton.LeftButton)
    assert not panel.dry_run and panel.actions.chip.text() == "WET RUN"


def test_wet_run_records_the_real_response_and_dry_run_does_not_call(qtbot: QtBot, tmp_path: Path,
                                                                      server: LocalServer) -> None:
    window, panel = open_window(qtbot, tmp_path, write_template(tmp_path, http_template(server.url)))
    try:
        panel.exec_dialog = _no_inputs(qtbot)
        panel.actions.run.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        assert server.requests == [], "a dry run must not call the server"
        resolution = panel.controller.resolution
        assert resolution is not None
        would_send = resolution.steps["fetch"].dry_run
        assert would_send is not None and would_send["url"] == f"{server.url}/hello"
        assert canvas_states(window) == {"start": "DONE", "fetch": "DONE", "report": "DONE", "missing": "PRUNE"}

        _go_wet(qtbot, panel)
        panel.actions.run.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        assert server.requests == ["/hello"]
        resolution = panel.controller.resolution
        assert resolution is not None and resolution.steps["fetch"].dry_run is None
        assert dict(resolution.steps["fetch"].output) == {"hello": "world", "path": "/hello", "served_by": "test"}
        assert resolution.steps["report"].output == {"said": "world"}
        window.scene.select_step("fetch")
        qtbot.waitUntil(lambda: panel.inspector.step_name == "fetch")
        shown = panel.inspector.sections["output"]
        assert shown.value == {"hello": "world", "path": "/hello", "served_by": "test"}

        history = panel.history  # both runs are listed; opening the dry one shows it again
        qtbot.waitUntil(lambda: len(history.records) == 2, timeout=10_000)
        dry_id = history.records[-1].resolution_id
        assert dry_id != resolution.id
        history.open_requested.emit(dry_id)
        qtbot.waitUntil(lambda: panel.controller.resolution is not None and panel.controller.resolution.id == dry_id)
        qtbot.waitUntil(lambda: panel.inspector.resolution is not None and panel.inspector.resolution.id == dry_id)
        assert canvas_states(window)["missing"] == "PRUNE"
    finally:
        close_window(panel)


def test_fixture_pinned_from_a_wet_run_feeds_the_next_dry_run(qtbot: QtBot, tmp_path: Path,
                                                              server: LocalServer) -> None:
    template = write_template(tmp_path, http_template(server.url))
    window, panel = open_window(qtbot, tmp_path, template)
    try:
        panel.exec_dialog = _no_inputs(qtbot)
        _go_wet(qtbot, panel)
        panel.actions.run.trigger()
        assert wait_idle(qtbot, panel) == "DONE" and len(server.requests) == 1
        window.scene.select_step("fetch")

        def pin(dialog: FixtureDialog) -> None:
            assert dialog.pin.isEnabled()
            QTest.mouseClick(dialog.pin, Qt.MouseButton.LeftButton)

        panel.exec_dialog = answering(qtbot, pin)
        panel.actions.fixture.trigger()
        fixture = read_sidecar(template).fixtures["fetch"]
        assert fixture["state"] == "DONE" and fixture["output"]["served_by"] == "test"
        assert fixture["pinned_from"] == f"run {panel.controller.resolution.id}"  # type: ignore[union-attr]

        panel.exec_dialog = _no_inputs(qtbot)
        QTest.mouseClick(panel.actions.chip, Qt.MouseButton.LeftButton)  # back to dry run
        panel.actions.run.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        assert len(server.requests) == 1, "the dry run used the fixture, not the server"
        resolution = panel.controller.resolution
        assert resolution is not None and resolution.steps["fetch"].dry_run is not None
        assert resolution.steps["report"].output == {"said": "world"}
    finally:
        close_window(panel)


def test_pause_resume_and_cancel(qtbot: QtBot, tmp_path: Path, server: LocalServer) -> None:
    window, panel = open_window(qtbot, tmp_path, write_template(tmp_path, http_template(server.url, slow=True)))
    try:
        panel.exec_dialog = _no_inputs(qtbot)
        _go_wet(qtbot, panel)
        panel.actions.run.trigger()
        qtbot.waitUntil(lambda: canvas_states(window).get("fetch") == "RUNNING", timeout=10_000)
        assert panel.actions.pause.isEnabled() and not panel.actions.run.isEnabled()
        panel.actions.pause.trigger()
        server.gate.set()  # the running call ends; nothing new starts
        assert wait_idle(qtbot, panel) == "PAUSED"
        states = canvas_states(window)
        assert states["fetch"] == "DONE" and states["report"] != "DONE"
        assert panel.actions.resume.isEnabled()
        panel.actions.resume.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        assert canvas_states(window)["report"] == "DONE"

        server.gate.clear()
        panel.actions.run.trigger()
        qtbot.waitUntil(lambda: canvas_states(window).get("fetch") == "RUNNING", timeout=10_000)
        panel.actions.cancel.trigger()
        server.gate.set()
        assert wait_idle(qtbot, panel) == "CANCELLED"
        assert not panel.actions.resume.isEnabled() and not panel.actions.cancel.isEnabled()
        assert canvas_states(window)["report"] != "DONE"
    finally:
        close_window(panel)


def test_a_waiting_callback_is_resolved_from_the_ui(qtbot: QtBot, tmp_path: Path) -> None:
    window, panel = open_window(qtbot, tmp_path, write_template(tmp_path, CALLBACK_TEMPLATE, "approval.yaml"))
    try:
        panel.exec_dialog = _no_inputs(qtbot)
        _go_wet(qtbot, panel)
        panel.actions.run.trigger()
        assert wait_idle(qtbot, panel) == "WAITING"
        assert canvas_states(window)["wait"] == "WAITING" and panel.actions.callback.isEnabled()

        def answer(dialog: CallbackDialog) -> None:
            dialog.body.setPlainText('{"decision": "approve"}')

        panel.exec_dialog = answering(qtbot, answer)
        panel.actions.callback.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        resolution = panel.controller.resolution
        assert resolution is not None and resolution.steps["apply"].output == {"decision": "approve"}
    finally:
        close_window(panel)


def test_a_callback_of_a_run_reopened_from_the_store_is_resolved(qtbot: QtBot, tmp_path: Path) -> None:
    """The callback lives in the store: a studio started afterwards (nothing in memory) lists and answers it."""
    template = write_template(tmp_path, CALLBACK_TEMPLATE, "approval.yaml")
    window, panel = open_window(qtbot, tmp_path, template)
    panel.exec_dialog = _no_inputs(qtbot)
    _go_wet(qtbot, panel)
    panel.actions.run.trigger()
    assert wait_idle(qtbot, panel) == "WAITING"
    waiting = panel.controller.resolution
    assert waiting is not None
    created = waiting.steps["ask"].output
    close_window(panel)
    window.close()

    second, again = open_window(qtbot, tmp_path, template, store=tmp_path / "runs.sqlite")
    try:
        assert again.controller.pending_callbacks() == []
        _go_wet(qtbot, again)  # a dry run would simulate the waiting step instead of reading the answer
        again.controller.open_resolution(waiting.id)
        assert wait_idle(qtbot, again) == "WAITING"
        assert again.controller.pending_callbacks() == [(created["id"], "ask")]
        qtbot.waitUntil(again.actions.callback.isEnabled, timeout=10_000)

        def answer(dialog: CallbackDialog) -> None:
            dialog.body.setPlainText('{"decision": "approve"}')

        again.exec_dialog = answering(qtbot, answer)
        again.actions.callback.trigger()
        assert wait_idle(qtbot, again) == "DONE"
        resolution = again.controller.resolution
        assert resolution is not None and resolution.id == waiting.id
        assert resolution.steps["wait"].output["body"] == {"decision": "approve"}
        assert resolution.steps["apply"].output == {"decision": "approve"}
        assert again.controller.pending_callbacks() == [] and not again.actions.callback.isEnabled()
        assert canvas_states(second)["apply"] == "DONE"
    finally:
        close_window(again)


@pytest.mark.parametrize("idempotent", [True, False], ids=["idempotent", "not-idempotent"])
def test_closing_during_a_run_offers_to_resume_it(qtbot: QtBot, tmp_path: Path, server: LocalServer,
                                                  idempotent: bool) -> None:
    template = write_template(tmp_path, http_template(server.url, slow=True, idempotent=idempotent))
    window, panel = open_window(qtbot, tmp_path, template)
    panel.exec_dialog = _no_inputs(qtbot)
    _go_wet(qtbot, panel)
    panel.actions.run.trigger()
    qtbot.waitUntil(lambda: canvas_states(window).get("fetch") == "RUNNING", timeout=10_000)
    interrupted = panel.controller.resolution
    assert interrupted is not None
    close_window(panel)  # what quitting the studio does: the run stops where it is
    window.close()

    offered: list[Any] = []

    def accept(found: list[Any]) -> bool:
        offered.extend(found)
        return True

    server.gate.set()
    second, again = open_window(qtbot, tmp_path, template, store=tmp_path / "runs.sqlite", ask_resume=accept)
    try:
        qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
        assert [info.id for info in offered] == [interrupted.id] and offered[0].state == "RUNNING"
        qtbot.waitUntil(lambda: again.controller.resolution is not None, timeout=10_000)
        if not idempotent:  # µTask's crash recovery: the author checks the side effects, then resumes
            assert wait_idle(qtbot, again) == "BLOCKED_TOCHECK"
            assert canvas_states(second)["fetch"] == "CRASHED"
            assert "fetch were running when the studio stopped" in again.actions.status.text()
            assert again.actions.resume.isEnabled()
            again.actions.resume.trigger()
        assert wait_idle(qtbot, again) == "DONE"
        assert canvas_states(second) == {"start": "DONE", "fetch": "DONE", "report": "DONE", "missing": "PRUNE"}
        assert again.controller.resolution.id == interrupted.id  # type: ignore[union-attr]
    finally:
        close_window(again)

"""Run core: every sample runs in dry run from the UI to its final state on the canvas; the inputs form checks
with the engine's rules and remembers inputs (never passwords); force a state and watch pruning; run from a step
re-runs only what follows it."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from studio_support import SAMPLE_DIR, SAMPLES
from test_run_core_support import (
    answering,
    canvas_states,
    click_ok,
    close_window,
    open_window,
    release_the_loop,
    wait_idle,
)

from engine.load.functions import FunctionRegistry
from engine.run.engine import Engine
from engine.validate import validate_file
from studio.document import SetField
from studio.run.dialogs import ForceStateDialog
from studio.run.inputs_form import InputMemory, InputsDialog

__all__ = ["release_the_loop"]  # the fixture, imported for pytest

FORM_TEMPLATE = """\
name: form-check
description: Inputs of every kind.
title_format: form
inputs:
  - name: host
    description: The host to check.
    regex: "^[a-z.]+$"
  - name: port
    type: number
  - name: env
    legal_values: [dev, prod]
  - name: tags
    collection: true
    optional: true
  - name: token
    type: password
  - name: verbose
    type: bool
    optional: true
steps:
  hello:
    description: Echo the inputs.
    action:
      type: echo
      configuration:
        output: {host: "{{.input.host}}"}
"""


async def _cli_states(sample: Path) -> dict[str, str]:
    """What the engine alone (the CLI's way) ends with, to compare with what the studio shows."""
    result = validate_file(sample)
    assert result.template is not None
    examples = json.loads(sample.with_name(sample.stem + ".inputs.json").read_text())
    engine = Engine(functions=FunctionRegistry.from_directory(SAMPLE_DIR / "functions"))
    _, resolution = await engine.create(result.template, examples["inputs"], examples["resolver_inputs"])
    await engine.run(resolution.id, dry_run=True)
    return {name: step.state for name, step in resolution.steps.items() if not step.is_child}


def _use_examples(qtbot: QtBot) -> Any:
    def fill(dialog: InputsDialog) -> None:
        mode = dialog.findChild(QLabel, "run-mode")
        assert mode is not None and mode.text().startswith("DRY RUN")
        QTest.mouseClick(dialog.example, Qt.MouseButton.LeftButton)
    return answering(qtbot, fill)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_every_sample_runs_dry_from_the_ui(qtbot: QtBot, tmp_path: Path, sample: Path) -> None:
    with ThreadPoolExecutor(1) as pool:  # the engine alone, on its own loop (the GUI thread's loop is qasync's)
        expected = pool.submit(asyncio.run, _cli_states(sample)).result()
    window, panel = open_window(qtbot, tmp_path, sample)
    try:
        assert panel.actions.dry_run.isChecked() and panel.actions.chip.text() == "DRY RUN"
        panel.exec_dialog = _use_examples(qtbot)
        panel.actions.run.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        qtbot.waitUntil(lambda: canvas_states(window) == expected, timeout=5000)
        resolution = panel.controller.resolution
        assert resolution is not None
        side_effects = [n for n, s in resolution.steps.items() if s.dry_run is not None and not s.is_child]
        views = [window.scene.nodes[name].run_view for name in side_effects]
        assert views and all(view is not None and view.dry_run for view in views)
        step = side_effects[0]
        window.scene.select_step(step)
        inspector = panel.inspector
        qtbot.waitUntil(lambda: inspector.step_name == step)
        assert inspector.title.text() == step and inspector.dry_chip.isVisibleTo(inspector)
        assert panel.actions.state_chip.text().startswith("DONE")
    finally:
        close_window(panel)


def test_inputs_form_checks_with_the_engine_rules_and_remembers(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "form-check.yaml"
    path.write_text(FORM_TEMPLATE)
    template = validate_file(path).template
    assert template is not None
    memory = InputMemory(tmp_path / "memory.json")
    dialog = InputsDialog(template, dry_run=False, template_path=path, memory=memory)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.example.isEnabled()  # no form-check.inputs.json
    host = dialog.field("host").edit  # type: ignore[attr-defined]
    QTest.keyClicks(host, "Not A Host")
    click_ok(dialog, qtbot)
    assert dialog.isVisible() and "host" in dialog.message.text()
    assert dialog.task_section.errors["host"].isVisibleTo(dialog)
    host.clear()
    QTest.keyClicks(host, "db.example")
    QTest.keyClicks(dialog.field("port").edit, "not a number")  # type: ignore[attr-defined]
    click_ok(dialog, qtbot)
    assert dialog.isVisible() and "port" in dialog.message.text()
    dialog.field("port").edit.setText("5432")  # type: ignore[attr-defined]
    dialog.field("env").combo.setCurrentText("prod")  # type: ignore[attr-defined]
    tags = dialog.field("tags")
    tags.add_item("blue")  # type: ignore[attr-defined]
    tags.add_item("green")  # type: ignore[attr-defined]
    QTest.keyClicks(dialog.field("token").edit, "s3cret")  # type: ignore[attr-defined]
    click_ok(dialog, qtbot)
    assert not dialog.isVisible(), dialog.message.text()
    assert dialog.inputs["port"] == 5432 and dialog.inputs["tags"] == ["blue", "green"]
    assert dialog.inputs["env"] == "prod" and dialog.inputs["token"] == "s3cret"
    saved = (tmp_path / "memory.json").read_text()
    assert "s3cret" not in saved and "db.example" in saved
    again = InputsDialog(template, dry_run=True, template_path=path, memory=memory)
    qtbot.addWidget(again)
    assert again.field("host").value() == "db.example" and again.field("token").value() is None
    assert again.field("tags").value() == ["blue", "green"]


def _run_payments(qtbot: QtBot, tmp_path: Path) -> tuple[Any, Any]:
    window, panel = open_window(qtbot, tmp_path, SAMPLE_DIR / "payments-antifraud.yaml")
    panel.exec_dialog = _use_examples(qtbot)
    panel.actions.run.trigger()
    assert wait_idle(qtbot, panel) == "DONE"
    return window, panel


def test_force_a_state_and_watch_pruning(qtbot: QtBot, tmp_path: Path) -> None:
    window, panel = _run_payments(qtbot, tmp_path)
    try:
        assert canvas_states(window)["approve"] == "PRUNE"
        assert not panel.actions.force.isEnabled()
        window.scene.select_step("score")
        assert panel.actions.force.isEnabled()

        def choose_done(dialog: ForceStateDialog) -> None:
            assert dialog.state.itemText(0) == "NEEDS_REVIEW"  # the step's custom states come first
            dialog.state.setCurrentText("DONE")

        panel.exec_dialog = answering(qtbot, choose_done)
        panel.actions.force.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        states = canvas_states(window)
        assert states["score"] == "DONE" and states["approve"] == "DONE"
        for pruned in ("review_callback", "open_case", "alert_fraud_ops", "await_decision", "apply_review_decision"):
            assert states[pruned] == "PRUNE", pruned
        assert states["customer_history"] == "DONE"
    finally:
        close_window(panel)


def test_run_from_a_step_reruns_only_its_descendants(qtbot: QtBot, tmp_path: Path) -> None:
    window, panel = _run_payments(qtbot, tmp_path)
    try:
        resolution = panel.controller.resolution
        assert resolution is not None
        before = {name: step.last_run for name, step in resolution.steps.items()}
        window.scene.select_step("open_case")
        panel.actions.run_from.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        after = {name: step.last_run for name, step in resolution.steps.items()}
        rerun = {name for name in after if after[name] != before[name]}
        assert rerun == {"open_case", "alert_fraud_ops", "await_decision", "apply_review_decision"}
        assert all(state in ("DONE", "NEEDS_REVIEW", "PRUNE") for state in canvas_states(window).values())
    finally:
        close_window(panel)


def test_run_from_a_step_uses_its_definition_as_edited_since(qtbot: QtBot, tmp_path: Path) -> None:
    window, panel = _run_payments(qtbot, tmp_path)
    try:
        session = window.session
        assert session is not None and session.document.path is not None
        assert tmp_path in session.document.path.parents  # a copy: edits never reach the repository
        path = ("steps", "apply_review_decision", "description")
        assert session.push(SetField(path, "Edited after the run."))
        session.validate_now()
        edited = session.document.last_good_template
        assert edited is not None and edited.steps["apply_review_decision"].description == "Edited after the run."
        window.scene.select_step("apply_review_decision")
        panel.actions.run_from.trigger()
        assert wait_idle(qtbot, panel) == "DONE"
        resolution = panel.controller.resolution
        assert resolution is not None
        assert resolution.steps["apply_review_decision"].definition.description == "Edited after the run."
        assert resolution.steps["open_case"].definition.description != "Edited after the run."
    finally:
        close_window(panel)

"""The inspector with real widgets: forms generated from the schemas, every commit one edit on the session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from studio_support import SAMPLE_DIR

from engine.load.functions import FunctionRegistry
from studio.document import ReplaceText, SetField
from studio.inspector import Inspector
from studio.inspector.fields import FieldEditor
from studio.inspector.form import Form
from studio.inspector.root_form import RootForm
from studio.inspector.step_form import StepForm
from studio.session import DocumentSession

SAMPLE = "payments-antifraud.yaml"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[DocumentSession]:
    path = tmp_path / SAMPLE
    shutil.copy(SAMPLE_DIR / SAMPLE, path)
    opened = DocumentSession.open(path, functions=FunctionRegistry.from_directory(SAMPLE_DIR / "functions"))
    opened.validate_now()
    yield opened
    opened.close()


@pytest.fixture
def inspector(qtbot: QtBot, session: DocumentSession) -> Inspector:
    widget = Inspector()
    qtbot.addWidget(widget)
    widget.resize(400, 900)
    widget.set_session(session)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def settle() -> None:
    for _ in range(20):  # layouts resize in several posted passes
        QApplication.processEvents()


def show_step(inspector: Inspector, session: DocumentSession, name: str) -> StepForm:
    session.select([name])
    settle()
    form = inspector.form
    assert isinstance(form, StepForm) and form.name == name
    return form


def field(form: Any, *relative: str | int) -> FieldEditor:
    editor = form.fields[tuple(relative)]
    assert isinstance(editor, FieldEditor)
    return editor


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def header(table: QTableWidget) -> list[str]:
    return [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]


def type_into(widget: QWidget, text: str, *, finish: Qt.Key | None = Qt.Key.Key_Return) -> None:
    """Focus the widget, replace its text by typing, and finish with Enter (None: leave it unfinished)."""
    target = (widget.lineEdit() if isinstance(widget, QComboBox) else widget) or widget
    target.window().activateWindow()
    target.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    QTest.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(target, Qt.Key.Key_Delete)
    for number, line in enumerate(text.split("\n")):
        if number:
            QTest.keyClick(target, Qt.Key.Key_Return)  # keyClicks cannot type a line break
        QTest.keyClicks(target, line)
    if finish is not None:
        QTest.keyClick(target, finish)


def leave(widget: QWidget, other: QWidget) -> None:
    """Move the focus elsewhere, as a click on another field does."""
    QTest.mouseClick(other, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    other.setFocus(Qt.FocusReason.MouseFocusReason)
    settle()
    assert not widget.hasFocus()


def test_selecting_a_step_shows_its_values(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "customer_history")
    description = field(form, "description").editor_widget()
    assert isinstance(description, QLineEdit)
    assert description.text() == "Fetch the customer's last 90 days of payments, chargebacks and usual countries."
    assert form.name_field.editor_widget().text() == "customer_history"  # type: ignore[attr-defined]
    method = field(form, "action", "configuration", "method").editor_widget()
    assert isinstance(method, QComboBox) and method.currentText() == "GET"
    assert field(form, "max_retries").editor_widget().text() == "5"  # type: ignore[attr-defined]
    assert field(form, "action", "base_configuration").editor_widget().text() == "risk_api"  # type: ignore[attr-defined]
    assert form.badge.kind == "read-only"  # http is side-effecting, but not with GET
    assert len(form.conditions.editors) == 2
    assert "404" in form.conditions.editors[0].snippet.toPlainText()
    assert inspector.title.text() == "customer_history"


def test_nothing_or_several_selected_shows_the_template(inspector: Inspector, session: DocumentSession) -> None:
    assert isinstance(inspector.form, RootForm)
    show_step(inspector, session, "score")
    session.select(["score", "approve"])
    settle()
    form = inspector.form
    assert isinstance(form, RootForm)
    assert field(form, "name").editor_widget().text() == "payments-antifraud"  # type: ignore[attr-defined]
    assert field(form, "auto_runnable").editor_widget().isChecked()  # type: ignore[attr-defined]
    assert field(form, "retry_max").editor_widget().text() == "30"  # type: ignore[attr-defined]
    assert form.tables[("inputs",)].table.rowCount() == 6
    assert cell(form.tables[("variables",)].table, 2, 0).text() == "blended_score"


def test_editing_the_description_is_one_set_field_and_undo_restores_the_bytes(
        inspector: Inspector, session: DocumentSession) -> None:
    original = session.document.text
    form = show_step(inspector, session, "customer_history")
    before = session.undo_stack.count()
    type_into(field(form, "description").editor_widget(), "Load the customer's history.")
    text = session.document.text
    assert session.undo_stack.count() == before + 1
    assert "    description: Load the customer's history.\n" in text
    assert text.replace("Load the customer's history.", "") == original.replace(
        "Fetch the customer's last 90 days of payments, chargebacks and usual countries.", "")
    session.undo_stack.undo()
    assert session.document.text == original
    settle()
    assert field(form, "description").editor_widget().text().startswith("Fetch the customer")  # type: ignore[attr-defined]


def test_changing_the_http_method_combo_changes_the_yaml(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "customer_history")
    method = field(form, "action", "configuration", "method").editor_widget()
    method.setFocus()
    QTest.keyClick(method, Qt.Key.Key_Down)  # GET → POST, as picking it from the list
    head = session.document.text.split("  model_score:")[0]
    assert "        method: POST\n" in head and "method: GET" not in head
    assert form.badge.kind == "side-effects"


def test_renaming_from_the_inspector_refactors_references(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "model_score")
    type_into(form.name_field.editor_widget(), "fraud_model")
    text = session.document.text
    assert ".step.model_score" not in text and "[model_score]" not in text and "\n  model_score:" not in text
    assert "dependencies: [fraud_model]" in text and "{{ .step.fraud_model.output.score }}" in text
    assert inspector.form is form and form.name == "fraud_model"  # same widgets, new paths
    assert session.selection == ["fraud_model"]
    assert field(form, "description").value == session.document.snapshot.value_at(  # type: ignore[union-attr]
        ("steps", "fraud_model", "description"))


def test_a_refused_rename_shows_why_and_keeps_the_typed_name(inspector: Inspector, session: DocumentSession) -> None:
    original = session.document.text
    form = show_step(inspector, session, "model_score")
    name = form.name_field.editor_widget()
    type_into(name, "score")
    assert session.document.text == original
    assert form.name_field.error.isVisible() and "already exists" in form.name_field.error.text()
    assert name.text() == "score"  # type: ignore[attr-defined]


def test_changing_the_action_type_replaces_the_configuration(inspector: Inspector, session: DocumentSession) -> None:
    original = session.document.text
    form = show_step(inspector, session, "customer_history")
    type_into(field(form, "action", "type").editor_widget(), "echo")
    step = session.document.snapshot.value_at(("steps", "customer_history"))  # type: ignore[union-attr]
    assert step["action"]["type"] == "echo" and step["action"]["configuration"] == {"output": {}}
    settle()
    assert ("action", "configuration", "output") in form.fields  # the echo rows replaced the http ones
    assert ("action", "configuration", "method") not in form.fields
    assert form.badge.kind == "safe"
    session.undo_stack.undo()
    assert session.document.text == original


def test_editing_a_root_input(inspector: Inspector, session: DocumentSession, qtbot: QtBot) -> None:
    form = inspector.form
    assert isinstance(form, RootForm)
    table = form.tables[("inputs",)].table
    column = header(table).index("description")
    table.scrollTo(table.model().index(1, column))
    rect = table.visualRect(table.model().index(1, column))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.keyClick(table, Qt.Key.Key_F2)  # the platform's "edit" key, like a double click
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, "Amount to capture.")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    settle()  # the delegate commits the cell editor's data on a queued call
    assert "    description: Amount to capture.\n    type: number\n" in session.document.text
    legal = header(table).index("legal_values")
    assert cell(table, 2, legal).text() == "[EUR, USD, GBP, CHF, CAD]"
    cell(table, 2, legal).setText("[EUR, USD]")  # what the cell editor commits
    assert "    legal_values: [EUR, USD]\n" in session.document.text
    optional = header(table).index("optional")
    cell(table, 1, optional).setCheckState(Qt.CheckState.Checked)  # what a click on the check box does
    assert "    type: number\n    optional: true\n" in session.document.text


def test_an_invalid_yaml_snippet_shows_an_error_and_changes_nothing(
        inspector: Inspector, session: DocumentSession) -> None:
    original = session.document.text
    form = show_step(inspector, session, "customer_history")
    editor = field(form, "action", "configuration", "query_parameters")
    snippet = editor.editor_widget()
    assert isinstance(snippet, QPlainTextEdit)
    type_into(snippet, "- name: [unclosed", finish=None)
    leave(snippet, field(form, "description").editor_widget())
    assert session.document.text == original
    assert editor.error.isVisible() and "line" in editor.error.text()
    assert snippet.toPlainText() == "- name: [unclosed"  # nothing the user typed is lost


def test_a_valid_yaml_snippet_commits_on_ctrl_enter(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "customer_history")
    snippet = field(form, "action", "configuration", "query_parameters").editor_widget()
    type_into(snippet, "- name: window\n  value: 30d", finish=None)
    QTest.keyClick(snippet, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    value = session.document.snapshot.value_at(  # type: ignore[union-attr]
        ("steps", "customer_history", "action", "configuration", "query_parameters"))
    assert value == [{"name": "window", "value": "30d"}]


def test_an_external_text_change_refreshes_the_form_in_place(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "customer_history")
    description = field(form, "description")
    text = session.document.text
    old = "Fetch the customer's last 90 days"
    start = text.index(old)
    session.push(ReplaceText(start, start + len(old), "Read the customer's last 90 days"))  # as typed in YAML
    session.wait_for_validation()
    settle()
    assert inspector.form is form and field(form, "description") is description  # not rebuilt
    assert description.editor_widget().text().startswith("Read the customer's")  # type: ignore[attr-defined]


def test_a_refresh_does_not_clobber_the_field_being_edited(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "customer_history")
    description = field(form, "description").editor_widget()
    type_into(description, "Half-typed", finish=None)
    session.push(SetField(("steps", "customer_history", "max_retries"), 7))  # e.g. from the YAML pane
    settle()
    assert description.hasFocus() and description.text() == "Half-typed"  # type: ignore[attr-defined]
    assert field(form, "max_retries").editor_widget().text() == "7"  # type: ignore[attr-defined]


def test_a_value_the_form_cannot_represent_is_shown_as_text(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "customer_history")
    session.push(SetField(("steps", "customer_history", "idempotent"), "{{.input.retry_safe}}"))
    settle()
    editor = field(form, "idempotent").editor_widget()
    assert isinstance(editor, QLineEdit) and editor.text() == "{{.input.retry_safe}}"


def test_diagnostics_mark_the_field_they_are_about(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "customer_history")
    session.push(SetField(("steps", "customer_history", "action", "configuration", "method"), "FETCH"))
    session.validate_now()
    settle()
    method = field(form, "action", "configuration", "method")
    assert method.problems and "FETCH" in method.problems[0]
    assert "FETCH" in method.frame.toolTip()
    assert not field(form, "description").problems


def test_an_integer_field_refuses_words_inline(inspector: Inspector, session: DocumentSession) -> None:
    original = session.document.text
    form = show_step(inspector, session, "customer_history")
    retries = field(form, "max_retries")
    type_into(retries.editor_widget(), "many")
    assert session.document.text == original
    assert retries.error.isVisible() and "whole number" in retries.error.text()
    type_into(retries.editor_widget(), "")  # clearing an optional field removes it
    assert "max_retries" not in session.document.snapshot.value_at(("steps", "customer_history"))  # type: ignore[union-attr]


def test_screenshots(inspector: Inspector, session: DocumentSession, artifacts: Path) -> None:
    inspector.resize(400, 1500)
    settle()
    root = artifacts / "inspector-root.png"
    assert inspector.grab().save(str(root))
    show_step(inspector, session, "customer_history")
    step = artifacts / "inspector-step.png"
    assert inspector.grab().save(str(step))
    assert root.stat().st_size > 10_000 and step.stat().st_size > 10_000


def test_dependencies_show_qualifiers_and_are_added_and_removed(
        inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "review_callback")
    tree = form.dependencies.tree
    rows = [(cell_text(tree, row, 0), cell_text(tree, row, 1)) for row in range(tree.topLevelItemCount())]
    assert rows == [("score", "NEEDS_REVIEW")]
    type_into(form.dependencies.target, "customer_history", finish=None)
    QTest.mouseClick(form.dependencies.add_button, Qt.MouseButton.LeftButton)
    assert list(session.document.structure["review_callback"]) == ["score:NEEDS_REVIEW", "customer_history"]
    assert tree.topLevelItemCount() == 2
    first = tree.topLevelItem(0)
    assert first is not None
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(first).center())
    QTest.mouseClick(form.dependencies.remove_button, Qt.MouseButton.LeftButton)
    assert list(session.document.structure["review_callback"]) == ["customer_history"]


def test_a_dependency_that_would_make_a_cycle_is_refused_inline(
        inspector: Inspector, session: DocumentSession) -> None:
    original = session.document.text
    form = show_step(inspector, session, "customer_history")
    type_into(form.dependencies.target, "score", finish=None)
    QTest.mouseClick(form.dependencies.add_button, Qt.MouseButton.LeftButton)
    assert session.document.text == original
    assert form.dependencies.error.isVisible() and "cycle" in form.dependencies.error.text()


def test_adding_a_condition_appends_a_skeleton(inspector: Inspector, session: DocumentSession) -> None:
    form = show_step(inspector, session, "score")
    before = len(form.conditions.editors)
    buttons = [b for b in form.conditions.findChildren(QPushButton) if b.text() == "Add skip"]
    QTest.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    settle()
    conditions = session.document.snapshot.value_at(("steps", "score", "conditions"))  # type: ignore[union-attr]
    assert len(conditions) == before + 1 and conditions[-1]["type"] == "skip"
    assert len(form.conditions.editors) == before + 1
    assert "type: skip" in form.conditions.editors[-1].snippet.toPlainText()


def cell_text(tree: QTreeWidget, row: int, column: int) -> str:
    item = tree.topLevelItem(row)
    assert item is not None
    return item.text(column)


def test_detaching_the_session_disconnects_the_forms(inspector: Inspector, session: DocumentSession) -> None:
    show_step(inspector, session, "score")
    inspector.set_session(None)
    assert shown_form(inspector) is None and inspector.pages.currentWidget() is inspector.empty
    session.select(["approve"])  # the old session no longer drives the panel
    session.push(SetField(("steps", "approve", "max_retries"), 2))
    assert shown_form(inspector) is None
    inspector.set_session(session)
    form = shown_form(inspector)
    assert isinstance(form, StepForm) and form.name == "approve"
    assert field(form, "max_retries").editor_widget().text() == "2"  # type: ignore[attr-defined]


def shown_form(inspector: Inspector) -> Form | None:
    return inspector.form

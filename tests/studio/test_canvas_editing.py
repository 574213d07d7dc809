"""The canvas as an editor: real gestures on the view's viewport become edits of the YAML text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from canvas_support import (
    close_sessions,  # noqa: F401 - the autouse fixture closing every opened session
    node,
    session_of,
)
from canvas_support import open_canvas as show_canvas
from canvas_support import sample as sample_copy
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from studio_support import SAMPLE_DIR

from engine.model.graph import parse_dependency
from studio.canvas.link_drag import REFUSED_COLOUR
from studio.canvas.menus import context_menu, qualifier_states
from studio.canvas.node import StepNode
from studio.canvas.view import CanvasView
from studio.document.skeleton import ACTION_MIME, FUNCTION_MIME

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def canvas(qtbot: QtBot, tmp_path: Path) -> Iterator[CanvasView]:
    yield open_canvas(qtbot, tmp_path, "payments-antifraud")


def open_canvas(qtbot: QtBot, tmp_path: Path, sample: str) -> CanvasView:
    """A shown canvas on a copy of a sample, zoomed out a little so every card fits."""
    view = show_canvas(qtbot, sample_copy(tmp_path, sample))
    view.set_zoom(0.8)
    return view


def at(view: CanvasView, item: StepNode, x: float | None = None, y: float | None = None) -> QPoint:
    """Viewport coordinates of a point of a card (default: a point of its body, clear of the name)."""
    card = item.card()
    local = QPointF(card.width() * 0.75 if x is None else x, card.height() * 0.75 if y is None else y)
    return view.mapFromScene(item.mapToScene(local))


def port(view: CanvasView, item: StepNode) -> QPoint:
    return view.mapFromScene(item.mapToScene(item.port_centre()))


def drag(view: CanvasView, start: QPoint, end: QPoint, modifiers: Qt.KeyboardModifier = NONE) -> None:
    viewport = view.viewport()
    QTest.mousePress(viewport, LEFT, modifiers, start)
    for step in range(1, 6):  # several moves, like a hand
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, LEFT, modifiers, end)


def dependencies(view: CanvasView, name: str) -> list[str]:
    return [parse_dependency(d).step for d in session_of(view).document.structure[name]]


def drop(view: CanvasView, mime_type: str, payload: str, where: QPoint) -> QDropEvent:
    """A palette drop through the real event path: enter, move, drop on the viewport."""
    mime = QMimeData()
    mime.setData(mime_type, payload.encode())
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(where, action, mime, LEFT, NONE)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(view.viewport(), QDragMoveEvent(where, action, mime, LEFT, NONE))
    event = QDropEvent(QPointF(where), action, mime, LEFT, NONE)
    QApplication.sendEvent(view.viewport(), event)
    return event


def test_palette_drop_adds_a_step_with_its_skeleton_where_dropped(canvas: CanvasView) -> None:
    session = session_of(canvas)
    where = QPoint(700, 150)
    drop(canvas, ACTION_MIME, "http", where)
    step = session.document.snapshot.data["steps"]["http"]  # type: ignore[union-attr]
    assert step["action"] == {"type": "http", "configuration": {"method": "GET", "url": "https://"}}
    card = node(canvas, "http")
    assert card.sceneBoundingRect().contains(canvas.mapToScene(where))
    assert session.document.positions["http"] == (card.pos().x(), card.pos().y())
    assert canvas.template_scene().selected_steps() == ["http"]
    assert session.undo_stack.count() == 1  # the step and its place are one undo step
    session.undo_stack.undo()
    assert canvas.template_scene().node("http") is None and "http" not in session.document.positions


def test_a_function_drop_and_a_foreign_drag(canvas: CanvasView) -> None:
    drop(canvas, FUNCTION_MIME, "chat::post", QPoint(900, 300))
    assert node(canvas, "post").action_type == "chat::post"
    mime = QMimeData()
    mime.setText("not a palette item")
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, LEFT, NONE)
    QApplication.sendEvent(canvas.viewport(), enter)
    assert not enter.isAccepted()


def test_dragging_from_a_port_to_a_card_connects_them(canvas: CanvasView) -> None:
    assert "customer_history" not in dependencies(canvas, "approve")
    drag(canvas, port(canvas, node(canvas, "customer_history")), at(canvas, node(canvas, "approve")))
    assert "customer_history" in dependencies(canvas, "approve")
    assert canvas.template_scene().edge("customer_history", "approve") is not None
    assert not [item for item in canvas.scene().items() if item.zValue() == 10]  # the rubber line is gone


def test_connecting_to_a_step_with_custom_states_asks_for_the_qualifier(canvas: CanvasView) -> None:
    score = node(canvas, "score")
    assert [state for state, _ in qualifier_states(score)] == ["DONE", "NEEDS_REVIEW", "ANY"]
    asked: list[str] = []

    def choose(dependency: StepNode, _: QPointF) -> str:
        asked.append(dependency.name)
        return "NEEDS_REVIEW"

    canvas.template_scene().state_chooser = choose
    drag(canvas, port(canvas, score), at(canvas, node(canvas, "alert_fraud_ops")))
    assert asked == ["score"]
    assert "score:NEEDS_REVIEW" in session_of(canvas).document.structure["alert_fraud_ops"]
    assert canvas.template_scene().edge("score", "alert_fraud_ops").states == ("NEEDS_REVIEW",)  # type: ignore[union-attr]


def test_a_cycle_is_refused_drawn_red_and_explained(canvas: CanvasView, qtbot: QtBot) -> None:
    session = session_of(canvas)
    before = session.document.text
    start = port(canvas, node(canvas, "apply_review_decision"))
    target = at(canvas, node(canvas, "customer_history"))
    QTest.mousePress(canvas.viewport(), LEFT, NONE, start)
    QTest.mouseMove(canvas.viewport(), target)
    link = canvas.template_scene()._link  # noqa: SLF001 - the rubber line while hovering
    assert link is not None and link.refused and link.line.pen().color().name() == REFUSED_COLOUR
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_Escape)  # Escape drops the rubber line…
    assert canvas.template_scene()._link is None  # noqa: SLF001
    QTest.mouseRelease(canvas.viewport(), LEFT, NONE, target)
    assert session.document.text == before
    QTest.mousePress(canvas.viewport(), LEFT, NONE, start)  # …and releasing on the target explains the refusal
    QTest.mouseMove(canvas.viewport(), target)
    with qtbot.waitSignal(session.edit_refused) as refused:
        QTest.mouseRelease(canvas.viewport(), LEFT, NONE, target)
    assert "cycle" in refused.args[0]
    assert session.document.text == before and session.undo_stack.count() == 0
    assert canvas.notice_banner.isVisible() and "cycle" in canvas.notice_banner.text


def test_delete_removes_a_step_and_every_dependency_on_it(canvas: CanvasView) -> None:
    session = session_of(canvas)
    original = session.document.text
    QTest.mouseClick(canvas.viewport(), LEFT, NONE, at(canvas, node(canvas, "open_case")))
    assert session.selection == ["open_case"]
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_Delete)
    structure = session.document.structure
    assert "open_case" not in structure
    assert all(parse_dependency(d).step != "open_case" for deps in structure.values() for d in deps)
    assert canvas.template_scene().node("open_case") is None
    assert all("open_case" not in edge.key for edge in canvas.template_scene().edges)
    session.undo_stack.undo()
    assert session.document.text == original
    assert canvas.template_scene().node("open_case") is not None


def test_rubber_band_selection_and_one_undo_step_for_several_deletions(canvas: CanvasView) -> None:
    session = session_of(canvas)
    original = session.document.text
    first, last = node(canvas, "customer_history"), node(canvas, "model_score")
    corner = canvas.mapFromScene(first.sceneBoundingRect().topLeft() - QPointF(20, 20))
    far = canvas.mapFromScene(last.sceneBoundingRect().bottomRight() + QPointF(20, 10))
    drag(canvas, corner, far)
    assert sorted(canvas.template_scene().selected_steps()) == ["customer_history", "model_score"]
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_Delete)
    assert {"customer_history", "model_score"}.isdisjoint(session.document.structure)
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert session.document.text == original


def test_deleting_a_selected_arrow_disconnects(canvas: CanvasView) -> None:
    edge = canvas.template_scene().edge("open_case", "alert_fraud_ops")
    assert edge is not None
    canvas.template_scene().clearSelection()
    edge.setSelected(True)
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_Delete)
    assert "open_case" not in dependencies(canvas, "alert_fraud_ops")
    assert "alert_fraud_ops" in session_of(canvas).document.structure


def test_rename_in_place_refactors_references_and_keeps_the_card(canvas: CanvasView, qtbot: QtBot) -> None:
    session = session_of(canvas)
    card = node(canvas, "model_score")
    where = card.pos()
    assert ".step.model_score." in session.document.text
    QTest.mouseDClick(canvas.viewport(), LEFT, NONE, at(canvas, card, x=80, y=16))
    editor = canvas.rename_editor
    assert editor.isVisible() and editor.text() == "model_score"
    editor.selectAll()
    QTest.keyClicks(editor, "score")  # an existing name: refused, the editor stays with the reason
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert editor.isVisible() and "already exists" in editor.error.text() and editor.error.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, "fraud_model")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert not editor.isVisible()
    text = session.document.text
    assert ".step.fraud_model.output.score" in text and ".step.model_score" not in text
    assert "fraud_model" in dependencies(canvas, "score")
    assert node(canvas, "fraud_model") is card and card.pos() == where and card.name == "fraud_model"


def test_f2_opens_the_rename_editor_and_escape_cancels(canvas: CanvasView) -> None:
    canvas.template_scene().select_step("approve")
    canvas.setFocus()
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_F2)
    assert canvas.rename_editor.isVisible() and canvas.rename_editor.text() == "approve"
    QTest.keyClick(canvas.rename_editor, Qt.Key.Key_Escape)
    assert not canvas.rename_editor.isVisible() and session_of(canvas).undo_stack.count() == 0


def test_copy_and_paste_keep_dependencies_among_pasted_steps(canvas: CanvasView) -> None:
    session = session_of(canvas)
    canvas.template_scene().select_steps(["customer_history", "model_score"])
    canvas.setFocus()
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("steps:\n") and "  model_score:\n" in copied
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    structure = session.document.structure
    assert {"customer_history2", "model_score2"} <= set(structure)
    assert dependencies(canvas, "model_score2") == ["customer_history2"]
    assert ".step.customer_history2." in session.document.text or "customer_history2" in session.document.text
    assert sorted(canvas.template_scene().selected_steps()) == ["customer_history2", "model_score2"]
    first, second = node(canvas, "customer_history2"), node(canvas, "model_score2")
    assert second.pos() - first.pos() == node(canvas, "model_score").pos() - node(canvas, "customer_history").pos()
    assert session.undo_stack.count() == 1


def test_moving_cards_pushes_one_move_and_undo_restores_them(canvas: CanvasView) -> None:
    session = session_of(canvas)
    approve, case = node(canvas, "approve"), node(canvas, "open_case")
    before = {"approve": approve.pos(), "open_case": case.pos()}
    canvas.template_scene().select_steps(["approve", "open_case"])
    start = at(canvas, approve)
    QTest.mousePress(canvas.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(canvas.viewport(), start + QPoint(0, 24 * step))
    QTest.mouseRelease(canvas.viewport(), LEFT, Qt.KeyboardModifier.ControlModifier, start + QPoint(0, 120))
    assert session.undo_stack.count() == 1
    moved = session.document.positions
    assert set(moved) == {"approve", "open_case"}
    assert moved["approve"][1] > before["approve"].y() + 100
    edge = canvas.template_scene().edge("score", "approve")
    assert edge is not None and edge.path().pointAtPercent(1).y() == pytest.approx(approve.pos().y(), abs=1)
    session.undo_stack.undo()
    assert approve.pos() == before["approve"] and case.pos() == before["open_case"]
    assert not session.document.positions


def test_context_menu_duplicates_and_disconnects(canvas: CanvasView) -> None:
    session = session_of(canvas)
    menu = context_menu(canvas, node(canvas, "approve").centre())
    actions = {action.text(): action for action in menu.actions() if action.text()}
    assert {"Rename…", "Duplicate", "Copy", "Disconnect dependencies", "Delete"} <= set(actions)
    actions["Duplicate"].trigger()
    assert "approve2" in session.document.structure and dependencies(canvas, "approve2") == ["score"]
    menu = context_menu(canvas, node(canvas, "approve2").centre())
    next(a for a in menu.actions() if a.text() == "Disconnect dependencies").trigger()
    assert dependencies(canvas, "approve2") == []


def test_gestures_undo_back_to_the_original_bytes(canvas: CanvasView) -> None:
    session = session_of(canvas)
    original = (SAMPLE_DIR / "payments-antifraud.yaml").read_bytes()
    drop(canvas, ACTION_MIME, "echo", QPoint(900, 200))
    drag(canvas, port(canvas, node(canvas, "approve")), at(canvas, node(canvas, "echo")))
    drag(canvas, at(canvas, node(canvas, "echo")), at(canvas, node(canvas, "echo")) + QPoint(40, 60))
    canvas.template_scene().select_step("approve")
    QTest.keyClick(canvas.viewport(), Qt.Key.Key_Delete)
    assert session.undo_stack.count() == 4
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert session.document.text.encode() == original
    assert set(canvas.template_scene().nodes) == set(session.document.structure)


def test_the_qualifier_menu_offers_what_mutask_accepts(canvas: CanvasView) -> None:
    from studio.canvas.menus import qualifier_menu

    menu = qualifier_menu(node(canvas, "score"), canvas)
    assert [action.data() for action in menu.actions() if action.data()] == ["DONE", "NEEDS_REVIEW", "ANY"]
    asked: list[str] = []
    def dismiss(dependency: StepNode, _: QPointF) -> None:
        asked.append(dependency.name)

    canvas.template_scene().state_chooser = dismiss
    # Shift asks even for a step without custom states; dismissing the menu connects nothing.
    drag(canvas, port(canvas, node(canvas, "customer_history")), at(canvas, node(canvas, "approve")),
         Qt.KeyboardModifier.ShiftModifier)
    assert asked == ["customer_history"] and session_of(canvas).undo_stack.count() == 0


def test_pasting_yaml_from_elsewhere_and_refusing_what_is_not_steps(canvas: CanvasView, qtbot: QtBot) -> None:
    session = session_of(canvas)
    QGuiApplication.clipboard().setText("steps:\n  ping_it:\n    action:\n      type: ping\n"
                                        "    dependencies: [score, nowhere]\n")
    names = canvas.paste_at(QPointF(0, 0))
    assert names == ["ping_it"] and dependencies(canvas, "ping_it") == ["score"]
    assert node(canvas, "ping_it").pos() == QPointF(0, 0)
    QGuiApplication.clipboard().setText("just some words")
    with qtbot.waitSignal(canvas.template_scene().notice) as notice:
        assert canvas.paste_at() == []
    assert "no steps" in notice.args[0] and session.undo_stack.count() == 1


def test_space_drag_pans_instead_of_selecting(canvas: CanvasView) -> None:
    canvas.set_zoom(2.0)
    canvas.setFocus()
    before = canvas.mapToScene(canvas.viewport().rect().center())
    QTest.keyPress(canvas.viewport(), Qt.Key.Key_Space)
    drag(canvas, QPoint(600, 500), QPoint(500, 400))
    QTest.keyRelease(canvas.viewport(), Qt.Key.Key_Space)
    after = canvas.mapToScene(canvas.viewport().rect().center())
    assert after.y() > before.y()  # (the graph is narrower than the view: no room to pan sideways)
    assert canvas.template_scene().selected_steps() == []


def test_structural_gestures_are_refused_while_the_yaml_is_broken(canvas: CanvasView, qtbot: QtBot) -> None:
    from studio.document import ReplaceText

    session = session_of(canvas)
    start = session.document.text.index("steps:")
    session.push(ReplaceText(start, start, "steps: [\n"))
    session.wait_for_validation()
    broken = session.document.text
    with qtbot.waitSignal(canvas.template_scene().notice) as notice:
        drag(canvas, port(canvas, node(canvas, "customer_history")), at(canvas, node(canvas, "approve")))
    assert "broken" in notice.args[0] and session.document.text == broken


def test_detaching_the_session_empties_the_canvas_and_stops_following(canvas: CanvasView) -> None:
    from studio.document import AddStep

    session = session_of(canvas)
    canvas.set_session(None)
    assert not canvas.template_scene().nodes
    session.push(AddStep("later", {"action": {"type": "echo"}}))
    assert not canvas.template_scene().nodes

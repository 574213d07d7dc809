"""The canvas as a view of the session: incremental updates, the stale banner, problem badges, selection
and navigation, run states, find, the minimap, zoom and pan, a 1,000-step template; screenshots."""

from __future__ import annotations

from pathlib import Path

from canvas_support import (
    close_sessions,  # noqa: F401 - the autouse fixture closing every opened session
    node,
    open_canvas,
    sample,
    session_of,
)
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from studio_support import BROKEN_TEMPLATE, generated_template

from engine.diagnostics import Diagnostic, Severity
from studio.canvas.node import StepNode
from studio.canvas.overlays import STALE_TEXT
from studio.canvas.run_state import StepRunView, run_colour
from studio.canvas.view import CanvasView
from studio.document import AddStep, ReplaceText, SetField

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def test_structure_changes_are_applied_incrementally(qtbot: QtBot, tmp_path: Path) -> None:
    view = open_canvas(qtbot, sample(tmp_path, "k8s-ingress-tls"))
    session = session_of(view)
    cards = view.template_scene().nodes
    first = next(iter(cards))
    session.push(AddStep("audit", {"dependencies": [first], "action": {"type": "echo", "configuration": {}}}))
    after = view.template_scene().nodes
    assert set(after) == set(cards) | {"audit"}
    assert all(after[name] is card for name, card in cards.items())  # nothing rebuilt
    assert view.template_scene().edge(first, "audit") is not None
    audit, parent = after["audit"].sceneBoundingRect(), cards[first].sceneBoundingRect()
    assert audit.top() > parent.bottom()  # placed under its dependency
    assert not any(audit.intersects(card.sceneBoundingRect()) for name, card in cards.items())
    session.push(SetField(("steps", "audit", "description"), "Keeps a trace"))
    assert after["audit"].description == "Keeps a trace"


def test_broken_yaml_keeps_the_last_graph_with_a_banner(qtbot: QtBot, tmp_path: Path) -> None:
    view = open_canvas(qtbot, sample(tmp_path, "payments-antifraud"))
    session = session_of(view)
    cards = view.template_scene().nodes
    end = session.document.text.index("steps:")
    session.push(ReplaceText(end, end, "steps: [oops\n"))
    session.wait_for_validation()
    assert view.template_scene().stale and view.stale_banner.isVisible()
    assert view.stale_banner.text == STALE_TEXT
    assert view.template_scene().nodes == cards
    session.undo_stack.undo()
    session.wait_for_validation()
    assert not view.template_scene().stale and not view.stale_banner.isVisible()
    assert view.template_scene().nodes == cards


def test_problem_badges_and_navigation_to_a_step(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_TEMPLATE, encoding="utf-8")
    view = open_canvas(qtbot, path)
    assert node(view, "loop").problem == "error"
    assert "itself" in node(view, "loop").toolTip() or "cycle" in node(view, "loop").toolTip().lower()
    session = session_of(view)
    target = Diagnostic(Severity.ERROR, "x", "a problem", path=("steps", "notify", "foreach"))
    view.set_zoom(2.5)
    session.navigate(target)
    assert view.template_scene().selected_steps() == ["notify"] and session.selection == ["notify"]
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(node(view, "notify").centre())


def test_selection_is_shared_with_the_session(qtbot: QtBot, tmp_path: Path) -> None:
    view = open_canvas(qtbot, sample(tmp_path, "payments-antifraud"))
    session = session_of(view)
    session.select(["score", "approve"], origin=None)
    assert sorted(view.template_scene().selected_steps()) == ["approve", "score"]
    click = view.mapFromScene(node(view, "open_case").mapToScene(QPointF(150, 45)))
    QTest.mouseClick(view.viewport(), LEFT, NONE, click)
    assert session.selection == ["open_case"]


def pixel(view: CanvasView, image: QImage, item: StepNode, local: QPointF) -> QColor:
    point = view.mapFromScene(item.mapToScene(local))
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def test_run_states_paint_the_cards(qtbot: QtBot, tmp_path: Path, artifacts: Path) -> None:
    view = open_canvas(qtbot, sample(tmp_path, "payments-antifraud"))
    scene = view.template_scene()
    states = {"customer_history": StepRunView("DONE", tries=1), "model_score": StepRunView("DONE"),
              "score": StepRunView("NEEDS_REVIEW"), "approve": StepRunView("PRUNE"),
              "review_callback": StepRunView("WAITING", dry_run=True),
              "open_case": StepRunView("SERVER_ERROR", tries=3, error="HTTP 503"),
              "alert_fraud_ops": StepRunView("RUNNING", children_total=10, children_done=6, children_failed=1)}
    scene.set_run_states(states)
    assert view.legend.isVisible()
    image = view.viewport().grab().toImage()
    card = node(view, "customer_history")
    strip = pixel(view, image, card, QPointF(2.5, card.card().height() / 2))
    assert strip.name() == run_colour("DONE")
    error = pixel(view, image, node(view, "open_case"), QPointF(2.5, card.card().height() / 2))
    assert error.name() == run_colour("SERVER_ERROR")
    assert "6/10" in node(view, "alert_fraud_ops").toolTip() and "HTTP 503" in node(view, "open_case").toolTip()
    view.grab().save(str(artifacts / "canvas-run-states.png"))
    scene.set_run_states(None)
    assert not view.legend.isVisible() and node(view, "open_case").run_view is None
    cleared = pixel(view, view.viewport().grab().toImage(), card, QPointF(2.5, card.card().height() / 2))
    assert cleared.name() != run_colour("DONE")


def test_find_selects_centres_and_cycles(qtbot: QtBot, tmp_path: Path) -> None:
    view = open_canvas(qtbot, sample(tmp_path, "payments-antifraud"))
    view.set_zoom(2.0)
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.find_bar.isVisible()
    QTest.keyClicks(view.find_bar.field, "APP")
    scene = view.template_scene()
    assert sorted(scene.selected_steps()) == ["apply_review_decision", "approve"]
    assert node(view, "score").opacity() < 1 and node(view, "approve").opacity() == 1
    QTest.keyClick(view.find_bar.field, Qt.Key.Key_Return)
    current = scene.selected_steps()
    assert len(current) == 1
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(node(view, current[0]).centre())
    QTest.keyClick(view.find_bar.field, Qt.Key.Key_Return)
    assert scene.selected_steps() != current
    QTest.keyClick(view.find_bar.field, Qt.Key.Key_Escape)
    assert not view.find_bar.isVisible() and node(view, "score").opacity() == 1


def test_zoom_keys_pan_and_minimap(qtbot: QtBot, tmp_path: Path) -> None:
    view = open_canvas(qtbot, sample(tmp_path, "team-member-bootstrap"), size=(900, 600))
    view.set_zoom(1.0)
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_Plus)
    assert view.zoom() > 1.0
    QTest.keyClick(view.viewport(), Qt.Key.Key_Minus)
    QTest.keyClick(view.viewport(), Qt.Key.Key_Minus)
    assert view.zoom() < 1.0
    view.set_zoom(1.5)
    before = view.mapToScene(view.viewport().rect().center())
    QTest.mousePress(view.viewport(), Qt.MouseButton.MiddleButton, NONE, QPoint(400, 300))
    QTest.mouseMove(view.viewport(), QPoint(300, 250))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.MiddleButton, NONE, QPoint(300, 250))
    moved = view.mapToScene(view.viewport().rect().center())
    assert moved.x() > before.x() and moved.y() > before.y()
    minimap = view.minimap
    qtbot.waitUntil(minimap.isVisible)  # part of the graph is out of view
    assert minimap.width() <= 900 * 0.3 and minimap.geometry().bottom() < view.viewport().height()
    corner = minimap.to_map(node(view, next(iter(view.template_scene().nodes))).centre()).toPoint()
    QTest.mouseClick(minimap, LEFT, NONE, corner)
    centre = view.mapToScene(view.viewport().rect().center())
    first = node(view, next(iter(view.template_scene().nodes))).centre()
    assert abs(centre.x() - first.x()) < 60 or not view.horizontalScrollBar().maximum()
    view.fit_all()
    qtbot.waitUntil(lambda: not minimap.isVisible())  # everything in view: nothing to navigate


def test_a_thousand_steps_open_laid_out_cached_and_editable(qtbot: QtBot, tmp_path: Path,
                                                            artifacts: Path) -> None:
    path = tmp_path / "generated-1000.yaml"
    path.write_text(generated_template(1000), encoding="utf-8")
    view = open_canvas(qtbot, path)
    scene = view.template_scene()
    assert len(scene.nodes) == 1000 and scene.layout_result.engine == "built-in"
    assert all(card.cacheMode() == StepNode.CacheMode.DeviceCoordinateCache for card in scene.nodes.values())
    rects = sorted((card.sceneBoundingRect() for card in scene.nodes.values()), key=lambda r: (r.top(), r.left()))
    assert all(not a.intersects(b) for a, b in zip(rects, rects[1:], strict=False) if a.top() == b.top())
    session_of(view).push(AddStep("extra", {"dependencies": ["step_0999"], "action": {"type": "echo"}}))
    assert len(scene.nodes) == 1001 and scene.edge("step_0999", "extra") is not None
    view.fit_all()
    view.grab().save(str(artifacts / "canvas-generated-1000.png"))


def test_screenshot_of_the_editor(qtbot: QtBot, tmp_path: Path, artifacts: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_TEMPLATE, encoding="utf-8")
    view = open_canvas(qtbot, sample(tmp_path, "payments-antifraud"))
    view.template_scene().select_step("score")
    view.grab().save(str(artifacts / "canvas-payments.png"))
    view.find_bar.open_bar()
    QTest.keyClicks(view.find_bar.field, "case")
    view.grab().save(str(artifacts / "canvas-find.png"))
    broken = open_canvas(qtbot, path, size=(900, 600))
    broken.grab().save(str(artifacts / "canvas-problems.png"))
    assert node(broken, "loop").problem == "error"
    session = session_of(broken)
    session.push(ReplaceText(0, 0, "name: [\n"))
    session.wait_for_validation()
    broken.grab().save(str(artifacts / "canvas-stale.png"))
    assert broken.stale_banner.isVisible() and len(broken.template_scene().nodes) == 3
    assert node(broken, "loop").problem == "error"  # the last graph keeps its badges


def test_ctrl_wheel_zooms_and_arrange_is_one_undoable_move(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from studio.canvas.menus import context_menu

    view = open_canvas(qtbot, sample(tmp_path, "k8s-ingress-tls"))
    view.set_zoom(1.0)
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(centre, QPointF(view.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom() > 1.2
    session = session_of(view)
    first = next(iter(view.template_scene().nodes))
    node(view, first).setPos(node(view, first).pos() + QPointF(500, 500))
    menu = context_menu(view, view.template_scene().sceneRect().bottomRight() - QPointF(2, 2))
    next(action for action in menu.actions() if action.text() == "Arrange automatically").trigger()
    assert set(session.document.positions) == set(view.template_scene().nodes)
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert not session.document.positions


def test_running_steps_pulse_and_the_link_target_is_hinted(qtbot: QtBot, tmp_path: Path) -> None:
    view = open_canvas(qtbot, sample(tmp_path, "payments-antifraud"))
    scene = view.template_scene()
    scene.set_run_states({"score": StepRunView("RUNNING")})
    qtbot.waitUntil(lambda: node(view, "score").pulse > 0)
    scene.set_run_states({"score": StepRunView("DONE")})
    assert not scene._pulse.isActive()  # noqa: SLF001 - nothing runs: no animation timer
    start = view.mapFromScene(node(view, "approve").mapToScene(node(view, "approve").port_centre()))
    QTest.mousePress(view.viewport(), LEFT, NONE, start)
    QTest.mouseMove(view.viewport(), view.mapFromScene(node(view, "score").centre()))
    assert node(view, "score").link_hint == "refused"  # score is upstream of approve: a cycle
    QTest.mouseMove(view.viewport(), view.mapFromScene(node(view, "open_case").centre()))
    assert node(view, "score").link_hint is None and node(view, "open_case").link_hint == "ok"
    QTest.mouseRelease(view.viewport(), LEFT, NONE, view.mapFromScene(node(view, "open_case").centre()))
    assert node(view, "open_case").link_hint is None
    assert "approve" in session_of(view).document.structure["open_case"]

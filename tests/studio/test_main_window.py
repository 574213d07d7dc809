"""The main window on each sample: one node per step, one edge per dependency, one row per diagnostic,
and a click on a problem that lands the YAML cursor on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from pytestqt.qtbot import QtBot
from studio_support import SAMPLE_DIR, SAMPLES

from engine.model.graph import parse_dependency
from engine.validate import validate_file
from studio.canvas.edge import DependencyEdge
from studio.canvas.node import StepNode
from studio.main_window import MainWindow, step_of, summary


def open_window(qtbot: QtBot, path: Path | None = None) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    if path is not None:
        window.open_file(path)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_is_shown_whole(qtbot: QtBot, sample: Path) -> None:
    expected = validate_file(sample)
    assert expected.template is not None
    window = open_window(qtbot, sample)
    steps = expected.template.steps
    assert set(window.scene.nodes) == set(steps)
    dependencies = [(parse_dependency(d).step, name) for name, step in steps.items() for d in step.dependencies]
    assert sorted((e.source.name, e.target.name) for e in window.scene.edges) == sorted(dependencies)
    assert window.problems.row_count() == len(expected.diagnostics)
    assert window.windowTitle() == f"{expected.template.name} — µTask Studio"
    assert window.counts_label.text() == summary(expected)
    assert window.layout_label.text().startswith("Layout: ")
    assert window.yaml.toPlainText() == sample.read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_no_two_cards_overlap_and_the_graph_is_fitted(qtbot: QtBot, sample: Path) -> None:
    window = open_window(qtbot, sample)
    cards = [node.mapRectToScene(node.card()) for node in window.scene.nodes.values()]
    for index, card in enumerate(cards):
        assert not any(card.intersects(other) for other in cards[index + 1:])
    visible = window.canvas.mapToScene(window.canvas.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.itemsBoundingRect())
    assert 0.3 < window.canvas.zoom() <= 1.0


def test_qualified_dependencies_foreach_and_custom_states(qtbot: QtBot) -> None:
    payments = open_window(qtbot, SAMPLE_DIR / "payments-antifraud.yaml")
    labels = {(e.source.name, e.target.name): e.label for e in payments.scene.edges}
    assert labels[("score", "review_callback")] == "NEEDS_REVIEW"
    assert labels[("score", "approve")] == ""
    assert payments.scene.nodes["score"].custom_states == ["NEEDS_REVIEW"]
    team = open_window(qtbot, SAMPLE_DIR / "team-member-bootstrap.yaml")
    assert sorted(e.source.name for e in team.scene.edges if e.label == "ANY") == ["github_invite", "vpn_profile"]
    k8s = open_window(qtbot, (SAMPLE_DIR / "k8s-ingress-tls.yaml"))
    assert [name for name, node in k8s.scene.nodes.items() if node.foreach] == ["dns_challenges"]


def test_problems_of_a_broken_template(qtbot: QtBot, broken_template: Path) -> None:
    expected = validate_file(broken_template)
    window = open_window(qtbot, broken_template)
    assert window.problems.row_count() == len(expected.diagnostics) > 0
    assert [window.problems.diagnostic(row) for row in range(window.problems.row_count())] == expected.diagnostics
    edges = {(e.source.name, e.target.name): e for e in window.scene.edges}
    assert ("loop", "loop") in edges and edges[("notify", "loop")].label == "SENT,SKIPPED"
    assert not any(target == "ghost" or source == "ghost" for source, target in edges)
    assert "error" in window.counts_label.text()


def test_clicking_a_problem_moves_the_cursor_and_selects_the_step(qtbot: QtBot, broken_template: Path) -> None:
    window = open_window(qtbot, broken_template)
    tree = window.problems.tree
    for row in range(tree.topLevelItemCount()):
        diagnostic = window.problems.diagnostic(row)
        tree.scrollToItem(tree.topLevelItem(row))
        rect = tree.visualItemRect(tree.topLevelItem(row))
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.yaml.cursor_line_column() == (diagnostic.line, diagnostic.column)
        assert window.scene.selected_step() == step_of(diagnostic.path)


def test_selecting_a_step_shows_its_yaml(qtbot: QtBot) -> None:
    window = open_window(qtbot, SAMPLE_DIR / "payments-antifraud.yaml")
    window.scene.select_step("open_case")
    line, _ = window.yaml.cursor_line_column()
    assert window.yaml.document().findBlockByNumber(line - 1).text().strip() == "open_case:"
    assert all(edge._highlighted() for edge in window.scene.nodes["open_case"].edges)


def test_ctrl_wheel_zooms_and_stops_auto_fit(qtbot: QtBot) -> None:
    window = open_window(qtbot, SAMPLE_DIR / "payments-antifraud.yaml")
    view = window.canvas
    before = view.zoom()
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(event)
    assert view.zoom() == pytest.approx(before * 1.15)
    assert window.zoom_label.text() == f"{view.zoom():.0%}"
    window.resize(1000, 700)
    assert view.zoom() == pytest.approx(before * 1.15), "a user's zoom survives resizing"


def test_empty_window(qtbot: QtBot) -> None:
    window = open_window(qtbot)
    assert window.windowTitle() == "µTask Studio"
    assert not window.scene.items() and window.problems.row_count() == 0


def test_an_unreadable_file_shows_its_problem(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [\n", encoding="utf-8")
    window = open_window(qtbot, broken)
    assert window.result is not None and window.result.template is None
    assert window.problems.row_count() == 1 and not window.scene.items()
    assert window.windowTitle() == "broken — µTask Studio"


def test_items_are_of_the_expected_kinds(qtbot: QtBot) -> None:
    window = open_window(qtbot, (SAMPLE_DIR / "k8s-ingress-tls.yaml"))
    kinds = {type(item) for item in window.scene.items()}
    assert kinds == {StepNode, DependencyEdge}


def test_highlighting_follows_a_switch_to_a_dark_palette(qtbot: QtBot) -> None:
    window = open_window(qtbot, SAMPLE_DIR / "payments-antifraud.yaml")
    block = window.yaml.document().findBlockByNumber(17)
    assert block.text().startswith("name:")

    def key_colour() -> str:
        ranges = window.yaml.document().findBlockByNumber(17).layout().formats()
        return ranges[0].format.foreground().color().name()

    light = key_colour()
    dark = QPalette(window.yaml.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#dfe1e5"))
    window.yaml.setPalette(dark)
    assert key_colour() != light

"""The main window on each sample: every view on one session, problems that navigate, the title's dirty
marker, the status bar, the YAML pane toggle, themes, and a layout that is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shell_support import make_window
from studio_support import SAMPLE_DIR, SAMPLES

from engine.model.graph import parse_dependency
from engine.validate import validate_file
from studio.document import AddStep, ReplaceText
from studio.main_window import summary
from studio.problems import step_of


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_is_shown_whole(qtbot: QtBot, tmp_path: Path, sample: Path) -> None:
    expected = validate_file(sample)
    assert expected.template is not None
    window = make_window(qtbot, tmp_path, path=sample)
    steps = expected.template.steps
    assert set(window.scene.nodes) == set(steps)
    dependencies = [(parse_dependency(d).step, name) for name, step in steps.items() for d in step.dependencies]
    assert sorted((e.source.name, e.target.name) for e in window.scene.edges) == sorted(dependencies)
    assert window.problems.row_count() == len(expected.diagnostics)
    assert window.windowTitle() == f"{sample.name}[*] — µTask Studio"
    assert not window.isWindowModified()
    assert window.counts_label.text() == summary(window.session) and f"{len(steps)} steps" in summary(window.session)
    assert window.layout_label.text().startswith("Layout: ")
    assert window.yaml.toPlainText() == sample.read_text(encoding="utf-8")


def test_problems_of_a_broken_template(qtbot: QtBot, tmp_path: Path, broken_template: Path) -> None:
    expected = validate_file(broken_template)
    window = make_window(qtbot, tmp_path, path=broken_template)
    assert window.problems.row_count() == len(expected.diagnostics) > 0
    assert [window.problems.diagnostic(row) for row in range(window.problems.row_count())] == expected.diagnostics
    first = window.problems.tree.topLevelItem(0)
    diagnostic = expected.diagnostics[0]
    assert first.text(0) == diagnostic.message and first.text(1) == diagnostic.hint
    assert first.text(3) == f"{broken_template.name}:{diagnostic.line}:{diagnostic.column}"
    assert "error" in window.counts_label.text()


def test_clicking_a_problem_moves_the_cursor_and_selects_the_step(qtbot: QtBot, tmp_path: Path,
                                                                  broken_template: Path) -> None:
    window = make_window(qtbot, tmp_path, path=broken_template)
    tree = window.problems.tree
    stepped = 0
    for row in range(tree.topLevelItemCount()):
        diagnostic = window.problems.diagnostic(row)
        tree.scrollToItem(tree.topLevelItem(row))
        rect = tree.visualItemRect(tree.topLevelItem(row))
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.yaml.cursor_line_column() == (diagnostic.line, diagnostic.column)
        step = step_of(diagnostic.path)
        if step is not None:
            stepped += 1
            assert window.session is not None and window.session.selection == [step]
            assert [n.name for n in window.scene.selectedItems() if hasattr(n, "name")] == [step]
    assert stepped > 0


def test_broken_yaml_is_explained_on_top_of_the_problems(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    session = window.session
    assert session is not None and window.problems.banner.isHidden()
    nodes = set(window.scene.nodes)
    assert session.push(ReplaceText(0, 0, "steps: [\n"))
    session.wait_for_validation()
    assert not window.problems.banner.isHidden()
    assert "does not parse" in window.problems.banner.text()
    assert set(window.scene.nodes) == nodes, "the canvas keeps the last version that parsed"
    session.undo_stack.undo()
    session.wait_for_validation()
    assert window.problems.banner.isHidden()


def test_dirty_marker_follows_edits_undo_and_save(qtbot: QtBot, tmp_path: Path) -> None:
    copy = tmp_path / "payments.yaml"
    copy.write_bytes((SAMPLE_DIR / "payments-antifraud.yaml").read_bytes())
    window = make_window(qtbot, tmp_path, path=copy)
    session = window.session
    assert session is not None and not window.isWindowModified()
    assert session.push(AddStep("extra", {"description": "x", "action": {"type": "echo",
                                                                          "configuration": {"output": {}}}}))
    assert window.isWindowModified()
    assert window.commands.undo.text().replace("&", "") == f"Undo {session.undo_stack.undoText()}"
    assert "extra" in window.commands.undo.text()
    window.commands.undo.trigger()
    assert not window.isWindowModified() and "extra" not in session.document.structure
    window.commands.redo.trigger()
    assert window.isWindowModified()
    window.commands.save.trigger()
    assert not window.isWindowModified() and "extra:" in copy.read_text(encoding="utf-8")


def test_refused_edits_are_told_in_the_status_bar(qtbot: QtBot, tmp_path: Path) -> None:
    from studio.document import Connect

    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    assert window.session is not None
    assert not window.session.push(Connect("customer_history", "score"))  # would close a cycle
    assert "cycle" in window.statusBar().currentMessage().lower()


def test_ctrl_wheel_zooms_and_the_status_bar_follows(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    view = window.canvas
    before = view.zoom()
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(event)
    assert view.zoom() == pytest.approx(before * 1.15)
    assert window.zoom_label.text() == f"{view.zoom():.0%}"


def test_empty_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.windowTitle() == "µTask Studio"
    assert window.session is None and not window.scene.items() and window.problems.row_count() == 0
    assert not window.commands.undo.isEnabled() and not window.commands.save.isEnabled()


def test_the_yaml_pane_toggles_and_find_shows_it(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    assert window.yaml.isVisible()
    window.commands.toggle_yaml.trigger()
    assert not window.yaml.isVisible() and window.canvas.isVisible()
    window.palette_panel.tree.setFocus()
    qtbot.keyClick(window.palette_panel.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    find_bar = window.yaml.find_bar
    assert window.yaml.isVisible() and find_bar.isVisible() and find_bar.field.hasFocus()
    qtbot.keyClicks(find_bar.field, "apply_review_decision")
    qtbot.keyClick(find_bar.field, Qt.Key.Key_Return)
    assert window.yaml.textCursor().selectedText() == "apply_review_decision"
    window.canvas.setFocus()
    window.commands.find.trigger()  # from the menu, with the canvas focused: the canvas's step finder
    assert window.canvas.find_bar.isVisible()


def test_layout_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    first = make_window(qtbot, tmp_path)
    first.commands.toggle_yaml.trigger()
    first.problems_dock.hide()
    first.close()
    second = make_window(qtbot, tmp_path)
    assert not second.yaml.isVisibleTo(second) and not second.commands.toggle_yaml.isChecked()
    assert second.problems_dock.isHidden()
    second.reset_layout()
    assert second.yaml.isVisibleTo(second) and not second.problems_dock.isHidden()
    assert second.dockWidgetArea(second.problems_dock) == Qt.DockWidgetArea.BottomDockWidgetArea


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_themes_repaint_every_view_and_are_remembered(qtbot: QtBot, tmp_path: Path, artifacts: Path,
                                                      theme: str) -> None:
    """Also keeps a screenshot of the whole authoring window in each theme, for a person to look at."""
    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    try:
        window.commands.themes[theme].trigger()
        assert window.session is not None
        window.session.select(["score"])
        qtbot.wait(50)
        dark = theme == "dark"
        assert (QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128) == dark
        assert window.settings.theme() == theme
        image = window.grab().toImage()
        image.save(str(artifacts / f"authoring-{theme}.png"))
        for view in (window.palette_panel.tree.viewport(), window.problems, window.yaml.viewport()):
            corner = view.mapTo(window, view.rect().bottomRight()) - QPoint(4, 4)
            assert (image.pixelColor(corner).lightness() < 128) == dark, view
    finally:
        window.set_theme("system")


def test_edit_menu_goes_to_the_canvas_selection_or_the_focused_text(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    session = window.session
    assert session is not None
    window.canvas.setFocus()
    session.select(["alert_fraud_ops"])
    window.commands.copy.trigger()
    window.commands.paste.trigger()
    pasted = [name for name in session.document.structure
              if name.startswith("alert_fraud_ops") and name != "alert_fraud_ops"]
    assert len(pasted) == 1
    session.select(pasted)
    window.commands.delete.trigger()
    assert pasted[0] not in session.document.structure
    window.commands.select_all.trigger()
    assert sorted(session.selection) == sorted(session.document.structure)
    search = window.palette_panel.search
    search.setFocus()
    qtbot.keyClicks(search, "http")
    window.commands.select_all.trigger()
    assert search.selectedText() == "http"
    window.commands.delete.trigger()
    assert search.text() == "" and len(session.document.structure) == 9


def test_typing_in_the_yaml_pane_is_undone_by_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    assert window.session is not None
    before = window.session.document.text
    window.yaml.setFocus()
    qtbot.keyClicks(window.yaml, "abc")
    assert window.session.document.text != before and window.isWindowModified()
    qtbot.keyClick(window.yaml, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.text == before and not window.isWindowModified()
    window.commands.redo.trigger()
    assert "abc" in window.session.document.text


def test_switching_theme_repaints_cards_and_forms(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, path=SAMPLE_DIR / "payments-antifraud.yaml")
    name = next(iter(window.scene.nodes))

    def card_lightness() -> int:
        node = window.scene.nodes[name]
        corner = node.sceneBoundingRect().topLeft() + QPointF(node.boundingRect().width() * 0.75, 12)
        window.canvas.centerOn(node)
        QApplication.processEvents()
        return window.canvas.viewport().grab().toImage().pixelColor(window.canvas.mapFromScene(corner)).lightness()

    def field_lightness() -> int:
        form = window.inspector.form
        assert form is not None
        return form.palette().color(QPalette.ColorRole.Base).lightness()

    try:
        window.set_theme("light")
        light_card, light_field = card_lightness(), field_lightness()
        window.set_theme("dark")
        assert card_lightness() < light_card - 100  # the cached card pixmaps were painted again
        assert field_lightness() < light_field - 100  # the inspector's forms follow the new palette
    finally:
        window.set_theme("system")

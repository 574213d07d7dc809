"""The palette: every builtin action type with its schema's words, the functions of the chosen directory,
a search that filters, a double-click that adds a step, and drags that carry the palette MIME types."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from shell_support import ScriptedPrompts, make_window
from studio_support import SAMPLE_DIR

from schemas import action_types, load_schema
from studio.document.skeleton import ACTION_MIME, FUNCTION_MIME
from studio.palette import Palette


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """What a mouse sends: a click, then the second press as a double-click."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_every_action_type_is_listed_with_its_schema_words(qtbot: QtBot) -> None:
    palette = Palette()
    qtbot.addWidget(palette)
    assert palette.kinds() == list(action_types())
    item = palette.item("http")
    assert item is not None and not item.icon(0).isNull()
    assert load_schema("actions/http")["title"] in item.toolTip(0)


def test_search_filters_by_name_and_description(qtbot: QtBot) -> None:
    palette = Palette()
    qtbot.addWidget(palette)
    qtbot.keyClicks(palette.search, "child")  # subtask and batch create child tasks
    shown = palette.kinds()
    assert "subtask" in shown and "batch" in shown and "http" not in shown
    palette.search.clear()
    qtbot.keyClicks(palette.search, "no such thing")
    assert palette.kinds() == [] and palette.actions_group.isHidden()
    palette.search.clear()
    assert palette.kinds() == list(action_types())


def test_double_click_adds_a_step_and_selects_it(qtbot: QtBot, tmp_path: Path) -> None:
    copy = tmp_path / "payments.yaml"
    copy.write_bytes((SAMPLE_DIR / "payments-antifraud.yaml").read_bytes())
    window = make_window(qtbot, tmp_path, path=copy)
    tree = window.palette_panel.tree
    item = window.palette_panel.item("http")
    assert item is not None and window.session is not None
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    double_click(qtbot, tree.viewport(), rect.center())
    assert "http" in window.session.document.structure
    assert window.session.selection == ["http"] and "http" in window.scene.nodes
    assert window.isWindowModified()
    double_click(qtbot, tree.viewport(), rect.center())
    assert "http2" in window.session.document.structure, "a second one gets a unique name"
    window.commands.undo.trigger()
    assert "http2" not in window.session.document.structure


def test_enter_adds_the_current_entry(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    window.commands.new.trigger()
    tree = window.palette_panel.tree
    tree.setFocus()
    tree.setCurrentItem(window.palette_panel.item("echo"))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.session is not None and "echo" in window.session.document.structure


def test_drag_payloads_carry_the_kind(qtbot: QtBot) -> None:
    palette = Palette()
    qtbot.addWidget(palette)
    item = palette.item("ssh")
    assert item is not None
    data = palette.tree.mimeData([item])
    assert bytes(data.data(ACTION_MIME).data()).decode() == "ssh"
    assert set(palette.tree.mimeTypes()) == {ACTION_MIME, FUNCTION_MIME}


def test_functions_of_the_chosen_directory(qtbot: QtBot, tmp_path: Path) -> None:
    prompts = ScriptedPrompts(paths=[SAMPLE_DIR / "functions"])
    window = make_window(qtbot, tmp_path, prompts)
    assert "chat::post" not in window.palette_panel.kinds()
    window.choose_functions_dir()
    assert window.palette_panel.kinds()[-1] == "chat::post"
    function = window.palette_panel.item("chat::post")
    assert function is not None
    assert bytes(window.palette_panel.tree.mimeData([function]).data(FUNCTION_MIME).data()).decode() == "chat::post"
    window.commands.new.trigger()
    assert window.palette_panel.add_step("chat::post") == "post"
    assert window.session is not None
    step = window.session.document.snapshot.data["steps"]["post"]  # type: ignore[union-attr]
    assert step["action"]["type"] == "chat::post"


def test_functions_dir_from_the_command_line(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, functions_dir=SAMPLE_DIR / "functions")
    window.commands.new.trigger()
    assert "chat::post" in window.palette_panel.kinds()


def test_an_entry_dropped_on_the_canvas_becomes_a_step_there(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    window.commands.new.trigger()
    item = window.palette_panel.item("notify")
    assert item is not None and window.session is not None
    data = window.palette_panel.tree.mimeData([item])
    viewport = window.canvas.viewport()
    where = QPointF(viewport.rect().center())
    copy = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(where.toPoint(), copy, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(where, copy, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    assert "notify" in window.session.document.structure and "notify" in window.scene.nodes
    node = window.scene.nodes["notify"]
    assert node.sceneBoundingRect().adjusted(-40, -40, 40, 40).contains(window.canvas.mapToScene(where.toPoint()))

"""Menus, toolbar and their actions for the main window (File, Edit, View), and Edit routing to the focused view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QStyle, QToolBar

from studio.files_ui import sample_files
from studio.icons import tool_icon
from studio.theme import THEMES, themed_palette

if TYPE_CHECKING:
    from studio.main_window import MainWindow

__all__ = ["WindowActions", "apply_theme", "build_menus", "refresh_icons", "route_edit"]

Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


@dataclass(slots=True)
class WindowActions:
    """The actions tests and other parts of the studio reach for."""

    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    close: QAction
    undo: QAction
    redo: QAction
    copy: QAction
    paste: QAction
    delete: QAction
    select_all: QAction
    find: QAction
    toggle_yaml: QAction
    fit: QAction
    recent_menu: QMenu
    samples_menu: QMenu
    themes: dict[str, QAction]


def build_menus(window: MainWindow) -> WindowActions:
    make = _Maker(window)
    file_menu = window.menuBar().addMenu("&File")
    new = make.add(file_menu, "&New", QKeySequence.StandardKey.New, window.files.new_blank,
                   QStyle.StandardPixmap.SP_FileIcon)
    samples_menu = file_menu.addMenu("New from &Sample")
    for sample in sample_files():
        make.add(samples_menu, sample.stem, None, lambda _=False, s=sample: window.files.new_from_sample(s))
    samples_menu.setEnabled(bool(sample_files()))
    open_ = make.add(file_menu, "&Open…", QKeySequence.StandardKey.Open, window.files.choose_and_open,
                     QStyle.StandardPixmap.SP_DialogOpenButton)
    recent_menu = file_menu.addMenu("Open &Recent")
    recent_menu.aboutToShow.connect(lambda: _fill_recent(window, recent_menu))
    file_menu.addSeparator()
    save = make.add(file_menu, "&Save", QKeySequence.StandardKey.Save, window.files.save,
                    QStyle.StandardPixmap.SP_DialogSaveButton)
    save_as = make.add(file_menu, "Save &As…", QKeySequence.StandardKey.SaveAs, window.files.save_as)
    close = make.add(file_menu, "&Close", QKeySequence.StandardKey.Close, window.files.close_document)
    file_menu.addSeparator()
    make.add(file_menu, "Choose &Functions Directory…", None, window.choose_functions_dir)
    file_menu.addSeparator()
    make.add(file_menu, "&Quit", QKeySequence.StandardKey.Quit, window.close)
    undo, redo, copy, paste, delete, select_all, find = _edit_menu(window, make)
    toggle_yaml, fit, themes = _view_menu(window, make)
    _toolbar(window, [new, open_, save, None, undo, redo, None, fit, toggle_yaml])
    window.files.recent_changed.append(lambda: _fill_recent(window, recent_menu))
    _fill_recent(window, recent_menu)
    commands = WindowActions(new, open_, save, save_as, close, undo, redo, copy, paste, delete, select_all, find,
                             toggle_yaml, fit, recent_menu, samples_menu, themes)
    refresh_icons(window, commands)
    return commands


def refresh_icons(window: MainWindow, commands: WindowActions) -> None:
    """Line icons in the palette's text colour (again after a switch between light and dark)."""
    colour = window.palette().color(QPalette.ColorRole.ButtonText)
    for action, name in ((commands.undo, "undo"), (commands.redo, "redo"), (commands.toggle_yaml, "yaml"),
                         (commands.fit, "fit")):
        action.setIcon(tool_icon(name, colour))


class _Maker:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def add(self, menu: QMenu, text: str, shortcut: Shortcut, slot: Callable[..., object],
            icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut if not isinstance(shortcut, str) else QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.window.style().standardIcon(icon))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action


def _edit_menu(window: MainWindow, make: _Maker) -> tuple[QAction, ...]:
    menu = window.menuBar().addMenu("&Edit")
    # The group follows the session's stack; the texts say what ("Undo Add step fetch").
    undo = window.undo_group.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_group.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    menu.addActions([undo, redo])
    menu.addSeparator()
    make.add(menu, "Cu&t", QKeySequence.StandardKey.Cut, lambda: route_edit(window, "cut"))
    copy = make.add(menu, "&Copy", QKeySequence.StandardKey.Copy, lambda: route_edit(window, "copy"))
    paste = make.add(menu, "&Paste", QKeySequence.StandardKey.Paste, lambda: route_edit(window, "paste"))
    delete = make.add(menu, "&Delete", QKeySequence.StandardKey.Delete, lambda: route_edit(window, "delete"))
    select_all = make.add(menu, "Select &All", QKeySequence.StandardKey.SelectAll,
                          lambda: route_edit(window, "select_all"))
    menu.addSeparator()
    find = make.add(menu, "&Find…", QKeySequence.StandardKey.Find, window.show_find)
    return undo, redo, copy, paste, delete, select_all, find


def _view_menu(window: MainWindow, make: _Maker) -> tuple[QAction, QAction, dict[str, QAction]]:
    menu = window.menuBar().addMenu("&View")
    toggle_yaml = QAction("&YAML Pane", window, checkable=True, checked=True)
    toggle_yaml.setShortcut(QKeySequence("Ctrl+Shift+Y"))
    toggle_yaml.setToolTip("Show or hide the YAML source beside the canvas (Ctrl+Shift+Y)")
    toggle_yaml.toggled.connect(window.yaml.setVisible)
    menu.addAction(toggle_yaml)
    menu.addSeparator()
    fit = make.add(menu, "&Fit Graph", "Ctrl+0", window.canvas.fit_all)
    fit.setToolTip("Show the whole graph (Ctrl+0)")
    make.add(menu, "Zoom &In", QKeySequence.StandardKey.ZoomIn, lambda: window.canvas.zoom_by(1.25))
    make.add(menu, "Zoom &Out", QKeySequence.StandardKey.ZoomOut, lambda: window.canvas.zoom_by(0.8))
    menu.addSeparator()
    for dock in (window.palette_dock, window.inspector_dock, window.problems_dock):
        menu.addAction(dock.toggleViewAction())
    make.add(menu, "&Reset Layout", None, window.reset_layout)
    menu.addSeparator()
    theme_menu = menu.addMenu("&Theme")
    group = QActionGroup(window)
    themes: dict[str, QAction] = {}
    for theme in THEMES:
        action = QAction(theme.capitalize(), window, checkable=True)
        action.triggered.connect(lambda _=False, t=theme: window.set_theme(t))
        group.addAction(action)
        theme_menu.addAction(action)
        themes[theme] = action
    return toggle_yaml, fit, themes


def _toolbar(window: MainWindow, actions: list[QAction | None]) -> None:
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setIconSize(bar.iconSize() * 0.8)
    for action in actions:
        if action is None:
            bar.addSeparator()
        else:
            bar.addAction(action)
    window.addToolBar(bar)


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    files = window.settings.recent_files()
    for path in files:
        action = QAction(path.name, menu)
        action.triggered.connect(lambda _=False, p=path: window.files.open_recent(Path(p)))
        menu.addAction(action)
        action.setToolTip(str(path))
        action.setStatusTip(str(path))
    if files:
        menu.addSeparator()
        menu.addAction("Clear Recent Files", lambda: _clear_recent(window, menu))
    menu.setEnabled(bool(files))


def _clear_recent(window: MainWindow, menu: QMenu) -> None:
    window.settings.clear_recent()
    _fill_recent(window, menu)


# -- Edit routing ------------------------------------------------------------------------------------------
# A text field or the YAML editor with focus gets the operation on its text; anywhere else it applies to the
# steps selected on the canvas (the canvas handles the keys itself while it has focus; these are the menus).

_TEXT_METHODS = {"cut": "cut", "copy": "copy", "paste": "paste", "delete": "del_", "select_all": "selectAll"}


def route_edit(window: MainWindow, operation: str) -> None:
    """Run Edit ▸ `operation` ("cut", "copy", "paste", "delete", "select_all") on the focused view."""
    widget = QApplication.focusWidget()
    in_canvas = widget is None or widget is window.canvas or window.canvas.isAncestorOf(widget)
    if not in_canvas and operation == "delete" and callable(getattr(widget, "textCursor", None)):
        widget.textCursor().removeSelectedText()  # type: ignore[union-attr]  # (QPlainTextEdit has no del_)
        return
    method = getattr(widget, _TEXT_METHODS[operation], None) if not in_canvas else None
    if callable(method):
        method()
        return
    _canvas_edit(window, operation)


def _canvas_edit(window: MainWindow, operation: str) -> None:
    canvas, scene = window.canvas, window.scene
    if operation in ("copy", "cut"):
        canvas.copy_selection()
    if operation in ("cut", "delete"):
        scene.editing.delete_selection()
    elif operation == "paste":
        canvas.paste_at()
    elif operation == "select_all":
        scene.select_steps(scene.nodes)


def apply_theme(theme: str) -> None:
    """"light" or "dark": our palette on the Fusion style; "system": the platform's own palette again."""
    app = QGuiApplication.instance()
    if not isinstance(app, QApplication):
        return
    if theme in ("light", "dark"):
        app.setStyle("Fusion")  # native styles (Windows, macOS) ignore a custom palette
        app.setPalette(themed_palette(theme))
    else:
        app.setPalette(QPalette())  # an empty palette: back to the platform's own

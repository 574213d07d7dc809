"""The main window: palette, canvas and YAML side by side, inspector, problems, all on one DocumentSession.

    window = MainWindow(functions_dir=None, settings=StudioSettings(tmp / "settings.ini"))
    window.files.open(Path("samples/payments-antifraud.yaml"))   # or window.open_file(...)
    window.session.push(AddStep(...))                             # every view follows
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent, QUndoGroup
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QSplitter, QWidget

from engine.diagnostics import Severity
from engine.load.functions import FunctionRegistry
from studio.canvas.scene import TemplateScene
from studio.canvas.view import CanvasView
from studio.editor.yaml_editor import YamlEditor
from studio.files_ui import FileController, Prompts
from studio.inspector import Inspector
from studio.palette import Palette
from studio.problems import ProblemsPanel, step_of
from studio.run import attach_run_panel
from studio.session import DocumentSession
from studio.settings import StudioSettings
from studio.window_menus import apply_theme, build_menus, refresh_icons

__all__ = ["APP_NAME", "MainWindow", "step_of", "summary"]

APP_NAME = "µTask Studio"
CANVAS_SHARE = 0.62  # of the splitter's width; the YAML pane gets the rest
DOCK_FEATURES = (QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
                 | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
LAYOUT_VERSION = 3  # bump when docks change, so an old saved state is not applied to a new layout


class MainWindow(QMainWindow):
    session_changed = Signal(object)  # the DocumentSession now shown (or None)

    def __init__(self, functions_dir: str | Path | None = None, parent: QWidget | None = None, *,
                 settings: StudioSettings | None = None, prompts: Prompts | None = None,
                 run_panel: bool = True) -> None:
        super().__init__(parent)
        self.settings = settings or StudioSettings()
        self.functions_dir = Path(functions_dir) if functions_dir is not None else None
        self.session: DocumentSession | None = None
        self.undo_group = QUndoGroup(self)
        self._make_views()
        self.prompts = prompts or Prompts(self)
        self.files = FileController(self, self.prompts, self)
        self._shown = False
        self._build_central()
        self._build_docks()
        self._build_status_bar()
        self.commands = build_menus(self)
        # The Run menu, toolbar and dock (issue 6); before the layout is restored so their places are too.
        self.run_panel = attach_run_panel(self) if run_panel else None
        if self.run_panel is not None:  # one bottom area: Problems and Run as tabs (a run raises its tab)
            self.tabifyDockWidget(self.problems_dock, self.run_panel.dock)
            self.problems_dock.raise_()
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._restore_layout()
        self.commands.themes.get(self.settings.theme(), self.commands.themes["system"]).setChecked(True)
        self.set_session(None)

    # -- documents -------------------------------------------------------------------------------------

    def open_file(self, path: str | Path) -> bool:
        """Open `path` as the user would (asks about unsaved changes and recovery); False if it was not opened."""
        return self.files.open(Path(path))

    def set_session(self, session: DocumentSession | None) -> None:
        """Show `session` in every view (None: an empty window); the previous session is closed."""
        previous = self.session
        if previous is not None:
            self._disconnect(previous)
            self.undo_group.removeStack(previous.undo_stack)
        self.session = session
        if session is not None:
            session.validate_now()
            self._connect(session)
            self.undo_group.addStack(session.undo_stack)
            self.undo_group.setActiveStack(session.undo_stack)
        for view in self._session_views():
            view.set_session(session)
        self.canvas.fit_all()
        if previous is not None:
            previous.close()
        self._update_title()
        self._update_status()
        self.session_changed.emit(session)

    def functions_for(self, path: Path | None) -> FunctionRegistry:
        """The functions a template sees: the chosen directory, else `functions/` beside it, else none."""
        directory = self.functions_dir
        if directory is None and path is not None and (path.parent / "functions").is_dir():
            directory = path.parent / "functions"
        if directory is None or not directory.is_dir():
            return FunctionRegistry()
        return FunctionRegistry.from_directory(directory)

    def choose_functions_dir(self, directory: Path | None = None) -> None:
        start = str(self.functions_dir or self.settings.functions_dir() or "")
        directory = directory or self.prompts.functions_directory(start)
        if directory is None:
            return
        self.functions_dir = directory
        self.settings.set_functions_dir(directory)
        functions = self.functions_for(None)
        self.palette_panel.set_functions(functions)
        if self.session is not None:
            self.session.document.functions = functions
            self.session.validate_now()
        self.statusBar().showMessage(f"Functions from {directory}: {len(functions.names())} found", 6000)

    # -- window ----------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:  # the splitter's share can only be set once the window has its real width
            self._shown = True
            if self.settings.layout("splitter") is None:
                width = self.splitter.width()
                self.splitter.setSizes([round(width * CANVAS_SHARE), round(width * (1 - CANVAS_SHARE))])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "commands"):
            refresh_icons(self, self.commands)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.save_layout()
        self.set_session(None)
        if self.run_panel is not None:
            self.run_panel.shutdown()  # closes the runs store (its writer thread would outlive the window)
        event.accept()

    def save_layout(self) -> None:
        self.settings.set_layout("geometry", self.saveGeometry())
        self.settings.set_layout("state", self.saveState(LAYOUT_VERSION))
        self.settings.set_layout("splitter", self.splitter.saveState())
        self.settings.set_flag("yaml_visible", not self.yaml.isHidden())
        self.settings.sync()

    def reset_layout(self) -> None:
        """View ▸ Reset Layout: every dock back in its first place, the YAML pane shown beside the canvas."""
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in (self.palette_dock, self.inspector_dock, self.problems_dock):
            dock.show()
        self.set_yaml_visible(True)
        width = self.splitter.width()
        self.splitter.setSizes([round(width * CANVAS_SHARE), round(width * (1 - CANVAS_SHARE))])

    def set_yaml_visible(self, visible: bool) -> None:
        self.yaml.setVisible(visible)
        self.commands.toggle_yaml.setChecked(visible)

    def show_find(self) -> None:
        """Edit ▸ Find: the canvas's step finder when the canvas has focus, else the YAML pane's find bar."""
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self.canvas or self.canvas.isAncestorOf(focus)):
            self.canvas.find_bar.open_bar()
            return
        self.set_yaml_visible(True)
        self.yaml.find_bar.open_find()

    def set_theme(self, theme: str) -> None:
        apply_theme(theme)
        self.settings.set_theme(theme)
        self.commands.themes[theme].setChecked(True)

    # -- building ------------------------------------------------------------------------------------

    def _make_views(self) -> None:
        self.scene = TemplateScene(self)
        self.canvas = CanvasView(self.scene)
        self.yaml = YamlEditor(None)
        self.inspector = Inspector(None)
        self.palette_panel = Palette()
        self.problems = ProblemsPanel()
        self.canvas.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom:.0%}"))

    def _session_views(self) -> list[Any]:
        return [self.palette_panel, self.problems, self.scene, self.yaml, self.inspector]

    def _build_central(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("canvasYamlSplitter")
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.yaml)
        splitter.setStretchFactor(0, 1)  # the canvas takes what the window gains
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.setCentralWidget(splitter)

    def _build_docks(self) -> None:
        self.palette_dock = self._dock("Palette", "palette", self.palette_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.problems_dock = self._dock("Problems", "problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.inspector_dock = self._dock("Inspector", "inspector", self.inspector,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.palette_dock], [210], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [130], Qt.Orientation.Vertical)
        self.resizeDocks([self.inspector_dock], [320], Qt.Orientation.Horizontal)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState find docks by name
        dock.setWidget(widget)
        dock.setFeatures(DOCK_FEATURES)
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        self.counts_label = QLabel()
        self.layout_label = QLabel()
        self.zoom_label = QLabel()
        for label in (self.counts_label, self.layout_label, self.zoom_label):
            label.setContentsMargins(6, 0, 6, 0)
        status = self.statusBar()
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.layout_label)
        status.addPermanentWidget(self.zoom_label)

    def _restore_layout(self) -> None:
        geometry, state, splitter = (self.settings.layout(key) for key in ("geometry", "state", "splitter"))
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.set_yaml_visible(self.settings.flag("yaml_visible", True))

    # -- session signals -----------------------------------------------------------------------------

    def _links(self, session: DocumentSession) -> list[tuple[Any, Any]]:
        return [(session.dirty_changed, self._update_title), (session.path_changed, self._update_title),
                (session.diagnostics_changed, self._update_status), (session.structure_changed, self._update_status),
                (session.edit_refused, self._show_refusal)]

    def _connect(self, session: DocumentSession) -> None:
        for signal, slot in self._links(session):
            signal.connect(slot)

    def _disconnect(self, session: DocumentSession) -> None:
        for signal, slot in self._links(session):
            signal.disconnect(slot)

    def _show_refusal(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def _update_title(self, *_: object) -> None:
        session = self.session
        for action in (self.commands.save, self.commands.save_as, self.commands.close):
            action.setEnabled(session is not None)
        if session is None:
            self.setWindowTitle(APP_NAME)
            self.setWindowFilePath("")
            self.setWindowModified(False)
            return
        path = session.document.path
        self.setWindowTitle(f"{path.name if path else 'Untitled'}[*] — {APP_NAME}")
        self.setWindowFilePath(str(path) if path else "")
        self.setWindowModified(session.is_dirty)

    def _update_status(self, *_: object) -> None:
        self.counts_label.setText(summary(self.session) if self.session is not None else "")
        engine = getattr(getattr(self.scene, "layout_result", None), "engine", "")
        seconds = getattr(self.scene, "layout_seconds", 0.0)
        has_nodes = bool(getattr(self.scene, "nodes", None))
        self.layout_label.setText(f"Layout: {engine} · {seconds * 1000:.0f} ms" if has_nodes and engine else "")
        self.zoom_label.setText(f"{self.canvas.zoom():.0%}")


def summary(session: DocumentSession) -> str:
    """"9 steps · 0 errors · 1 warning" (plus notes when there are some)."""
    steps = len(session.document.structure)
    diagnostics = session.diagnostics
    counts = {severity: sum(d.severity is severity for d in diagnostics) for severity in Severity}
    parts = [_plural(steps, "step"), _plural(counts[Severity.ERROR], "error"),
             _plural(counts[Severity.WARNING], "warning")]
    if counts[Severity.INFO]:
        parts.append(_plural(counts[Severity.INFO], "note"))
    return " · ".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"

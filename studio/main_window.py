"""The main window: canvas and YAML side by side, problems below, counts in the status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QMenu, QSplitter, QWidget

from engine.diagnostics import Diagnostic, JsonPath, Severity
from engine.validate import ValidationResult, validate_file
from studio.canvas.scene import TemplateScene
from studio.canvas.view import CanvasView
from studio.editor.yaml_view import YamlView
from studio.problems import ProblemsPanel

__all__ = ["APP_NAME", "MainWindow"]

APP_NAME = "µTask Studio"
CANVAS_SHARE = 0.64  # of the splitter's width; the YAML pane gets the rest
PROBLEMS_HEIGHT = 120


class MainWindow(QMainWindow):
    def __init__(self, functions_dir: str | Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.functions_dir = functions_dir
        self.path: Path | None = None
        self.result: ValidationResult | None = None
        self.scene = TemplateScene(self)
        self.canvas = CanvasView(self.scene)
        self.yaml = YamlView()
        self.problems = ProblemsPanel()
        # Set while we move the selection ourselves, so that the selection does not move the YAML cursor back.
        self._following = False
        self._shown = False
        self._build_central()
        self._build_problems_dock()
        self._build_status_bar()
        self._build_menus()
        self.problems.activated.connect(self.go_to_problem)
        self.scene.selectionChanged.connect(self._follow_selection)
        self.canvas.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom:.0%}"))
        self._update_title()

    def open_file(self, path: str | Path) -> ValidationResult:
        """Validate and show `path`; a file that can't be read or parsed shows its problem and no graph."""
        result = validate_file(path, functions_dir=self.functions_dir)
        self.show_result(Path(path), result)
        return result

    def show_result(self, path: Path, result: ValidationResult) -> None:
        self.path, self.result = path, result
        self.yaml.set_text(result.document.text)
        self.scene.show_template(result.template)
        self.problems.set_diagnostics(result.diagnostics)
        self.canvas.fit_all()
        self._update_title()
        self._update_status()

    def go_to_problem(self, diagnostic: Diagnostic) -> None:
        """Move the YAML cursor to the problem and select the step it is about, if any."""
        self.yaml.go_to(diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column)
        step = step_of(diagnostic.path)
        self._following = True
        try:
            node = self.scene.select_step(step) if step else None
        finally:
            self._following = False
        if node is not None:
            self.canvas.ensureVisible(node, 40, 40)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:  # the splitter's share can only be set once the window has its real width
            self._shown = True
            width = self.splitter.width()
            self.splitter.setSizes([round(width * CANVAS_SHARE), round(width * (1 - CANVAS_SHARE))])

    def _build_central(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.yaml)
        splitter.setStretchFactor(0, 1)  # the canvas takes what the window gains
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(1)
        self.splitter = splitter
        self.setCentralWidget(splitter)

    def _build_problems_dock(self) -> None:
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problems")
        self.problems_dock.setWidget(self.problems)
        self.problems_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                                       | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.resizeDocks([self.problems_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)

    def _build_status_bar(self) -> None:
        self.counts_label = QLabel()
        self.layout_label = QLabel()
        self.zoom_label = QLabel()
        for label in (self.counts_label, self.layout_label, self.zoom_label):
            label.setContentsMargins(6, 0, 6, 0)
        status = self.statusBar()
        status.addWidget(self.counts_label)
        status.addPermanentWidget(self.layout_label)
        status.addPermanentWidget(self.zoom_label)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self._choose_file)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view_menu = self.menuBar().addMenu("&View")
        self._action(view_menu, "&Fit Graph", QKeySequence("Ctrl+0"), self.canvas.fit_all)
        self._action(view_menu, "Zoom &In", QKeySequence.StandardKey.ZoomIn, lambda: self.canvas.zoom_by(1.25))
        self._action(view_menu, "Zoom &Out", QKeySequence.StandardKey.ZoomOut, lambda: self.canvas.zoom_by(0.8))
        view_menu.addSeparator()
        view_menu.addAction(self.problems_dock.toggleViewAction())

    def _action(self, menu: QMenu, text: str, shortcut: QKeySequence | QKeySequence.StandardKey,
                slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _choose_file(self) -> None:
        start = str(self.path.parent) if self.path else ""
        chosen, _ = QFileDialog.getOpenFileName(self, "Open a µTask template", start,
                                                "µTask templates (*.yaml *.yml);;All files (*)")
        if chosen:
            self.open_file(chosen)

    def _follow_selection(self) -> None:
        """Selecting a step on the canvas shows its definition in the YAML pane."""
        name = self.scene.selected_step()
        if self._following or name is None or self.result is None:
            return
        span = self.result.document.source_map.key_span(("steps", name))
        self.yaml.go_to(span.line, span.column, span.end_line, span.end_column)

    def _update_title(self) -> None:
        template = self.result.template if self.result else None
        name = (template.name if template else "") or (self.path.stem if self.path else "")
        self.setWindowTitle(f"{name} — {APP_NAME}" if name else APP_NAME)
        if self.path is not None:
            self.setWindowFilePath(str(self.path))

    def _update_status(self) -> None:
        self.counts_label.setText(summary(self.result) if self.result else "")
        scene = self.scene
        engine = scene.layout_result.engine
        self.layout_label.setText(f"Layout: {engine} · {scene.layout_seconds * 1000:.0f} ms" if scene.nodes else "")


def step_of(path: JsonPath) -> str | None:
    """The step a diagnostic is about: its path starts with ("steps", NAME)."""
    if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], str):
        return path[1]
    return None


def summary(result: ValidationResult) -> str:
    """"9 steps · 0 errors · 1 warning" (plus infos when there are some)."""
    steps = len(result.template.steps) if result.template else 0
    counts = {severity: sum(d.severity is severity for d in result.diagnostics) for severity in Severity}
    parts = [_plural(steps, "step"), _plural(counts[Severity.ERROR], "error"),
             _plural(counts[Severity.WARNING], "warning")]
    if counts[Severity.INFO]:
        parts.append(_plural(counts[Severity.INFO], "note"))
    return " · ".join(parts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"

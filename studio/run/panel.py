"""The Run dock, menu and toolbar of the main window (`attach_run_panel`), on one `RunController`.

The window gives `session` (DocumentSession, changes when files are opened), `scene` (TemplateScene), its dock,
menu, tool and status bars. The dock holds the step inspector, the run history and the timeline (the run views,
imported when they exist). Commands that ask something open a dialog through `exec_dialog`, which tests replace.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QLabel, QMainWindow, QMessageBox, QTabWidget

from engine.diagnostics import Severity
from engine.model.template import Template
from engine.run.control import forceable_states
from engine.store import ResolutionInfo
from studio.run.commands import RunActions
from studio.run.controller import RunController
from studio.run.dialogs import CallbackDialog, FixtureDialog, ForceStateDialog
from studio.run.inputs_form import InputMemory, InputsDialog

__all__ = ["RunPanel"]

MESSAGE_MS = 8000
CLOSE_WAIT_MS = 10_000


def _optional(module: str, name: str) -> Any:
    """A run view of the run-views helper, or None while it does not exist yet."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _accepted(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class RunPanel(QObject):
    def __init__(self, window: QMainWindow, *, store_path: str | Path | None = None,
                 memory: InputMemory | None = None,
                 ask_resume: Callable[[list[ResolutionInfo]], bool] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.controller = RunController(store_path, self)
        self.memory = memory or InputMemory()
        self.session: Any = None
        self.exec_dialog: Callable[[QDialog], bool] = _accepted
        self.ask_resume: Callable[[list[ResolutionInfo]], bool] = ask_resume or self._ask_resume
        self.audit: list[Any] = []
        self._build_dock()
        self.actions = RunActions(window, self)
        self._connect()
        self.set_session(getattr(window, "session", None))
        self.update_actions()

    # ------------------------------------------------------------------------------------------ building

    def _build_dock(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.inspector = self._view("studio.run.inspector", "StepRunInspector", "Step")
        self.history = self._view("studio.run.history", "RunHistory", "History")
        self.timeline = self._view("studio.run.timeline", "Timeline", "Timeline")
        for view in (self.inspector, self.history):
            if view is not None and hasattr(view, "set_store_path"):
                view.set_store_path(self.controller.store_path)
        self.dock = QDockWidget("Run", self.window)
        self.dock.setObjectName("run")
        self.dock.setWidget(self.tabs)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)

    def _view(self, module: str, name: str, title: str) -> Any:
        view_class = _optional(module, name)
        if view_class is None:
            placeholder = QLabel(f"{title} view not available in this build.")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(placeholder, title)
            return None
        view = view_class(None)
        self.tabs.addTab(view, title)
        return view

    def _connect(self) -> None:
        controller = self.controller
        controller.states_changed.connect(self._paint)
        controller.busy_changed.connect(self._busy_changed)
        controller.state_changed.connect(self._show_state)
        controller.resolution_loaded.connect(self._loaded)
        controller.finished.connect(self._finished)
        controller.failed.connect(self.show_message)
        scene = getattr(self.window, "scene", None)
        if scene is not None:
            scene.selectionChanged.connect(self._selection_changed)
        if self.history is not None:
            self.history.open_requested.connect(controller.open_resolution)
            self.history.deleted.connect(self._deleted)
            if hasattr(self.history, "failed"):
                self.history.failed.connect(self.show_message)
        changed = getattr(self.window, "session_changed", None)
        if changed is not None:
            changed.connect(self.set_session)
        else:  # until the window announces session changes, its title (set with every session) tells us
            self.window.windowTitleChanged.connect(lambda _title: self._follow_window_session())
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -------------------------------------------------------------------------------------------- session

    def set_session(self, session: Any) -> None:
        """Follow the document the window shows: its runs in History, an interrupted run offered for resume."""
        if session is self.session:
            return
        self.session = session
        self._paint_none()
        template = self.template()
        if self.history is not None:
            self.history.set_template(template.normalized_name if template is not None else "")
        if template is not None and not self.controller.busy:
            self.controller.spawn(self._offer_resume(template.normalized_name))
        self.update_actions()

    def _follow_window_session(self) -> None:
        self.set_session(getattr(self.window, "session", None))

    def template(self) -> Template | None:
        document = getattr(self.session, "document", None)
        return getattr(document, "last_good_template", None) if document is not None else None

    async def _offer_resume(self, template_name: str) -> None:
        found = await self.controller.resumable(template_name)
        if found:
            QTimer.singleShot(0, lambda: self._resume_if_wanted(found))

    def _resume_if_wanted(self, found: list[ResolutionInfo]) -> None:
        if not self.controller.busy and self.ask_resume(found):
            self.sync_mode()
            self.controller.resume_stored(found[0].id)

    def _ask_resume(self, found: list[ResolutionInfo]) -> bool:
        info = found[0]
        started = info.last_start.astimezone().strftime("%Y-%m-%d %H:%M") if info.last_start else "earlier"
        answer = QMessageBox.question(
            self.window, "Resume the interrupted run?",
            f"A run of “{info.template_name}” started {started} was interrupted ({info.state}) when the studio "
            "closed.\n\nResume it from the store? Steps that were running are recovered as µTask does.")
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------------------------------- commands

    def run(self) -> None:
        """Run…: ask the inputs (checked by the engine's rules), then run the template being edited."""
        template = self._runnable_template()
        if template is None:
            return
        document = self.session.document
        dialog = InputsDialog(template, dry_run=self.dry_run, template_path=document.path, memory=self.memory,
                              parent=self.window)
        if not self.exec_dialog(dialog):
            return
        self.controller.functions = document.functions
        fixtures = document.sidecar.fixtures if self.dry_run else {}
        self.controller.start(template, dialog.inputs, dialog.resolver_inputs, source=document.text,
                              dry_run=self.dry_run, fixtures=fixtures)
        self.dock.raise_()

    def _runnable_template(self) -> Template | None:
        document = getattr(self.session, "document", None)
        if document is None:
            self.show_message("Open a template to run it.")
            return None
        errors = [d for d in getattr(self.session, "diagnostics", ()) if d.severity is Severity.ERROR]
        if document.snapshot is None or errors or document.last_good_template is None:
            count = len(errors)
            self.show_message(f"Fix the {count} error(s) in Problems before running." if count else
                              "The template does not parse: fix the YAML before running.")
            return None
        template: Template = document.last_good_template
        return template

    @property
    def dry_run(self) -> bool:
        return self.actions.dry_run.isChecked()

    def selected_step(self) -> str | None:
        scene = getattr(self.window, "scene", None)
        try:
            name = scene.selected_step() if scene is not None else None
        except RuntimeError:  # the scene is being destroyed with the window
            return None
        return name if isinstance(name, str) else None

    def sync_mode(self) -> None:
        """Commands that run again follow the DRY RUN / WET RUN chip as it is now (and the current fixtures)."""
        document = getattr(self.session, "document", None)
        self.controller.dry_run = self.dry_run
        self.controller.fixtures = document.sidecar.fixtures if self.dry_run and document is not None else {}
        if document is not None:
            self.controller.functions = document.functions

    def resume(self) -> None:
        self.sync_mode()
        self.controller.resume()

    def run_from_selected(self) -> None:
        step = self._selected_run_step()
        if step is not None:
            self.sync_mode()
            self.controller.run_from(step, self.template())

    def force_selected(self) -> None:
        step = self._selected_run_step()
        resolution = self.controller.resolution
        if step is None or resolution is None:
            return
        dialog = ForceStateDialog(step, forceable_states(resolution.steps[step]), self.window)
        if self.exec_dialog(dialog) and dialog.value is not None:
            self.sync_mode()
            self.controller.force_state(step, *dialog.value, template=self.template())

    def _selected_run_step(self) -> str | None:
        step = self.selected_step()
        resolution = self.controller.resolution
        if step is None:
            self.show_message("Select a step on the canvas first.")
            return None
        if resolution is None or step not in resolution.steps:
            self.show_message(f"“{step}” is not part of the run shown: run the template first.")
            return None
        return step

    def edit_fixture(self) -> None:
        """The dry-run fixture of the selected step, kept in the sidecar (NAME.studio.json)."""
        step = self.selected_step()
        document = getattr(self.session, "document", None)
        if step is None or document is None:
            self.show_message("Select a step on the canvas first.")
            return
        template = document.last_good_template
        definition = template.steps.get(step) if template is not None else None
        resolution = self.controller.resolution
        pin = resolution.steps.get(step) if resolution is not None else None
        states = [*(definition.custom_states if definition else []), "DONE", "CLIENT_ERROR", "SERVER_ERROR",
                  "FATAL_ERROR"]
        dialog = FixtureDialog(step, states, document.sidecar.fixtures.get(step), pin, self.window,
                               pin_run=resolution.id if resolution is not None else "")
        if not self.exec_dialog(dialog):
            return
        document.sidecar.set_fixture(step, None if dialog.removed else dialog.fixture)
        self._save_sidecar(document, step, removed=dialog.removed)

    def _save_sidecar(self, document: Any, step: str, *, removed: bool) -> None:
        try:
            where = document.save_sidecar()
        except OSError as error:
            self.show_message(f"Fixture kept for this session only: cannot write the sidecar ({error}).")
            return
        what = "removed" if removed else "kept"
        self.show_message(f"Fixture of {step} {what}" + (f" in {where.name}." if where else
                                                          " (save the template to keep it in its sidecar)."))

    def resolve_callback(self) -> None:
        waiting = self.controller.pending_callbacks()
        if not waiting:
            self.show_message("No callback is waiting in this run.")
            return
        dialog = CallbackDialog(waiting, self.window)
        if self.exec_dialog(dialog) and dialog.value is not None:
            self.sync_mode()
            self.controller.resolve_callback(*dialog.value)

    # ------------------------------------------------------------------------------------------ reactions

    def _paint(self, states: dict[str, Any]) -> None:
        scene = getattr(self.window, "scene", None)
        if scene is not None and hasattr(scene, "set_run_states"):
            scene.set_run_states(states if self.controller.resolution is not None else None)
        self._show_selected()

    def _paint_none(self) -> None:
        scene = getattr(self.window, "scene", None)
        if scene is not None and hasattr(scene, "set_run_states"):
            scene.set_run_states(None)

    def _show_state(self, state: str) -> None:
        self.actions.show_state(state, self.controller.dry_run)
        self.update_actions()

    def _busy_changed(self, busy: bool) -> None:
        resolution = self.controller.resolution
        if self.history is not None and hasattr(self.history, "set_active_runs"):
            self.history.set_active_runs([resolution.id] if busy and resolution is not None else [])
        self.update_actions()

    def _loaded(self, task: Any, resolution: Any) -> None:
        self.audit = []
        if self.history is not None:
            self.history.refresh()
        self._show_selected()
        self._read_audit()

    def _finished(self, state: str) -> None:
        if self.history is not None:
            self.history.refresh()
        self.show_message(_outcome_message(state, self.controller) + (" (dry run)" if self.controller.dry_run else ""))
        self._read_audit()

    def _read_audit(self) -> None:
        resolution = self.controller.resolution
        if resolution is not None:
            self.controller.spawn(self._load_audit(resolution.id))

    async def _load_audit(self, resolution_id: str) -> None:
        audit = await self.controller.audit(resolution_id)
        resolution = self.controller.resolution
        if resolution is None or resolution.id != resolution_id:
            return
        self.audit = audit
        if self.timeline is not None:
            self.timeline.show_resolution(resolution, audit)
        self._show_selected()

    def _deleted(self, resolution_id: str) -> None:
        resolution = self.controller.resolution
        if resolution is not None and resolution.id == resolution_id:
            self.controller.task = self.controller.resolution = None
            self._paint_none()
            if self.inspector is not None:
                self.inspector.clear()
            self.update_actions()

    def _selection_changed(self) -> None:
        self._show_selected()
        self.update_actions()

    def _show_selected(self) -> None:
        if self.inspector is None:
            return
        step, resolution = self.selected_step(), self.controller.resolution
        if step is None or resolution is None:
            self.inspector.clear()
            return
        self.inspector.show_step(self.controller.task, resolution, step)

    def update_actions(self) -> None:
        self.actions.update(self.controller, self.session is not None, self.selected_step())

    def show_message(self, message: str) -> None:
        self.actions.status.setText(message)
        self.window.statusBar().showMessage(message, MESSAGE_MS)

    def shutdown(self) -> None:
        """Close the store before the application quits (a run in progress stays resumable)."""
        job = self.controller.spawn(self.controller.close(), now=True)
        assert job is not None
        loop = QEventLoop()
        job.add_done_callback(lambda _job: loop.quit())
        QTimer.singleShot(CLOSE_WAIT_MS, loop.quit)
        if not job.done():
            loop.exec()


_HINTS = {
    "DONE": "Run finished: DONE",
    "PAUSED": "Run paused: Resume continues it",
    "CANCELLED": "Run cancelled",
    "WAITING": "Run waiting: Resolve callback… answers what it waits for, then it continues",
    "ERROR": "Run stopped on an error that may go away: Resume retries it",
}


def _outcome_message(state: str, controller: RunController) -> str:
    """What the end of a run means for the author, with what to do next."""
    resolution = controller.resolution
    if state == "BLOCKED_TOCHECK" and resolution is not None:
        crashed = sorted(name for name, step in resolution.steps.items() if step.state == "CRASHED")
        return (f"Run blocked: {', '.join(crashed)} were running when the studio stopped and are not idempotent. "
                "Check their side effects, then Resume to run them again")
    if state.startswith("BLOCKED") and resolution is not None:
        failed = sorted(name for name, step in resolution.steps.items() if step.error)
        return f"Run blocked ({state})" + (f": see {', '.join(failed[:3])} in the inspector" if failed else "")
    return _HINTS.get(state, f"Run finished: {state}")


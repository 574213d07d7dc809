"""The Run menu and toolbar: actions, the DRY RUN / WET RUN chip, the run state chip, and when each is enabled."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStyle, QToolBar, QToolButton

from engine.model.states import ResolutionState
from studio.theme import state_colour

if TYPE_CHECKING:
    from studio.run.controller import RunController
    from studio.run.panel import RunPanel

__all__ = ["RunActions"]

DRY_STYLE = ("QToolButton { background: #b45309; color: white; font-weight: 700; border-radius: 10px;"
             " padding: 2px 10px; margin: 0 6px; }")
WET_STYLE = ("QToolButton { background: #b91c1c; color: white; font-weight: 700; border-radius: 10px;"
             " padding: 2px 10px; margin: 0 6px; }")
_RESUMABLE = frozenset({ResolutionState.PAUSED, ResolutionState.ERROR, ResolutionState.WAITING,
                        ResolutionState.CRASHED, ResolutionState.TODO, ResolutionState.BLOCKED_DEADLOCK,
                        ResolutionState.BLOCKED_TOCHECK, ResolutionState.BLOCKED_MAXRETRIES,
                        ResolutionState.BLOCKED_BADREQUEST, ResolutionState.BLOCKED_FATAL})
_ENDED = frozenset({ResolutionState.DONE, ResolutionState.CANCELLED})


class RunActions:
    def __init__(self, window: QMainWindow, panel: RunPanel) -> None:
        self.window = window
        style = window.style()
        icon = style.standardIcon
        self.run = self._action("&Run…", "F5", panel.run, icon(QStyle.StandardPixmap.SP_MediaPlay),
                                "Run the template with the embedded engine (asks its inputs)")
        self.dry_run = self._action("&Dry run", "Ctrl+Shift+D", self._dry_toggled, None,
                                    "Dry run: actions with side effects are described, not executed")
        self.dry_run.setCheckable(True)
        self.dry_run.setChecked(True)
        self.pause = self._action("&Pause", "F6", lambda: panel.controller.pause(),
                                  icon(QStyle.StandardPixmap.SP_MediaPause), "Stop starting steps; resume later")
        self.resume = self._action("Re&sume", "F8", panel.resume,
                                   icon(QStyle.StandardPixmap.SP_MediaSeekForward), "Continue the run")
        self.cancel = self._action("&Cancel run", "Shift+F5", lambda: panel.controller.cancel(),
                                   icon(QStyle.StandardPixmap.SP_MediaStop), "Cancel the run (it cannot resume)")
        self.run_from = self._action("Run &from this step", "Ctrl+F5", panel.run_from_selected,
                                     icon(QStyle.StandardPixmap.SP_BrowserReload),
                                     "Reset the selected step and what follows it, keep the rest, and run")
        self.force = self._action("F&orce state…", "", panel.force_selected, None,
                                  "What-if: give the selected step a state and watch what runs and what is pruned")
        self.fixture = self._action("Dry-run &fixture…", "", panel.edit_fixture, None,
                                    "What the selected step returns in dry runs (kept in NAME.studio.json)")
        self.callback = self._action("Resolve &callback…", "", panel.resolve_callback, None,
                                     "Answer a callback or approval the run is waiting for")
        self.chip = QToolButton()
        self.chip.setObjectName("dry-run-chip")
        self.chip.setDefaultAction(self.dry_run)
        self.state_chip = QLabel()
        self.state_chip.setObjectName("run-state-chip")
        self.status = QLabel()
        self.status.setObjectName("run-status")
        self._build_menu(panel)
        self._build_toolbar()
        self._dry_toggled()

    def _action(self, text: str, keys: str, slot: Callable[[], Any], icon: QIcon | None, tip: str) -> QAction:
        action = QAction(text, self.window)
        if icon is not None:
            action.setIcon(icon)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menu(self, panel: RunPanel) -> None:
        menu = self.window.menuBar().addMenu("&Run")
        menu.setObjectName("run-menu")
        for group in ((self.run, self.dry_run), (self.pause, self.resume, self.cancel),
                      (self.run_from, self.force, self.fixture, self.callback)):
            menu.addActions(list(group))
            menu.addSeparator()
        menu.addAction(panel.dock.toggleViewAction())
        self.menu = menu

    def _build_toolbar(self) -> None:
        bar = QToolBar("Run")
        bar.setObjectName("run-toolbar")
        bar.setToolButtonStyle(self.window.toolButtonStyle())
        bar.addAction(self.run)
        bar.addWidget(self.chip)
        bar.addSeparator()
        bar.addActions([self.pause, self.resume, self.cancel, self.run_from])
        bar.addSeparator()
        bar.addWidget(self.state_chip)
        self.window.addToolBar(bar)
        self.toolbar = bar

    def _dry_toggled(self) -> None:
        dry = self.dry_run.isChecked()
        self.chip.setText("DRY RUN" if dry else "WET RUN")
        self.chip.setStyleSheet(DRY_STYLE if dry else WET_STYLE)
        self.chip.setToolTip("Dry run: side-effecting actions are not executed (click for a real run)" if dry else
                             "Real run: HTTP calls, scripts, e-mails… are executed (click to go back to dry run)")

    def show_state(self, state: str, dry_run: bool) -> None:
        """The current run's state as a chip in µTask's colours (nothing when no run is shown)."""
        self.state_chip.setVisible(bool(state))
        if not state:
            return
        colour = state_colour("DONE" if state == "DONE" else "RUNNING" if state == "RUNNING" else
                              "CLIENT_ERROR" if state.startswith("BLOCKED") or state in ("ERROR", "CRASHED") else
                              "WAITING" if state == "WAITING" else "TODO")
        self.state_chip.setText(f"{state}{' · dry' if dry_run else ''}")
        self.state_chip.setStyleSheet(f"QLabel {{ color: {colour.name()}; border: 1px solid {colour.name()};"
                                      " border-radius: 9px; padding: 1px 8px; font-weight: 600; }")

    def update(self, controller: RunController, has_session: bool, selected: str | None) -> None:
        state, busy = controller.state, controller.busy
        has_run = controller.resolution is not None
        in_run = has_run and selected is not None and controller.resolution is not None and \
            selected in controller.resolution.steps
        self.run.setEnabled(has_session and not busy)
        self.pause.setEnabled(busy or state in (ResolutionState.WAITING, ResolutionState.ERROR))
        self.resume.setEnabled(not busy and has_run and state in _RESUMABLE)
        self.cancel.setEnabled(has_run and (busy or state not in _ENDED))
        self.run_from.setEnabled(not busy and in_run)
        self.force.setEnabled(not busy and in_run)
        self.fixture.setEnabled(has_session and selected is not None)
        self.callback.setEnabled(bool(controller.pending_callbacks()))

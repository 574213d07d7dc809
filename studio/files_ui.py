"""File operations of the main window: new, open, save, save as, close, recent files, autosave and recovery.

Every question to the user goes through `Prompts`, so tests can answer them without a modal dialog.
Nothing here loses work: a file that cannot be read or written leaves the open document as it was and
says why; closing or replacing a document with unsaved changes asks first.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QStatusBar, QWidget

from engine.load.functions import FunctionRegistry
from studio.document import TemplateDocument
from studio.document.files import read_text, recovery_path
from studio.session import DocumentSession
from studio.settings import StudioSettings

__all__ = ["AUTOSAVE_MS", "BLANK_TEMPLATE", "SAMPLE_DIR", "Choice", "FileController", "Prompts", "sample_files"]

AUTOSAVE_MS = 30_000
TEMPLATE_FILTER = "µTask templates (*.yaml *.yml);;All files (*)"
SAMPLE_DIR = Path(__file__).resolve().parents[1] / "samples"
MESSAGE_MS = 6000
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal"})

# What File ▸ New starts from: the smallest template µTask accepts, with one step to build on.
BLANK_TEMPLATE = """\
name: new-template
description: Describe what this template automates.
title_format: New task
steps:
  hello:
    description: Say hello.
    action:
      type: echo
      configuration:
        output:
          message: hello
"""


class Choice(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def sample_files() -> list[Path]:
    return sorted(SAMPLE_DIR.glob("*.yaml")) if SAMPLE_DIR.is_dir() else []


def _headless() -> bool:
    """No one can answer a dialog on Qt's offscreen or minimal platform (CI, scripts, tests)."""
    return QGuiApplication.platformName() in HEADLESS_PLATFORMS


class Prompts:
    """The questions and messages of file operations, as modal dialogs (tests substitute their own).

    On a headless platform nothing is asked: the answer that keeps every byte of work is taken (keep the
    unsaved document open, leave a recovery file for later) and the question goes to stderr."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def unsaved_changes(self, name: str) -> Choice:
        if _headless():
            _tell(f"{name} has unsaved changes: kept open (no one to ask on this display)")
            return Choice.CANCEL
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self.parent, "Unsaved changes", f"Save the changes to {name}?",
                                      buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return {buttons.Save: Choice.SAVE, buttons.Discard: Choice.DISCARD}.get(answer, Choice.CANCEL)

    def restore_recovery(self, path: Path, when: dt.datetime) -> bool | None:
        """True: restore, False: discard the recovery file, None: not answered (keep it for later)."""
        if _headless():
            _tell(f"{path.name} has unsaved changes from {when:%Y-%m-%d %H:%M} in a recovery file: kept for later")
            return None
        buttons = QMessageBox.StandardButton
        text = f"Restore unsaved changes from {when:%Y-%m-%d %H:%M}?"
        answer = QMessageBox.question(self.parent, "Recover unsaved changes",
                                      f"{text}\n\n{path.name} was not saved before the studio closed.",
                                      buttons.Yes | buttons.No, buttons.Yes)
        return answer == buttons.Yes

    def open_path(self, start: str) -> Path | None:
        if _headless():
            return None
        chosen, _ = QFileDialog.getOpenFileName(self.parent, "Open a µTask template", start, TEMPLATE_FILTER)
        return Path(chosen) if chosen else None

    def save_path(self, start: str) -> Path | None:
        if _headless():
            return None
        chosen, _ = QFileDialog.getSaveFileName(self.parent, "Save the template as", start, TEMPLATE_FILTER)
        return Path(chosen) if chosen else None

    def functions_directory(self, start: str) -> Path | None:
        if _headless():
            return None
        chosen = QFileDialog.getExistingDirectory(self.parent, "Choose the functions directory", start)
        return Path(chosen) if chosen else None

    def sample(self, samples: list[Path]) -> Path | None:
        if _headless():
            return None
        names = [path.stem for path in samples]
        chosen, ok = QInputDialog.getItem(self.parent, "New from sample", "Start from the sample:", names, 0, False)
        return samples[names.index(chosen)] if ok and chosen in names else None

    def error(self, title: str, message: str) -> None:
        if _headless():
            _tell(message)
            return
        QMessageBox.warning(self.parent, title, message)


def _tell(message: str) -> None:
    if sys.stderr is not None:  # a gui-script on Windows has no stderr
        print(f"utask-studio: {message}", file=sys.stderr)


class Host(Protocol):
    """What the controller needs from the main window."""

    session: DocumentSession | None
    settings: StudioSettings

    def set_session(self, session: DocumentSession | None) -> None: ...
    def functions_for(self, path: Path | None) -> FunctionRegistry: ...
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name


class FileController(QObject):
    """File ▸ operations on the window's one document; see the module docstring."""

    def __init__(self, host: Host, prompts: Prompts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host, self.prompts = host, prompts
        self.recent_changed: list[Callable[[], None]] = []
        self.autosave_timer = QTimer(self, interval=AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):  # focus loss of the whole application also autosaves
            app.applicationStateChanged.connect(self._on_application_state)

    # -- new and open ----------------------------------------------------------------------------------

    def new_blank(self) -> bool:
        return self._start_untitled(BLANK_TEMPLATE, None)

    def new_from_sample(self, sample: Path | None = None) -> bool:
        """An untitled copy of a sample (saving never overwrites the sample itself)."""
        sample = sample or self.prompts.sample(sample_files())
        if sample is None:
            return False
        try:
            text, _ = read_text(sample)
        except OSError as exc:
            self.prompts.error("Cannot read the sample", str(exc))
            return False
        return self._start_untitled(text, sample.parent)

    def choose_and_open(self) -> bool:
        path = self.prompts.open_path(self._start_dir())
        return self.open(path) if path is not None else False

    def open(self, path: Path) -> bool:
        """Open `path` in the window (after the unsaved-changes question); offers a crash recovery file."""
        if not self.maybe_save():
            return False
        try:
            session = self.load(path, recover=self._wants_recovery(path))
        except OSError as exc:
            self.prompts.error("Cannot open the template", f"Cannot open {path}: {_reason(exc)}")
            return False
        self.host.set_session(session)
        self.remember(path)
        return True

    def load(self, path: Path, recover: bool = False) -> DocumentSession:
        """A session on `path` (its recovery text when `recover`); raises OSError when it cannot be read."""
        functions = self.host.functions_for(path)
        if recover:
            document = TemplateDocument.open_recovered(path, functions=functions, auto_validate=False)
        else:
            document = TemplateDocument.open(path, functions=functions, auto_validate=False)
        if document.sidecar.problem:
            self.host.statusBar().showMessage(document.sidecar.problem, MESSAGE_MS)
        return DocumentSession(document)

    def open_recent(self, path: Path) -> bool:
        if not path.is_file():
            self.host.settings.prune_recent()
            self._recent_changed()
            self.prompts.error("File not found", f"{path} no longer exists; it was removed from the recent files.")
            return False
        return self.open(path)

    def prune_recent(self) -> None:
        """Drop missing files from the recent list, saying which."""
        missing = self.host.settings.prune_recent()
        if missing:
            names = ", ".join(path.name for path in missing)
            self.host.statusBar().showMessage(f"Removed from recent files (no longer there): {names}", MESSAGE_MS)
            self._recent_changed()

    def remember(self, path: Path) -> None:
        self.host.settings.add_recent(path)
        self._recent_changed()

    # -- save and close --------------------------------------------------------------------------------

    def save(self) -> bool:
        session = self.host.session
        if session is None:
            return False
        if session.document.path is None:
            return self.save_as()
        return self._save_to(session, None)

    def save_as(self, path: Path | None = None) -> bool:
        session = self.host.session
        if session is None:
            return False
        path = path or self.prompts.save_path(self._suggested_name(session))
        if path is None:
            return False
        if path.suffix == "":
            path = path.with_suffix(".yaml")
        return self._save_to(session, path)

    def close_document(self) -> bool:
        if not self.maybe_save():
            return False
        self.host.set_session(None)
        return True

    def maybe_save(self) -> bool:
        """True when the current document may go: saved, discarded, or clean. False: the user cancelled."""
        session = self.host.session
        if session is None or not session.is_dirty:
            return True
        name = session.document.path.name if session.document.path else "Untitled"
        choice = self.prompts.unsaved_changes(name)
        if choice is Choice.SAVE:
            return self.save()
        if choice is Choice.DISCARD:
            self._drop_recovery(session)
            return True
        return False

    # -- autosave and recovery -------------------------------------------------------------------------

    def autosave(self) -> Path | None:
        """Write the recovery file of a dirty document (never the template itself)."""
        session = self.host.session
        if session is None or not session.is_dirty:
            return None
        try:
            return session.document.write_recovery()
        except OSError as exc:
            self.host.statusBar().showMessage(f"Autosave failed: {_reason(exc)}", MESSAGE_MS)
            return None

    def _wants_recovery(self, path: Path) -> bool:
        recovery = TemplateDocument.recovery_for(path)
        if recovery is None:
            return False
        when = dt.datetime.fromtimestamp(recovery.stat().st_mtime)
        answer = self.prompts.restore_recovery(path, when)
        if answer is False:
            recovery.unlink(missing_ok=True)  # declined: do not ask again next time
        return bool(answer)

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave()

    # -- helpers ---------------------------------------------------------------------------------------

    def _start_untitled(self, text: str, functions_near: Path | None) -> bool:
        if not self.maybe_save():
            return False
        functions = self.host.functions_for(functions_near / "x.yaml" if functions_near else None)
        self.host.set_session(DocumentSession(TemplateDocument(text, None, functions=functions,
                                                               auto_validate=False)))
        return True

    def _save_to(self, session: DocumentSession, path: Path | None) -> bool:
        try:
            target = session.save(path)
        except OSError as exc:
            where = path or session.document.path
            self.prompts.error("Cannot save the template", f"Cannot save {where}: {_reason(exc)}")
            return False
        self.remember(target)
        self.host.statusBar().showMessage(f"Saved {target}", MESSAGE_MS)
        return True

    def _drop_recovery(self, session: DocumentSession) -> None:
        if session.document.path is not None:
            recovery_path(session.document.path).unlink(missing_ok=True)

    def _start_dir(self) -> str:
        session = self.host.session
        if session is not None and session.document.path is not None:
            return str(session.document.path.parent)
        recent = self.host.settings.recent_files()
        return str(recent[0].parent) if recent else ""

    def _suggested_name(self, session: DocumentSession) -> str:
        if session.document.path is not None:
            return str(session.document.path)
        snapshot = session.document.snapshot
        name = snapshot.data.get("name") if snapshot is not None and isinstance(snapshot.data, dict) else None
        return str(Path(self._start_dir() or ".") / f"{name or 'untitled'}.yaml")

    def _recent_changed(self) -> None:
        for callback in self.recent_changed:
            callback()


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)

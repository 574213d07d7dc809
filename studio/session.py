"""`DocumentSession`: the Qt side of one open template — the document model, its undo stack, the shared
selection, and validation scheduled off the UI thread.

Views never change the text themselves: a gesture builds an edit (studio.document.edits) and calls
`session.push(edit)`. The session applies it, records it on the QUndoStack (merging keystrokes and moves)
and re-emits the document's events as Qt signals, so every view updates from the same model.

    session = DocumentSession(TemplateDocument.open(path, auto_validate=False))
    session.structure_changed.connect(canvas.on_structure_changed)
    session.push(RenameStep("fetch", "download"))      # False (and edit_refused) when refused
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from engine.diagnostics import Diagnostic
from engine.gcpause import gc_paused
from engine.load.functions import FunctionRegistry
from engine.validate import ValidationResult
from studio.document import (
    DiagnosticsChanged,
    Edit,
    EditError,
    Event,
    PositionsChanged,
    Reparsed,
    StructureChanged,
    TemplateDocument,
    TextChanged,
)
from studio.document.model import Analysis, analyse_text

__all__ = ["DocumentSession", "EditCommand"]


def _analyse_without_collecting(text: str, file: str, functions: FunctionRegistry) -> Analysis:
    # A collection started from this worker thread could finalise Qt wrappers owned by the UI thread
    # (a crash): the collector stays off while the worker allocates.
    with gc_paused():
        return analyse_text(text, file, functions)

VALIDATION_DELAY_MS = 250  # after the last keystroke; structural edits validate at once
POLL_MS = 10  # how often the UI thread looks for a finished validation while one is pending
MERGE_ID = 0x5354  # any constant: QUndoStack only asks commands with equal, non-negative ids to merge


class EditCommand(QUndoCommand):
    """One edit on the undo stack. It is applied before it is pushed (so a refused edit never lands),
    hence the first `redo()` — which QUndoStack.push calls — does nothing."""

    def __init__(self, document: TemplateDocument, edit: Edit) -> None:
        super().__init__(edit.description)
        # The document, not the session: a command referring back to the QObject that owns its stack makes a
        # cycle whose collection order Qt cannot survive (the stack deletes commands Python already freed).
        self.document, self.edit = document, edit
        self._pushed = False

    def redo(self) -> None:
        if self._pushed:
            self.edit.apply(self.document)
        self._pushed = True

    def undo(self) -> None:
        self.edit.revert(self.document)

    def id(self) -> int:
        return MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or not self.edit.can_merge(other.edit):
            return False
        self.edit.merge(other.edit)
        return True


class DocumentSession(QObject):
    """One open template as the views see it; see the module docstring."""

    text_changed = Signal(object)  # tuple of (start, removed, inserted) in old-text offsets
    structure_changed = Signal(object)  # StructureChanged
    diagnostics_changed = Signal(object)  # tuple[Diagnostic, ...]
    positions_changed = Signal(object)  # frozenset of step names
    reparsed = Signal(bool)  # the text was parsed again (False: the YAML is broken); forms refresh values
    selection_changed = Signal(list, object)  # step names, the view that changed it (or None)
    navigate_requested = Signal(object)  # a Diagnostic to show (YAML cursor, canvas selection)
    edit_refused = Signal(str)  # why an edit could not be applied, for the status bar
    dirty_changed = Signal(bool)
    path_changed = Signal(object)  # Path | None

    def __init__(self, document: TemplateDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        document.auto_validate = False
        document.defer_text_parsing = True
        self.undo_stack = QUndoStack(self)
        self.selection: list[str] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate")
        self._pending: Future[Analysis] | None = None
        self._timer = QTimer(self, singleShot=True, interval=VALIDATION_DELAY_MS)
        self._timer.timeout.connect(self.validate_soon)
        # The UI thread polls the worker's result: no callback of the worker thread may hold this QObject, or
        # dropping the last reference there would destroy it (and its timers) on the wrong thread.
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._collect)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._unsubscribe = document.subscribe(self._on_event)

    @classmethod
    def open(cls, path: str | Path, functions: FunctionRegistry | None = None,
             parent: QObject | None = None) -> DocumentSession:
        return cls(TemplateDocument.open(path, functions=functions, auto_validate=False), parent)

    # -- edits ---------------------------------------------------------------------------------------

    def push(self, edit: Edit) -> bool:
        """Apply `edit` and record it for undo; a refused edit changes nothing and emits `edit_refused`."""
        try:
            edit.apply(self.document)  # a structural edit first brings the parse up to date with the text
        except EditError as exc:
            self.edit_refused.emit(str(exc))
            return False
        self.undo_stack.push(EditCommand(self.document, edit))
        return True

    @property
    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean() or self.document.is_dirty

    def save(self, path: str | Path | None = None) -> Path:
        """Save atomically (template, then the positions sidecar) and mark the stack clean."""
        previous = self.document.path
        target = self.document.save(path)
        self.document.save_sidecar()
        self.undo_stack.setClean()
        self.dirty_changed.emit(False)
        if target != previous:
            self.path_changed.emit(target)
        return target

    # -- selection and navigation --------------------------------------------------------------------

    def select(self, names: Iterable[str], origin: object = None) -> None:
        """Share a selection between views; `origin` lets the view that made it ignore the echo."""
        chosen = list(dict.fromkeys(names))
        if chosen != self.selection:
            self.selection = chosen
            self.selection_changed.emit(chosen, origin)

    def navigate(self, diagnostic: Diagnostic) -> None:
        self.navigate_requested.emit(diagnostic)

    # -- validation ----------------------------------------------------------------------------------

    @property
    def diagnostics(self) -> Sequence[Diagnostic]:
        result = self.document._result  # noqa: SLF001 - the last result, never computed here on the UI thread
        return result.diagnostics if result is not None else ()

    def validate_soon(self) -> None:
        """Parse and validate the current text on the worker thread (typing never waits for either);
        the result is adopted only if the text has not changed in the meantime."""
        self._timer.stop()
        text, file, functions = self.document.text, self.document.file_name, self.document.functions
        future = self._executor.submit(_analyse_without_collecting, text, file, functions)
        self._pending = future
        self._poll.start()

    def validate_now(self) -> ValidationResult:
        """Validate on this thread (tests, saving, opening); returns the result."""
        self._timer.stop()
        self.document.refresh_diagnostics()
        return self.document.validation

    def wait_for_validation(self, timeout: float = 10.0) -> None:
        """Block until the pending validation is applied (tests and the benchmark)."""
        if self._timer.isActive():
            self.validate_soon()
        if self._pending is not None:
            self._pending.result(timeout)
            self._collect()

    def close(self) -> None:
        self._timer.stop()
        self._poll.stop()
        self.undo_stack.clear()  # delete the commands now, in order, rather than whenever the session is collected
        self._unsubscribe()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _on_clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    def _collect(self) -> None:
        future = self._pending
        if future is None or not future.done():
            return
        self._poll.stop()
        self._pending = None
        if not future.cancelled() and future.exception() is None:
            self._on_analysed(future.result())

    def _on_analysed(self, analysis: Analysis) -> None:
        self.document.adopt(analysis)

    # -- document events → signals -------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        if isinstance(event, TextChanged):
            self.text_changed.emit(event.ranges)
            self._timer.start()
        elif isinstance(event, StructureChanged):
            self.structure_changed.emit(event)
        elif isinstance(event, DiagnosticsChanged):
            self.diagnostics_changed.emit(event.diagnostics)
        elif isinstance(event, PositionsChanged):
            self.positions_changed.emit(event.names)
        elif isinstance(event, Reparsed):
            self.reparsed.emit(event.parsed)



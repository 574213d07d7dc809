"""A plain undo/redo history of edits, with merging: the headless twin of the studio's QUndoStack.

The Qt adapter wraps each edit in a QUndoCommand (`redo` → apply, `undo` → revert, `mergeWith` →
can_merge/merge); this class does the same without Qt, for scripts, tests and benchmarks.
"""

from __future__ import annotations

from studio.document.edits import Edit
from studio.document.model import TemplateDocument

__all__ = ["History"]


class History:
    """Edits applied to one document, undoable in reverse order; `clean` marks the saved state."""

    def __init__(self, document: TemplateDocument) -> None:
        self.document = document
        self._done: list[Edit] = []
        self._undone: list[Edit] = []
        self._clean_index: int | None = 0

    def push(self, edit: Edit) -> None:
        """Apply `edit` (EditError propagates, nothing recorded) and record it, merged when it can be."""
        edit.apply(self.document)
        self._undone.clear()
        if self._done and self._clean_index != len(self._done) and self._done[-1].can_merge(edit):
            self._done[-1].merge(edit)
            return
        self._done.append(edit)
        if self._clean_index is not None and self._clean_index > len(self._done) - 1:
            self._clean_index = None  # the saved state was undone and then overwritten

    def undo(self) -> Edit | None:
        if not self._done:
            return None
        edit = self._done.pop()
        edit.revert(self.document)
        self._undone.append(edit)
        return edit

    def redo(self) -> Edit | None:
        if not self._undone:
            return None
        edit = self._undone.pop()
        edit.apply(self.document)
        self._done.append(edit)
        return edit

    @property
    def undo_text(self) -> str | None:
        return self._done[-1].description if self._done else None

    @property
    def redo_text(self) -> str | None:
        return self._undone[-1].description if self._undone else None

    def set_clean(self) -> None:
        self._clean_index = len(self._done)

    @property
    def is_clean(self) -> bool:
        return self._clean_index == len(self._done)

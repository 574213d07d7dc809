"""`TemplateDocument`: one open template — its source text (the truth), a parse with positions beside it,
the Template model and the diagnostics of that text, and the change events views react to.

Edits (studio.document.edits) change the text only through `patch()`, which re-parses, diffs the step
structure and emits events. Validation is the expensive part, so it can be deferred: with
`auto_validate=False` the UI calls `refresh_diagnostics()` on its own schedule (debounced, off-thread via
`compute_validation`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostic
from engine.load.document import parse_document
from engine.load.functions import FunctionRegistry
from engine.load.yaml11 import YamlSyntaxError, parse_yaml
from engine.model.template import Template
from engine.validate import ValidationResult, validate_document
from studio.document import files
from studio.document.events import (
    DiagnosticsChanged,
    Event,
    EventHub,
    PositionsChanged,
    Reparsed,
    Structure,
    StructureChanged,
    TextChanged,
    diff_structure,
)
from studio.document.layout import Snapshot
from studio.document.sidecar import Sidecar, read_sidecar, write_sidecar
from studio.document.text import LineIndex, PatchSet, TextStyle, detect_style

__all__ = ["Analysis", "TemplateDocument", "analyse_text", "compute_validation"]


def compute_validation(text: str, file: str, functions: FunctionRegistry | None) -> ValidationResult:
    """Parse and validate `text` from scratch (pure: safe to run on a worker thread)."""
    return validate_document(parse_document(text, file), functions or FunctionRegistry())


@dataclass(frozen=True)
class Analysis:
    """Everything the document derives from one text, computed off the UI thread (`analyse_text`)."""

    text: str
    parse: Snapshot | YamlSyntaxError
    validation: ValidationResult


def analyse_text(text: str, file: str, functions: FunctionRegistry | None) -> Analysis:
    """The parse with positions and the validation of `text` (pure: for a worker thread)."""
    return Analysis(text, _parse_snapshot(text), compute_validation(text, file, functions))


def _parse_snapshot(text: str) -> Snapshot | YamlSyntaxError:
    try:
        parsed = parse_yaml(text)
    except YamlSyntaxError as exc:
        return exc
    return Snapshot(text, parsed.data, parsed.source_map, LineIndex(text))


class TemplateDocument:
    """The document model of one template; see the module docstring."""

    def __init__(self, text: str = "", path: str | Path | None = None, *, functions: FunctionRegistry | None = None,
                 encoding: files.Encoding | None = None, auto_validate: bool = True) -> None:
        self.path = Path(path) if path is not None else None
        self.functions = functions or FunctionRegistry()
        self.encoding = encoding or files.Encoding()
        self.auto_validate = auto_validate
        # Typing in a big template must not wait for a parse per keystroke: the UI sets this and calls
        # refresh() on its debounce timer.
        self.defer_text_parsing = False
        self._stale = False
        self._holding = False  # inside batch(): events held, validation deferred to its end
        self._renames: dict[str, str] = {}
        self.events = EventHub()
        self.sidecar = Sidecar()
        self._text = text
        self._saved_text = text
        self._snapshot: Snapshot | None = None
        self._parse_error: YamlSyntaxError | None = None
        self._structure: Structure = {}
        self._result: ValidationResult | None = None
        self._last_good: Template | None = None
        self._style, self._style_known = TextStyle(), False
        self._reparse()
        if auto_validate:
            self.refresh_diagnostics()

    @classmethod
    def open(cls, path: str | Path, **options: Any) -> TemplateDocument:
        """Read a template file exactly (encoding, BOM and line breaks are kept for the save)."""
        text, encoding = files.read_text(path)
        document = cls(text, path, encoding=encoding, **options)
        document.sidecar = read_sidecar(path)
        return document

    # -- state ---------------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @property
    def file_name(self) -> str:
        return str(self.path) if self.path is not None else "<untitled>"

    @property
    def snapshot(self) -> Snapshot | None:
        """The parse of the current text, or None while its YAML is broken."""
        self.refresh(validate=False)
        return self._snapshot

    @property
    def parse_error(self) -> YamlSyntaxError | None:
        self.refresh(validate=False)
        return self._parse_error

    @property
    def style(self) -> TextStyle:
        return self._style

    @property
    def structure(self) -> Structure:
        """Step names in document order with their dependency strings (of the last text that parsed)."""
        self.refresh(validate=False)
        return self._structure

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Canvas positions by step name (from the sidecar, never the template)."""
        return self.sidecar.positions

    def move(self, positions: Mapping[str, tuple[float, float] | None]) -> None:
        """Set (or with None, forget) canvas positions; emits PositionsChanged. Use the MoveSteps edit."""
        for name, where in positions.items():
            if where is None:
                self.sidecar.positions.pop(name, None)
            else:
                self.sidecar.positions[name] = where
        self.events.emit(PositionsChanged(frozenset(positions)))

    @property
    def is_dirty(self) -> bool:
        return self._text != self._saved_text

    @property
    def validation(self) -> ValidationResult:
        if self._result is None or self._result.document.text != self._text:
            self.refresh_diagnostics()
        assert self._result is not None
        return self._result

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.validation.diagnostics

    @property
    def template(self) -> Template | None:
        """The model of the current text (None when it cannot be modelled)."""
        return self.validation.template

    @property
    def last_good_template(self) -> Template | None:
        """The model of the last text that parsed and modelled, kept while the YAML is broken."""
        self.validation  # noqa: B018 - make sure the current text has been modelled
        return self._last_good

    # -- changes -------------------------------------------------------------------------------------

    def patch(self, patches: PatchSet, renamed: Mapping[str, str] | None = None, *, parse: bool = True) -> None:
        """Apply `patches` to the text and emit the events (the one way the text changes).

        With `parse=False` (typing, see `defer_text_parsing`) only TextChanged is emitted now; the parse,
        StructureChanged and validation follow at `refresh()` or at the next structural edit."""
        self._text = patches.apply(self._text)
        self._stale = True
        self._move_positions(renamed or {})
        for old, new in (renamed or {}).items():
            self._renames[old] = new
        self.events.emit(TextChanged(tuple(patches.ranges())))
        if parse:
            self.refresh(validate=self.auto_validate and not self._holding)

    def refresh(self, *, validate: bool = True, parse: Snapshot | YamlSyntaxError | None = None) -> None:
        """Bring the parse (and with `validate`, the diagnostics) up to date with the text; `parse` is
        one computed elsewhere for the current text (see `adopt`)."""
        if self._stale:
            before, renamed = self._structure, self._renames
            self._renames, self._stale = {}, False
            self._reparse(parse)
            change = diff_structure(before, self._structure, renamed)
            if self._snapshot is None:
                self.events.emit(StructureChanged(parsed=False))
            elif change is not None:
                self.events.emit(change)
            self.events.emit(Reparsed(self._snapshot is not None))
        if validate:
            self.refresh_diagnostics()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several patches: events are delivered together at the end, validation runs once."""
        if self._holding:
            yield
            return
        self._holding = True
        before = self._structure
        try:
            with self.events.hold() as held:
                yield
                self.refresh(validate=False)
        finally:
            self._holding = False
        for event in _coalesce(held, before, self._structure, self._snapshot is None):
            self.events.emit(event)
        if self.auto_validate:
            self.refresh_diagnostics()

    def refresh_diagnostics(self, result: ValidationResult | None = None) -> None:
        """Validate the current text (or take `result`, computed elsewhere) and emit DiagnosticsChanged."""
        if result is None:
            result = compute_validation(self._text, self.file_name, self.functions)
        elif result.document.text != self._text:
            return  # computed for a text that has changed since: a newer one is on its way
        self.refresh(validate=False)
        previous = self._result.diagnostics if self._result is not None else None
        self._result = result
        if result.template is not None and self._snapshot is not None:
            self._last_good = result.template
        if previous != result.diagnostics:
            self.events.emit(DiagnosticsChanged(tuple(result.diagnostics)))

    def adopt(self, analysis: Analysis) -> bool:
        """Take a parse and validation computed off-thread; False (ignored) if the text has changed since."""
        if analysis.text != self._text:
            return False
        self.refresh(validate=False, parse=analysis.parse)
        self.refresh_diagnostics(analysis.validation)
        return True

    def subscribe(self, callback: Any) -> Any:
        """Call `callback(event)` on every change; returns the function that unsubscribes."""
        return self.events.subscribe(callback)

    def _reparse(self, parse: Snapshot | YamlSyntaxError | None = None) -> None:
        outcome = parse if parse is not None else _parse_snapshot(self._text)
        if isinstance(outcome, YamlSyntaxError):
            self._snapshot, self._parse_error = None, outcome
            return
        self._snapshot, self._parse_error = outcome, None
        self._structure = _structure_of(outcome.data)
        if not self._style_known and self._structure:
            # Measured once, on the first text with steps: the style of the file as the user wrote it.
            self._style, self._style_known = _style_of(self._snapshot), True

    def _move_positions(self, renamed: Mapping[str, str]) -> None:
        for old, new in renamed.items():
            self.sidecar.rename(old, new)

    # -- files ---------------------------------------------------------------------------------------

    def save(self, path: str | Path | None = None) -> Path:
        """Write the text atomically (same encoding, BOM and line breaks as read) and mark it clean."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("this document has no file yet: give a path")
        files.write_text_atomic(target, self._text, self.encoding)
        self.path, self._saved_text = target, self._text
        files.recovery_path(target).unlink(missing_ok=True)
        return target

    def save_sidecar(self) -> Path | None:
        """Write `NAME.studio.json` (positions) beside the template; None for an unsaved document."""
        return write_sidecar(self.path, self.sidecar) if self.path is not None else None

    def write_recovery(self) -> Path | None:
        """Autosave: unsaved work goes to `NAME.studio.recovery`, atomically (the template is untouched)."""
        if self.path is None or not self.is_dirty:
            return None
        target = files.recovery_path(self.path)
        files.write_text_atomic(target, self._text, self.encoding)
        return target

    @staticmethod
    def recovery_for(path: str | Path) -> Path | None:
        """The recovery file left by a crash for `path`, when it differs from the file itself."""
        recovery = files.recovery_path(path)
        try:
            if recovery.read_bytes() != Path(path).read_bytes():
                return recovery
        except OSError:
            return recovery if recovery.exists() else None
        return None

    @classmethod
    def open_recovered(cls, path: str | Path, **options: Any) -> TemplateDocument:
        """Open `path` with the text of its recovery file, as an unsaved change of the file."""
        document = cls.open(path, **options)
        text, _ = files.read_text(files.recovery_path(path))
        document._text = text
        document._reparse()
        if document.auto_validate:
            document.refresh_diagnostics()
        return document


def _structure_of(data: Any) -> dict[str, tuple[str, ...]]:
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, dict):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for name, step in steps.items():
        deps = step.get("dependencies") if isinstance(step, dict) else None
        if isinstance(deps, str):
            deps = [deps]
        out[name] = tuple(d for d in deps if isinstance(d, str)) if isinstance(deps, list) else ()
    return out


def _style_of(snap: Snapshot) -> TextStyle:
    """Indentation and list style by majority vote over the nested collections of the file."""
    keys = snap.source_map.keys
    pairs: list[tuple[int, int]] = []
    dashes: list[int] = []
    for path, (_, column) in itertools.islice(keys.items(), 3000):  # a sample is enough for a majority
        parent = keys.get(path[:-1]) if len(path) > 1 else None
        if parent is not None:
            pairs.append((parent[1], column))
        value = snap.source_map.values.get(path)
        child = snap.source_map.values.get((*path, 0))
        if value is not None and child is not None and snap.text[snap.lines.offset(value[0], value[1])] != "[":
            dashes.append(snap.head_column((*path, 0)) - (column - 1))
    return detect_style(snap.text, pairs, dashes)


def _coalesce(held: list[Event], before: Structure, after: Structure, broken: bool) -> list[Event]:
    """One batch's events: every text change in order, one structure change, no stale diagnostics."""
    texts: list[Event] = [e for e in held if isinstance(e, TextChanged)]
    renamed = {old: new for e in held if isinstance(e, StructureChanged) for old, new in e.renamed}
    change = StructureChanged(parsed=False) if broken else diff_structure(before, after, renamed)
    reparsed: list[Event] = [Reparsed(not broken)] if any(isinstance(e, Reparsed) for e in held) else []
    return texts + ([change] if change is not None else []) + reparsed

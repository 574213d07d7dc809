"""Edits: the only way views change a document. Each one is an object with apply / revert.

An edit works out its text patches against the text it is first applied to and keeps them; `revert`
applies their inverse (the exact previous text), and a redo re-applies the very same patches. A QUndoStack
adapter wraps one edit per command, using `description`, `can_merge` and `merge` for `id`/`mergeWith`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from engine.diagnostics import JsonPath, format_path
from engine.model.graph import StepGraph, parse_dependency
from studio.document.emit import Flow, entry_lines
from studio.document.layout import Snapshot
from studio.document.model import TemplateDocument
from studio.document.patching import EditError, Replacement, delete_value, set_value
from studio.document.references import STEP_NAME, rename_replacements, step_references
from studio.document.text import PatchSet, minimal_replacement

__all__ = ["DELETE", "AddStep", "CompoundEdit", "Connect", "Disconnect", "Edit", "EditError", "MoveSteps", "RemoveStep",
           "RenameStep", "ReplaceText", "SetField"]

DELETE: Any = object()  # SetField(path, DELETE) removes the entry


class Edit:
    """Base class: subclasses compute replacements in `_replacements`; the rest is shared."""

    description = "Edit"

    def __init__(self) -> None:
        # The patch sets this edit applied, in order (several once edits have merged).
        self._done: list[PatchSet] = []

    @property
    def applied(self) -> bool:
        return bool(self._done)

    def apply(self, document: TemplateDocument) -> None:
        if not self._done:
            self._done = [PatchSet.of(document.text, self._replacements(_snapshot(document), document))]
        for patches in self._done:
            document.patch(patches, self._renamed())

    def revert(self, document: TemplateDocument) -> None:
        if not self._done:
            raise RuntimeError("revert() of an edit that was never applied")
        back = {new: old for old, new in self._renamed().items()}
        for patches in reversed(self._done):
            document.patch(patches.inverse(), back)

    def can_merge(self, other: Edit) -> bool:
        """Whether `other`, applied right after this one, can be folded into it (one undo step)."""
        return False

    def merge(self, other: Edit) -> None:
        """Fold `other` (already applied, right after this one) into this edit."""
        if not self.can_merge(other):
            raise TypeError(f"{type(self).__name__} cannot merge {type(other).__name__}")
        self._done += other._done

    def _replacements(self, snap: Snapshot, document: TemplateDocument) -> list[Replacement]:
        raise NotImplementedError

    def _renamed(self) -> Mapping[str, str]:
        return {}


def _snapshot(document: TemplateDocument) -> Snapshot:
    if document.snapshot is None:
        raise EditError("the YAML is broken: fix it in the text before editing the structure")
    return document.snapshot


def _steps(snap: Snapshot) -> dict[str, Any]:
    steps = snap.data.get("steps") if isinstance(snap.data, dict) else None
    return steps if isinstance(steps, dict) else {}


class ReplaceText(Edit):
    """Replace `text[start:end]` by `new`: what typing in the YAML pane produces."""

    description = "Edit text"

    def __init__(self, start: int, end: int, new: str) -> None:
        super().__init__()
        self.start, self.end, self.new = start, end, new

    @classmethod
    def whole(cls, document: TemplateDocument, text: str) -> ReplaceText:
        """The smallest single replacement that turns the document's text into `text`."""
        return cls(*minimal_replacement(document.text, text))

    def apply(self, document: TemplateDocument) -> None:
        # Raw text needs no parse: this edit must work while the YAML is broken.
        if not self._done:
            self._done = [PatchSet.of(document.text, [(self.start, self.end, self.new)])]
        for patches in self._done:
            document.patch(patches, parse=not document.defer_text_parsing)

    def revert(self, document: TemplateDocument) -> None:
        for patches in reversed(self._done):
            document.patch(patches.inverse(), parse=not document.defer_text_parsing)

    def can_merge(self, other: Edit) -> bool:
        """Typing on (inserting right after our text) and backspacing over it merge; a new line does not."""
        if not isinstance(other, ReplaceText) or "\n" in other.new or "\n" in self.new:
            return False
        tail = self.start + len(self.new)
        typing = other.start == other.end == tail
        erasing = not other.new and other.end == tail and other.start >= self.start
        return typing or erasing

    def merge(self, other: Edit) -> None:
        super().merge(other)
        assert isinstance(other, ReplaceText)
        self.new = self.new[: other.start - self.start] + other.new + self.new[other.end - self.start:]


class SetField(Edit):
    """Set the value at a JSON path (missing mappings are created); `DELETE` removes the entry."""

    def __init__(self, path: JsonPath, value: Any) -> None:
        super().__init__()
        self.path, self.value = tuple(path), value
        verb = "Delete" if value is DELETE else "Set"
        self.description = f"{verb} {format_path(self.path)}"

    def _replacements(self, snap: Snapshot, document: TemplateDocument) -> list[Replacement]:
        if self.value is DELETE:
            return delete_value(snap, document.style, self.path)
        return set_value(snap, document.style, self.path, self.value)

    def can_merge(self, other: Edit) -> bool:
        # Successive keystrokes in one inspector field become one undo step.
        return isinstance(other, SetField) and other.path == self.path and DELETE not in (self.value, other.value)

    def merge(self, other: Edit) -> None:
        super().merge(other)
        assert isinstance(other, SetField)
        self.value = other.value


class CompoundEdit(Edit):
    """Several edits as one: applied in order, reverted in reverse order, events delivered together.

    Subclasses may plan their children lazily (`_plan`): each child is then created on the text left by
    the previous one, which is what removals need (list indices shift). A redo replays the same children.
    """

    def __init__(self, edits: Sequence[Edit] = (), description: str = "Edit") -> None:
        super().__init__()
        self.edits = list(edits)
        self.description = description
        self._planned = False

    @property
    def applied(self) -> bool:
        return self._planned

    def apply(self, document: TemplateDocument) -> None:
        with document.batch():
            if self._planned:
                for edit in self.edits:
                    edit.apply(document)
                return
            done: list[Edit] = []
            try:
                for edit in self._plan(document):
                    edit.apply(document)
                    done.append(edit)
            except Exception:
                for edit in reversed(done):  # all or nothing: a failed compound leaves no trace
                    edit.revert(document)
                raise
            self.edits, self._planned = done, True

    def revert(self, document: TemplateDocument) -> None:
        with document.batch():
            for edit in reversed(self.edits):
                edit.revert(document)

    def _plan(self, document: TemplateDocument) -> Iterator[Edit]:
        yield from list(self.edits)


class AddStep(Edit):
    """Add step `name` (a step mapping) after the last step, in the file's style."""

    def __init__(self, name: str, step: Mapping[str, Any]) -> None:
        super().__init__()
        self.name, self.step = name, dict(step)
        self.description = f"Add step {name}"

    def _replacements(self, snap: Snapshot, document: TemplateDocument) -> list[Replacement]:
        if self.name in _steps(snap):
            raise EditError(f"a step named {self.name!r} already exists")
        if not STEP_NAME.fullmatch(self.name):
            raise EditError(f"{self.name!r} is not a usable step name: use letters, digits, `_` and `-`")
        if snap.data is None:
            return _empty_document(snap, document, self.name, self.step)
        replacements = set_value(snap, document.style, ("steps", self.name), self.step)
        if len(replacements) == 1 and _blank_separated(snap):
            start, end, text = replacements[0]
            if start == end and not text.startswith(("\n", "\r")):
                return [(start, end, document.style.newline + text)]
        return replacements


def _blank_separated(snap: Snapshot) -> bool:
    """Whether most steps are separated from the previous one by a blank line (then so is a new one)."""
    heads = [snap.head_line(("steps", name)) for name in list(_steps(snap))[1:] if ("steps", name) in
             snap.source_map.keys]
    votes = [_blank_above(snap, line) for line in heads]
    return sum(votes) * 2 > len(votes) if votes else False


def _blank_above(snap: Snapshot, line: int) -> bool:
    line -= 1
    while line > 0 and snap.lines.line_text(line).lstrip().startswith("#"):
        line -= 1  # a step's own comments sit between the blank line and its key
    return line > 0 and not snap.lines.line_text(line).strip()


def _empty_document(snap: Snapshot, document: TemplateDocument, name: str, step: Any) -> list[Replacement]:
    # An empty (or comments-only) file: append a whole `steps:` section.
    lines = entry_lines("steps", {name: step}, 0, document.style)
    newline = document.style.newline
    lead = newline if snap.text and not snap.text.endswith("\n") else ""
    return [(len(snap.text), len(snap.text), lead + newline.join(lines) + newline)]


class RemoveStep(CompoundEdit):
    """Remove a step and every dependency pointing to it (one undo step)."""

    def __init__(self, name: str) -> None:
        super().__init__((), f"Remove step {name}")
        self.name = name

    def _plan(self, document: TemplateDocument) -> Iterator[Edit]:
        if self.name not in _steps(_snapshot(document)):
            raise EditError(f"there is no step {self.name!r}")
        while refs := step_references(_snapshot(document), self.name):
            yield SetField(_dependency_path(_snapshot(document), refs[-1]), DELETE)
        yield SetField(("steps", self.name), DELETE)


class RenameStep(Edit):
    """Rename a step and every reference to it: dependencies, `then` keys, template handles."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new
        self.description = f"Rename step {old} to {new}"

    def _replacements(self, snap: Snapshot, document: TemplateDocument) -> list[Replacement]:
        return rename_replacements(snap, self.old, self.new)

    def _renamed(self) -> Mapping[str, str]:
        return {self.old: self.new}


class Connect(Edit):
    """Make `step` depend on `target` (optionally in `state`, e.g. NOT_FOUND or ANY); cycles are refused."""

    def __init__(self, step: str, target: str, state: str | None = None) -> None:
        super().__init__()
        self.step, self.target, self.state = step, target, state
        self.dependency = f"{target}:{state}" if state else target
        self.description = f"Connect {step} to {self.dependency}"

    def _replacements(self, snap: Snapshot, document: TemplateDocument) -> list[Replacement]:
        steps = _steps(snap)
        for name in (self.step, self.target):
            if name not in steps:
                raise EditError(f"there is no step {name!r}")
        structure = document.structure
        if any(parse_dependency(d).step == self.target for d in structure.get(self.step, ())):
            raise EditError(f"{self.step} already depends on {self.target}")
        _refuse_cycle(structure, self.step, self.target)
        path = ("steps", self.step, "dependencies")
        if snap.has_value(path) and isinstance(snap.value_at(path), list):
            return set_value(snap, document.style, (*path, len(snap.value_at(path))), self.dependency)
        existing = [snap.value_at(path)] if snap.has_value(path) and isinstance(snap.value_at(path), str) else []
        value = Flow([*existing, self.dependency]) if _prefers_flow(snap) else [*existing, self.dependency]
        return set_value(snap, document.style, path, value)


def _refuse_cycle(structure: Mapping[str, Sequence[str]], step: str, target: str) -> None:
    if step == target:
        raise EditError(f"{step} cannot depend on itself")
    graph = StepGraph(structure)
    if graph.is_ancestor(step, of=target):
        chain = _chain(graph, target, step)
        raise EditError(f"connecting {step} to {target} would create a cycle: {target} already depends on "
                        f"{step} ({' → '.join(chain)})")


def _chain(graph: StepGraph, start: str, goal: str) -> list[str]:
    """A dependency path from `start` up to `goal` (breadth first, so the shortest one)."""
    previous: dict[str, str] = {}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for parent in graph.parents.get(node, ()):
            if parent not in previous and parent != start:
                previous[parent] = node
                queue.append(parent)
    chain = [goal]
    while chain[-1] != start and chain[-1] in previous:
        chain.append(previous[chain[-1]])
    return list(reversed(chain))


def _dependency_path(snap: Snapshot, path: JsonPath) -> JsonPath:
    """What to delete to drop one dependency: the item, or the whole key when it is the last one."""
    if isinstance(path[-1], str):
        return path  # `dependencies: name`, a lone string
    return path[:-1] if len(snap.value_at(path[:-1])) == 1 else path


def _prefers_flow(snap: Snapshot) -> bool:
    """Whether most existing dependency lists are written `[a, b]`."""
    votes = [snap.is_flow(("steps", name, "dependencies")) for name, step in _steps(snap).items()
             if isinstance(step, dict) and isinstance(step.get("dependencies"), list) and step["dependencies"]]
    return sum(votes) * 2 > len(votes) if votes else False


class Disconnect(CompoundEdit):
    """Remove the dependencies of `step` on `target` (whatever their states)."""

    def __init__(self, step: str, target: str) -> None:
        super().__init__((), f"Disconnect {step} from {target}")
        self.step, self.target = step, target

    def _plan(self, document: TemplateDocument) -> Iterator[Edit]:
        refs = [r for r in step_references(_snapshot(document), self.target) if r[1] == self.step]
        if not refs:
            raise EditError(f"{self.step} does not depend on {self.target}")
        for _ in refs:  # one at a time, last first, each on the text left by the previous one
            current = [r for r in step_references(_snapshot(document), self.target) if r[1] == self.step]
            yield SetField(_dependency_path(_snapshot(document), current[-1]), DELETE)


class MoveSteps(Edit):
    """Move steps on the canvas (sidecar positions only); consecutive moves of the same steps merge."""

    def __init__(self, positions: Mapping[str, tuple[float, float]]) -> None:
        super().__init__()
        self.positions = dict(positions)
        self.previous: dict[str, tuple[float, float] | None] = {}
        self.description = f"Move {', '.join(positions)}" if len(positions) == 1 else f"Move {len(positions)} steps"

    @property
    def applied(self) -> bool:
        return bool(self.previous)

    def apply(self, document: TemplateDocument) -> None:
        if not self.previous:
            self.previous = {name: document.positions.get(name) for name in self.positions}
        document.move(dict(self.positions))

    def revert(self, document: TemplateDocument) -> None:
        document.move(self.previous)

    def can_merge(self, other: Edit) -> bool:
        return isinstance(other, MoveSteps) and other.positions.keys() == self.positions.keys()

    def merge(self, other: Edit) -> None:
        assert isinstance(other, MoveSteps) and self.can_merge(other)
        self.positions = dict(other.positions)

"""Change events of a document, and the tiny observer hub that delivers them.

Views subscribe and only react: the canvas to StructureChanged, the YAML pane to TextChanged, the
problems panel to DiagnosticsChanged. Events are plain frozen dataclasses so they cross threads and test
assertions without ceremony.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic
from engine.model.graph import parse_dependency

__all__ = ["DiagnosticsChanged", "Event", "EventHub", "PositionsChanged", "Reparsed", "Structure", "StructureChanged",
           "TextChanged", "diff_structure"]

# Steps in document order, each with its dependency strings as written.
Structure = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class TextChanged:
    """The text changed; `ranges` are (start, removed, inserted) in old-text offsets, sorted: apply them
    last first (or shift by the earlier ones) to mirror the change in a QTextDocument."""

    ranges: tuple[tuple[int, int, int], ...]


@dataclass(frozen=True, slots=True)
class StructureChanged:
    """Steps or dependencies changed (what the canvas draws); `parsed` is False while the YAML is broken."""

    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    renamed: tuple[tuple[str, str], ...] = ()
    dependencies: frozenset[str] = frozenset()  # steps whose dependency list changed
    parsed: bool = True


@dataclass(frozen=True, slots=True)
class DiagnosticsChanged:
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class PositionsChanged:
    """Canvas positions of these steps changed (sidecar data: the text is untouched)."""

    names: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Reparsed:
    """The text was parsed again (values may have changed even when the structure did not): forms that
    show field values refresh. `parsed` is False while the YAML is broken."""

    parsed: bool = True


Event = TextChanged | StructureChanged | DiagnosticsChanged | PositionsChanged | Reparsed
Callback = Callable[[Event], None]


class EventHub:
    """subscribe(callback) → unsubscribe(); events raised inside `hold()` are delivered at its end."""

    def __init__(self) -> None:
        self._callbacks: list[Callback] = []
        self._held: list[Event] | None = None

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback) if callback in self._callbacks else None

    def emit(self, event: Event) -> None:
        if self._held is not None:
            self._held.append(event)
            return
        for callback in list(self._callbacks):
            callback(event)

    @contextmanager
    def hold(self) -> Iterator[list[Event]]:
        """Collect events instead of delivering them (the caller decides what to emit at the end)."""
        outer, self._held = self._held, []
        try:
            yield self._held
        finally:
            self._held = outer


def diff_structure(old: Structure, new: Structure, renamed: Mapping[str, str] | None = None) -> StructureChanged | None:
    """What changed between two structures; None when nothing did. `renamed` maps old → new names."""
    renamed = {o: n for o, n in (renamed or {}).items() if o in old and n in new and o not in new}
    added = frozenset(new) - frozenset(old) - frozenset(renamed.values())
    removed = frozenset(old) - frozenset(new) - frozenset(renamed)
    back = {n: o for o, n in renamed.items()}
    changed = frozenset(name for name, deps in new.items()
                        if name not in added and _targets(old[back.get(name, name)], renamed) != list(deps))
    if not (added or removed or renamed or changed) and list(old) == list(new):
        return None
    return StructureChanged(added, removed, tuple(renamed.items()), changed)


def _targets(deps: tuple[str, ...], renamed: Mapping[str, str]) -> list[str]:
    # Dependencies rewritten by a rename are not a dependency change of their own.
    out = []
    for dep in deps:
        target = parse_dependency(dep).step
        out.append(renamed[target] + dep[len(target):] if target in renamed else dep)
    return out

"""Connecting by dragging: a rubber line from a card's output port to the step that should wait for it.

The line turns red over a step that cannot take the dependency (itself, one it already has, a cycle), so
the refusal is visible before the button is released; releasing there still asks the document, whose
message is what the user reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene

from engine.model.graph import StepGraph, parse_dependency
from studio.canvas.node import StepNode

__all__ = ["REFUSED_COLOUR", "LinkDrag", "StateChooser"]

REFUSED_COLOUR = "#dc3545"
# Asked for the qualifier when the dependency has custom states (or a modifier is held): the dependency's
# node and the screen position of the release; returns a state ("DONE" for a plain dependency) or None.
StateChooser = Callable[[StepNode, QPointF], str | None]


class LinkDrag:
    def __init__(self, scene: QGraphicsScene, source: StepNode, structure: Mapping[str, Sequence[str]]) -> None:
        self.scene, self.source = scene, source
        self.structure = structure
        self.graph = StepGraph(structure)
        self.target: StepNode | None = None
        self.line = QGraphicsPathItem()
        self.line.setZValue(10)
        self.line.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        scene.addItem(self.line)
        self.start = source.mapToScene(source.port_centre())
        self.move_to(self.start, None)

    @property
    def refused(self) -> bool:
        return self.target is not None and self.refusal(self.target) is not None

    def refusal(self, target: StepNode) -> str | None:
        """Why `target` cannot depend on the source, or None when it can."""
        source = self.source.name
        if target is self.source:
            return f"{source} cannot depend on itself"
        if any(parse_dependency(d).step == source for d in self.structure.get(target.name, ())):
            return f"{target.name} already depends on {source}"
        if self.graph.is_ancestor(target.name, of=source):
            return f"connecting {target.name} to {source} would create a cycle"
        return None

    def move_to(self, pos: QPointF, target: StepNode | None) -> None:
        if self.target is not None and self.target is not target:
            self.target.set_link_hint(None)
        self.target = target
        if target is not None:
            target.set_link_hint("refused" if self.refused else "ok")
        end = target.mapToScene(target.card().center().x(), 0) if target is not None and not self.refused else pos
        path = QPainterPath(self.start)
        bend = max(abs(end.y() - self.start.y()) / 2, 40.0)
        path.cubicTo(self.start + QPointF(0, bend), end - QPointF(0, bend), end)
        self.line.setPath(path)
        colour = QColor(REFUSED_COLOUR) if self.refused else self.scene.palette().color(QPalette.ColorRole.Highlight)
        pen = QPen(colour, 2)
        pen.setDashPattern([5, 3])
        self.line.setPen(pen)

    def connection(self, target: StepNode | None, asked: bool, screen_pos: QPointF,
                   chooser: StateChooser) -> tuple[str, str, str | None] | None:
        """(dependent, dependency, state or None for DONE) for a release over `target`; None when there is
        nothing to connect (no target, or the qualifier menu was dismissed). Refusals are the document's."""
        if target is None:
            return None
        state: str | None = None
        if self.source.custom_states or asked:
            state = chooser(self.source, screen_pos)
            if state is None:
                return None
        return target.name, self.source.name, None if state == "DONE" else state

    def finish(self) -> None:
        if self.target is not None:
            self.target.set_link_hint(None)
        self.scene.removeItem(self.line)

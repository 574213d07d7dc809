"""The scene: one node per step and one edge per dependency of a template, placed by the auto-layout.

A view of the template, never its owner: it is rebuilt from the model and changes nothing on its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QGraphicsScene

from engine.model.graph import parse_dependency
from engine.model.template import Template
from studio.canvas.edge import DependencyEdge
from studio.canvas.layout import Layout, compute_layout
from studio.canvas.node import StepNode

__all__ = ["TemplateScene"]

MARGIN = 48.0


class TemplateScene(QGraphicsScene):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: dict[str, StepNode] = {}
        self._edges: list[DependencyEdge] = []
        self.layout_result = Layout({})
        self.layout_seconds = 0.0

    @property
    def nodes(self) -> dict[str, StepNode]:
        return dict(self._nodes)

    @property
    def edges(self) -> list[DependencyEdge]:
        return list(self._edges)

    def show_template(self, template: Template | None) -> Layout:
        """Replace the scene's content with `template`'s steps, laid out top to bottom."""
        self.clear()
        self._nodes, self._edges = {}, []
        steps = template.steps if template is not None else {}
        for name, step in steps.items():
            self._nodes[name] = node = StepNode(name, step)
            self.addItem(node)
        links = list(_links(template))
        started = time.perf_counter()
        self.layout_result = compute_layout({name: node.size() for name, node in self._nodes.items()},
                                            [(source, target) for source, target, _ in links])
        self.layout_seconds = time.perf_counter() - started
        self._place_nodes()
        for source, target, states in links:
            self._add_edge(source, target, states)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        return self.layout_result

    def select_step(self, name: str) -> StepNode | None:
        """Make `name` the only selected step; returns its node (None when it isn't on the canvas)."""
        node = self._nodes.get(name)
        self.clearSelection()
        if node is not None:
            node.setSelected(True)
        return node

    def selected_step(self) -> str | None:
        selected = [item for item in self.selectedItems() if isinstance(item, StepNode)]
        return selected[0].name if selected else None

    def _place_nodes(self) -> None:
        for name, node in self._nodes.items():
            x, y = self.layout_result.positions[name]
            width, height = node.size()
            node.setPos(x - width / 2, y - height / 2)  # the layout gives centres, the card's origin is its corner

    def _add_edge(self, source: str, target: str, states: tuple[str, ...]) -> None:
        route = self.layout_result.routes.get((source, target))
        edge = DependencyEdge(self._nodes[source], self._nodes[target], states, route)
        self.addItem(edge)
        self._edges.append(edge)


def _links(template: Template | None) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(dependency, dependent, qualifying states) for every dependency on a step that exists."""
    if template is None:
        return
    for name, step in template.steps.items():
        for text in step.dependencies:
            dependency = parse_dependency(text)
            if dependency.step in template.steps:
                plain = dependency.states == ("DONE",)
                yield dependency.step, name, () if plain else dependency.states

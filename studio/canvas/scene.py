"""The scene: one card per step and one arrow per dependency of the session's document.

A view of the document, never its owner (architecture.md, example 1): it follows the session's signals
incrementally — a rename keeps its card and place, one new step adds one card — and turns gestures into
edits pushed on the session (studio/canvas/editing.py). While the YAML is broken it keeps the last good
graph (`stale`), and the view says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from engine.diagnostics import Diagnostic
from engine.model.graph import parse_dependency
from engine.model.template import Template
from studio.canvas.edge import DependencyEdge
from studio.canvas.editing import CanvasEditing
from studio.canvas.layout import Layout
from studio.canvas.link_drag import LinkDrag, StateChooser
from studio.canvas.menus import choose_qualifier
from studio.canvas.node import StepNode
from studio.canvas.placement import Links, auto_layout, dependency_links, free_spot
from studio.canvas.run_state import StepRunView
from studio.canvas.step_info import StepInfo, problems_by_step, step_infos
from studio.document import StructureChanged
from studio.session import DocumentSession

__all__ = ["TemplateScene"]

MARGIN = 48.0
PULSE_MS = 60


class TemplateScene(QGraphicsScene):
    stale_changed = Signal(bool)  # True while the YAML is broken and the last valid graph is shown
    notice = Signal(str)  # why a canvas gesture was refused (the view shows it over the canvas)
    focus_requested = Signal(object)  # QPointF: the view centres there (navigation to a problem)
    run_states_changed = Signal(bool)  # whether run states are painted (the view draws a legend)
    graph_changed = Signal()  # cards added, removed or moved (the minimap follows)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: dict[str, StepNode] = {}
        self._edges: dict[tuple[str, str], DependencyEdge] = {}
        self._auto: dict[str, tuple[float, float]] = {}  # where the layout put steps the sidecar doesn't place
        self.session: DocumentSession | None = None
        self.stale = False
        self.run_states: dict[str, StepRunView] | None = None
        self.layout_result = Layout({})
        self.layout_seconds = 0.0
        self.state_chooser: StateChooser | None = None  # None: a menu over the view (tests set their own)
        self.editing = CanvasEditing(self)
        self._sharing = False
        self._link: LinkDrag | None = None
        self._pressed: dict[str, QPointF] = {}
        self._pulse = QTimer(self, interval=PULSE_MS)
        self._pulse.timeout.connect(self._on_pulse)
        self.selectionChanged.connect(self._share_selection)

    # -- what is shown -------------------------------------------------------------------------------

    @property
    def nodes(self) -> dict[str, StepNode]:
        return dict(self._nodes)

    @property
    def edges(self) -> list[DependencyEdge]:
        return list(self._edges.values())

    def node(self, name: str) -> StepNode | None:
        return self._nodes.get(name)

    def edge(self, dependency: str, dependent: str) -> DependencyEdge | None:
        return self._edges.get((dependency, dependent))

    def node_at(self, pos: QPointF) -> StepNode | None:
        return next((item for item in self.items(pos) if isinstance(item, StepNode)), None)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange:  # a theme switch: cached card pixmaps are stale
            for item in self.items():
                item.update()
        return super().event(event)

    def set_session(self, session: DocumentSession | None) -> None:
        """Show `session`'s document and follow it (None: an empty canvas)."""
        if self.session is not None:
            for signal, slot in self._followed(self.session):
                signal.disconnect(slot)
        self.session = session
        if session is not None:
            for signal, slot in self._followed(session):
                signal.connect(slot)
        self.rebuild()

    def _followed(self, session: DocumentSession) -> list[tuple[Any, Callable[..., Any]]]:
        # Built when needed rather than kept: a list of our own bound methods would be a reference cycle.
        return [(session.structure_changed, self._on_structure_changed), (session.reparsed, self._on_reparsed),
                (session.positions_changed, self._on_positions_changed),
                (session.diagnostics_changed, self._on_diagnostics_changed),
                (session.selection_changed, self._on_selection_changed),
                (session.navigate_requested, self._on_navigate),
                (session.edit_refused, self.editing.remember_refusal)]

    def rebuild(self) -> Layout:
        """Everything again from the document: on attach (never for a single change)."""
        self._clear_graph()
        if self.session is None:
            self._set_stale(False)
            return self._finish_build()
        document = self.session.document
        self._set_stale(document.snapshot is None)
        structure = document.structure
        self._build(step_infos(self.session.document), dependency_links(structure), document.positions)
        self._apply_diagnostics(self.session.diagnostics)
        self._select(self.session.selection)
        return self.layout_result

    def show_template(self, template: Template | None) -> Layout:
        """Show a template without a session (read-only previews), laid out top to bottom."""
        self.set_session(None)
        steps = template.steps if template is not None else {}
        infos = {name: StepInfo.from_step(step) for name, step in steps.items()}
        self._build(infos, dependency_links({name: step.dependencies for name, step in steps.items()}), {})
        return self.layout_result

    def set_run_states(self, states: Mapping[str, StepRunView] | None) -> None:
        """Paint a run (µTask's state colours, tries, foreach progress); None goes back to editing colours."""
        self.run_states = dict(states) if states is not None else None
        for name, node in self._nodes.items():
            node.set_run_view(self.run_states.get(name) if self.run_states is not None else None)
        running = self.run_states is not None and any(v.state == "RUNNING" for v in self.run_states.values())
        if running != self._pulse.isActive():
            self._pulse.start() if running else self._pulse.stop()
        self.run_states_changed.emit(self.run_states is not None)

    # -- selection -----------------------------------------------------------------------------------

    def selected_steps(self) -> list[str]:
        return [item.name for item in self.selectedItems() if isinstance(item, StepNode)]

    def selected_step(self) -> str | None:
        selected = self.selected_steps()
        return selected[0] if selected else None

    def selected_edges(self) -> list[DependencyEdge]:
        return [item for item in self.selectedItems() if isinstance(item, DependencyEdge)]

    def select_step(self, name: str) -> StepNode | None:
        """Make `name` the only selected step; returns its node (None when it isn't on the canvas)."""
        self._select([name])
        return self._nodes.get(name)

    def select_steps(self, names: Iterable[str]) -> None:
        self._select(names)

    def _select(self, names: Iterable[str]) -> None:
        self.blockSignals(True)  # one selectionChanged for the whole change, not one per card
        try:
            self.clearSelection()
            for name in names:
                if name in self._nodes:
                    self._nodes[name].setSelected(True)
        finally:
            self.blockSignals(False)
        self.selectionChanged.emit()

    def _share_selection(self) -> None:
        if self.session is not None and not self._sharing:
            self.session.select(self.selected_steps(), origin=self)

    def _on_selection_changed(self, names: list[str], origin: object) -> None:
        if origin is self:
            return
        self._sharing = True
        try:
            self._select(names)
        finally:
            self._sharing = False

    def _on_navigate(self, diagnostic: Diagnostic) -> None:
        path = diagnostic.path
        if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], str) and path[1] in self._nodes:
            node = self.select_step(path[1])
            assert node is not None
            self.focus_requested.emit(node.centre())

    # -- following the document ----------------------------------------------------------------------

    def _on_structure_changed(self, change: StructureChanged) -> None:
        if not change.parsed:
            self._set_stale(True)
            return
        self._sync(change.renamed)

    def _on_reparsed(self, parsed: bool) -> None:
        self._set_stale(not parsed)
        if parsed:
            self._sync(())  # a no-op diff unless a broken spell ended on the structure it started with

    def _sync(self, renamed: Iterable[tuple[str, str]]) -> None:
        """Bring the cards and arrows in line with the document, touching only what changed."""
        assert self.session is not None
        self._set_stale(False)
        for old, new in renamed:
            self._rename_node(old, new)
        structure = self.session.document.structure
        infos = step_infos(self.session.document)
        for name in [name for name in self._nodes if name not in structure]:
            self._remove_node(name)
        added = [name for name in structure if name not in self._nodes]
        for name in added:
            self._add_node(name, infos[name], structure[name])
        for name, node in self._nodes.items():
            node.set_info(infos[name])
        self._sync_edges(dependency_links(structure))
        if added or renamed:
            self._apply_diagnostics(self.session.diagnostics)
        self._finish_build()

    def _sync_edges(self, links: Links) -> None:
        for key, edge in list(self._edges.items()):
            if links.get(key) != edge.states:
                self._remove_edge(key)
        for key, states in links.items():
            if key not in self._edges:
                self._add_edge(key, states, None)

    def _on_positions_changed(self, names: frozenset[str]) -> None:
        assert self.session is not None
        saved = self.session.document.positions
        for name in names:
            node = self._nodes.get(name)
            where = saved.get(name) or self._auto.get(name)
            if node is not None and where is not None and (node.pos().x(), node.pos().y()) != where:
                node.setPos(*where)
        self._finish_build()

    def _on_diagnostics_changed(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        if not self.stale:  # a broken text only has its syntax error: the last graph keeps its badges
            self._apply_diagnostics(diagnostics)

    def _apply_diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        """A badge on every card that a diagnostic points into; its tooltip lists the messages."""
        found = problems_by_step(diagnostics)
        for name, node in self._nodes.items():
            mine = found.get(name, [])
            severity = "error" if any(d.is_error for d in mine) else "warning" if mine else None
            node.set_problems(severity, [d.message for d in mine])

    def _set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self.stale_changed.emit(stale)

    # -- items ---------------------------------------------------------------------------------------

    def _clear_graph(self) -> None:
        self.cancel_gesture()
        self.clear()
        self._nodes, self._edges, self._auto = {}, {}, {}
        self.layout_result, self.layout_seconds = Layout({}), 0.0

    def _build(self, infos: Mapping[str, StepInfo], links: Links, saved: Mapping[str, tuple[float, float]]) -> None:
        """Cards at their saved places, or all auto-laid out (with the layout's routes) when none is saved."""
        for name, info in infos.items():
            self._nodes[name] = self._new_node(name, info)
        placed = [name for name in self._nodes if name in saved]
        routes = {}
        if not placed:
            started = time.perf_counter()
            self.layout_result, self._auto = auto_layout({n: node.size() for n, node in self._nodes.items()}, links)
            self.layout_seconds = time.perf_counter() - started
            routes = self.layout_result.routes
        for name in placed:
            self._nodes[name].setPos(*saved[name])
            self.addItem(self._nodes[name])
        for name, node in self._nodes.items():
            if name in self._auto:
                node.setPos(*self._auto[name])
                self.addItem(node)
            elif name not in saved:
                self._place_new(name, [a for a, b in links if b == name])
        for key, states in links.items():
            self._add_edge(key, states, routes.get(key))
        self._finish_build()

    def _new_node(self, name: str, info: StepInfo) -> StepNode:
        node = StepNode(name, info)
        if self.run_states is not None:
            node.set_run_view(self.run_states.get(name))
        return node

    def _add_node(self, name: str, info: StepInfo, dependencies: Iterable[str]) -> None:
        self._nodes[name] = self._new_node(name, info)
        assert self.session is not None
        saved = self.session.document.positions.get(name)
        if saved is not None:
            self._nodes[name].setPos(*saved)
            self.addItem(self._nodes[name])
        else:
            parents = (parse_dependency(text).step for text in dependencies)
            self._place_new(name, [parent for parent in parents if parent in self._nodes and parent != name])

    def _place_new(self, name: str, parents: list[str]) -> None:
        """A card the sidecar doesn't place: under its dependencies, on a free spot."""
        node = self._nodes[name]
        parent_rects = [self._nodes[p].sceneBoundingRect() for p in parents if self._nodes[p].scene() is self]
        spot = free_spot(node.size(), parent_rects, self._cards_rect(), self._occupied)
        node.setPos(spot)
        self._auto[name] = (spot.x(), spot.y())
        self.addItem(node)

    def _occupied(self, rect: QRectF) -> bool:
        return any(isinstance(item, StepNode) for item in self.items(rect))

    def _cards_rect(self) -> QRectF:
        rect = QRectF()
        for node in self._nodes.values():
            if node.scene() is self:
                rect = rect.united(node.sceneBoundingRect())
        return rect

    def _rename_node(self, old: str, new: str) -> None:
        node = self._nodes.pop(old, None)
        if node is None:
            return
        node.set_name(new)
        self._nodes[new] = node
        if old in self._auto:
            self._auto[new] = self._auto.pop(old)
        if self.run_states is not None and old in self.run_states:
            self.run_states[new] = self.run_states.pop(old)
        self._edges = {edge.key: edge for edge in self._edges.values()}  # keys follow the names

    def _remove_node(self, name: str) -> None:
        node = self._nodes.pop(name)
        self._auto.pop(name, None)
        for edge in list(node.edges):
            self._remove_edge(edge.key)
        self.removeItem(node)

    def _add_edge(self, key: tuple[str, str], states: tuple[str, ...], route: Any) -> None:
        edge = DependencyEdge(self._nodes[key[0]], self._nodes[key[1]], states, route)
        self.addItem(edge)
        self._edges[key] = edge

    def _remove_edge(self, key: tuple[str, str]) -> None:
        edge = self._edges.pop(key, None)
        if edge is not None:
            edge.detach()
            self.removeItem(edge)

    def _finish_build(self) -> Layout:
        self.setSceneRect(self.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        self.graph_changed.emit()
        return self.layout_result

    def _on_pulse(self) -> None:
        phase = (math.sin(time.monotonic() * 2 * math.pi / 1.4) + 1) / 2
        for node in self._nodes.values():
            if node.run_view is not None and node.run_view.state == "RUNNING":
                node.pulse = phase
                node.update()

    # -- gestures: moving cards, connecting from a port ----------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        node = self.node_at(event.scenePos())
        if (event.button() == Qt.MouseButton.LeftButton and node is not None and self.session is not None
                and node.port_hit(event.scenePos())):
            self._link = LinkDrag(self, node, self.session.document.structure)
            event.accept()
            return
        super().mousePressEvent(event)
        self._pressed = {name: self._nodes[name].pos() for name in self.selected_steps()}

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._link is not None:
            self._link.move_to(event.scenePos(), self.node_at(event.scenePos()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._link is not None:
            self._finish_link(event)
            return
        super().mouseReleaseEvent(event)
        moved = {name: (node.pos().x(), node.pos().y()) for name, start in self._pressed.items()
                 if (node := self._nodes.get(name)) is not None and node.pos() != start}
        self._pressed = {}
        if moved:
            self.editing.move_steps(moved)

    def _finish_link(self, event: QGraphicsSceneMouseEvent) -> None:
        link, self._link = self._link, None
        assert link is not None
        link.finish()
        asked = bool(event.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier))
        wanted = link.connection(self.node_at(event.scenePos()), asked, QPointF(event.screenPos()),
                                 self.state_chooser or self._qualifier_menu)
        if wanted is not None:
            self.editing.connect_steps(*wanted)

    def _qualifier_menu(self, node: StepNode, screen_pos: QPointF) -> str | None:
        views = self.views()
        return choose_qualifier(node, screen_pos, views[0] if views else None)

    def cancel_gesture(self) -> bool:
        """Drop a connection being dragged (Escape); False when there was none."""
        if self._link is None:
            return False
        self._link.finish()
        self._link = None
        return True

"""Automatic layout of a template's step graph: Graphviz `dot` when it can be used, else the built-in one.

Pure functions on names, sizes and edges (no Qt), so they are unit-tested on their own and can later move
off the UI thread or into a worker process unchanged.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from studio.canvas.geometry import Edge, Point, Route, Size
from studio.canvas.graphviz_layout import graphviz_layout
from studio.canvas.layered import layered_layout

__all__ = ["BUILTIN", "GRAPHVIZ", "GRAPHVIZ_MAX_NODES", "NODE_GAP", "RANK_GAP", "Layout", "compute_layout", "layout"]

GRAPHVIZ = "Graphviz dot"
BUILTIN = "built-in"
NODE_GAP = 36.0  # horizontal space between two steps of a rank
RANK_GAP = 52.0  # vertical space between ranks: room for an edge label
# dot's crossing minimisation grows much faster than linearly (3 s for 1,000 densely linked steps);
# beyond this the built-in layout keeps the window responsive until layout moves off the UI thread.
GRAPHVIZ_MAX_NODES = 500
# Set to "builtin" to skip Graphviz (tests, screenshots of the fallback, a Graphviz that misbehaves).
ENGINE_VARIABLE = "UTASK_STUDIO_LAYOUT"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything goes: node centres (y grows downwards), one Bézier route per edge, and who decided."""

    positions: dict[str, Point]
    routes: dict[Edge, Route] = field(default_factory=dict)
    engine: str = BUILTIN


def layout(nodes: Mapping[str, Size], edges: Iterable[Edge]) -> tuple[dict[str, Point], str]:
    """Node centres for `nodes` (name → width, height) and the edges between them, and the engine used."""
    result = compute_layout(nodes, edges)
    return result.positions, result.engine


def compute_layout(nodes: Mapping[str, Size], edges: Iterable[Edge], *, use_graphviz: bool | None = None) -> Layout:
    """Lay out the graph; edges to unknown nodes, self-loops and duplicates are ignored."""
    clean = _clean_edges(nodes, edges)
    if not nodes:
        return Layout({}, {}, BUILTIN)
    if _graphviz_allowed(len(nodes)) if use_graphviz is None else use_graphviz:
        try:
            return Layout(*graphviz_layout(nodes, clean, NODE_GAP, RANK_GAP), GRAPHVIZ)
        except ImportError:
            log.info("pygraphviz is not available: using the built-in layout")
        except Exception:  # a Graphviz failure must never stop the studio from showing the template
            log.exception("Graphviz layout failed: using the built-in layout")
    return Layout(*layered_layout(nodes, clean, NODE_GAP, RANK_GAP), BUILTIN)


def _clean_edges(nodes: Mapping[str, Size], edges: Iterable[Edge]) -> list[Edge]:
    return list(dict.fromkeys((a, b) for a, b in edges if a != b and a in nodes and b in nodes))


def _graphviz_allowed(count: int) -> bool:
    """Graphviz unless told otherwise or too big, never while Qt is loaded without its application (xcb crash)."""
    if count > GRAPHVIZ_MAX_NODES or os.environ.get(ENGINE_VARIABLE, "").lower() == "builtin":
        return False
    gui = sys.modules.get("PySide6.QtGui")
    return gui is None or gui.QGuiApplication.instance() is not None

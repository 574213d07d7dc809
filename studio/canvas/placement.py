"""Where the canvas puts things: the auto-layout of a whole graph, and a free spot for one new step.

Positions are the top-left corners of the cards in scene coordinates (what the sidecar stores).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QPointF, QRectF

from engine.model.graph import parse_dependency
from studio.canvas.layout import NODE_GAP, RANK_GAP, Layout, compute_layout

__all__ = ["Links", "auto_layout", "dependency_links", "free_spot"]

Links = dict[tuple[str, str], tuple[str, ...]]  # (dependency, dependent) → qualifying states, () for DONE
MAX_TRIES = 400  # a free spot is found long before this; the bound only guards against a pathological scene


def dependency_links(structure: Mapping[str, Iterable[str]]) -> Links:
    """One link per (dependency, dependent) pair on steps that exist; several qualifiers of one pair merge."""
    found: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for name, dependencies in structure.items():
        for text in dependencies:
            dependency = parse_dependency(text)
            if dependency.step in structure:
                found.setdefault((dependency.step, name), []).append(dependency.states)
    return {key: _merged(states) for key, states in found.items()}


def _merged(qualifiers: list[tuple[str, ...]]) -> tuple[str, ...]:
    if len(qualifiers) == 1:
        return () if qualifiers[0] == ("DONE",) else qualifiers[0]
    return tuple(dict.fromkeys(state for states in qualifiers for state in states))


def auto_layout(sizes: Mapping[str, tuple[float, float]],
                links: Links) -> tuple[Layout, dict[str, tuple[float, float]]]:
    """The layout of the whole graph and the top-left corner of every card."""
    result = compute_layout(sizes, list(links))
    corners = {name: (x - sizes[name][0] / 2, y - sizes[name][1] / 2) for name, (x, y) in result.positions.items()}
    return result, corners


def free_spot(size: tuple[float, float], parents: list[QRectF], content: QRectF,
              occupied: Callable[[QRectF], bool]) -> QPointF:
    """Below its dependencies (centred under them), or right of everything for a step without any; moved
    down, then right, until it overlaps no card."""
    width, height = size
    if parents:
        x = sum(rect.center().x() for rect in parents) / len(parents) - width / 2
        y = max(rect.bottom() for rect in parents) + RANK_GAP
    elif content.isValid() and not content.isEmpty():
        x, y = content.right() + NODE_GAP, content.top()
    else:
        x, y = 0.0, 0.0
    for attempt in range(MAX_TRIES):
        spot = QRectF(x, y, width, height).adjusted(-NODE_GAP / 3, -NODE_GAP / 3, NODE_GAP / 3, NODE_GAP / 3)
        if not occupied(spot):
            break
        y += height + RANK_GAP / 2
        if attempt % 8 == 7:  # a crowded column: try the next one
            x, y = x + width + NODE_GAP, y - 8 * (height + RANK_GAP / 2)
    return QPointF(x, y)

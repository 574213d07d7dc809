"""Layout through Graphviz `dot`, in process, via pygraphviz (its wheels bundle Graphviz).

pygraphviz is imported inside `graphviz_layout` on purpose: its wheel loads a private libxcb that makes
Qt's xcb platform plugin crash if it is loaded before the QApplication exists (design/packaging.md §2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from studio.canvas.geometry import Edge, Point, Route, Size

__all__ = ["graphviz_layout"]

POINTS_PER_INCH = 72.0  # Graphviz sizes are in inches, positions in points: we draw 1 point = 1 pixel


def graphviz_layout(sizes: Mapping[str, Size], edges: Sequence[Edge], node_gap: float,
                    rank_gap: float) -> tuple[dict[str, Point], dict[Edge, Route]]:
    """Node centres and edge routes (y downwards); raises ImportError when pygraphviz is missing."""
    import pygraphviz  # noqa: PLC0415 - lazy on purpose, see the module docstring

    graph = pygraphviz.AGraph(directed=True, strict=False)
    graph.graph_attr.update(rankdir="TB", splines="spline", nodesep=_inches(node_gap), ranksep=_inches(rank_gap))
    # No labels: Graphviz then never measures text, so its bundled fontconfig stays quiet.
    graph.node_attr.update(shape="box", fixedsize="true", label="")
    for name, (width, height) in sizes.items():
        graph.add_node(name, width=_inches(width), height=_inches(height))
    for tail, head in edges:
        graph.add_edge(tail, head)
    graph.layout(prog="dot")
    top = float(str(graph.graph_attr["bb"]).split(",")[3])
    positions = {name: _point(graph.get_node(name).attr["pos"], top) for name in sizes}
    routes = {(tail, head): _route(graph.get_edge(tail, head).attr["pos"], top) for tail, head in edges}
    return positions, routes


def _inches(pixels: float) -> str:
    return f"{pixels / POINTS_PER_INCH:.4f}"


def _point(text: str, top: float) -> Point:
    x, y = text.split(",")[:2]
    return float(x), top - float(y)  # Graphviz's y axis points up


def _route(text: str, top: float) -> Route:
    """Parse `[s,x,y ][e,x,y ]p0 p1 … p3n`: the spline, extended straight to the arrow tip Graphviz left out."""
    start = end = None
    points: list[Point] = []
    for token in text.split(";")[0].split():
        if token.startswith(("s,", "e,")):
            if token[0] == "s":
                start = _point(token[2:], top)
            else:
                end = _point(token[2:], top)
        else:
            points.append(_point(token, top))
    if start is not None:
        points = [start, *_line(start, points[0]), *points[1:]]
    if end is not None:
        points += _line(points[-1], end)
    return points


def _line(start: Point, end: Point) -> Route:
    """A straight Bézier segment (controls at thirds, so its direction at the end is well defined)."""
    (x0, y0), (x1, y1) = start, end
    return [(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3), (x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3), end]

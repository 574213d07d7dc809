"""Plain geometry shared by the layout engines and the scene: no Qt, so layouts stay unit-testable."""

from __future__ import annotations

__all__ = ["Edge", "Point", "Route", "Size", "smooth_route"]

Point = tuple[float, float]
Size = tuple[float, float]  # width, height
Edge = tuple[str, str]  # (dependency, dependent): the arrow points at the step that waits
# A piecewise cubic Bézier: a start point, then three points (two controls and an end) per segment.
Route = list[Point]


def smooth_route(points: list[Point]) -> Route:
    """A Bézier route through `points` that leaves and enters every point vertically (top-to-bottom look)."""
    route: Route = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        bend = (y1 - y0) / 2
        route += [(x0, y0 + bend), (x1, y1 - bend), (x1, y1)]
    return route

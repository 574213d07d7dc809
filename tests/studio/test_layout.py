"""The auto-layout, without Qt: every node placed, no overlap, dependencies above dependents, cycles survive."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Mapping

import pytest
from studio_support import SAMPLES

from engine.model.graph import StepGraph, parse_dependency
from engine.validate import validate_file
from studio.canvas.geometry import Edge, Point, Size
from studio.canvas.layout import BUILTIN, GRAPHVIZ, compute_layout, layout

try:
    import pygraphviz  # noqa: F401 - only to know whether the Graphviz engine can be tested

    HAVE_GRAPHVIZ = True
except ImportError:
    HAVE_GRAPHVIZ = False

ENGINES = [pytest.param(False, id="built-in"),
           pytest.param(True, id="graphviz", marks=pytest.mark.skipif(not HAVE_GRAPHVIZ, reason="no pygraphviz"))]


def sample_graph(path: object) -> tuple[dict[str, Size], list[Edge]]:
    template = validate_file(path).template  # type: ignore[arg-type]
    assert template is not None
    sizes = {name: (232.0, 64.0) for name in template.steps}
    edges = [(parse_dependency(d).step, name) for name, step in template.steps.items() for d in step.dependencies]
    return sizes, edges


def generated_graph(count: int, seed: int = 7, reach: int = 20) -> tuple[dict[str, Size], list[Edge]]:
    """A template-like DAG: each step depends on one to three of the `reach` steps before it."""
    rng = random.Random(seed)
    sizes = {f"step{i}": (rng.choice((180.0, 232.0, 300.0)), rng.choice((64.0, 80.0))) for i in range(count)}
    edges = [(f"step{j}", f"step{i}") for i in range(1, count)
             for j in rng.sample(range(max(0, i - reach), i), min(i, rng.randint(1, 3)))]
    return sizes, edges


def assert_no_overlap(sizes: Mapping[str, Size], positions: Mapping[str, Point]) -> None:
    rects = sorted((x - sizes[n][0] / 2, y - sizes[n][1] / 2, x + sizes[n][0] / 2, y + sizes[n][1] / 2, n)
                   for n, (x, y) in positions.items())
    # Sweep on x: only rectangles whose x ranges meet can overlap.
    for index, (_, top, right, bottom, name) in enumerate(rects):
        for other_left, other_top, _, other_bottom, other in rects[index + 1:]:
            if other_left >= right - 0.5:
                break
            assert other_top >= bottom - 0.5 or other_bottom <= top + 0.5, f"{name} overlaps {other}"


def assert_ranks_follow_edges(sizes: Mapping[str, Size], positions: Mapping[str, Point], edges: list[Edge]) -> None:
    graph = StepGraph({name: [a for a, b in edges if b == name] for name in sizes})
    cyclic = {name for group in graph.cycles() for name in group}
    for source, target in edges:
        if source not in cyclic or target not in cyclic:
            assert positions[source][1] + sizes[source][1] / 2 < positions[target][1] - sizes[target][1] / 2, \
                f"{source} is not above {target}"


@pytest.mark.parametrize("use_graphviz", ENGINES)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_samples_are_laid_out_without_overlap_and_top_down(sample: object, use_graphviz: bool) -> None:
    sizes, edges = sample_graph(sample)
    result = compute_layout(sizes, edges, use_graphviz=use_graphviz)
    assert result.engine == (GRAPHVIZ if use_graphviz else BUILTIN)
    assert set(result.positions) == set(sizes)
    assert_no_overlap(sizes, result.positions)
    assert_ranks_follow_edges(sizes, result.positions, edges)


@pytest.mark.parametrize("use_graphviz", ENGINES)
def test_generated_graph_with_mixed_sizes(use_graphviz: bool) -> None:
    sizes, edges = generated_graph(150)
    result = compute_layout(sizes, edges, use_graphviz=use_graphviz)
    assert_no_overlap(sizes, result.positions)
    assert_ranks_follow_edges(sizes, result.positions, edges)


@pytest.mark.parametrize("use_graphviz", ENGINES)
def test_cycles_and_self_loops_are_handled(use_graphviz: bool) -> None:
    sizes = {name: (120.0, 40.0) for name in "abcdef"}
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d"), ("e", "f"), ("f", "e"), ("a", "zz")]
    result = compute_layout(sizes, edges, use_graphviz=use_graphviz)
    assert set(result.positions) == set(sizes)
    assert_no_overlap(sizes, result.positions)
    assert ("d", "d") not in result.routes and ("a", "zz") not in result.routes
    assert {("a", "b"), ("b", "c"), ("c", "a"), ("e", "f"), ("f", "e")} <= set(result.routes)


@pytest.mark.parametrize("use_graphviz", ENGINES)
def test_routes_are_bezier_chains_joining_the_two_steps(use_graphviz: bool) -> None:
    sizes, edges = generated_graph(40)
    result = compute_layout(sizes, edges, use_graphviz=use_graphviz)
    for (source, target), route in result.routes.items():
        assert len(route) % 3 == 1 and len(route) >= 4
        assert on_border(route[0], result.positions[source], sizes[source]), f"{source}→{target} starts off its card"
        assert on_border(route[-1], result.positions[target], sizes[target]), f"{source}→{target} ends off its card"


def on_border(point: Point, centre: Point, size: Size, tolerance: float = 2.0) -> bool:
    dx, dy = abs(point[0] - centre[0]), abs(point[1] - centre[1])
    half_width, half_height = size[0] / 2, size[1] / 2
    inside_outer = dx <= half_width + tolerance and dy <= half_height + tolerance
    return inside_outer and (dx >= half_width - tolerance or dy >= half_height - tolerance)


def test_builtin_handles_a_thousand_steps_quickly() -> None:
    sizes, edges = generated_graph(1000)
    started = time.perf_counter()
    result = compute_layout(sizes, edges, use_graphviz=False)
    assert time.perf_counter() - started < 5  # typically ~0.1 s; a generous bound against quadratic regressions
    assert_no_overlap(sizes, result.positions)
    assert_ranks_follow_edges(sizes, result.positions, edges)


def test_a_long_chain_is_one_straight_column() -> None:
    sizes = {f"s{i}": (100.0, 40.0) for i in range(5000)}
    chain = [(f"s{i}", f"s{i + 1}") for i in range(4999)]
    positions = compute_layout(sizes, chain, use_graphviz=False).positions
    assert len({x for x, _ in positions.values()}) == 1
    # Closing the loop makes the DFS as deep as the chain: it must not be recursive.
    looped = compute_layout(sizes, [*chain, ("s4999", "s0")], use_graphviz=False)
    assert len(looped.positions) == 5000 and ("s4999", "s0") in looped.routes


def test_layout_function_and_empty_graph() -> None:
    positions, engine = layout({"only": (100.0, 40.0)}, [])
    assert list(positions) == ["only"] and engine in (BUILTIN, GRAPHVIZ)
    assert layout({}, []) == ({}, BUILTIN)


def test_environment_variable_forces_the_builtin_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UTASK_STUDIO_LAYOUT", "builtin")
    assert layout({"a": (10.0, 10.0), "b": (10.0, 10.0)}, [("a", "b")])[1] == BUILTIN


def test_graphviz_is_not_loaded_while_qt_has_no_application() -> None:
    """Loading pygraphviz before the QApplication crashes Qt on xcb: the layout must refuse it then."""
    code = ("import sys, PySide6.QtGui\n"
            "from studio.canvas.layout import layout\n"
            "print(layout({'a': (10.0, 10.0)}, [])[1], 'pygraphviz' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [BUILTIN.split()[0], "False"]

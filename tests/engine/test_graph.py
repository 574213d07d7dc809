"""The dependency graph: qualifiers, ancestry (with its topological pruning) and cycles."""

from __future__ import annotations

import random

from engine.model.graph import StepGraph, parse_dependency


def test_dependency_qualifiers_are_split_like_utask() -> None:
    assert parse_dependency("a").states == ("DONE",)
    assert parse_dependency("a:ANY").is_any
    assert parse_dependency("a:X, Y").states == ("X", " Y")  # not trimmed
    assert parse_dependency("a:").states == ("",)
    assert parse_dependency("a:b:c").step == "a" and parse_dependency("a:b:c").states == ("b:c",)


def test_is_ancestor_matches_full_reachability_on_random_dags() -> None:
    rng = random.Random(7)
    for _ in range(30):
        names = [f"s{i}" for i in range(25)]
        deps = {name: [names[j] + rng.choice(["", ":ANY"]) for j in range(i) if rng.random() < 0.12]
                for i, name in enumerate(names)}
        graph = StepGraph(deps)
        for a in names:
            ancestors = graph.ancestors(a)
            for b in names:
                assert graph.is_ancestor(b, of=a) == (b in ancestors)


def test_is_ancestor_in_cyclic_graph() -> None:
    graph = StepGraph({"a": ["c"], "b": ["a"], "c": ["b"], "d": ["a"]})
    assert graph.is_ancestor("c", of="d") and graph.is_ancestor("a", of="a")
    assert not graph.is_ancestor("d", of="a")


def test_long_chain_has_no_recursion_problem() -> None:
    deps = {f"s{i}": [f"s{i - 1}"] if i else [] for i in range(20000)}
    graph = StepGraph(deps)
    assert graph.cycles() == []
    assert graph.is_ancestor("s0", of="s19999")
    assert graph.topological_order()[0] == "s0"


def test_cycles_include_self_dependencies() -> None:
    graph = StepGraph({"a": ["a"], "b": ["c"], "c": ["b"], "d": []})
    assert sorted(sorted(group) for group in graph.cycles()) == [["a"], ["b", "c"]]

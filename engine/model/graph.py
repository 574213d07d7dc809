"""The dependency graph of a template's steps: qualifiers, ancestry and cycles, all in linear time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Dependency", "StepGraph", "parse_dependency"]


@dataclass(frozen=True, slots=True)
class Dependency:
    """`step`, `step:STATE` or `step:S1,S2`; states are DONE when none is given."""

    step: str
    states: tuple[str, ...]
    explicit: bool  # a `:` was written

    @property
    def is_any(self) -> bool:
        return bool(self.states) and self.states[0] == "ANY"


def parse_dependency(text: str) -> Dependency:
    """Split at the first `:`; states are split on `,` without trimming, exactly like µTask."""
    name, colon, states = text.partition(":")
    if not colon:
        return Dependency(name, ("DONE",), False)
    return Dependency(name, tuple(states.split(",")), True)


class StepGraph:
    """Steps and their dependencies (edges from a step to what it depends on)."""

    def __init__(self, dependencies: Mapping[str, Iterable[str]]) -> None:
        self.parents: dict[str, list[str]] = {}
        self.children: dict[str, list[str]] = {name: [] for name in dependencies}
        self._rank: dict[str, int] | None = None
        self._cyclic = False
        for name, deps in dependencies.items():
            targets = [parse_dependency(dep).step for dep in deps]
            self.parents[name] = [t for t in targets if t in self.children]
            for target in self.parents[name]:
                self.children[target].append(name)

    def ancestors(self, name: str) -> set[str]:
        """Every step `name` depends on, directly or not."""
        return _reach(name, self.parents)

    def is_ancestor(self, candidate: str, of: str) -> bool:
        """Whether `of` depends on `candidate`, directly or not.

        Searches upwards from `of`, skipping steps that come before `candidate` in topological order (they
        cannot lead to it), so the usual question — is my parent's parent upstream of me? — costs a few
        steps even in a 10,000-step chain.
        """
        rank = self._ranks()
        floor = rank.get(candidate, -1) if not self._cyclic else -1
        seen: set[str] = set()
        stack = list(self.parents.get(of, ()))
        while stack:
            node = stack.pop()
            if node == candidate:
                return True
            if node not in seen and rank.get(node, 0) > floor:
                seen.add(node)
                stack.extend(self.parents.get(node, ()))
        return False

    def _ranks(self) -> dict[str, int]:
        if self._rank is None:
            order = self.topological_order()
            self._rank = {name: index for index, name in enumerate(order)}
            self._cyclic = bool(self.cycles())
        return self._rank

    def descendants(self, name: str) -> set[str]:
        """Every step that depends on `name`, directly or not."""
        return _reach(name, self.children)

    def cycles(self) -> list[list[str]]:
        """Strongly connected groups that form a cycle (including a step depending on itself)."""
        return [group for group in _strongly_connected(self.parents)
                if len(group) > 1 or group[0] in self.parents[group[0]]]

    def topological_order(self) -> list[str]:
        """Steps with every dependency before its dependents; steps in cycles come last."""
        remaining = {name: len(set(parents)) for name, parents in self.parents.items()}
        ready = [name for name, count in remaining.items() if count == 0]
        order: list[str] = []
        while ready:
            name = ready.pop()
            order.append(name)
            for child in set(self.children[name]):
                remaining[child] -= 1
                if remaining[child] == 0:
                    ready.append(child)
        placed = set(order)
        return order + [name for name in self.parents if name not in placed]


def _reach(start: str, edges: Mapping[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(edges.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return seen


def _strongly_connected(edges: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (a 10,000-step chain must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges.get(node, [])
            if child_index < len(successors):
                work.append((node, child_index + 1))
                child = successors[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups

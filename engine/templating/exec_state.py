"""Run-time state shared by the compiled closures, and Go-formatted execution errors.

Compiled templates are trees of closures taking ``(state, dot)``. `State` holds what Go's exec.state
holds: the output buffer, the variable frame of the template being executed, the render's function
context and the template call depth. Variables live in numbered slots resolved at compile time.

Errors are located statically: each closure that can fail knows, when it is compiled, which node Go's
``state.at`` would be pointing at when that failure happens (`Site`). The message is only formatted
when an error actually occurs.
"""

from __future__ import annotations

from typing import Any

from engine.templating.budget import DEFAULT_BUDGET, Budget, Meter
from engine.templating.errors import TemplateError, char_column, go_location
from engine.templating.literals import go_quote
from engine.templating.nodes import Node

__all__ = [
    "MISSING",
    "NO_SLOTS",
    "UNSET",
    "BreakLoop",
    "ContinueLoop",
    "Site",
    "Source",
    "State",
    "exec_failure",
]


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


MISSING: Any = _Sentinel("MISSING")  # no piped value (Go's missingVal)
UNSET: Any = _Sentinel("UNSET")  # a variable slot whose declaration has not run (or went out of scope)


NO_SLOTS: frozenset[int] = frozenset()


class BreakLoop(Exception):
    """{{break}}: ends the innermost range."""


class ContinueLoop(Exception):
    """{{continue}}: next iteration of the innermost range."""


class State:
    """One execution: output parts, the current variable frame, the function context, depth, budget."""

    __slots__ = ("out", "vars", "ctx", "depth", "dot_iface", "iface_slots", "budget", "credit", "meter")

    def __init__(self, ctx: Any, frame: list[Any], budget: Budget = DEFAULT_BUDGET) -> None:
        self.out: list[str] = []
        self.vars = frame
        self.ctx = ctx
        self.depth = 0
        # True while `.` came out of a range over []interface{} / map[string]interface{}: its static Go
        # type is then `interface {}`, which is what field errors name.
        self.dot_iface = False
        # Variable slots holding range elements of such containers (same reason); a set once needed.
        self.iface_slots: set[int] | frozenset[int] = NO_SLOTS
        # Steps (range iterations, template calls) that may run before the next budget checkpoint, and
        # what was spent so far, from the first checkpoint on (see `budget`).
        self.budget = budget
        self.credit = budget.initial_credit
        self.meter: Meter | None = None


class Source:
    """The template text and parse name every error location refers to."""

    __slots__ = ("text", "parse_name")

    def __init__(self, text: str, parse_name: str) -> None:
        self.text = text
        self.parse_name = parse_name


class Site:
    """Where an execution error is reported: Go's node (``s.node``) and the executing template's name."""

    __slots__ = ("node", "template", "source")

    def __init__(self, node: Node | None, template: str, source: Source) -> None:
        self.node = node
        self.template = template
        self.source = source

    def error(self, detail: str) -> TemplateError:
        """``template: tmpl:L:C: executing "name" at <node>: detail`` (or without a node)."""
        name = self.template
        if self.node is None:
            return TemplateError(f"template: {name}: {detail}", kind="exec", line=None)
        text = self.source.text
        line, column = go_location(text, self.node.pos)
        message = (
            f"template: {self.source.parse_name}:{line}:{column}: executing {go_quote(name)} "
            f"at <{self.node}>: {detail}"
        )
        return TemplateError(
            message, kind="exec", line=line, column=char_column(text, self.node.pos), offset=self.node.pos
        )


def exec_failure(site: Site, detail: str) -> TemplateError:
    """Shorthand used by closures: the error to raise at `site`."""
    return site.error(detail)

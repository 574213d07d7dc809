"""The execution budget of one template evaluation: wall-clock time, steps and output size.

Go's text/template runs as long as the template asks: `{{range 10000000000}}x{{end}}` or a few nested
ranges would freeze the studio and the engine, and their output would exhaust memory. Each evaluation
therefore gets a `Budget`; going over it raises the ordinary execution `TemplateError` at the range or
`template` call that asked for more (``... executing "tmpl" at <10000000000>: evaluation exceeded the
10000000-step budget``), or without a node for output found too large at the end.

Cost model. Straight-line code runs each node once, so only what repeats is metered: a range iteration
or a `template` call is one *step*. Steps are drawn from a credit kept in `State.credit` (a subtraction
per batch of range iterations, per template call); only when the credit is spent does `checkpoint` read
the clock, count the output written since the previous checkpoint and grant the next credit. The first
`INITIAL_CREDIT` steps run unchecked, so that the small loops of everyday values cost nothing; then the
credit grows fourfold up to `MAX_CREDIT`, but shrinks whenever the pace just measured (seconds or
characters per step) would carry the next checkpoint past `CHECK_INTERVAL` seconds or past a sixteenth
of the output budget: a loop whose every iteration is slow or writes megabytes is then checked every
iteration. The clock starts when a range too long for the initial credit starts (`start_clock`), or else
at the first checkpoint (a template call's): the deadline can be overshot by what runs before, that is
straight-line code (bounded by the template's size) and up to 2 × `INITIAL_CREDIT` steps.

The output is counted in characters (`len` of the parts), the unit the rest of the engine's 64 MiB
allocation limits use.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.templating.errors import TemplateError

if TYPE_CHECKING:
    from engine.templating.exec_state import Site, State

__all__ = ["CHECK_INTERVAL", "DEFAULT_BUDGET", "INITIAL_CREDIT", "MAX_CREDIT", "SMALL_OUTPUT_PARTS", "Budget",
           "Meter", "checkpoint", "draw", "output_exceeded", "start_clock"]

INITIAL_CREDIT = 16  # steps before the first checkpoint (creating the meter costs about 10 steps)
MAX_CREDIT = 1024  # steps between two checkpoints at most: a checkpoint costs about as much as a step
CHECK_INTERVAL = 0.05  # seconds between two checkpoints at most, at the pace last measured
# Outputs of at most this many parts are joined before their size is checked: a few parts can only come
# from straight-line code, each part being existing data or a function result (themselves size-capped).
SMALL_OUTPUT_PARTS = 8


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits of one evaluation; the engine's default suits interactive use and µTask's values alike."""

    seconds: float = 10.0  # wall clock, from the first checkpoint
    steps: int = 10_000_000  # range iterations plus template calls
    output: int = 64 << 20  # characters of the rendered text
    initial_credit: int = field(init=False, repr=False, compare=False)  # min(INITIAL_CREDIT, steps)

    def __post_init__(self) -> None:
        if not (self.seconds > 0 and self.steps > 0 and self.output > 0):
            raise ValueError(f"every limit of a template budget must be positive: {self}")
        object.__setattr__(self, "initial_credit", min(INITIAL_CREDIT, self.steps))  # frozen: set once


DEFAULT_BUDGET = Budget()


class Meter:
    """The budget spent so far by one evaluation (created at its first checkpoint)."""

    __slots__ = ("budget", "deadline", "steps_left", "counted", "size", "period", "period_start", "period_size")

    def __init__(self, budget: Budget, now: float, *, timed: bool = False) -> None:
        self.budget = budget
        self.deadline = now + budget.seconds
        self.steps_left = budget.steps - budget.initial_credit  # not yet granted as credit
        self.counted = 0  # output parts already added to `size`
        self.size = 0
        self.period = budget.initial_credit  # steps granted at the previous checkpoint
        # When it was granted: unknown for the initial credit, unless the clock started at a loop's start.
        self.period_start: float | None = now if timed else None
        self.period_size = 0

    def count_output(self, out: list[str]) -> int:
        """Characters written so far; each part is measured once."""
        if len(out) > self.counted:
            self.size += sum(map(len, out[self.counted:]))
            self.counted = len(out)
        return self.size

    def next_credit(self, now: float) -> int:
        """Steps until the next checkpoint: 4× the last period, unless its pace says that is too long.

        (Comparisons rather than min/max: this runs at every checkpoint, and builtin calls dominate it.)"""
        period = self.period
        if self.period_start is None:  # no pace yet: as many steps again, timed this time
            credit = period
        else:
            credit = 4 * period if period < MAX_CREDIT // 4 else MAX_CREDIT
            elapsed = now - self.period_start
            if elapsed * credit > CHECK_INTERVAL * period:  # at this pace, `credit` steps take too long
                credit = int(period * CHECK_INTERVAL / elapsed)
        grown = self.size - self.period_size
        if grown * credit > period * (self.budget.output >> 4):  # ... or write over 1/16 of the budget
            credit = period * (self.budget.output >> 4) // grown
        if credit > self.steps_left:
            credit = self.steps_left
        if credit < 1:
            credit = 1
        self.steps_left -= credit
        self.period, self.period_start, self.period_size = credit, now, self.size
        return credit


def start_clock(st: State) -> None:
    """Time the steps from here on (a range that will outlast the initial credit is starting)."""
    if st.meter is None:
        st.meter = Meter(st.budget, time.monotonic(), timed=True)


def draw(st: State, wanted: int, site: Site) -> int:
    """Take up to `wanted` (≥ 1) steps from the credit: how many the caller may run before asking again."""
    credit = st.credit
    if credit >= wanted:
        st.credit = credit - wanted
        return wanted
    if credit > 0:
        st.credit = 0
        return credit
    return checkpoint(st, wanted, site)


def checkpoint(st: State, wanted: int, site: Site) -> int:
    """The credit is spent: check the limits (raising at `site`), then grant the next credit."""
    now = time.monotonic()
    meter = st.meter
    if meter is None:
        meter = st.meter = Meter(st.budget, now)
    budget = meter.budget
    if now > meter.deadline:
        raise site.error(f"evaluation exceeded the {budget.seconds:g}s time budget")
    if meter.count_output(st.out) > budget.output:
        raise site.error(_output_detail(budget))
    if meter.steps_left <= 0:
        raise site.error(f"evaluation exceeded the {budget.steps}-step budget (range iterations and template calls)")
    credit = meter.next_credit(now)
    granted = min(credit, wanted)
    st.credit = credit - granted
    return granted


def output_exceeded(budget: Budget, template: str) -> TemplateError:
    """The error for an output found too large once rendered (no node is to blame)."""
    return TemplateError(f"template: {template}: {_output_detail(budget)}", kind="exec", line=None)


def _output_detail(budget: Budget) -> str:
    return f"evaluation exceeded the {budget.output}-character output budget"

"""What the canvas shows of a run for one step: its state and, for a foreach parent, its children's
progress. The run panel builds these from the engine's resolution; the canvas only paints them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CUSTOM_STATE_RUN_COLOUR", "FAILED_COLOUR", "LEGEND_STATES", "StepRunView", "run_colour"]


@dataclass(frozen=True, slots=True)
class StepRunView:
    state: str  # µTask's step state (TODO, RUNNING, DONE, PRUNE, SERVER_ERROR…) or a custom state
    tries: int = 0
    children_total: int = 0  # foreach parents: how many children, how many ended, how many failed
    children_done: int = 0
    children_failed: int = 0
    dry_run: bool = False  # the action had side effects and was not performed (dry run)
    error: str = ""


# µTask's colours (spec/utask-dashboard.md §4): the badge blue for RUNNING, reds for every error.
_RUN_COLOURS = {
    "DONE": "#28a745",
    "RUNNING": "#007bff",
    "EXPANDED": "#007bff",
    "TODO": "#8a8a8a",
    "WAITING": "#8a2be2",
    "TO_RETRY": "#ff9803",
    "RETRY_NOW": "#ff9803",
    "CLIENT_ERROR": "#dc3545",
    "SERVER_ERROR": "#dc3545",
    "FATAL_ERROR": "#dc3545",
    "CRASHED": "#dc3545",
    "AFTERRUN_ERROR": "#dc3545",
    "PRUNE": "#adb5bd",
}
CUSTOM_STATE_RUN_COLOUR = "#e08600"
FAILED_COLOUR = "#dc3545"
# The legend's entries, in the order a run goes through them.
LEGEND_STATES = ("TODO", "RUNNING", "WAITING", "DONE", "TO_RETRY", "SERVER_ERROR", "PRUNE")


def run_colour(state: str) -> str:
    """The colour of a step state on the canvas (custom states share µTask's "other" orange)."""
    return _RUN_COLOURS.get(state, CUSTOM_STATE_RUN_COLOUR)

"""µTask's step-state classification (spec §6.2)."""

from __future__ import annotations

import pytest

from engine.model.states import ResolutionState, is_final, is_retriable, is_runnable, resolution_flag

TABLE = {  # state: (runnable, final, retriable, resolution flag)
    "TODO": (True, False, False, ResolutionState.BLOCKED_DEADLOCK),
    "RUNNING": (False, False, False, ResolutionState.CRASHED),
    "DONE": (False, True, False, None),
    "CLIENT_ERROR": (True, False, False, ResolutionState.BLOCKED_BADREQUEST),
    "SERVER_ERROR": (True, False, True, ResolutionState.ERROR),
    "FATAL_ERROR": (True, False, False, ResolutionState.BLOCKED_FATAL),
    "CRASHED": (True, False, False, None),
    "PRUNE": (False, True, False, None),
    "TO_RETRY": (True, False, True, ResolutionState.ERROR),
    "RETRY_NOW": (True, False, False, None),
    "AFTERRUN_ERROR": (True, False, True, ResolutionState.ERROR),
    "EXPANDED": (True, False, False, None),
    "WAITING": (True, False, False, ResolutionState.WAITING),
    "MY_CUSTOM_STATE": (False, True, False, None),
}


@pytest.mark.parametrize("state", sorted(TABLE))
def test_classification_matches_the_spec(state: str) -> None:
    runnable, final, retriable, flag = TABLE[state]
    assert (is_runnable(state), is_final(state), is_retriable(state), resolution_flag(state)) == (
        runnable, final, retriable, flag)

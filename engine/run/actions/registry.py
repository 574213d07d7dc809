"""The builtin action plugins by µTask action type.

Instances are built with defaults (scripts folder from env `SCRIPTS` or `./scripts` for load-time checks,
no notification backends, no configuration store for apiovh, the process-wide cache store); an engine that
knows better replaces an entry, e.g. `BUILTIN_ACTIONS["notify"] = NotifyAction(backends_from_config(cfg))`.
"""

from __future__ import annotations

from engine.run.actions.apiovh import ApiOvhAction
from engine.run.actions.base import Action
from engine.run.actions.batch import BatchAction
from engine.run.actions.cache import CacheAction
from engine.run.actions.callback import CallbackAction
from engine.run.actions.echo import EchoAction
from engine.run.actions.email import EmailAction
from engine.run.actions.http import HttpAction
from engine.run.actions.notify import NotifyAction
from engine.run.actions.ping import PingAction
from engine.run.actions.script import ScriptAction
from engine.run.actions.ssh import SshAction
from engine.run.actions.subtask import SubtaskAction
from engine.run.actions.tag import TagAction

__all__ = ["BUILTIN_ACTIONS", "get_action"]


def _builtin() -> dict[str, Action]:
    actions: list[Action] = [
        EchoAction(), HttpAction(), ScriptAction(), SshAction(), SubtaskAction(), BatchAction(), CallbackAction(),
        NotifyAction(), EmailAction(), PingAction(), TagAction(), CacheAction(), ApiOvhAction(),
    ]
    return {action.name: action for action in actions}


BUILTIN_ACTIONS: dict[str, Action] = _builtin()


def get_action(name: str) -> Action:
    """The builtin plugin for an action type; KeyError for an unknown type."""
    try:
        return BUILTIN_ACTIONS[name]
    except KeyError:
        raise KeyError(f"unknown action type {name!r}") from None

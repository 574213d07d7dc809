"""The contract between the engine and an action plugin (spec: utask-plugins.md §0).

The engine renders the step's configuration (base configuration first, then the step's on top, every
string leaf templated), asks the plugin for the resources to hold, then calls `execute`. A plugin
returns an `ActionResult` or raises one of the `ActionError` classes; the class decides the step state:

| raised                  | µTask's error class | step state    |
|-------------------------|---------------------|---------------|
| `ClientError`           | BadRequest          | CLIENT_ERROR  |
| `Waiting`               | NotAssigned         | WAITING       |
| `RetryLater`            | NotProvisioned      | TO_RETRY      |
| `ActionError` (or any)  | any other error     | SERVER_ERROR  |

Output and metadata travel on the exception too, because µTask keeps them even when a plugin fails.

Dry run: a plugin whose `side_effects` is true is never executed in a dry run; the engine calls
`describe` instead and records what would have been sent (rendered URL, method, headers, body,
command…), taking the step's output from a fixture when one is given.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

__all__ = [
    "Action",
    "ActionError",
    "ActionRequest",
    "ActionResult",
    "ClientError",
    "ConfigError",
    "EngineServices",
    "RetryLater",
    "Waiting",
]


@dataclass(slots=True)
class ActionResult:
    output: Any = None
    metadata: Any = None
    tags: dict[str, str] = field(default_factory=dict)  # only the `tag` plugin returns tags


class ActionError(Exception):
    """A failed execution (SERVER_ERROR unless a subclass says otherwise)."""

    def __init__(self, message: str, output: Any = None, metadata: Any = None) -> None:
        super().__init__(message)
        self.message, self.output, self.metadata = message, output, metadata


class ClientError(ActionError):
    """The request itself is wrong: a human must act (CLIENT_ERROR)."""


class Waiting(ActionError):
    """Waiting for something outside the engine (WAITING): a subtask, a callback, a batch."""


class RetryLater(ActionError):
    """Not possible yet; a later run should try again (TO_RETRY)."""


class ConfigError(ValueError):
    """A configuration µTask's own validation refuses (reported at template load)."""


@dataclass(slots=True)
class ActionRequest:
    """Everything an execution needs; `configuration` and `context` are already rendered."""

    step_name: str
    configuration: dict[str, Any]
    context: dict[str, Any] | None
    task_id: str
    resolution_id: str
    services: EngineServices
    previous_output: Any = None  # the step's output before this execution (subtask reuses its id)


class EngineServices(Protocol):
    """What plugins may ask of the engine hosting them (tasks for subtask/batch, callbacks, clock…)."""

    scripts_dir: str
    now: Callable[[], datetime.datetime]

    async def create_task(self, template: str, inputs: Mapping[str, Any], *, parent_task_id: str,
                          tags: Mapping[str, str], delay: float | None) -> str:
        """Create (and, when allowed, start) a task; returns its id."""

    async def task_summary(self, task_id: str) -> dict[str, Any]:
        """`{id, state, result, resolver_username, requester_username}` of a task (KeyError if unknown)."""

    def callback_url(self, callback_id: str, secret: str) -> str:
        """Where a callback is called back."""

    def callback_body(self, callback_id: str) -> Any:
        """The body a callback received, or None while it has not been called."""


class Action:
    """Base class of the builtin plugins: declare the name, the schema and the side effects."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = True  # false only for plugins that cannot change the outside world

    def validate(self, configuration: Mapping[str, Any]) -> None:
        """µTask's load-time checks beyond the JSON schema; raise ConfigError."""

    def resources(self, configuration: Mapping[str, Any]) -> list[str]:
        """Resources to hold while executing (e.g. `socket`, `url:host:443`, `fork`)."""
        return []

    def context(self, step_name: str) -> dict[str, Any] | None:
        """A context object whose strings are templates (rendered as one JSON text before execute)."""
        return None

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        """What `execute` would send or do, for dry runs and the step inspector (no side effect)."""
        return {"action": self.name, "configuration": request.configuration}

    async def execute(self, request: ActionRequest) -> ActionResult:
        raise NotImplementedError

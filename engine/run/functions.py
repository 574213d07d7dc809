"""Function chains (spec §5.7): the executor levels of a step, its effective pre-hook, conditions and
custom states."""

from __future__ import annotations

from dataclasses import dataclass

from engine.load.functions import FunctionRegistry
from engine.model.template import Condition, Executor, FunctionDefinition

__all__ = ["Chain", "resolve_chain"]


@dataclass(slots=True)
class Chain:
    levels: list[Executor]  # the step's action, then each function's action; the last one is a plugin
    functions: list[FunctionDefinition]  # outermost first
    pre_hook: Executor | None
    conditions: list[Condition]  # function conditions (deepest first), to put before the step's own
    custom_states: list[str]  # function custom states (to follow the step's own)

    @property
    def plugin_type(self) -> str:
        return self.levels[-1].type


def resolve_chain(action: Executor, pre_hook: Executor | None, functions: FunctionRegistry) -> Chain:
    levels = [action]
    defs: list[FunctionDefinition] = []
    conditions: list[Condition] = []
    custom: list[str] = []
    seen: set[str] = set()
    current = action
    while current.type in functions and current.type not in seen:
        seen.add(current.type)
        loaded = functions.get(current.type)
        assert loaded is not None
        definition = loaded.definition
        defs.append(definition)
        if definition.pre_hook is not None:
            pre_hook = definition.pre_hook
        conditions = list(definition.conditions) + conditions
        custom.extend(definition.custom_states)
        if definition.action is None:
            break
        current = definition.action
        levels.append(current)
    return Chain(levels, defs, pre_hook, conditions, custom)

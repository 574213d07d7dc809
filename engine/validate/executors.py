"""Rules for a step's action and pre-hook (spec §5.3–5.7): runners, base configurations, plugin
configurations, function arguments, function cycles and pre-hook overrides."""

from __future__ import annotations

from typing import Any

from engine.diagnostics import JsonPath
from engine.load.functions import LoadedFunction
from engine.model.template import Executor, Step
from engine.validate.actions import check_plugin_configuration
from engine.validate.context import BUILTIN_ACTIONS, Checker

__all__ = ["check_executors", "lookup_argument"]

_MISSING = object()


def check_executors(checker: Checker, name: str, step: Step) -> None:
    path: JsonPath = ("steps", name, "action")
    if step.action is None:
        checker.step_error(name, "action-missing", "the step has no `action`", "add `action:` with a `type` "
                           "(echo, http, script…) and its `configuration`", ("steps", name), at_key=True,
                           utask="Invalid executor action: No runner for type ''")
    else:
        _check_executor(checker, name, step.action, path, "Invalid executor action", step.pre_hook is not None)
    if step.pre_hook is not None:
        _check_executor(checker, name, step.pre_hook, ("steps", name, "pre_hook"), "Invalid prehook action",
                        False)
        _check_prehook_on_prehook(checker, name, step.pre_hook)


def _check_executor(checker: Checker, name: str, executor: Executor, path: JsonPath, prefix: str,
                    outer_prehook: bool) -> None:
    base = executor.base_configuration
    if base and base not in checker.template.base_configurations:
        checker.step_error(name, "base-configuration-unknown", f"base configuration {base!r} is not defined",
                           "add it under the template's `base_configurations`, or fix the name",
                           (*path, "base_configuration"),
                           utask=f"{prefix}: BaseConfiguration key not found")
    kind = executor.type
    if kind in BUILTIN_ACTIONS:
        _check_plugin(checker, name, executor, path, prefix)
    elif kind in checker.functions:
        _check_function_chain(checker, name, executor, path, prefix, outer_prehook)
    else:
        checker.step_error(name, "action-type-unknown", f"unknown action type {kind!r}", _runner_hint(checker),
                           (*path, "type"), utask=f"{prefix}: No runner for type '{kind}'")


def _runner_hint(checker: Checker) -> str:
    builtins = ", ".join(sorted(BUILTIN_ACTIONS))
    if checker.functions.directory is None:
        return f"use a builtin action ({builtins}), or pass --functions-dir if it is a function"
    return f"use a builtin action ({builtins}) or a function of {checker.functions.directory}"


def _check_plugin(checker: Checker, name: str, executor: Executor, path: JsonPath, prefix: str) -> None:
    if "configuration" not in executor.model_fields_set:
        checker.step_error(name, "configuration-missing", f"the {executor.type} action has no `configuration`",
                           "add `configuration:` (µTask refuses an action without one)", path, at_key=True,
                           utask=f"{prefix}: failed to unmarshal configuration: EOF")
        return
    base_name = executor.base_configuration
    base = checker.template.base_configurations.get(base_name) if base_name else None
    base_path: JsonPath = ("base_configurations", base_name)
    check_plugin_configuration(checker, name, executor.type, executor.configuration, (*path, "configuration"),
                               base, base_path, prefix)


def _check_function_chain(checker: Checker, name: str, executor: Executor, path: JsonPath, prefix: str,
                          outer_prehook: bool) -> None:
    # Same order as µTask's validExecutor: arguments, then cycle, then pre-hook override; errors found
    # inside the chain are annotated with the enclosing function names.
    configuration: Any = executor.configuration
    kind, chain = executor.type, list[str]()
    while kind in checker.functions:
        function = checker.functions.functions[kind]
        if not _check_arguments(checker, name, function, configuration, chain, path, prefix):
            return
        if kind in chain:
            message = f'invalid cyclic import in function for "{kind}"'
            checker.step_error(name, "function-cycle", message, "functions must not call themselves",
                               (*path, "type"), utask=f"{prefix}: {_annotate(chain, message)}")
            return
        chain.append(kind)
        if function.definition.pre_hook is not None:
            if outer_prehook:
                checker.step_error(name, "prehook-override", f"function {kind!r} declares a pre_hook but one "
                                   "is already set", "keep a single pre-hook along the function chain",
                                   (*path, "type"), utask=f"{prefix}: {_annotate(chain, 'pre_hook override')}")
            outer_prehook = True
        action = function.definition.action
        configuration, kind = (action.configuration, action.type) if action else (None, "")
    if kind not in BUILTIN_ACTIONS:
        checker.step_error(name, "action-type-unknown", f"function {chain[-1]!r} uses unknown action type "
                           f"{kind!r}", "fix the function file", (*path, "type"),
                           utask=f"{prefix}: No runner for type '{kind}'")


def _annotate(chain: list[str], message: str) -> str:
    """juju's errors.Annotate once per enclosing function, innermost first (µTask's annotateFunctions)."""
    for function in chain:
        message = f'function "{function}": {message}'
    return message


def _check_arguments(checker: Checker, name: str, function: LoadedFunction, configuration: Any,
                     chain: list[str], path: JsonPath, prefix: str) -> bool:
    """`chain` holds the functions enclosing `function` (empty when the step calls it directly)."""
    for argument in function.arguments:
        if lookup_argument(configuration, argument) is _MISSING:
            where = "" if not chain else f" (in function {chain[-1]!r})"
            message = f'missing function_args "{argument}"'
            checker.step_error(name, "function-argument-missing", f"{message}{where}",
                               f"function {function.definition.name!r} needs `{argument}` in its caller's "
                               "configuration", (*path, "configuration") if not chain else (*path, "type"),
                               utask=f"{prefix}: {_annotate(chain, message)}")
            return False
    return True


def lookup_argument(configuration: Any, dotted: str) -> Any:
    """gjson-style dotted lookup; a present null counts as present."""
    current = configuration
    for part in dotted.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def _check_prehook_on_prehook(checker: Checker, name: str, pre_hook: Executor) -> None:
    function = checker.functions.get(pre_hook.type)
    if function is not None and function.definition.pre_hook is not None:
        checker.step_error(name, "prehook-on-prehook", "the pre-hook's function has a pre-hook of its own",
                           "use a function without pre_hook as a pre-hook", ("steps", name, "pre_hook", "type"),
                           utask="Invalid prehook on a prehook")

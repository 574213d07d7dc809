"""The execution pipeline of one regular step (spec §10.3–10.4, §5.4–5.6).

`execute_step` works on a snapshot of the Values taken when the step was launched and returns an
`Outcome`; the run loop applies it to the resolution (so results are applied one at a time, in order).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from engine.load.functions import FunctionRegistry
from engine.model.run import StepRun
from engine.model.states import StepState
from engine.model.template import Executor
from engine.run.actions.base import (
    Action,
    ActionError,
    ActionRequest,
    ActionResult,
    ClientError,
    EngineServices,
    RetryLater,
    Waiting,
)
from engine.run.context import exact, is_exact
from engine.run.functions import Chain, resolve_chain
from engine.run.resources import ResourceLimits
from engine.templating import NO_ITEM, JSONNumber, TemplateError, Values

__all__ = ["DEFAULT_MAX_RETRIES", "ExecutionEnv", "Outcome", "Prepared", "execute_step", "needs_async_preparation",
           "perform", "prepare"]

DEFAULT_MAX_RETRIES = 10000


@dataclass(slots=True)
class ExecutionEnv:
    functions: FunctionRegistry
    actions: Mapping[str, Action]
    base_configurations: Mapping[str, Any]
    services: EngineServices
    resources: ResourceLimits
    task_id: str
    resolution_id: str
    dry_run: bool = False
    fixtures: Mapping[str, Any] = field(default_factory=dict)
    # Per-run caches keyed by object identity (the objects are kept alive alongside, so ids stay unique):
    # template data do not change during a run, and resolving or converting them again for every
    # execution of a large resolution was a measurable part of its cost.
    _chains: dict[tuple[int, int], tuple[Executor, Executor | None, Chain]] = field(default_factory=dict)
    _exact: dict[int, tuple[Any, Any]] = field(default_factory=dict)

    def chain(self, action: Executor, pre_hook: Executor | None = None) -> Chain:
        """`resolve_chain(action, pre_hook, self.functions)`, resolved once per run."""
        cached = self._chains.get((id(action), id(pre_hook)))
        if cached is None:
            cached = (action, pre_hook, resolve_chain(action, pre_hook, self.functions))
            self._chains[(id(action), id(pre_hook))] = cached
        return cached[2]

    def exact_constant(self, value: Any) -> Any:
        """`exact(value)` of template data, to be rendered (renders build new containers, so the result may
        share the template's): the value itself when it holds no number, else a copy converted once."""
        cached = self._exact.get(id(value))
        if cached is not None:
            return cached[1]
        if is_exact(value):
            return value
        self._exact[id(value)] = (value, exact(value))
        return self._exact[id(value)][1]


@dataclass(slots=True)
class Outcome:
    state: str
    output: Any = None
    metadata: Any = None
    error: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    executed: bool = False  # try_count += 1
    keep_data: bool = False  # output/metadata untouched (not executed)
    dry_run: dict[str, Any] | None = None


class _Fatal(Exception):
    pass


def _item(step: StepRun) -> Any:
    return step.item if step.is_child else NO_ITEM


def _render(env: ExecutionEnv, values: Values, value: Any, step: StepRun, prefix: str) -> Any:
    try:
        return values.render_object(env.exact_constant(value), item=_item(step), step_name=step.name)
    except TemplateError as error:
        raise _Fatal(f"{prefix}: Templating error: {error.message}") from None


def _effective_output(executor: Executor) -> tuple[str, Any] | None:
    if executor.base_output is not None:
        return ("merge", executor.base_output)
    if executor.output is None or executor.output.strategy in ("", "none"):
        return None
    return (executor.output.strategy, executor.output.format)


async def _run_pre_hook(env: ExecutionEnv, pre_hook: Executor, step: StepRun, live: Values) -> ActionResult:
    action = env.actions.get(pre_hook.type)
    if action is None:
        raise _Fatal(f"prehook: No runner for type '{pre_hook.type}'")
    try:
        config = _render(env, live, pre_hook.configuration, step, "failed to template configuration")
        if pre_hook.base_configuration:
            base = _render(env, live, env.base_configurations.get(pre_hook.base_configuration), step,
                           "failed to template base configuration")
            config = {**base, **config} if isinstance(base, dict) and isinstance(config, dict) else config
    except _Fatal as error:
        raise _Fatal(f"prehook: {error}") from None
    request = ActionRequest(step.name, config if isinstance(config, dict) else {}, None, env.task_id,
                            env.resolution_id, env.services)
    held = await env.resources.acquire(action.resources(request.configuration))
    if held is None:
        raise _Fatal("prehook: failed to acquire resources not provisioned")
    try:
        return await action.execute(request)
    except ActionError as error:
        raise _Fatal(f"prehook: {error.message}") from None
    except Exception as error:  # noqa: BLE001 - any plugin failure is the step's
        raise _Fatal(f"prehook: {error}") from None
    finally:
        env.resources.release(held)


def _prepare(env: ExecutionEnv, chain: Chain, step: StepRun, snap: Values) -> tuple[Any, list[tuple[str, Any]]]:
    """Render base configuration, output formats and the configuration through the function chain."""
    action = chain.levels[0]
    base: Any = None
    if action.base_configuration:
        if action.base_configuration not in env.base_configurations:
            raise _Fatal(f"could not find base configuration '{action.base_configuration}'")
        base = _render(env, snap, env.base_configurations[action.base_configuration], step,
                       "failed to template base configuration")
    outputs: list[tuple[str, Any]] = []
    config: Any = action.configuration
    for index, level in enumerate(chain.levels):
        strategy = _effective_output(level)
        if strategy is not None:
            kind, fmt = strategy
            if kind == "merge":
                fmt = _render(env, snap, fmt, step, "failed to template base output")
                if fmt is not None and not isinstance(fmt, dict):
                    raise _Fatal("failed to template merge output: merge output not a map")
            outputs.insert(0, (kind, fmt))
        rendered = _render(env, snap, config, step, "failed to template configuration")
        if index + 1 < len(chain.levels):
            rendered = {} if rendered is None else rendered
            if not isinstance(rendered, dict):
                raise _Fatal("failed to template configuration: function arguments are not an object")
            snap.root["function_args"] = rendered
            config = chain.levels[index + 1].configuration
        else:
            config = rendered
    if isinstance(base, dict):
        config = {**base, **config} if isinstance(config, dict) else base
    return config, outputs


def _apply_outputs(outputs: list[tuple[str, Any]], output: Any, step: StepRun, snap: Values | None) -> Any:
    for kind, fmt in outputs:
        assert snap is not None  # `prepare` keeps the snapshot when there are output strategies
        if kind == "merge":
            if fmt is None:
                continue
            if not isinstance(fmt, dict):
                raise _Fatal("unable to format output: invalid output merge data format")
            output = fmt if not isinstance(output, dict) else {**fmt, **output}
        else:
            entry = dict(snap.root["step"].get(step.name) or {})
            entry["output"] = output
            snap.root["step"] = dict(snap.root["step"])  # the step map may be shared with the live values
            snap.root["step"][step.name] = entry
            try:
                output = snap.render_object(exact(fmt), item=_item(step), step_name=step.name)
            except TemplateError as error:
                raise _Fatal(f"unable to format output: Templating error: {error.message}") from None
    return output


def plain(value: Any) -> Any:
    """Model data → plain JSON data (for schema validation)."""
    if type(value) is JSONNumber:
        return json.loads(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _schema_problem(schema: Any, output: Any) -> str | None:
    try:
        schema = plain(schema)
        validator = jsonschema.validators.validator_for(schema)(schema)
        error = jsonschema.exceptions.best_match(validator.iter_errors(plain(output)))
    except Exception as problem:  # noqa: BLE001 - a broken schema fails the step
        return str(problem)
    return None if error is None else error.message


def _classify(error: Exception) -> str:
    if isinstance(error, ClientError):
        return StepState.CLIENT_ERROR
    if isinstance(error, Waiting):
        return StepState.WAITING
    if isinstance(error, RetryLater):
        return StepState.TO_RETRY
    return StepState.SERVER_ERROR


@dataclass(slots=True)
class Prepared:
    """A step ready for its plugin call: rendered configuration and context, collected output strategies."""

    action: Action
    request: ActionRequest
    outputs: list[tuple[str, Any]]
    snap: Values | None  # kept only when output strategies render with it after the call


def needs_async_preparation(env: ExecutionEnv, step: StepRun) -> bool:
    """A pre-hook or an execution delay must be awaited before rendering the configuration."""
    definition = step.definition
    if step.is_child or definition.action is None:
        return False
    if definition.execution_delay > 0 and not env.dry_run:
        return True
    return env.chain(definition.action, definition.pre_hook).pre_hook is not None


def prepare(env: ExecutionEnv, step: StepRun, snap: Values) -> Prepared | Outcome:
    """Step 7 of §10.3 on the snapshot (synchronous): FATAL_ERROR outcome on any failure."""
    definition = step.definition
    if definition.action is None:
        return Outcome(StepState.FATAL_ERROR, error="step has no action", keep_data=True)
    chain = env.chain(definition.action)
    try:
        action = env.actions.get(chain.plugin_type)
        if action is None:
            raise _Fatal(f"No runner for type '{chain.plugin_type}'")
        config, outputs = _prepare(env, chain, step, snap)
        context = action.context(step.name)
        if context is not None:
            try:
                text = snap.apply(json.dumps(context), item=_item(step), step_name=step.name)
                context = json.loads(text)
            except TemplateError as error:
                raise _Fatal(f"failed to template context: Templating error: {error.message}") from None
            except ValueError as error:
                raise _Fatal(f"failed to template context: {error}") from None
    except _Fatal as error:
        return Outcome(StepState.FATAL_ERROR, error=str(error), keep_data=True)
    request = ActionRequest(step.name, config if isinstance(config, dict) else {}, context, env.task_id,
                            env.resolution_id, env.services, previous_output=step.output)
    return Prepared(action, request, outputs, snap if outputs else None)


async def execute_step(env: ExecutionEnv, step: StepRun, live: Values, snap: Values) -> Outcome:
    """Steps 3–11 of §10.3 (the max-retries check and AFTERRUN_ERROR are handled by the caller)."""
    definition = step.definition
    if definition.action is not None and not step.is_child:
        chain = env.chain(definition.action, definition.pre_hook)
        delay = 0 if env.dry_run else definition.execution_delay  # a dry run does not wait
        try:
            if chain.pre_hook is not None:
                waiter = asyncio.sleep(delay / 1e9) if delay > 0 else None
                hook = await _run_pre_hook(env, chain.pre_hook, step, live)
                if waiter is not None:
                    await waiter
                snap.set_pre_hook(exact(hook.output), exact(hook.metadata))
            elif delay > 0:
                await asyncio.sleep(delay / 1e9)
        except _Fatal as error:
            return Outcome(StepState.FATAL_ERROR, error=str(error), keep_data=True)
    prepared = prepare(env, step, snap)
    if isinstance(prepared, Outcome):
        return prepared
    return await perform(env, step, prepared)


async def perform(env: ExecutionEnv, step: StepRun, prepared: Prepared) -> Outcome:
    """Steps 8–11 of §10.3: resources, the plugin call (or its dry-run description), output strategies."""
    action, request, outputs, snap = prepared.action, prepared.request, prepared.outputs, prepared.snap
    if env.dry_run and action.side_effects:
        return _dry_run(env, action, request, step, outputs, snap)
    names = list(step.definition.resources) + action.resources(request.configuration)
    held = await env.resources.acquire(names) if names else []
    if held is None:
        return Outcome(StepState.TO_RETRY, output="{}", error="failed to acquire resources not provisioned",
                       executed=True)
    state: str = StepState.DONE
    message = ""
    tags: dict[str, str] = {}
    try:
        result = await action.execute(request)
        output, metadata, tags = result.output, result.metadata, dict(result.tags)
    except ActionError as error:
        state, message, output, metadata = _classify(error), error.message, error.output, error.metadata
    except Exception as error:  # noqa: BLE001 - a plugin crash is a server error
        state, message, output, metadata = StepState.SERVER_ERROR, str(error), None, None
    finally:
        env.resources.release(held)
    return _finish(step, outputs, snap, state, message, exact(output), exact(metadata), tags)


def _finish(step: StepRun, outputs: list[tuple[str, Any]], snap: Values | None, state: str, message: str, output: Any,
            metadata: Any, tags: dict[str, str], dry: dict[str, Any] | None = None) -> Outcome:
    try:
        output = _apply_outputs(outputs, output, step, snap)
    except _Fatal as error:
        return Outcome(StepState.FATAL_ERROR, output, metadata, str(error), tags, executed=True, dry_run=dry)
    if state == StepState.DONE and step.definition.json_schema is not None:
        problem = _schema_problem(step.definition.json_schema, output)
        if problem is not None:
            return Outcome(StepState.FATAL_ERROR, output, metadata, problem, tags, executed=True, dry_run=dry)
    return Outcome(state, output, metadata, message, tags, executed=True, dry_run=dry)


def _dry_run(env: ExecutionEnv, action: Action, request: ActionRequest, step: StepRun,
             outputs: list[tuple[str, Any]], snap: Values | None) -> Outcome:
    try:
        described = action.describe(request)
    except Exception as error:  # noqa: BLE001 - describing must not break a dry run
        described = {"action": action.name, "error": str(error)}
    fixture = env.fixtures.get(step.name)
    if fixture is None and step.is_child:
        fixture = env.fixtures.get(step.name.rsplit("-", 1)[0])
    fixture = fixture if isinstance(fixture, dict) else {}
    state = str(fixture.get("state") or StepState.DONE)
    output = exact(fixture.get("output", {}))
    return _finish(step, outputs, snap, state, str(fixture.get("error") or ""), output,
                   exact(fixture.get("metadata")), {}, dry=exact(described))


"""µTask's rendering context (engine/values): the root map, template variables, `step.this`, Apply.

`Values` mirrors µTask's `values.Values`: it owns the root every template of a resolution sees,

    input, resolver_input, function_args, step, task, config  ({} unless given)
    iterator                                                 (nil unless inside a foreach)
    var                                                      (map[string]*values.Variable, always)
    pre_hook                                                 (only once a pre-hook has run)

and `apply(template, item=..., step_name=...)` is µTask's `Values.Apply`: with a step name, that step's
output, metadata, children, error, try_count, max_retries and state are copied under `.step.this`
(nil ones as `{}`) for the render and set back to nil afterwards — µTask leaves that residue, so a
later render without a step name sees `.step.this.output` as nil; we keep it deliberately.

Numbers: µTask decodes step data with `UseNumber`, so they are `JSONNumber`s (exact text), while task
inputs are float64. `load_json` reads JSON either way; `Values.clone()` is µTask's Clone (a JSON round
trip with exact numbers, dropping evalCache results).
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from engine.templating import gotypes
from engine.templating.budget import DEFAULT_BUDGET, Budget
from engine.templating.errors import TemplateError
from engine.templating.executor import compile_template, execute_source
from engine.templating.fields import MAP_ELEMENT_TYPES
from engine.templating.funcs.registry import GoError
from engine.templating.gotypes import NO_VALUE, GoObject, JSONNumber
from engine.templating.printing import sprint

__all__ = [
    "NO_ITEM",
    "THIS_FIELDS",
    "NumberMode",
    "RenderContext",
    "Values",
    "Variable",
    "World",
    "from_plain",
    "load_json",
    "to_exact_numbers",
]

NumberMode = Literal["json_number", "float64"]
THIS_FIELDS = ("output", "metadata", "children", "error", "try_count", "max_retries", "state")
NO_ITEM: Any = object()  # "no foreach item" (µTask passes a nil interface)
DEFAULT_JS_TIMEOUT = 10.0  # seconds, µTask's default expression_timeout


def load_json(text: str, *, numbers: NumberMode = "json_number") -> Any:
    """JSON → model values: numbers become `JSONNumber` (exact text) or float64."""
    number: Callable[[str], Any] = JSONNumber if numbers == "json_number" else float
    return json.loads(text, parse_int=number, parse_float=number)


def from_plain(value: Any) -> Any:
    """Plain Python data → model values: ints become float64 (what Go gets from plain JSON decoding),
    tuples become lists; strings, floats, bools, None and model values are kept."""
    kind = type(value)
    if kind is dict:
        return {key: from_plain(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [from_plain(item) for item in value]
    if kind is int:
        return float(value)
    return value


def to_exact_numbers(value: Any) -> Any:
    """A JSON round trip with UseNumber: float64s become the JSONNumber of Go's JSON encoding."""
    from engine.templating.gojson import format_float, marshal

    kind = type(value)
    if kind is str or kind is JSONNumber or kind is bool or value is None:
        return value
    if isinstance(value, dict):
        return {str(key): to_exact_numbers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_exact_numbers(item) for item in value]
    if kind is float:
        return JSONNumber(format_float(value))
    if value is NO_VALUE:
        return None
    # Other Go values (ints, times, structs, byte slices) take their JSON form, as in µTask's snapshot.
    return load_json(marshal(value), numbers="json_number")


class Variable(GoObject):
    """µTask's `*values.Variable`: Name, Expression, ExpressionTimeout, Value (+ unexported cache)."""

    go_type: ClassVar[str] = "*values.Variable"
    is_stringer: ClassVar[bool] = False
    unexported: ClassVar[frozenset[str]] = frozenset({"evalCachedResult"})
    field_types: ClassVar[Mapping[str, str]] = {"Value": "interface {}"}
    fields: ClassVar[Mapping[str, Callable[[Any], Any]]] = {
        "Name": lambda v: v.name,
        "Expression": lambda v: v.expression,
        "ExpressionTimeout": lambda v: v.expression_timeout,
        "Value": lambda v: v.value,
    }

    def __init__(self, name: str, *, value: Any = None, expression: str = "", expression_timeout: str = "") -> None:
        self.name = name
        self.value = value
        self.expression = expression
        self.expression_timeout = expression_timeout
        self.cached: Any = None

    def go_string(self) -> str:
        parts = (self.name, self.expression, self.expression_timeout, sprint(self.value), sprint(self.cached))
        return "{" + " ".join(parts) + "}"


class VariableMap(dict):  # type: ignore[type-arg]
    """The root's `var`: a Go map[string]*values.Variable."""

    __slots__ = ()


gotypes._TYPE_NAMES.setdefault(VariableMap, "map[string]*values.Variable")
gotypes._KINDS.setdefault(VariableMap, "map")
MAP_ELEMENT_TYPES[VariableMap] = Variable.go_type


@dataclass
class World:
    """What non-hermetic functions see. Sandboxed by default: empty environment, no DNS; the clock and
    randomness are the system's unless injected. `template_budget` limits each render (time, range
    iterations and template calls, output size; see `engine.templating.budget`)."""

    environ: Mapping[str, str] = field(default_factory=dict)
    # The OS's generator: uuidv4, randBytes and friends must not be predictable. Tests inject a seeded one.
    random: random.Random = field(default_factory=random.SystemRandom)
    clock: Callable[[], datetime.datetime] | None = None
    resolver: Callable[[str], list[str]] | None = None
    js_memory_limit: int = 64 * 1024 * 1024
    template_budget: Budget = DEFAULT_BUDGET


DEFAULT_WORLD = World()


class RenderContext:
    """The FunctionContext of one `Values` (see `funcs.registry.FunctionContext`)."""

    __slots__ = ("values", "world")

    def __init__(self, values: Values, world: World) -> None:
        self.values = values
        self.world = world

    @property
    def root(self) -> dict[str, Any]:
        return self.values.root

    @property
    def environ(self) -> Mapping[str, str]:
        return self.world.environ

    @property
    def random(self) -> random.Random:
        return self.world.random

    def now(self) -> datetime.datetime:
        clock = self.world.clock
        return clock() if clock is not None else datetime.datetime.now(datetime.UTC)

    def lookup_host(self, name: str) -> list[str]:
        resolver = self.world.resolver
        return resolver(name) if resolver is not None else []

    def evaluate_variable(self, name: str, cached: bool) -> Any:
        return self.values.evaluate_variable(name, cached)


class Values:
    """µTask's values.Values: the shared root of a resolution's renders (see the module docstring)."""

    _eval_deadline: float | None = None  # while variables are being evaluated (see `_nested_apply`)

    def __init__(
        self,
        *,
        input: Mapping[str, Any] | None = None,  # noqa: A002 - µTask's key name
        resolver_input: Mapping[str, Any] | None = None,
        function_args: Mapping[str, Any] | None = None,
        step: Mapping[str, Any] | None = None,
        task: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        variables: Mapping[str, Variable] | None = None,
        pre_hook: Any = NO_ITEM,
        iterator: Any = None,
        world: World | None = None,
    ) -> None:
        self.variables = VariableMap(variables or {})
        self.root: dict[str, Any] = {
            "input": dict(input or {}),
            "resolver_input": dict(resolver_input or {}),
            "function_args": dict(function_args or {}),
            "step": dict(step or {}),
            "task": dict(task or {}),
            "config": dict(config or {}),
            "iterator": iterator,
            "var": self.variables,
        }
        if pre_hook is not NO_ITEM:
            self.root["pre_hook"] = pre_hook
        self.world = world or DEFAULT_WORLD
        self.context = RenderContext(self, self.world)

    @classmethod
    def wrap(cls, root: dict[str, Any], *, world: World | None = None) -> Values:
        """Values over an existing root map, as is (no µTask default keys, no variables)."""
        values = cls.__new__(cls)
        values.variables = VariableMap()
        values.root = root
        values.world = world or DEFAULT_WORLD
        values.context = RenderContext(values, values.world)
        return values

    # ------------------------------------------------------------------------------------- rendering

    def apply(self, template: str, *, item: Any = NO_ITEM, step_name: str = "") -> str:
        """µTask's Values.Apply: render one template string; raises TemplateError (Go's message)."""
        if item is NO_ITEM and not step_name:
            return execute_source(template, self.root, self.context, self.world.template_budget)
        compiled = compile_template(template) if "{{" in template else None  # Go parses before anything
        if item is not NO_ITEM:
            self.root["iterator"] = item
        if step_name:
            self._set_this(step_name)
        try:
            return template if compiled is None else compiled.execute(self.root, self.context,
                                                                      self.world.template_budget)
        finally:
            if item is not NO_ITEM:
                self.root["iterator"] = None
            if step_name:
                self._clear_this()

    def render_object(self, value: Any, *, item: Any = NO_ITEM, step_name: str = "") -> Any:
        """Render every string leaf of a JSON-like value (maps and lists at any depth), as µTask does
        for step configurations; keys and non-string leaves are kept. Rendered leaves stay strings."""
        if item is not NO_ITEM:
            self.root["iterator"] = item
        if step_name:
            self._set_this(step_name)
        try:
            return self._render_leaves(value)
        finally:
            if item is not NO_ITEM:
                self.root["iterator"] = None
            if step_name:
                self._clear_this()

    def _render_leaves(self, value: Any) -> Any:
        if isinstance(value, str) and type(value) is not JSONNumber:
            return execute_source(value, self.root, self.context, self.world.template_budget)
        if isinstance(value, dict):
            return {key: self._render_leaves(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._render_leaves(item) for item in value]
        return value

    def _set_this(self, step_name: str) -> None:
        steps = self.root["step"]
        source = steps.get(step_name)
        this: dict[str, Any] = {}
        for name in THIS_FIELDS:
            value = source.get(name) if isinstance(source, dict) else None
            this[name] = {} if value is None or value is NO_VALUE else value
        steps["this"] = this

    def _clear_this(self) -> None:
        self.root["step"]["this"] = dict.fromkeys(THIS_FIELDS)

    # -------------------------------------------------------------------------------------- mutation

    def set_iterator(self, item: Any) -> None:
        self.root["iterator"] = item

    def set_step(self, name: str, **data: Any) -> None:
        """Set fields (output, metadata, children, error, state, try_count, max_retries) of `.step.<name>`."""
        self.root["step"].setdefault(name, {}).update(data)

    def set_pre_hook(self, output: Any, metadata: Any) -> None:
        self.root["pre_hook"] = {"output": output, "metadata": metadata}

    def clone(self) -> Values:
        """µTask's Clone: a JSON round trip with exact numbers; evalCache results are not copied."""
        copy = Values(world=self.world)
        for key, value in self.root.items():
            if key != "var":
                copy.root[key] = to_exact_numbers(value)
        for name, variable in self.variables.items():
            copy.variables[name] = Variable(name, value=to_exact_numbers(variable.value),
                                            expression=variable.expression,
                                            expression_timeout=variable.expression_timeout)
        return copy

    # ------------------------------------------------------------------------------------- variables

    def evaluate_variable(self, name: str, cached: bool) -> Any:
        """µTask's eval/evalCache (raises GoError with µTask's message)."""
        variable = self.variables.get(name)
        if variable is None:
            raise GoError(f"Var name not found in template: '{name}'")
        if cached and variable.cached is not None:
            return variable.cached
        result = self._evaluate(variable)
        if cached:
            variable.cached = result
        return result

    def _evaluate(self, variable: Variable) -> Any:
        if variable.value is not None:
            if type(variable.value) is str:
                return self._nested_apply(variable.value)
            return variable.value
        source = self._nested_apply(variable.expression)
        timeout = DEFAULT_JS_TIMEOUT
        if variable.expression_timeout:
            from engine.gocompat.duration import parse_duration

            try:
                timeout = parse_duration(variable.expression_timeout)
            except ValueError as error:
                raise GoError(str(error)) from None
        from engine.templating.js import evaluate_js

        return evaluate_js(source, timeout=timeout, memory_limit=self.world.js_memory_limit)

    def _nested_apply(self, template: str) -> str:
        # Each render has its own budget, but variables evaluating variables (a: `{{eval "b"}}{{eval "b"}}`,
        # b: `{{eval "c"}}{{eval "c"}}`…) multiply renders without any range: the renders nested in one
        # outermost eval share its clock.
        outermost = self._eval_deadline is None
        seconds = self.world.template_budget.seconds
        if outermost:
            self._eval_deadline = time.monotonic() + seconds
        elif time.monotonic() > (self._eval_deadline or 0.0):
            raise GoError(f"evaluation exceeded the {seconds:g}s time budget")
        try:
            return self.apply(template)
        except TemplateError as error:
            raise GoError(f"Templating error: {error.message}") from None
        finally:
            if outermost:
                self._eval_deadline = None

"""Function and method calls (exec.go's evalCall): argument counts, typed arguments, errors, panics.

Arguments are compiled once as `ArgSpec`s; each produces, for a given Go parameter type, a closure that
evaluates and checks the argument (see `argtypes`). A Go function returning an error, or panicking,
aborts the render with `error calling NAME: …`, reported on the command; argument errors are reported
where Go's `state.at` stands at that moment (the argument, or the last node evaluated before).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.templating.argtypes import INTERFACE, REFLECT_VALUE, literal_for_type, validator
from engine.templating.builtins import is_true
from engine.templating.errors import TemplateError
from engine.templating.exec_state import MISSING, Site, State
from engine.templating.funcs.registry import GoError, GoFunction, GoPanic, Signature
from engine.templating.gotypes import NO_VALUE, go_type_name
from engine.templating.nodes import Node

__all__ = [
    "ArgSpec",
    "Call",
    "MethodCall",
    "call_failure",
    "call_method",
    "compile_and_or",
    "compile_call",
    "compile_call_eval",
    "run_go",
]

Eval = Callable[[State, Any], Any]
Call = Callable[[State, Any, Any], Any]


class ArgSpec:
    """One argument node: evaluated (`evaluate` set) or a literal converted to the parameter's type."""

    __slots__ = ("node", "evaluate", "site", "_typed")

    def __init__(self, node: Node, evaluate: Eval | None, site: Site) -> None:
        self.node = node
        self.evaluate = evaluate
        self.site = site  # where Go stands once the argument is evaluated
        self._typed: dict[str, Eval] = {}

    def typed(self, type_name: str) -> Eval:
        """A closure producing the argument as a value of Go type `type_name` (or raising Go's error)."""
        compiled = self._typed.get(type_name)
        if compiled is None:
            compiled = self._typed[type_name] = self._compile(type_name)
        return compiled

    def _compile(self, type_name: str) -> Eval:
        evaluate, site = self.evaluate, self.site
        if evaluate is None:
            try:
                constant = literal_for_type(self.node, type_name, site)
            except TemplateError as error:
                return _raiser(error)
            return lambda st, dot: constant
        if type_name == REFLECT_VALUE:
            return evaluate
        if type_name == INTERFACE:
            return lambda st, dot: _nil_if_missing(evaluate(st, dot))
        check = validator(type_name)
        if type_name == "string":
            def string_arg(st: State, dot: Any) -> Any:
                value = evaluate(st, dot)
                return value if type(value) is str else check(value, site)

            return string_arg
        return lambda st, dot: check(evaluate(st, dot), site)


def _nil_if_missing(value: Any) -> Any:
    return None if value is NO_VALUE else value


def _raiser(error: TemplateError) -> Eval:
    def fail(st: State, dot: Any) -> Any:
        raise TemplateError(error.message, kind=error.kind, line=error.line, column=error.column, offset=error.offset)

    return fail


def run_go(function: Callable[..., Any], args: list[Any], name: str, site: Site) -> Any:
    """Call a Go function's implementation; its error or panic becomes `error calling NAME: …` at site."""
    try:
        return function(*args)
    except Exception as failure:
        raise call_failure(failure, name, site) from None


def call_failure(failure: Exception, name: str, site: Site) -> Exception:
    """The exception to raise for a failed call: Go's `error calling NAME: …` (template errors and
    stack exhaustion pass through; any other Python exception is a bug of the function, still reported
    as a template error rather than escaping)."""
    if isinstance(failure, GoError | GoPanic):
        return site.error(f"error calling {name}: {failure.message}")
    if isinstance(failure, TemplateError | RecursionError):
        return failure
    if isinstance(failure, MemoryError):
        return site.error(f"error calling {name}: runtime: out of memory")
    return site.error(f"error calling {name}: {type(failure).__name__}: {failure}")


def _arity_error(signature: Signature, name: str, given: int, num_in: int) -> str | None:
    """Go's argument-count check (the variadic message counts only the written arguments)."""
    fixed = len(signature.params)
    if signature.variadic is not None:
        if num_in < fixed:
            return f"wrong number of args for {name}: want at least {fixed} got {given}"
        return None
    if num_in != fixed:
        return f"wrong number of args for {name}: want {fixed} got {num_in}"
    return None


def _param_types(signature: Signature, count: int) -> list[str]:
    params = list(signature.params)
    while len(params) < count:
        params.append(signature.variadic or INTERFACE)
    return params[:count]


def _final_type(signature: Signature, num_in: int) -> str:
    if signature.variadic is None:
        return signature.params[-1]
    if num_in - 1 < len(signature.params):
        return signature.params[num_in - 1]
    return signature.variadic


def compile_call(
    function: GoFunction, name: str, specs: list[ArgSpec], has_final: bool, at: Site, cmd_site: Site
) -> Call:
    """A call of a registered (or builtin) function from a command; `at` is where Go stands before the
    arguments (the function's identifier), `cmd_site` where call errors are reported."""
    signature = function.signature
    num_in = len(specs) + has_final
    problem = _arity_error(signature, name, len(specs), num_in)
    if problem is not None:
        def wrong_count(st: State, dot: Any, final: Any) -> Any:
            raise at.error(problem)

        return wrong_count
    if not has_final:
        evaluate = compile_call_eval(function, name, specs, at, cmd_site)
        return lambda st, dot, final: evaluate(st, dot)
    evaluators = [spec.typed(t) for spec, t in zip(specs, _param_types(signature, len(specs)), strict=True)]
    final_check = validator(_final_type(signature, num_in))
    final_site = specs[-1].site if specs else at
    implementation = function.implementation
    if not evaluators and not function.needs_context:
        return _final_only(implementation, final_check, final_site, name, cmd_site)
    with_context = function.needs_context

    def call(st: State, dot: Any, final: Any) -> Any:
        args = [evaluate(st, dot) for evaluate in evaluators]
        args.append(final_check(final, final_site))
        if with_context:
            args.insert(0, st.ctx)
        return run_go(implementation, args, name, cmd_site)

    return call


def _final_only(implementation: Callable[..., Any], check: Any, final_site: Site, name: str, cmd_site: Site) -> Call:
    """The common `{{ x | fn }}`: one piped argument."""
    string_param = check is _STRING_CHECK

    def call(st: State, dot: Any, final: Any) -> Any:
        value = final if string_param and type(final) is str else check(final, final_site)
        try:
            return implementation(value)
        except Exception as failure:
            raise call_failure(failure, name, cmd_site) from None

    return call


_STRING_CHECK = validator("string")


def compile_call_eval(function: GoFunction, name: str, specs: list[ArgSpec], at: Site, cmd_site: Site) -> Eval:
    """A call without a piped value, as an (state, dot) closure; small arities are unrolled."""
    signature = function.signature
    problem = _arity_error(signature, name, len(specs), len(specs))
    if problem is not None:
        def wrong_count(st: State, dot: Any) -> Any:
            raise at.error(problem)

        return wrong_count
    evaluators = [spec.typed(t) for spec, t in zip(specs, _param_types(signature, len(specs)), strict=True)]
    implementation = function.implementation
    if function.needs_context:
        return lambda st, dot: run_go(implementation, [st.ctx, *(e(st, dot) for e in evaluators)], name, cmd_site)
    if len(evaluators) == 1:
        (first,) = evaluators

        def call_one(st: State, dot: Any) -> Any:
            argument = first(st, dot)
            try:
                return implementation(argument)
            except Exception as failure:
                raise call_failure(failure, name, cmd_site) from None

        return call_one
    if len(evaluators) == 2:
        return _call_two(implementation, evaluators, name, cmd_site)
    return lambda st, dot: run_go(implementation, [e(st, dot) for e in evaluators], name, cmd_site)


def _call_two(implementation: Callable[..., Any], evaluators: list[Eval], name: str, cmd_site: Site) -> Eval:
    first, second = evaluators

    def call_two(st: State, dot: Any) -> Any:
        left, right = first(st, dot), second(st, dot)
        try:
            return implementation(left, right)
        except Exception as failure:
            raise call_failure(failure, name, cmd_site) from None

    return call_two


def compile_and_or(name: str, specs: list[ArgSpec], has_final: bool, at: Site) -> Call:
    """`and`/`or`: evaluate arguments left to right, stop at the first deciding one, return it."""
    if not specs and not has_final:
        def wrong_count(st: State, dot: Any, final: Any) -> Any:
            raise at.error(f"wrong number of args for {name}: want at least 1 got 0")

        return wrong_count
    evaluators = [spec.typed(REFLECT_VALUE) for spec in specs]
    stop_on = name == "or"

    def and_or(st: State, dot: Any, final: Any) -> Any:
        value = NO_VALUE
        for evaluate in evaluators:
            value = evaluate(st, dot)
            if is_true(value) is stop_on:
                return value
        return final if has_final else value

    return and_or


class MethodCall:
    """The arguments of a command whose last field may turn out to be a method (decided at run time)."""

    __slots__ = ("specs", "site", "call_site", "has_args")

    def __init__(self, specs: list[ArgSpec], site: Site, call_site: Site) -> None:
        self.specs = specs
        self.site = site
        self.call_site = call_site
        self.has_args = bool(specs)

    def invoke(self, st: State, dot: Any, method: Any, receiver: Any, name: str, final: Any) -> Any:
        return call_method(st, dot, method, receiver, name, self.site, self.call_site, self.specs, final)


def call_method(
    st: State,
    dot: Any,
    method: Any,
    receiver: Any,
    name: str,
    site: Site,
    call_site: Site,
    specs: tuple[ArgSpec, ...] | list[ArgSpec],
    final: Any,
) -> Any:
    """Call a Go method found on `receiver` with the command's arguments and piped value."""
    has_final = final is not MISSING
    if not isinstance(method, GoFunction):  # a GoObject method without a declared signature
        args = [spec.typed(INTERFACE)(st, dot) for spec in specs]
        if has_final:
            args.append(_nil_if_missing(final))
        return run_go(method, [receiver, *args], name, call_site)
    signature = method.signature
    num_in = len(specs) + has_final
    problem = _arity_error(signature, name, len(specs), num_in)
    if problem is not None:
        raise site.error(problem)
    args = [spec.typed(t)(st, dot) for spec, t in zip(specs, _param_types(signature, len(specs)), strict=True)]
    if has_final:
        args.append(validator(_final_type(signature, num_in))(final, specs[-1].site if specs else site))
    return run_go(method.implementation, [receiver, *args], name, call_site)


def value_string(value: Any) -> str:
    """reflect.Value.String(): the text of a string kind, `<T Value>` otherwise."""
    if isinstance(value, str):
        return str.__str__(value)
    if value is NO_VALUE or value is None:
        return "<invalid Value>"
    return f"<{go_type_name(value)} Value>"

"""Compilation of pipelines, commands and operands into closures (the expression half of exec.go).

Every closure takes ``(state, dot)`` (commands also take the piped value, `MISSING` for the first one).
Variables are resolved to frame slots here, at compile time; the parser has already checked that each
name is declared somewhere visible, and Go's run-time stack discipline is reproduced by the slots.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.templating import nodes as n
from engine.templating.argtypes import ideal_constant
from engine.templating.builtins import call_builtin
from engine.templating.calls import (
    ArgSpec,
    Call,
    MethodCall,
    compile_and_or,
    compile_call,
    compile_call_eval,
    value_string,
)
from engine.templating.exec_state import MISSING, UNSET, Site, Source, State
from engine.templating.fields import IFACE, Chain, dot_getter, walk
from engine.templating.funcs.registry import GoFunction
from engine.templating.gotypes import NO_VALUE
from engine.templating.literals import go_quote

__all__ = ["Eval", "ExprCompiler"]

Eval = Callable[[State, Any], Any]
_LITERALS = (n.BoolNode, n.NumberNode, n.StringNode, n.NilNode)


def _fail(site: Site, detail: str) -> Call:
    def fail(st: State, dot: Any, final: Any) -> Any:
        raise site.error(detail)

    return fail


class ExprCompiler:
    """Compiles the expressions of one template (one tree of the set): owns its variable slots."""

    def __init__(self, template_name: str, source: Source, functions: Mapping[str, GoFunction],
                 builtins: Mapping[str, GoFunction]) -> None:
        self.name = template_name
        self.source = source
        self.functions = functions
        self.builtins = builtins
        self.scope: list[tuple[str, int]] = [("$", 0)]
        self.slots = 1

    def site(self, node: n.Node) -> Site:
        return Site(node, self.name, self.source)

    # ------------------------------------------------------------------------------------ variables

    def declare(self, name: str) -> int:
        slot = self.slots
        self.slots += 1
        self.scope.append((name, slot))
        return slot

    def candidates(self, name: str) -> tuple[int, ...]:
        """Slots of the visible declarations of `name`, innermost first (Go searches its stack so)."""
        return tuple(slot for declared, slot in reversed(self.scope) if declared == name)

    def read_variable(self, name: str, node: n.Node) -> Callable[[State], tuple[Any, int]]:
        """(value, slot) of a variable; Go's `undefined variable: $x` when no declaration has run."""
        slots = self.candidates(name)
        site = self.site(node)
        if slots == (0,):
            return lambda st: (st.vars[0], 0)

        def read(st: State) -> tuple[Any, int]:
            frame = st.vars
            for slot in slots:
                value = frame[slot]
                if value is not UNSET:
                    return value, slot
            raise site.error(f"undefined variable: {name}")

        return read

    # ------------------------------------------------------------------------------------ positions

    def last_at(self, node: n.Node) -> n.Node:
        """The node Go's `state.at` points at once `node` is evaluated (what later errors report)."""
        if isinstance(node, n.PipeNode):
            return self.last_at_command(node.cmds[-1]) if node.cmds else node
        if isinstance(node, n.ChainNode):
            return self.last_at(node.node)
        return node

    def last_at_command(self, cmd: n.CommandNode) -> n.Node:
        head = cmd.args[0]
        if len(cmd.args) > 1 and isinstance(head, n.FieldNode | n.VariableNode | n.ChainNode | n.IdentifierNode):
            return self.last_at(cmd.args[-1])
        return self.last_at(head)

    # ------------------------------------------------------------------------------------ pipelines

    def pipeline(self, pipe: n.PipeNode, *, dig: bool = True) -> Eval:
        """A pipeline's value (nil interfaces dug out into the invalid value, as Go does). Callers that
        treat nil and invalid alike (printing, `if`) may skip that last step with `dig=False`."""
        first = self.first_command(pipe.cmds[0], pipe)
        rest: list[Call] = []
        previous = self.last_at_command(pipe.cmds[0])
        for cmd in pipe.cmds[1:]:
            rest.append(self.command(cmd, True, previous))
            previous = self.last_at_command(cmd)
        if not rest:
            if not dig:
                return first

            def single(st: State, dot: Any) -> Any:
                value = first(st, dot)
                return NO_VALUE if value is None else value

            return single

        def chained(st: State, dot: Any) -> Any:
            value = first(st, dot)
            for command in rest:
                value = command(st, dot, NO_VALUE if value is None else value)
            return NO_VALUE if value is None else value

        return chained

    def declaring_pipeline(self, pipe: n.PipeNode, *, dig: bool = True) -> tuple[Eval, list[int]]:
        """A pipeline with its `$x :=` / `$x =` declarations applied; returns the declared slots too."""
        evaluate = self.pipeline(pipe, dig=dig or bool(pipe.decl))
        if not pipe.decl:
            return evaluate, []
        names = [v.ident[0] for v in pipe.decl]
        if pipe.is_assign:
            return self._assigning(evaluate, names, self.site(self.last_at(pipe))), []
        slots = [self.declare(name) for name in names]

        def declare(st: State, dot: Any) -> Any:
            value = evaluate(st, dot)
            frame = st.vars
            for slot in slots:
                frame[slot] = value
            if st.iface_slots:
                st.iface_slots = st.iface_slots.difference(slots)
            return value

        return declare, slots

    def _assigning(self, evaluate: Eval, names: list[str], site: Site) -> Eval:
        assign = [self.assigner(name, site) for name in names]

        def assigning(st: State, dot: Any) -> Any:
            value = evaluate(st, dot)
            for target in assign:
                target(st, value)
            return value

        return assigning

    def assigner(self, name: str, site: Site) -> Callable[[State, Any], None]:
        """Go's setVar: the innermost live declaration of `name` takes the value."""
        slots = self.candidates(name)

        def assign(st: State, value: Any) -> None:
            frame = st.vars
            for slot in slots:
                if frame[slot] is not UNSET:
                    frame[slot] = value
                    if slot in st.iface_slots:
                        st.iface_slots = st.iface_slots - {slot}
                    return
            raise site.error(f"undefined variable: {name}")

        return assign

    # ------------------------------------------------------------------------------------- commands

    def first_command(self, cmd: n.CommandNode, previous: n.Node) -> Eval:
        head = cmd.args[0]
        if len(cmd.args) == 1 and isinstance(head, n.FieldNode):
            chain = Chain(head.ident, self.site(head), self.site(head), None)
            return dot_getter(chain)
        if isinstance(head, n.IdentifierNode):
            return self.function_eval(head, cmd, cmd.args[1:])
        command = self.command(cmd, False, previous)
        return lambda st, dot: command(st, dot, MISSING)

    def command(self, cmd: n.CommandNode, has_final: bool, previous: n.Node) -> Call:
        """One command; `previous` is where Go stands before it (for errors raised before any `at`)."""
        head, args = cmd.args[0], cmd.args[1:]
        if isinstance(head, n.FieldNode):
            return self._field_command(head, args, has_final)
        if isinstance(head, n.ChainNode):
            return self._chain_command(head, args, has_final)
        if isinstance(head, n.VariableNode):
            return self._variable_command(head, args, has_final)
        if isinstance(head, n.IdentifierNode):
            return self.function_call(head, cmd, args, has_final)
        not_a_function = bool(args) or has_final
        if isinstance(head, n.PipeNode):
            if not_a_function:
                return _fail(self.site(previous), f"can't give argument to non-function {head}")
            pipe = self.pipeline(head)
            return lambda st, dot, final: pipe(st, dot)
        if not_a_function:
            return _fail(self.site(head), f"can't give argument to non-function {head}")
        return self._literal_command(head)

    def _literal_command(self, head: n.Node) -> Call:
        if isinstance(head, n.DotNode):
            return lambda st, dot, final: dot
        if isinstance(head, n.NilNode):
            return _fail(self.site(head), "nil is not a command")
        if isinstance(head, n.BoolNode | n.StringNode):
            constant = head.value if isinstance(head, n.BoolNode) else head.text
            return lambda st, dot, final: constant
        if isinstance(head, n.NumberNode):
            site = self.site(head)
            return lambda st, dot, final: ideal_constant(head, site)
        return _fail(self.site(head), f"can't evaluate command {go_quote(str(head))}")

    def _invoker(self, args: list[n.Node], has_final: bool, site: Site, call_site: Site) -> MethodCall | None:
        if not args and not has_final:
            return None
        return MethodCall([self.arg_spec(a) for a in args], site, call_site)

    def _field_command(self, head: n.FieldNode, args: list[n.Node], has_final: bool) -> Call:
        site = self.site(head)
        chain = Chain(head.ident, site, site, self._invoker(args, has_final, site, site))
        if chain.invoker is None:
            getter = dot_getter(chain)
            return lambda st, dot, final: getter(st, dot)
        return lambda st, dot, final: walk(st, dot, dot, chain, 0, IFACE if st.dot_iface else None, final)

    def _chain_command(self, head: n.ChainNode, args: list[n.Node], has_final: bool) -> Call:
        if isinstance(head.node, n.NilNode):
            return _fail(self.site(head), f"indirection through explicit nil in {head}")
        receiver = self.operand(head.node)
        site, call_site = self.site(self.last_at(head.node)), self.site(head)
        chain = Chain(tuple(head.fields), site, call_site, self._invoker(args, has_final, site, call_site))
        return lambda st, dot, final: walk(st, dot, receiver(st, dot), chain, 0, None, final)

    def _variable_command(self, head: n.VariableNode, args: list[n.Node], has_final: bool) -> Call:
        read = self.read_variable(head.ident[0], head)
        site = self.site(head)
        if len(head.ident) == 1:
            if args or has_final:
                message = f"can't give argument to non-function {head}"

                def not_a_function(st: State, dot: Any, final: Any) -> Any:
                    read(st)
                    raise site.error(message)

                return not_a_function
            return lambda st, dot, final: read(st)[0]
        chain = Chain(head.ident[1:], site, site, self._invoker(args, has_final, site, site))

        def variable_chain(st: State, dot: Any, final: Any) -> Any:
            value, slot = read(st)
            return walk(st, dot, value, chain, 0, IFACE if slot in st.iface_slots else None, final)

        return variable_chain

    def _lookup(self, name: str) -> tuple[GoFunction | None, bool]:
        """Go's findFunction: registered functions first (Sprig's `slice`), then the builtins."""
        function = self.functions.get(name)
        if function is not None:
            return function, False
        return self.builtins.get(name), True

    def function_call(self, ident: n.IdentifierNode, cmd: n.Node, args: list[n.Node], has_final: bool) -> Call:
        name = ident.ident
        at, cmd_site = self.site(ident), self.site(cmd)
        function, builtin = self._lookup(name)
        if function is None:
            return _fail(at, f"{go_quote(name)} is not a defined function")
        specs = [self.arg_spec(a) for a in args]
        if builtin and name in ("and", "or"):
            return compile_and_or(name, specs, has_final, at)
        if builtin and name == "call":
            return self._call_builtin(function, specs, args, has_final, at, cmd_site)
        return compile_call(function, name, specs, has_final, at, cmd_site)

    def function_eval(self, ident: n.IdentifierNode, cmd: n.Node, args: list[n.Node]) -> Eval:
        """A function call with no piped value, as an (state, dot) closure."""
        function, builtin = self._lookup(ident.ident)
        if function is None or (builtin and ident.ident in ("and", "or", "call")):
            call = self.function_call(ident, cmd, args, False)
            return lambda st, dot: call(st, dot, MISSING)
        specs = [self.arg_spec(a) for a in args]
        return compile_call_eval(function, ident.ident, specs, self.site(ident), self.site(cmd))

    def _call_builtin(self, function: GoFunction, specs: list[ArgSpec], args: list[n.Node], has_final: bool,
                      at: Site, cmd_site: Site) -> Call:
        # Go passes the callee's source text (or the piped value's String()) as the name in its errors.
        callee = str(args[0]) if args else None

        def named_call(fn: Any, *rest: Any) -> Any:
            return call_builtin(callee if callee is not None else value_string(fn), fn, *rest)

        return compile_call(GoFunction(function.signature, named_call), "call", specs, has_final, at, cmd_site)

    # ------------------------------------------------------------------------------------- operands

    def arg_spec(self, node: n.Node) -> ArgSpec:
        if isinstance(node, _LITERALS):
            return ArgSpec(node, None, self.site(node))
        return ArgSpec(node, self.operand(node), self.site(self.last_at(node)))

    def operand(self, node: n.Node) -> Eval:
        """An evaluated argument (Go's evalArg before type checking): nil interfaces are kept."""
        if isinstance(node, n.DotNode):
            return lambda st, dot: dot
        if isinstance(node, n.FieldNode):
            site = self.site(node)
            return dot_getter(Chain(node.ident, site, site, None))
        if isinstance(node, n.PipeNode):
            return self.pipeline(node)
        if isinstance(node, n.IdentifierNode):
            return self.function_eval(node, node, [])
        command: Call
        if isinstance(node, n.ChainNode):
            command = self._chain_command(node, [], False)
        elif isinstance(node, n.VariableNode):
            command = self._variable_command(node, [], False)
        else:
            command = self._literal_command(node)
        return lambda st, dot: command(st, dot, MISSING)

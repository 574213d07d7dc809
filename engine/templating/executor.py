"""The executor: templates compiled once into Python closures, cached by source text.

`compile_template(source)` parses with Go's parser (see `parser`), then turns each tree into closures
(no `eval`/`exec` anywhere); `CompiledTemplate.execute(root, context)` runs them and returns the text.
Templates without `{{` never reach the parser. Control structures follow exec.go: `if`/`with` truthiness,
`range` over lists, maps (sorted keys), integers (Go 1.24), `break`/`continue`, `template`/`block` calls
with their own variables, and Go's error for runaway recursion.

Deliberate differences from Go (everything else, messages and positions included, follows Go 1.24):
* template recursion stops where Python's stack does (hundreds of levels, not Go's 100000), with Go's
  `exceeded maximum template depth (100000)` message; data nested deeper than the stack allows fails with
  `value nested too deeply for this engine` where Go would render it;
* where Go reports an error on "the last node evaluated", that node is computed at compile time; after an
  `and`/`or` that stopped early inside an argument it may name a later operand than Go;
* a bug (a Python exception) inside a function is reported as `error calling NAME: <exception>`;
* an evaluation runs within a `Budget` (time, range iterations and template calls, output size; see
  `budget`) where Go runs as long as the template asks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from engine.templating import nodes as n
from engine.templating.budget import DEFAULT_BUDGET, SMALL_OUTPUT_PARTS, Budget, draw, output_exceeded
from engine.templating.builtins import BUILTINS, is_true
from engine.templating.compile_expr import Eval, ExprCompiler
from engine.templating.errors import TemplateError
from engine.templating.exec_state import NO_SLOTS, UNSET, BreakLoop, ContinueLoop, Site, Source, State
from engine.templating.fields import Chain, Getter, dot_getter
from engine.templating.funcs.registry import GoFunction
from engine.templating.function_table import FUNCTION_LOAD_ERRORS, functions_table
from engine.templating.gotypes import NO_VALUE, GoObject
from engine.templating.literals import go_quote
from engine.templating.parser import parse
from engine.templating.printing import sprint

__all__ = [
    "CACHE_SIZE", "FUNCTION_LOAD_ERRORS", "CompiledTemplate", "compile_template", "execute_source", "print_value",
]

CACHE_SIZE = 4096
GO_MAX_DEPTH = 100000  # Go's maxExecDepth; Python's stack gives out earlier, reported with Go's message
Run = Callable[[State, Any], None]


def _nothing(st: State, dot: Any) -> None:
    return None


class CompiledBody:
    """One compiled template of a set: its closure and how many variable slots its frame needs."""

    __slots__ = ("run", "slots")

    def __init__(self, run: Run, slots: int) -> None:
        self.run = run
        self.slots = slots

    def frame(self, dot: Any) -> list[Any]:
        frame = [UNSET] * self.slots
        frame[0] = dot
        return frame


_EMPTY_BODY = CompiledBody(_nothing, 1)


class TemplateSet:
    """The templates of one parse (the main one and every define/block), compiled on first use."""

    def __init__(self, tree: n.Tree, functions: Mapping[str, GoFunction]) -> None:
        self.trees = tree.defines
        self.source = Source(tree.text, tree.parse_name)
        self.functions = functions
        self.compiled: dict[str, CompiledBody] = {}

    def lookup(self, name: str) -> CompiledBody | None:
        body = self.compiled.get(name)
        if body is None:
            tree = self.trees.get(name)
            if tree is None:
                return None
            compiler = StatementCompiler(self, name)
            run = compiler.statements(tree.root)
            body = self.compiled[name] = CompiledBody(run, compiler.slots)
        return body


class StatementCompiler(ExprCompiler):
    """Compiles the statements (text, actions, control structures) of one template."""

    def __init__(self, templates: TemplateSet, name: str) -> None:
        super().__init__(name, templates.source, templates.functions, BUILTINS)
        self.templates = templates

    def statements(self, node: n.ListNode | None) -> Run:
        """A list of nodes. Text and printing actions (most of any µTask value) are inlined into one loop
        instead of one closure call each."""
        if node is None:
            return _nothing
        items: list[tuple[int, Any]] = []
        for child in node.nodes:
            if isinstance(child, n.TextNode):
                if items and items[-1][0] == _TEXT:  # e.g. around a removed comment
                    items[-1] = (_TEXT, items[-1][1] + child.text)
                else:
                    items.append((_TEXT, child.text))
            elif isinstance(child, n.ActionNode) and not child.pipe.decl:
                items.append((_PRINT, self.pipeline(child.pipe, dig=False)))
            else:
                run = self.statement(child)
                if run is not _nothing:
                    items.append((_RUN, run))
        return _sequence(items)

    def flat(self, node: n.ListNode) -> tuple[tuple[str, Getter | None], ...] | None:
        """(text, None) and ("", getter) items when the list holds only text and `{{.a.b}}` actions."""
        items: list[tuple[str, Getter | None]] = []
        for child in node.nodes:
            if isinstance(child, n.TextNode):
                items.append((child.text, None))
                continue
            if not isinstance(child, n.ActionNode) or child.pipe.decl or len(child.pipe.cmds) != 1:
                return None
            args = child.pipe.cmds[0].args
            if len(args) != 1 or not isinstance(args[0], n.FieldNode):
                return None
            site = self.site(args[0])
            items.append(("", dot_getter(Chain(args[0].ident, site, site, None))))
        return tuple(items)

    def statement(self, node: n.Node) -> Run:
        """A node other than text and printing actions (see `statements`)."""
        if isinstance(node, n.ActionNode):
            return self.declaration(node)
        if isinstance(node, n.IfNode):
            return self.if_node(node)
        if isinstance(node, n.RangeNode):
            return self.range_node(node)
        if isinstance(node, n.WithNode):
            return self.with_node(node)
        if isinstance(node, n.TemplateNode):
            return self.template_node(node)
        if isinstance(node, n.BreakNode):
            return _raise_break
        if isinstance(node, n.ContinueNode):
            return _raise_continue
        return _nothing  # comments

    def declaration(self, node: n.ActionNode) -> Run:
        """`{{$x := pipeline}}` / `{{$x = pipeline}}`: evaluated for its variables, prints nothing."""
        evaluate, _ = self.declaring_pipeline(node.pipe)

        def declare(st: State, dot: Any) -> None:
            evaluate(st, dot)

        return declare

    def if_node(self, node: n.IfNode) -> Run:
        scope = len(self.scope)
        condition, _ = self.declaring_pipeline(node.pipe, dig=False)
        then, otherwise = self.statements(node.list), self.statements(node.else_list)
        del self.scope[scope:]

        def run_if(st: State, dot: Any) -> None:
            if is_true(condition(st, dot)):
                then(st, dot)
            else:
                otherwise(st, dot)

        return run_if

    def with_node(self, node: n.WithNode) -> Run:
        scope = len(self.scope)
        value_of, _ = self.declaring_pipeline(node.pipe)
        body, otherwise = self.statements(node.list), self.statements(node.else_list)
        del self.scope[scope:]

        def run_with(st: State, dot: Any) -> None:
            value = value_of(st, dot)
            if is_true(value):
                saved, st.dot_iface = st.dot_iface, False
                body(st, value)
                st.dot_iface = saved
            else:
                otherwise(st, dot)

        return run_with

    def range_node(self, node: n.RangeNode) -> Run:
        from engine.templating.ranges import RangeLoop

        scope = len(self.scope)
        collection, slots = self.declaring_pipeline(node.pipe)
        decl_names = [v.ident[0] for v in node.pipe.decl]
        assigners = [self.assigner(name, self.site(self.last_at(node.pipe))) for name in decl_names] \
            if node.pipe.is_assign else []
        first_body_slot = self.slots
        body = self.statements(node.list)
        body_slots = tuple(range(first_body_slot, self.slots))
        otherwise = self.statements(node.else_list)
        del self.scope[scope:]
        loop = RangeLoop(collection, body, otherwise, slots, assigners, body_slots,
                         _has_loop_control(node.list), self.site(self.last_at(node.pipe)))
        return loop.run

    def template_node(self, node: n.TemplateNode) -> Run:
        site = self.site(node)
        argument = self.pipeline(node.pipe) if node.pipe is not None else None
        templates, name = self.templates, node.name

        def call_template(st: State, dot: Any) -> None:
            body = templates.lookup(name)
            if body is None:
                raise site.error(f"template {go_quote(name)} not defined")
            if st.depth >= GO_MAX_DEPTH:
                raise site.error(f"exceeded maximum template depth ({GO_MAX_DEPTH})")
            if st.credit:  # one step of the budget: calls can multiply like nested ranges
                st.credit -= 1
            else:
                draw(st, 1, site)
            value = argument(st, dot) if argument is not None else NO_VALUE
            saved = st.vars, st.dot_iface, st.iface_slots
            st.vars, st.dot_iface, st.iface_slots = body.frame(value), False, NO_SLOTS
            st.depth += 1
            try:
                body.run(st, value)
            except RecursionError:
                raise _too_deep(site) from None
            st.depth -= 1
            st.vars, st.dot_iface, st.iface_slots = saved

        return call_template


def _too_deep(site: Site) -> TemplateError:
    return site.error(f"exceeded maximum template depth ({GO_MAX_DEPTH})")


def _raise_break(st: State, dot: Any) -> None:
    raise BreakLoop


def _raise_continue(st: State, dot: Any) -> None:
    raise ContinueLoop


def _has_loop_control(node: n.Node | None) -> bool:
    """Whether break/continue in this range body belong to it (not to a nested range)."""
    if node is None:
        return False
    if isinstance(node, n.BreakNode | n.ContinueNode):
        return True
    if isinstance(node, n.ListNode):
        return any(_has_loop_control(child) for child in node.nodes)
    if isinstance(node, n.RangeNode):
        return _has_loop_control(node.else_list)
    if isinstance(node, n.IfNode | n.WithNode):
        return _has_loop_control(node.list) or _has_loop_control(node.else_list)
    return False


def print_value(value: Any) -> str:
    """What `{{pipeline}}` writes (Go's printValue): `<no value>` for nothing, structs dereferenced."""
    if value is NO_VALUE or value is None:
        return "<no value>"
    if isinstance(value, GoObject) and not value.is_stringer:
        return value.go_string()  # printValue dereferences a pointer before printing
    return sprint(value)


_TEXT, _PRINT, _RUN = range(3)


def _sequence(items: list[tuple[int, Any]]) -> Run:
    if not items:
        return _nothing
    if len(items) == 1:
        kind, item = items[0]
        if kind == _TEXT:
            return lambda st, dot: st.out.append(item)
        return _printer(item) if kind == _PRINT else item
    sequence = tuple(items)

    def run_sequence(st: State, dot: Any) -> None:
        out = st.out
        for kind, item in sequence:
            if kind == _TEXT:
                out.append(item)
            elif kind == _PRINT:
                value = item(st, dot)
                out.append(value if type(value) is str else print_value(value))
            else:
                item(st, dot)

    return run_sequence


def _printer(evaluate: Eval) -> Run:
    def print_action(st: State, dot: Any) -> None:
        value = evaluate(st, dot)
        st.out.append(value if type(value) is str else print_value(value))

    return print_action


class CompiledTemplate:
    """A parsed and compiled template source, ready to execute any number of times."""

    __slots__ = ("source", "tree", "templates", "_main", "_flat", "_shared", "_few_parts")

    def __init__(self, source: str, tree: n.Tree, functions: Mapping[str, GoFunction]) -> None:
        self.source = source
        self.tree = tree
        self.templates = TemplateSet(tree, functions)
        # Most µTask values are text and field chains only: those run without a per-call State (the
        # getters only read the state, on their error paths), sharing this one.
        self._flat = StatementCompiler(self.templates, tree.name).flat(tree.root)
        self._shared = State(None, [None])
        main = self.templates.lookup(tree.name) if self._flat is None else _EMPTY_BODY
        assert main is not None
        self._main = main
        # Whether the output is always a few parts, so that joining them needs no size check first.
        most = len(self._flat) if self._flat is not None else _most_parts(tree.root)
        self._few_parts = most <= SMALL_OUTPUT_PARTS

    def execute(self, root: Any, context: Any, budget: Budget = DEFAULT_BUDGET) -> str:
        """Run against the root data (`.` and `$`); `context` is the FunctionContext of µTask's funcs.

        Going over `budget` (time, steps, output size) raises a TemplateError, like Go's exec errors."""
        try:
            if self._flat is not None:
                return self._run_flat(root, budget)
            main = self._main
            st = State(context, [root] if main.slots == 1 else main.frame(root), budget)
            main.run(st, root)
            if not self._few_parts and budget.output < _count_output(st):
                raise output_exceeded(budget, self.tree.name)  # before the join would allocate it
            text = "".join(st.out)
        except RecursionError:
            # Template recursion is reported where it happens (Go's depth error); this is data nested
            # deeper than Python's stack allows, which Go would have handled.
            raise TemplateError(f"template: {self.tree.name}: value nested too deeply for this engine",
                                kind="exec", line=None) from None
        if len(text) > budget.output:
            raise output_exceeded(budget, self.tree.name)
        return text

    def _run_flat(self, root: Any, budget: Budget) -> str:
        shared = self._shared
        parts = []
        for text, getter in self._flat or ():
            if getter is None:
                parts.append(text)
            else:
                value = getter(shared, root)
                parts.append(value if type(value) is str else print_value(value))
        if not self._few_parts and sum(map(len, parts)) > budget.output:
            raise output_exceeded(budget, self.tree.name)  # before the join would allocate it
        text = "".join(parts)
        if len(text) > budget.output:
            raise output_exceeded(budget, self.tree.name)
        return text


def _most_parts(node: n.Node | None) -> int:
    """How many parts straight-line code can write at most (_UNBOUNDED once it can loop or call)."""
    if isinstance(node, n.ListNode):
        total = 0
        for child in node.nodes:
            total += _most_parts(child)
        return total
    if isinstance(node, n.TextNode):
        return 1
    if isinstance(node, n.ActionNode):
        return 0 if node.pipe.decl else 1
    if isinstance(node, (n.IfNode, n.WithNode)):  # a tuple: faster than a union here
        return max(_most_parts(node.list), _most_parts(node.else_list))
    if isinstance(node, (n.RangeNode, n.TemplateNode)):
        return _UNBOUNDED
    return 0  # nothing, comments, break, continue


_UNBOUNDED = 1 << 30


def _count_output(st: State) -> int:
    """Characters of the whole output (parts measured at the last checkpoint are not measured again)."""
    meter = st.meter
    return sum(map(len, st.out)) if meter is None else meter.count_output(st.out)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile_cached(source: str) -> CompiledTemplate | TemplateError:
    try:
        tree = parse(source)
    except TemplateError as error:
        return error
    try:
        return CompiledTemplate(source, tree, functions_table())
    except RecursionError:
        return TemplateError("template: tmpl:1: template nested too deeply", kind="parse", line=1, offset=0)


def compile_template(source: str) -> CompiledTemplate:
    """The compiled template for `source` (cached); raises `TemplateError` for Go's parse errors."""
    compiled = _compile_cached(source)
    if isinstance(compiled, TemplateError):
        raise TemplateError(compiled.message, kind=compiled.kind, line=compiled.line, column=compiled.column,
                            offset=compiled.offset)
    return compiled


def execute_source(source: str, root: Any, context: Any, budget: Budget = DEFAULT_BUDGET) -> str:
    """Render `source` against `root`: plain text is returned as is, the rest compiled (cached) and run."""
    if "{{" not in source:
        return source
    compiled = _compile_cached(source)
    if type(compiled) is CompiledTemplate:
        return compiled.execute(root, context, budget)
    return compile_template(source).execute(root, context, budget)  # raises the parse error


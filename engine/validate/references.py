"""DAG-aware reference analysis: what each step's templates read, checked against the graph.

µTask accepts a step reading `.step.X` even when nothing orders X before it; at run time the value is
then empty or stale depending on timing. These are warnings (µTask loads such templates), found by
walking the parsed Go templates so that `range`/`with` bodies, where `.` is not the root, are not
mistaken for root handles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from engine.diagnostics import JsonPath
from engine.templating import TemplateError, parse
from engine.templating.nodes import (
    ActionNode,
    BranchNode,
    ChainNode,
    CommandNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    Node,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    VariableNode,
    WithNode,
)
from engine.templating.parser import is_field_chains_only
from engine.validate.context import Checker
from engine.validate.syntax import MAX_CHECKED_LENGTH, templated_strings

__all__ = ["RootReference", "check_references", "root_references"]

_FIELD_CHAIN = re.compile(r"\{\{(- )? *((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


@dataclass(frozen=True, slots=True)
class RootReference:
    """A path read from the root context, e.g. ("step", "fetch", "output"), and where it starts."""

    path: tuple[str, ...]
    offset: int


def root_references(source: str) -> list[RootReference]:
    """Root-context paths a template reads (`.a.b`, `$.a.b`, `field "a" "b"`); [] if it doesn't parse."""
    if "{{" not in source or len(source) > MAX_CHECKED_LENGTH:
        return []
    if is_field_chains_only(source):  # the common case, without a full parse
        return [RootReference(tuple(match.group(2).split(".")[1:]), match.start(2))
                for match in _FIELD_CHAIN.finditer(source)]
    try:
        tree = parse(source)
    except TemplateError:
        return []
    return [_at_start(reference, source) for reference in _walk(tree.root, dot_is_root=True)]


def _walk(node: Node | None, dot_is_root: bool) -> Iterator[RootReference]:
    if isinstance(node, ListNode):
        for child in node.nodes:
            yield from _walk(child, dot_is_root)
    elif isinstance(node, ActionNode):
        yield from _pipe(node.pipe, dot_is_root)
    elif isinstance(node, BranchNode):
        yield from _pipe(node.pipe, dot_is_root)
        # Inside range/with bodies `.` is the element, not the root; `if` keeps it.
        inner = dot_is_root and not isinstance(node, RangeNode | WithNode)
        yield from _walk(node.list, inner)
        yield from _walk(node.else_list, dot_is_root if isinstance(node, WithNode) else inner)
    elif isinstance(node, TemplateNode) and node.pipe is not None:
        yield from _pipe(node.pipe, dot_is_root)


def _pipe(pipe: PipeNode, dot_is_root: bool) -> Iterator[RootReference]:
    for command in pipe.cmds:
        yield from _command(command, dot_is_root)


def _command(command: CommandNode, dot_is_root: bool) -> Iterator[RootReference]:
    args = command.args
    if args and isinstance(args[0], IdentifierNode) and args[0].ident == "field":
        names = [arg.text for arg in args[1:] if isinstance(arg, StringNode)]
        if len(names) == len(args) - 1 and names:
            yield RootReference(tuple(names), args[0].pos)
            return
    for arg in args:
        yield from _operand(arg, dot_is_root)


def _operand(node: Node, dot_is_root: bool) -> Iterator[RootReference]:
    if isinstance(node, FieldNode) and dot_is_root:
        yield RootReference(node.ident, node.pos)  # Go's position: the second field of a chain
    elif isinstance(node, VariableNode) and node.ident[0] == "$" and len(node.ident) > 1:
        yield RootReference(node.ident[1:], node.pos)
    elif isinstance(node, PipeNode):
        yield from _pipe(node, dot_is_root)
    elif isinstance(node, ChainNode):
        yield from _operand(node.node, dot_is_root)


def check_references(checker: Checker) -> None:
    data = checker.document.data
    if not isinstance(data, dict):
        return
    used_inputs: set[tuple[str, str]] = set()
    for path, text in templated_strings(data):
        for reference in root_references(text):
            _note_input(reference, used_inputs)
            if len(path) > 1 and path[0] == "steps" and isinstance(path[1], str):
                _check_step_reference(checker, path[1], path, reference)
    _check_unused_inputs(checker, used_inputs)


def _note_input(reference: RootReference, used: set[tuple[str, str]]) -> None:
    if len(reference.path) >= 2 and reference.path[0] in ("input", "resolver_input"):
        used.add((reference.path[0], reference.path[1]))


def _at_start(reference: RootReference, text: str) -> RootReference:
    """Go positions a multi-field chain at its second field; point at its first one instead."""
    if len(reference.path) < 2 or text[reference.offset: reference.offset + 1] != ".":
        return reference
    found = text.rfind("." + reference.path[0], 0, reference.offset)
    return reference if found < 0 else RootReference(reference.path, found)


def _check_step_reference(checker: Checker, step: str, path: JsonPath, reference: RootReference) -> None:
    head = reference.path[0]
    model = checker.template.steps.get(step)
    if model is None:
        return
    if head == "step" and len(reference.path) >= 2:
        _check_step_order(checker, step, path, reference)
    elif head == "iterator" and not model.foreach:
        checker.warning("iterator-outside-foreach", "`.iterator` is only set for the children of a foreach "
                        "step; here it is always empty", "add `foreach:` to this step, or read the value "
                        "another way", path, offset=reference.offset)
    elif head == "function_args":
        checker.warning("function-args-outside-function", "`.function_args` is only set inside function "
                        "files; in a template step it is always empty", "pass the value directly", path,
                        offset=reference.offset)
    elif head == "pre_hook" and model.pre_hook is None and path[2] != "pre_hook":
        checker.warning("pre-hook-missing", "`.pre_hook` is read but this step has no `pre_hook`",
                        "add a `pre_hook:` to the step (or use a function that has one)", path,
                        offset=reference.offset)


def _check_step_order(checker: Checker, step: str, path: JsonPath, reference: RootReference) -> None:
    target = reference.path[1]
    steps = checker.template.steps
    if target in ("this", step) or target not in steps:
        return  # `this` is fine; unknown steps are the handle linter's job
    if checker.graph.is_ancestor(target, of=step):
        if len(reference.path) >= 3 and reference.path[2] == "children" and not steps[target].foreach:
            checker.warning("children-of-plain-step", f"`.step.{target}.children` is empty: `{target}` is "
                            "not a foreach step", "read `.output` instead", path, offset=reference.offset)
        return
    later = checker.graph.is_ancestor(step, of=target)
    reason = "runs after it" if later else "is not ordered before it"
    checker.warning("step-read-before-run", f"this step reads `.step.{target}` but `{target}` {reason}: the "
                    "value may be empty or stale when this step runs",
                    f"add `{target}` to the dependencies of `{step}`" if not later else
                    f"`{target}` depends on `{step}`; read it from a later step", path, offset=reference.offset)


def _check_unused_inputs(checker: Checker, used: set[tuple[str, str]]) -> None:
    for key, root in (("inputs", "input"), ("resolver_inputs", "resolver_input")):
        for index, definition in enumerate(getattr(checker.template, key)):
            if definition.name and (root, definition.name) not in used:
                checker.info("input-unused", f"input `{definition.name}` is never read by the template",
                             "remove it, or use it as `{{." + root + "." + definition.name + "}}`",
                             (key, index, "name"))

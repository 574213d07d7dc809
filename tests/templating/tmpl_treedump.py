"""Dump a parse result in the same S-expression form as go_oracle/main.go, for differential tests.

Positions are converted to Go's byte offsets; floats are printed as their IEEE-754 bit patterns so that
no float formatting differences can hide (or fake) a mismatch.
"""

from __future__ import annotations

import struct
from typing import Any

from engine.templating import TemplateError, parse
from engine.templating import nodes as n
from engine.templating.literals import go_quote


def _bits(value: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", value))[0])


def _flag(value: bool) -> str:
    return "true" if value else "false"


class _Dumper:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []

    def pos(self, node: n.Node) -> int:
        return len(self.source[: node.pos].encode("utf-8", "surrogateescape"))

    def dump(self, node: n.Node | None) -> None:  # noqa: C901 - one branch per node type
        out = self.out
        if node is None:
            out.append("nil")
        elif isinstance(node, n.ListNode):
            out.append(f"(list {self.pos(node)}")
            for child in node.nodes:
                out.append(" ")
                self.dump(child)
            out.append(")")
        elif isinstance(node, n.TextNode):
            out.append(f"(text {self.pos(node)} {go_quote(node.text)})")
        elif isinstance(node, n.ActionNode):
            out.append(f"(action {self.pos(node)} ")
            self.dump(node.pipe)
            out.append(")")
        elif isinstance(node, n.PipeNode):
            out.append(f"(pipe {self.pos(node)} {_flag(node.is_assign)} [")
            for variable in node.decl:
                self.dump(variable)
            out.append("]")
            for cmd in node.cmds:
                out.append(" ")
                self.dump(cmd)
            out.append(")")
        elif isinstance(node, n.CommandNode):
            out.append(f"(cmd {self.pos(node)}")
            for arg in node.args:
                out.append(" ")
                self.dump(arg)
            out.append(")")
        elif isinstance(node, n.FieldNode):
            out.append(f"(field {self.pos(node)} {go_quote('|'.join(node.ident))})")
        elif isinstance(node, n.VariableNode):
            out.append(f"(var {self.pos(node)} {go_quote('|'.join(node.ident))})")
        elif isinstance(node, n.ChainNode):
            out.append(f"(chain {self.pos(node)} ")
            self.dump(node.node)
            out.append(f" {go_quote('|'.join(node.fields))})")
        elif isinstance(node, n.DotNode):
            out.append(f"(dot {self.pos(node)})")
        elif isinstance(node, n.NilNode):
            out.append(f"(nil {self.pos(node)})")
        elif isinstance(node, n.BoolNode):
            out.append(f"(bool {self.pos(node)} {_flag(node.value)})")
        elif isinstance(node, n.NumberNode):
            out.append(
                f"(num {self.pos(node)} {go_quote(node.text)} {_flag(node.is_int)} {_flag(node.is_uint)} "
                f"{_flag(node.is_float)} {_flag(node.is_complex)} {node.int64} {node.uint64} "
                f"{_bits(node.float64)} {_bits(node.complex128.real)} {_bits(node.complex128.imag)})"
            )
        elif isinstance(node, n.StringNode):
            out.append(f"(str {self.pos(node)} {go_quote(node.quoted)} {go_quote(node.text)})")
        elif isinstance(node, n.IdentifierNode):
            out.append(f"(ident {self.pos(node)} {go_quote(node.ident)})")
        elif isinstance(node, n.BranchNode):
            out.append(f"({node.keyword} {self.pos(node)} ")
            self.dump(node.pipe)
            out.append(" ")
            self.dump(node.list)
            out.append(" ")
            self.dump(node.else_list)
            out.append(")")
        elif isinstance(node, n.TemplateNode):
            out.append(f"(template {self.pos(node)} {go_quote(node.name)} ")
            self.dump(node.pipe)
            out.append(")")
        elif isinstance(node, n.BreakNode):
            out.append(f"(break {self.pos(node)})")
        elif isinstance(node, n.ContinueNode):
            out.append(f"(continue {self.pos(node)})")
        else:
            raise AssertionError(f"unexpected node {node!r}")


def dump_tree(source: str, root: n.ListNode) -> str:
    dumper = _Dumper(source)
    dumper.dump(root)
    return "".join(dumper.out)


def parse_result(source: str) -> dict[str, Any]:
    """{"err": message or None, "trees": {name: dump}, "strs": {name: String()}} like the Go oracle."""
    try:
        tree = parse(source)
    except TemplateError as error:
        return {"err": error.message, "trees": None, "strs": None}
    trees = {name: dump_tree(source, t.root) for name, t in sorted(tree.defines.items())}
    strs = {name: str(t.root) for name, t in sorted(tree.defines.items())}
    return {"err": None, "trees": trees, "strs": strs}

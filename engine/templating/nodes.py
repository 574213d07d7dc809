"""Parse-tree nodes mirroring Go's text/template/parse package.

Every node has `pos`, a 0-based *character* offset into the template source (Go keeps byte offsets;
`errors.go_location` converts when a Go-style message needs them). ``str(node)`` reproduces Go's
``Node.String()``, which exec error messages quote (``at <.x.y>``, ``at <index .a 1>``).

Nodes are plain slotted dataclasses compared by identity, so an executor can use them as dict keys and
dispatch with ``match``/``isinstance`` when compiling them to closures. Trees never contain `EndNode`
or `ElseNode`: the parser only uses them to close lists.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import ClassVar

from engine.templating.errors import go_location
from engine.templating.literals import go_quote

__all__ = [
    "ActionNode",
    "BoolNode",
    "BranchNode",
    "BreakNode",
    "ChainNode",
    "CommandNode",
    "CommentNode",
    "ContinueNode",
    "DotNode",
    "ElseNode",
    "EndNode",
    "FieldNode",
    "IdentifierNode",
    "IfNode",
    "ListNode",
    "NilNode",
    "Node",
    "NumberNode",
    "PipeNode",
    "RangeNode",
    "StringNode",
    "TemplateNode",
    "TextNode",
    "Tree",
    "VariableNode",
    "WithNode",
    "is_empty_tree",
]

# unicode.IsSpace, which bytes.TrimSpace uses (str.strip() would also strip \x1c-\x1f).
_GO_UNICODE_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501


@dataclass(slots=True, eq=False)
class Node:
    """Base class: `pos` is the character offset where Go's parser says the node starts."""

    pos: int

    def __str__(self) -> str:
        parts: list[str] = []
        self.write_to(parts)
        return "".join(parts)

    def write_to(self, out: list[str]) -> None:
        """Append Go's String() form of the node to `out`."""
        raise NotImplementedError


@dataclass(slots=True, eq=False)
class ListNode(Node):
    nodes: list[Node] = field(default_factory=list)

    def write_to(self, out: list[str]) -> None:
        for node in self.nodes:
            node.write_to(out)


@dataclass(slots=True, eq=False)
class TextNode(Node):
    text: str

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


@dataclass(slots=True, eq=False)
class CommentNode(Node):
    """Only produced with ``comments=True`` (Go's ParseComments mode); `text` includes ``/* */``."""

    text: str

    def write_to(self, out: list[str]) -> None:
        out.append("{{" + self.text + "}}")


@dataclass(slots=True, eq=False)
class DotNode(Node):
    def write_to(self, out: list[str]) -> None:
        out.append(".")


@dataclass(slots=True, eq=False)
class NilNode(Node):
    def write_to(self, out: list[str]) -> None:
        out.append("nil")


@dataclass(slots=True, eq=False)
class BoolNode(Node):
    value: bool

    def write_to(self, out: list[str]) -> None:
        out.append("true" if self.value else "false")


@dataclass(slots=True, eq=False)
class NumberNode(Node):
    """A numeric constant with Go's classification; several `is_*` flags can hold at once.

    `text` is the literal as written (``0x10``, ``'a'``, ``1_000``), which is also its String() form.
    A value that fits none of Go's types is a parse error, except ``int`` overflow of a uint such as
    9223372036854775808, which Go only reports at execution ("overflows int").
    """

    text: str
    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = 0j

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


@dataclass(slots=True, eq=False)
class StringNode(Node):
    """`quoted` is the source form (with quotes), `text` the unquoted value."""

    quoted: str
    text: str

    def write_to(self, out: list[str]) -> None:
        out.append(self.quoted)


@dataclass(slots=True, eq=False)
class IdentifierNode(Node):
    """A function name (existence was checked at parse time)."""

    ident: str

    def write_to(self, out: list[str]) -> None:
        out.append(self.ident)


@dataclass(slots=True, eq=False)
class FieldNode(Node):
    """``.a.b.c`` → ident ``("a", "b", "c")``; `pos` is Go's (see the parser: it can be a later field)."""

    ident: tuple[str, ...]

    def write_to(self, out: list[str]) -> None:
        for name in self.ident:
            out.append("." + name)


@dataclass(slots=True, eq=False)
class VariableNode(Node):
    """``$x.a.b`` → ident ``("$x", "a", "b")``; ``$`` alone is ``("$",)``."""

    ident: tuple[str, ...]

    def write_to(self, out: list[str]) -> None:
        out.append(".".join(self.ident))


@dataclass(slots=True, eq=False)
class ChainNode(Node):
    """Field accesses on a term that is not a field or variable: ``(pipe).a.b``, ``fn.a``."""

    node: Node
    fields: list[str] = field(default_factory=list)

    def write_to(self, out: list[str]) -> None:
        if isinstance(self.node, PipeNode):
            out.append("(")
            self.node.write_to(out)
            out.append(")")
        else:
            self.node.write_to(out)
        for name in self.fields:
            out.append("." + name)


@dataclass(slots=True, eq=False)
class CommandNode(Node):
    """One stage of a pipeline: ``args[0]`` is the callee (or a lone operand)."""

    args: list[Node] = field(default_factory=list)

    def write_to(self, out: list[str]) -> None:
        for index, arg in enumerate(self.args):
            if index:
                out.append(" ")
            if isinstance(arg, PipeNode):
                out.append("(")
                arg.write_to(out)
                out.append(")")
            else:
                arg.write_to(out)


@dataclass(slots=True, eq=False)
class PipeNode(Node):
    """``$a, $b := cmd | cmd``; `is_assign` distinguishes ``=`` from ``:=``."""

    is_assign: bool = False
    decl: list[VariableNode] = field(default_factory=list)
    cmds: list[CommandNode] = field(default_factory=list)

    def write_to(self, out: list[str]) -> None:
        if self.decl:
            out.append(", ".join(str(v) for v in self.decl))
            out.append(" := ")  # Go prints ":=" for assignments too
        for index, cmd in enumerate(self.cmds):
            if index:
                out.append(" | ")
            cmd.write_to(out)


@dataclass(slots=True, eq=False)
class ActionNode(Node):
    """``{{pipeline}}``; `pos` is the first token inside the delimiters."""

    pipe: PipeNode

    def write_to(self, out: list[str]) -> None:
        out.append("{{")
        self.pipe.write_to(out)
        out.append("}}")


@dataclass(slots=True, eq=False)
class BranchNode(Node):
    """Common shape of if/range/with; `pos` is the pipeline's position, as in Go."""

    pipe: PipeNode
    list: ListNode
    else_list: ListNode | None = None

    keyword: ClassVar[str] = "?"

    def write_to(self, out: builtins.list[str]) -> None:  # `list` is the field here
        out.append("{{" + self.keyword + " ")
        self.pipe.write_to(out)
        out.append("}}")
        self.list.write_to(out)
        if self.else_list is not None:
            out.append("{{else}}")
            self.else_list.write_to(out)
        out.append("{{end}}")


@dataclass(slots=True, eq=False)
class IfNode(BranchNode):
    """``else if`` is an else list holding a single nested IfNode."""

    keyword: ClassVar[str] = "if"


@dataclass(slots=True, eq=False)
class RangeNode(BranchNode):
    keyword: ClassVar[str] = "range"


@dataclass(slots=True, eq=False)
class WithNode(BranchNode):
    """``else with`` is an else list holding a single nested WithNode."""

    keyword: ClassVar[str] = "with"


@dataclass(slots=True, eq=False)
class TemplateNode(Node):
    """``{{template "name" pipe}}``, also what a ``{{block}}`` leaves in place."""

    name: str
    pipe: PipeNode | None = None

    def write_to(self, out: list[str]) -> None:
        out.append("{{template " + go_quote(self.name))
        if self.pipe is not None:
            out.append(" ")
            self.pipe.write_to(out)
        out.append("}}")


@dataclass(slots=True, eq=False)
class BreakNode(Node):
    def write_to(self, out: list[str]) -> None:
        out.append("{{break}}")


@dataclass(slots=True, eq=False)
class ContinueNode(Node):
    def write_to(self, out: list[str]) -> None:
        out.append("{{continue}}")


@dataclass(slots=True, eq=False)
class EndNode(Node):
    """Parser-internal: closes a list (never left in a tree)."""

    def write_to(self, out: list[str]) -> None:
        out.append("{{end}}")


@dataclass(slots=True, eq=False)
class ElseNode(Node):
    """Parser-internal: splits a list (never left in a tree)."""

    def write_to(self, out: list[str]) -> None:
        out.append("{{else}}")


def is_empty_tree(node: Node | None) -> bool:
    """Go's parse.IsEmptyTree: only whitespace text and comments (decides define/redefine clashes)."""
    if node is None or isinstance(node, CommentNode):
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(child) for child in node.nodes)
    if isinstance(node, TextNode):
        return not node.text.strip(_GO_UNICODE_SPACE)
    return False


@dataclass(slots=True, eq=False)
class Tree:
    """One named template.

    `defines` is Go's tree set, shared by every tree of one parse: all named templates, *including* the
    top-level one under its own name (so ``{{template "tmpl"}}`` can recurse). `parse()` returns
    ``defines[name]``, which is a ``{{define "tmpl"}}`` body when the top-level text was empty.
    """

    name: str
    root: ListNode
    text: str
    parse_name: str
    defines: dict[str, Tree]

    def location(self, node: Node) -> tuple[int, int]:
        """Go's (1-based line, 0-based byte column) of a node, as exec errors print them."""
        return go_location(self.text, node.pos)

    def error_context(self, node: Node) -> tuple[str, str]:
        """Go's ``Tree.ErrorContext``: (``"tmpl:1:8"``, node String())."""
        line, column = go_location(self.text, node.pos)
        return f"{self.parse_name}:{line}:{column}", str(node)

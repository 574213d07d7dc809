"""Go text/template's parser: same trees, same error texts, same line numbers.

The structure follows Go's recursive descent closely because the *error behaviour* depends on it: which
token is being looked at when an error fires decides both the message and the reported line.

This module holds the entry points and the tree level (text, actions, if/range/with, define, template,
block); `expressions` parses pipelines and `cursor` provides token access and Go-style errors.

``{{define}}`` and ``{{block}}`` bodies are parsed by a child parser sharing the lexer, as in Go. Go's
parent keeps its own stale ``token[0]`` meanwhile, so the one parent error that can fire right after a
child finishes (``unexpected {{else}} in block clause``) blames the token saved before the child started.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from engine.templating import lexer as lx
from engine.templating.cursor import TokenStream
from engine.templating.errors import TemplateError, line_of, parse_error
from engine.templating.expressions import ExpressionParser
from engine.templating.functions_names import BUILTIN_NAMES, FUNCTION_NAMES
from engine.templating.lexer import Token, lex
from engine.templating.literals import go_quote
from engine.templating.nodes import (
    ActionNode,
    BreakNode,
    CommentNode,
    ContinueNode,
    ElseNode,
    EndNode,
    IfNode,
    ListNode,
    Node,
    PipeNode,
    RangeNode,
    TemplateNode,
    TextNode,
    Tree,
    WithNode,
    is_empty_tree,
)

__all__ = ["check_syntax", "is_field_chains_only", "parse"]


def parse(
    source: str,
    *,
    name: str = "tmpl",
    funcs: Collection[str] = FUNCTION_NAMES,
    comments: bool = False,
) -> Tree:
    """Parse like ``template.New(name).Funcs(funcs).Parse(source)``; raises `TemplateError` (kind "parse").

    Go's builtins (``and``, ``index``, ``printf``…) are always known, whatever `funcs` holds. The result
    is the tree Go would execute for `name`; ``result.defines`` holds every named template of the set.
    `comments=True` keeps `CommentNode`s (Go's ParseComments mode; µTask does not use it).
    """
    tree_set: dict[str, Tree] = {}
    if "{{" not in source:  # fast path: plain text needs no lexing or parsing
        root = ListNode(0, [TextNode(0, source)] if source else [])
        tree_set[name] = Tree(name, root, source, name, tree_set)
        return tree_set[name]
    known = funcs if isinstance(funcs, (set, frozenset, dict)) else frozenset(funcs)
    tokens = lex(
        source,
        break_ok=not _has_function(known, "break"),
        continue_ok=not _has_function(known, "continue"),
        emit_comments=comments,
    )
    stream = TokenStream(tokens, source, name, known, tree_set)
    try:
        _TreeParser(stream, name).parse_main()
    except RecursionError:
        # Go nests without limit; Python's stack does not. Report it as a parse error instead of crashing.
        raise parse_error(name, line_of(source, 0), "template nested too deeply", 0) from None
    return tree_set[name]


# Text whose only actions are plain field chains (`{{ .step.x.output.id }}`) cannot fail to parse; most
# µTask values look like that, so the validator skips the full parse for them.
_FIELD_CHAINS_ONLY = re.compile(
    r"(?:[^{]|\{(?!\{))*(?:\{\{(?:- )? *(?:\.[A-Za-z_][A-Za-z0-9_]*)+ *(?: -)?\}\}(?:[^{]|\{(?!\{))*)*"
)


def is_field_chains_only(source: str) -> bool:
    """True when every action of `source` is a plain field chain such as `{{ .input.name }}`."""
    return _FIELD_CHAINS_ONLY.fullmatch(source) is not None


def check_syntax(source: str) -> TemplateError | None:
    """The parse error µTask would raise for `source` (with all µTask functions known), or None."""
    if _FIELD_CHAINS_ONLY.fullmatch(source):
        return None
    try:
        parse(source)
    except TemplateError as error:
        return error
    return None


def _has_function(funcs: Collection[str], name: str) -> bool:
    return name in funcs or name in BUILTIN_NAMES


class _TreeParser(ExpressionParser):
    """Parses one tree (the top level, or one define/block body), like Go's *parse.Tree."""

    __slots__ = ()

    def parse_main(self) -> None:
        """Go's Tree.parse: the top-level list, with ``{{define}}`` handled before any action."""
        s = self.s
        self.root = root = ListNode(self.peek().pos)
        while self.peek().kind != lx.EOF:
            if self.peek().kind == lx.LEFT_DELIM:
                delim_index = s.index
                self.next()
                if self.next_non_space().kind == lx.DEFINE:
                    _TreeParser(s, "definition").parse_definition()
                    continue
                s.index = delim_index
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                raise self.errorf(f"unexpected {node}")
            root.nodes.append(node)
        self.add()

    def parse_definition(self) -> None:
        context = "define clause"
        token = self.next_non_space()
        if token.kind not in (lx.STRING, lx.RAW_STRING):
            raise self.unexpected(token, context)
        self.name = self.unquote(token.val)
        self.expect(lx.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            raise self.errorf(f"unexpected {end} in {context}")
        self.add()

    def add(self) -> None:
        """Register this tree; an empty tree never replaces (nor clashes with) a non-empty one."""
        tree_set = self.s.tree_set
        existing = tree_set.get(self.name)
        if existing is None or is_empty_tree(existing.root):
            tree_set[self.name] = Tree(self.name, self.root, self.s.source, self.s.parse_name, tree_set)
        elif not is_empty_tree(self.root):
            raise self.errorf(f"template: multiple definition of template {go_quote(self.name)}")

    def item_list(self) -> tuple[ListNode, Node]:
        """Nodes up to an ``{{end}}`` or ``{{else}}``, which is returned as the second value."""
        nodes = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().kind != lx.EOF:
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                return nodes, node
            nodes.nodes.append(node)
        raise self.errorf("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.kind == lx.TEXT:
            return TextNode(token.pos, token.val)
        if token.kind == lx.LEFT_DELIM:
            self.action_pos = token.pos  # its line is only computed if an error needs it
            try:
                return self.action()
            finally:
                self.action_pos = -1
        if token.kind == lx.COMMENT:
            return CommentNode(token.pos, token.val)
        raise self.unexpected(token, "input")

    # ---------------------------------------------------------------------------------- actions

    def action(self) -> Node:
        token = self.next_non_space()
        kind = token.kind
        if kind > lx.KEYWORD:
            if kind == lx.IF:
                return IfNode(*self.parse_control("if"))
            if kind == lx.RANGE:
                return RangeNode(*self.parse_control("range"))
            if kind == lx.WITH:
                return WithNode(*self.parse_control("with"))
            if kind == lx.END:
                return EndNode(self.expect(lx.RIGHT_DELIM, "end").pos)
            if kind == lx.ELSE:
                return self.else_control()
            if kind == lx.TEMPLATE:
                return self.template_control()
            if kind == lx.BLOCK:
                return self.block_control()
            if kind in (lx.BREAK, lx.CONTINUE):
                return self.loop_control(token)
        self.backup()
        token = self.peek()
        # Variables declared here stay in scope until the enclosing {{end}}.
        return ActionNode(token.pos, self.pipeline("command", lx.RIGHT_DELIM))

    def loop_control(self, token: Token) -> Node:
        word = "{{" + token.val + "}}"
        closing = self.next_non_space()
        if closing.kind != lx.RIGHT_DELIM:
            raise self.unexpected(closing, word)
        if self.range_depth == 0:
            raise self.errorf(f"{word} outside {{{{range}}}}")
        return BreakNode(token.pos) if token.kind == lx.BREAK else ContinueNode(token.pos)

    def else_control(self) -> Node:
        following = self.peek_non_space()
        if following.kind in (lx.IF, lx.WITH):
            # "{{else if x}}" is "{{else}}{{if x}}...{{end}}": leave the keyword for parse_control.
            return ElseNode(following.pos)
        return ElseNode(self.expect(lx.RIGHT_DELIM, "else").pos)

    def parse_control(self, context: str) -> tuple[int, PipeNode, ListNode, ListNode | None]:
        """Shared body of if/range/with: (pos, pipe, list, else list); pops the pipeline's variables."""
        scope = len(self.vars)
        try:
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, closing = self.item_list()
            if context == "range":
                self.range_depth -= 1  # break/continue are not allowed in range's else branch
            else_list = None
            if isinstance(closing, ElseNode):
                else_list = self.else_branch(context, closing)
            return pipe.pos, pipe, body, else_list
        finally:
            del self.vars[scope:]

    def else_branch(self, context: str, closing: ElseNode) -> ListNode:
        # "else if" / "else with" chains: the nested control consumes the shared {{end}}.
        if context == "if" and self.peek().kind == lx.IF:
            self.next()
            return ListNode(closing.pos, [IfNode(*self.parse_control("if"))])
        if context == "with" and self.peek().kind == lx.WITH:
            self.next()
            return ListNode(closing.pos, [WithNode(*self.parse_control("with"))])
        else_list, end = self.item_list()
        if not isinstance(end, EndNode):
            raise self.errorf(f"expected end; found {end}")
        return else_list

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe = None
        if self.next_non_space().kind != lx.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
        return TemplateNode(token.pos, name, pipe)

    def block_control(self) -> Node:
        """``{{block "n" p}}body{{end}}`` = define "n" as body, then ``{{template "n" p}}``."""
        context = "block clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe = self.pipeline(context, lx.RIGHT_DELIM)
        parent_last = self.s.lexed  # the parent's t.token[0] stays here while the child reads on
        block = _TreeParser(self.s, name)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            raise self.errorf(f"unexpected {end} in {context}", blame=parent_last)
        block.add()
        return TemplateNode(token.pos, name, pipe)

    def template_name(self, token: Token, context: str) -> str:
        if token.kind not in (lx.STRING, lx.RAW_STRING):
            raise self.unexpected(token, context)
        return self.unquote(token.val)

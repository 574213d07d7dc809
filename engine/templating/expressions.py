"""Pipelines and their operands: declarations, commands, field chains, literals, parenthesized pipes."""

from __future__ import annotations

from engine.templating import lexer as lx
from engine.templating.cursor import ParserCursor
from engine.templating.functions_names import BUILTIN_NAMES
from engine.templating.lexer import SPACE, Token
from engine.templating.literals import LiteralError, go_quote
from engine.templating.nodes import (
    BoolNode,
    ChainNode,
    CommandNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    VariableNode,
)
from engine.templating.numbers import parse_number

__all__ = ["ExpressionParser"]

# Tokens that can start a command in a pipeline.
_OPERAND_START = frozenset(
    (lx.BOOL, lx.CHAR_CONSTANT, lx.COMPLEX, lx.DOT, lx.FIELD, lx.IDENTIFIER, lx.NUMBER, lx.NIL,
     lx.RAW_STRING, lx.STRING, lx.VARIABLE, lx.LEFT_PAREN)
)  # fmt: skip
# Only the first command of a pipeline may be one of these (the others receive the piped value).
_NOT_EXECUTABLE = (BoolNode, DotNode, NilNode, NumberNode, StringNode)
_NUMBER_KINDS = {lx.CHAR_CONSTANT: "char", lx.COMPLEX: "complex", lx.NUMBER: "number"}


class ExpressionParser(ParserCursor):
    """The pipeline half of Go's parser (the tree parser adds the control structures)."""

    __slots__ = ()

    def has_function(self, name: str) -> bool:
        return name in self.s.funcs or name in BUILTIN_NAMES

    def pipeline(self, context: str, end: int) -> PipeNode:
        pipe = PipeNode(self.peek_non_space().pos)
        self.declarations(pipe, context)
        while True:
            token = self.next_non_space()
            if token.kind == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.kind not in _OPERAND_START:
                raise self.unexpected(token, context)
            self.backup()
            pipe.cmds.append(self.command())

    def declarations(self, pipe: PipeNode, context: str) -> None:
        """``$x :=``, ``$x =`` and range's ``$i, $e :=``; otherwise leaves the tokens unread."""
        s = self.s
        while self.peek_non_space().kind == lx.VARIABLE:
            variable_index = s.index
            variable = self.next()
            following = self.peek_non_space()
            if following.kind in (lx.ASSIGN, lx.DECLARE):
                pipe.is_assign = following.kind == lx.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, (variable.val,)))
                self.vars.append(variable.val)
                return
            if following.kind == lx.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(variable.pos, (variable.val,)))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().kind in (lx.VARIABLE, lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                        continue  # the second variable of "range $i, $e :="
                    raise self.errorf("range can only initialize variables")
                raise self.errorf(f"too many declarations in {context}")
            s.index = variable_index  # "$x" is an operand, not a declaration
            return

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            raise self.errorf(f"missing value for {context}")
        for stage, cmd in enumerate(pipe.cmds[1:], start=2):
            if isinstance(cmd.args[0], _NOT_EXECUTABLE):
                raise self.errorf(f"non executable command in pipeline stage {stage}")

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            kind = token.kind
            if kind == SPACE:
                continue
            if kind in (lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                self.backup()
            elif kind != lx.PIPE:
                raise self.unexpected(token, "operand")
            break
        if not cmd.args:
            raise self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        """A term followed by optional ``.field`` accesses."""
        node = self.term()
        if node is None or self.peek().kind != lx.FIELD:
            return node
        chain = ChainNode(self.peek().pos, node)
        while self.peek().kind == lx.FIELD:
            chain.fields.append(self.next().val[1:])
        # Fields on a field or variable extend it; Go positions the result at the *first added field*.
        if isinstance(node, FieldNode):
            return FieldNode(chain.pos, node.ident + tuple(chain.fields))
        if isinstance(node, VariableNode):
            return VariableNode(chain.pos, node.ident + tuple(chain.fields))
        if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
            raise self.errorf(f"unexpected . after term {go_quote(str(node))}")
        return chain

    def term(self) -> Node | None:
        token = self.next_non_space()
        kind = token.kind
        if kind == lx.FIELD:
            return FieldNode(token.pos, tuple(token.val[1:].split(".")))
        if kind == lx.IDENTIFIER:
            if not self.has_function(token.val):
                raise self.errorf(f"function {go_quote(token.val)} not defined")
            return IdentifierNode(token.pos, token.val)
        if kind == lx.VARIABLE:
            return self.use_var(token)
        if kind in (lx.STRING, lx.RAW_STRING):
            return StringNode(token.pos, token.val, self.unquote(token.val))
        if kind in _NUMBER_KINDS:
            return self.number(token)
        if kind == lx.DOT:
            return DotNode(token.pos)
        if kind == lx.NIL:
            return NilNode(token.pos)
        if kind == lx.BOOL:
            return BoolNode(token.pos, token.val == "true")
        if kind == lx.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", lx.RIGHT_PAREN)
        self.backup()
        return None

    def number(self, token: Token) -> NumberNode:
        try:
            value = parse_number(token.val, _NUMBER_KINDS[token.kind])
        except LiteralError as error:
            raise self.errorf(str(error)) from None
        return NumberNode(
            token.pos, token.val, value.is_int, value.is_uint, value.is_float, value.is_complex,
            value.int64, value.uint64, value.float64, value.complex128,
        )  # fmt: skip

    def use_var(self, token: Token) -> VariableNode:
        ident = tuple(token.val.split("."))
        if ident[0] not in self.vars:
            raise self.errorf(f"undefined variable {go_quote(ident[0])}")
        return VariableNode(token.pos, ident)

"""Token access and error reporting shared by the parser classes.

Go's parser keeps a 3-token look-ahead buffer (next/peek/backup, backup2, backup3). Since our lexer has
already produced the whole token list, those become moves of an index into it; the tokens Go would
have dropped from its buffer (a space skipped before a backup2) are simply re-skipped.

Go's error line is the line of the most recently *lexed* token (``t.token[0]``), which is not always the
token being complained about; `TokenStream.lexed` tracks it.
"""

from __future__ import annotations

from collections.abc import Collection

from engine.templating.errors import TemplateError, line_of, parse_error
from engine.templating.lexer import ERROR, SPACE, Token, token_string
from engine.templating.literals import LiteralError, unquote
from engine.templating.nodes import ListNode, Tree

__all__ = ["ParserCursor", "TokenStream"]


class TokenStream:
    """What parent and child tree parsers share: the token list, the read position, the tree set."""

    __slots__ = ("tokens", "index", "lexed", "source", "parse_name", "funcs", "tree_set")

    def __init__(
        self,
        tokens: list[Token],
        source: str,
        parse_name: str,
        funcs: Collection[str],
        tree_set: dict[str, Tree],
    ) -> None:
        # The parser never reads more than one token past EOF/ERROR; padding saves bounds checks.
        self.tokens = tokens + [tokens[-1]] * 3
        self.index = 0  # next token to read
        self.lexed = 0  # furthest token read so far: Go's t.token[0]
        self.source, self.parse_name = source, parse_name
        self.funcs, self.tree_set = funcs, tree_set


class ParserCursor:
    """Per-tree parser state, token access and Go-style errors (the base of the tree parser)."""

    __slots__ = ("s", "name", "vars", "range_depth", "action_pos", "root")

    def __init__(self, stream: TokenStream, name: str) -> None:
        self.s = stream
        self.name = name
        self.vars = ["$"]
        self.range_depth = 0
        self.action_pos = -1  # offset of the "{{" of the action being parsed (Go's actionLine), or -1
        self.root = ListNode(0)

    # ------------------------------------------------------------------------------ token handling
    # Go's next/peek/backup on a 3-token buffer become moves of a shared index. `s.lexed` is the furthest
    # token read so far, i.e. Go's t.token[0] of the parser currently reading.

    def next(self) -> Token:
        s = self.s
        index = s.index
        s.index = index + 1
        if index > s.lexed:
            s.lexed = index
        return s.tokens[index]

    def backup(self) -> None:
        self.s.index -= 1

    def peek(self) -> Token:
        s = self.s
        index = s.index
        if index > s.lexed:
            s.lexed = index
        return s.tokens[index]

    def next_non_space(self) -> Token:
        s = self.s
        tokens, index = s.tokens, s.index
        token = tokens[index]
        while token.kind == SPACE:
            index += 1
            token = tokens[index]
        s.index = index + 1
        if index > s.lexed:
            s.lexed = index
        return token

    def peek_non_space(self) -> Token:
        token = self.next_non_space()
        self.s.index -= 1
        return token

    # -------------------------------------------------------------------------------------- errors

    def line(self, token: Token) -> int:
        return line_of(self.s.source, token.pos)

    def errorf(self, detail: str, blame: int | None = None) -> TemplateError:
        """Go's errorf: the line is that of the most recently lexed token (or of token index `blame`)."""
        token = self.s.tokens[self.s.lexed if blame is None else blame]
        return parse_error(self.s.parse_name, self.line(token), detail, token.pos)

    def unexpected(self, token: Token, context: str) -> TemplateError:
        if token.kind == ERROR:
            extra = ""
            line = self.line(token)
            action_line = line_of(self.s.source, self.action_pos) if self.action_pos >= 0 else 0
            if action_line and action_line != line:
                extra = f" in action started at {self.s.parse_name}:{action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]  # not "unclosed action in action started at"
            return self.errorf(token.val + extra)
        return self.errorf(f"unexpected {token_string(token)} in {context}")

    def expect(self, kind: int, context: str) -> Token:
        token = self.next_non_space()
        if token.kind != kind:
            raise self.unexpected(token, context)
        return token

    def unquote(self, quoted: str) -> str:
        try:
            return unquote(quoted)
        except LiteralError as error:
            raise self.errorf(str(error)) from None

"""Go text/template's lexer, with the same tokens, positions and error messages.

Go lexes lazily, one token per parser request; this lexer produces the whole list at once. That is
equivalent because Go's lexer never depends on the parser, and we stop at the first error token exactly
where Go's lexer would have emitted it (the parser reports it only if it gets that far, as Go does).

The list always ends with an EOF or an ERROR token. Token positions are character offsets; lines are
computed from them only when an error needs one.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from engine.templating.literals import format_unicode, go_quote

__all__ = [
    "KEYWORD",
    "Token",
    "lex",
    "token_string",
]

# Token kinds, in Go's itemType order: kinds after KEYWORD print as ``<word>`` in error messages.
(
    ERROR, BOOL, CHAR, CHAR_CONSTANT, COMMENT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER,
    LEFT_DELIM, LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT,
    VARIABLE, KEYWORD, BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH,
) = range(35)  # fmt: skip

KIND_NAMES = (
    "ERROR BOOL CHAR CHAR_CONSTANT COMMENT COMPLEX ASSIGN DECLARE EOF FIELD IDENTIFIER LEFT_DELIM "
    "LEFT_PAREN NUMBER PIPE RAW_STRING RIGHT_DELIM RIGHT_PAREN SPACE STRING TEXT VARIABLE KEYWORD BLOCK "
    "BREAK CONTINUE DOT DEFINE ELSE END IF NIL RANGE TEMPLATE WITH"
).split()

_KEYWORDS = {
    "block": BLOCK, "break": BREAK, "continue": CONTINUE, "define": DEFINE, "else": ELSE, "end": END,
    "if": IF, "nil": NIL, "range": RANGE, "template": TEMPLATE, "with": WITH,
}  # fmt: skip

_SPACE = " \t\r\n"  # Go's isSpace: ASCII only (no \v, \f, nor Unicode spaces)
_TERMINATORS = frozenset(" \t\r\n.,|:)(")
_WORD = re.compile(r"\w*")  # a superset of Go's alphanumerics, narrowed by _alnum_end
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"')
_CHAR_CONSTANT = re.compile(r"'(?:[^'\\\n]|\\[^\n])*'")
_DEC_DIGITS, _HEX_DIGITS = "0123456789_", "0123456789abcdefABCDEF_"
_SPACES = re.compile(r"[ \t\r\n]*")

# The common tokens inside an action, one alternative (one group) per kind. Each alternative matches only
# what is certain to be that whole token: words must end at one of Go's terminators (atTerminator, "$" for
# the end of the input aside), integers at a character that cannot continue a number; anything else is
# left to `_Lexer.slow_token`, which follows Go's lexer step by step with its errors.
_TERMINATOR = r"(?=[ \t\r\n.,|:()]|\}\})"
_ACTION_TOKEN = re.compile(
    r"(\}\}|[ \t\r\n]-\}\})"  # 1: the closing delimiter, possibly with its " -" trim marker
    r"|([ \t\r\n]+?(?=[ \t\r\n]-\}\})|[ \t\r\n]+)"  # 2: spaces, leaving the space of a " -}}"
    r"|(\.(?:[A-Za-z_][A-Za-z0-9_]*)?" + _TERMINATOR + ")"  # 3: .field, or a lone dot
    r"|([A-Za-z_][A-Za-z0-9_]*" + _TERMINATOR + ")"  # 4: identifier, keyword, true/false
    r"|(\$[A-Za-z0-9_]*" + _TERMINATOR + ")"  # 5: $variable, or a lone $
    r"|(" + _QUOTED.pattern + ")"  # 6: quoted string
    r"|([+-]?[0-9]+(?=[ \t\r\n,|()]|\}\}))"  # 7: decimal integer
    r"|(\|)"  # 8: pipe
    r"|([()])"  # 9: parenthesis
)
_T_CLOSE, _T_SPACE, _T_FIELD, _T_WORD, _T_VARIABLE, _T_STRING, _T_NUMBER, _T_PIPE, _T_PAREN = range(1, 10)
_SIMPLE_KINDS = {_T_VARIABLE: VARIABLE, _T_STRING: STRING, _T_NUMBER: NUMBER, _T_PIPE: PIPE}
_new_token = tuple.__new__  # twice as fast as Token(...), whose __new__ is a Python function


@functools.cache
def _word_kinds(break_ok: bool, continue_ok: bool) -> dict[str, int]:
    """The kind of each word that is not an identifier: keywords and bools (Go's lexIdentifier), where
    break and continue are identifiers when a function of that name exists."""
    kinds = {**_KEYWORDS, "true": BOOL, "false": BOOL}
    if not break_ok:
        del kinds["break"]
    if not continue_ok:
        del kinds["continue"]
    return kinds


class Token(NamedTuple):
    """One lexer item: `kind` is one of the module's kind constants, `pos` a character offset."""

    kind: int
    pos: int
    val: str

    def __repr__(self) -> str:
        return f"Token({KIND_NAMES[self.kind]}, {self.pos}, {self.val!r})"


def token_string(token: Token) -> str:
    """Go's item.String(), as quoted in ``unexpected X in Y`` messages."""
    kind, val = token.kind, token.val
    if kind == EOF:
        return "EOF"
    if kind == ERROR:
        return val
    if kind > KEYWORD:
        return f"<{val}>"
    if len(val) > 10 or (not val.isascii() and len(val.encode("utf-8", "surrogatepass")) > 10):
        return go_quote(val, 10) + "..."  # Go: %.10q, i.e. at most 10 runes, then "..."
    return go_quote(val)


def is_alnum(char: str) -> bool:
    """Go's isAlphaNumeric: '_', Unicode letters (L*) and decimal digits (Nd)."""
    return char == "_" or char.isalpha() or char.isdecimal()


def lex(source: str, *, break_ok: bool = True, continue_ok: bool = True, emit_comments: bool = False) -> list[Token]:
    """Tokens of `source` up to and including EOF or the first ERROR.

    `break_ok`/`continue_ok` are false when a function of that name exists (the words are then plain
    identifiers); `emit_comments` is Go's ParseComments mode.
    """
    if "{{" not in source:  # the common plain-text value: no actions at all
        if source:
            return [Token(TEXT, 0, source), Token(EOF, len(source), "")]
        return [Token(EOF, 0, "")]
    lexer = _Lexer(source, break_ok, continue_ok, emit_comments)
    position = 0
    while position >= 0:
        position = lexer.text(position)
        if position >= 0:
            position = lexer.action(position)
    return lexer.tokens


class _Lexer:
    __slots__ = ("src", "size", "tokens", "word_kinds", "emit_comments")

    def __init__(self, src: str, break_ok: bool, continue_ok: bool, emit_comments: bool) -> None:
        self.src, self.size = src, len(src)
        self.tokens: list[Token] = []
        self.word_kinds = _word_kinds(break_ok, continue_ok)
        self.emit_comments = emit_comments

    def error(self, pos: int, message: str) -> int:
        self.tokens.append(_new_token(Token, (ERROR, pos, message)))
        return -1

    # -------------------------------------------------------------------------------- outside actions

    def text(self, pos: int) -> int:
        """Lex text up to the next action; returns the offset inside it, or -1 when done."""
        src, tokens = self.src, self.tokens
        while True:
            delim = src.find("{{", pos)
            if delim < 0:
                if pos < self.size:
                    tokens.append(_new_token(Token, (TEXT, pos, src[pos:])))
                tokens.append(_new_token(Token, (EOF, self.size, "")))
                return -1
            inside = delim + 2
            trim = inside + 1 < self.size and src[inside] == "-" and src[inside + 1] in _SPACE
            end = delim
            if trim:  # "{{- " eats the whitespace before it
                while end > pos and src[end - 1] in _SPACE:
                    end -= 1
            if end > pos:
                tokens.append(_new_token(Token, (TEXT, pos, src[pos:end])))
            if trim:
                inside += 2
            if not src.startswith("/*", inside):
                tokens.append(_new_token(Token, (LEFT_DELIM, delim, "{{")))
                return inside
            pos = self.comment(inside)
            if pos < 0:
                return -1

    def comment(self, start: int) -> int:
        """A comment must touch both delimiters (modulo trim markers): ``{{/* c */}}``."""
        close = self.src.find("*/", start + 2)
        if close < 0:
            return self.error(start, "unclosed comment")
        end = close + 2
        at_delim, trim = self.at_right_delim(end)
        if not at_delim:
            return self.error(start, "comment ends before closing delimiter")
        if self.emit_comments:
            self.tokens.append(_new_token(Token, (COMMENT, start, self.src[start:end])))
        end += 4 if trim else 2
        return self.skip_space(end) if trim else end

    def at_right_delim(self, pos: int) -> tuple[bool, bool]:
        """(at a closing delimiter, with a " -" trim marker)."""
        src = self.src
        if src.startswith("}}", pos):
            return True, False
        if pos < self.size and src[pos] in _SPACE and src.startswith("-}}", pos + 1):
            return True, True
        return False, False

    def skip_space(self, pos: int) -> int:
        return _SPACES.match(self.src, pos).end()  # type: ignore[union-attr]  # `*` always matches

    # --------------------------------------------------------------------------------- inside actions

    def action(self, pos: int) -> int:
        """Lex one action's tokens; returns the offset after ``}}`` or -1 on error.

        One match of `_ACTION_TOKEN` per token in the common case; what it leaves (numbers other than
        plain integers, Unicode identifiers, `=`, `:=`, raw strings, char constants, lone characters,
        the end of the input and every error) goes through `slow_token`, character by character."""
        src, tokens, word_kinds = self.src, self.tokens, self.word_kinds
        match = _ACTION_TOKEN.match
        depth = 0
        while True:
            found = match(src, pos)
            if found is None:
                pos = self.slow_token(pos)
                if pos < 0:
                    return -1
                continue
            group, end = found.lastindex or 0, found.end()  # each alternative is exactly one group
            if group == _T_SPACE:
                tokens.append(_new_token(Token, (SPACE, pos, found.group())))
            elif group == _T_FIELD:
                tokens.append(_new_token(Token, (FIELD if end - pos > 1 else DOT, pos, found.group())))
            elif group == _T_WORD:
                word = found.group()
                tokens.append(_new_token(Token, (word_kinds.get(word, IDENTIFIER), pos, word)))
            elif group == _T_CLOSE:
                if depth:
                    return self.error(pos, "unclosed left paren")
                if end - pos == 4:  # " -}}": the trim marker eats the spaces after the action
                    tokens.append(_new_token(Token, (RIGHT_DELIM, pos + 2, "}}")))
                    return self.skip_space(end)
                tokens.append(_new_token(Token, (RIGHT_DELIM, pos, "}}")))
                return end
            elif group == _T_PAREN:
                if src[pos] == "(":
                    depth += 1
                    tokens.append(_new_token(Token, (LEFT_PAREN, pos, "(")))
                else:
                    depth -= 1
                    if depth < 0:
                        return self.error(pos, "unexpected right paren")
                    tokens.append(_new_token(Token, (RIGHT_PAREN, pos, ")")))
            else:
                tokens.append(_new_token(Token, (_SIMPLE_KINDS[group], pos, found.group())))
            pos = end

    def slow_token(self, pos: int) -> int:
        """One token that `_ACTION_TOKEN` does not cover; returns the offset after it, or -1 on error."""
        if pos >= self.size:
            return self.error(pos, "unclosed action")
        char = self.src[pos]
        if char == ".":
            # ".5" is a number, and so is a "." ending the input (Go falls through to lexNumber).
            nxt = self.src[pos + 1 : pos + 2]
            return self.number(pos) if not nxt or "0" <= nxt <= "9" else self.field_or_variable(pos, FIELD)
        if char == "$":
            return self.field_or_variable(pos, VARIABLE)
        if char == '"':
            return self.quoted(pos, _QUOTED, STRING, "unterminated quoted string")
        return self.other(pos, char)

    def other(self, pos: int, char: str) -> int:
        """The less frequent action characters."""
        if char in "+-" or "0" <= char <= "9":
            return self.number(pos)
        if is_alnum(char):
            return self.identifier(pos)
        if char == "=":
            self.tokens.append(_new_token(Token, (ASSIGN, pos, "=")))
            return pos + 1
        if char == ":":
            if not self.src.startswith(":=", pos):
                return self.error(pos, "expected :=")
            self.tokens.append(_new_token(Token, (DECLARE, pos, ":=")))
            return pos + 2
        if char == "`":
            close = self.src.find("`", pos + 1)
            if close < 0:
                return self.error(pos, "unterminated raw quoted string")
            self.tokens.append(_new_token(Token, (RAW_STRING, pos, self.src[pos : close + 1])))
            return close + 1
        if char == "'":
            return self.quoted(pos, _CHAR_CONSTANT, CHAR_CONSTANT, "unterminated character constant")
        if " " < char <= "~":  # any other printable ASCII is a lone "char" token (',' and friends)
            self.tokens.append(_new_token(Token, (CHAR, pos, char)))
            return pos + 1
        return self.error(pos, "unrecognized character in action: " + format_unicode(char))

    def space(self, pos: int) -> int:
        end = self.skip_space(pos)
        if self.src.startswith("-}}", end):
            end -= 1  # leave the last space to the " -}}" trim marker
        if end > pos:
            self.tokens.append(_new_token(Token, (SPACE, pos, self.src[pos:end])))
        return end

    def quoted(self, pos: int, pattern: re.Pattern[str], kind: int, unterminated: str) -> int:
        match = pattern.match(self.src, pos)
        if match is None:
            return self.error(pos, unterminated)
        self.tokens.append(_new_token(Token, (kind, pos, match.group())))
        return match.end()

    def at_terminator(self, pos: int) -> bool:
        """Can an identifier, field or variable end here?"""
        return pos >= self.size or self.src[pos] in _TERMINATORS or self.src.startswith("}}", pos)

    def alnum_end(self, pos: int) -> int:
        match = _WORD.match(self.src, pos)
        assert match is not None  # \w* always matches
        end = match.end()
        if end > pos and not self.src[pos:end].isascii():  # \w also admits No/Nl digits Go rejects
            end = pos
            while end < self.size and is_alnum(self.src[end]):
                end += 1
        return end

    def field_or_variable(self, pos: int, kind: int) -> int:
        """``.name`` / ``$name``; a lone ``.`` is DOT and a lone ``$`` a VARIABLE."""
        end = self.alnum_end(pos + 1)
        if not self.at_terminator(end):
            return self.error(pos, "bad character " + format_unicode(self.src[end]))
        if end == pos + 1 and kind == FIELD:
            kind = DOT
        self.tokens.append(_new_token(Token, (kind, pos, self.src[pos:end])))
        return end

    def identifier(self, pos: int) -> int:
        end = self.alnum_end(pos)
        if not self.at_terminator(end):
            return self.error(pos, "bad character " + format_unicode(self.src[end]))
        word = self.src[pos:end]
        self.tokens.append(_new_token(Token, (self.word_kinds.get(word, IDENTIFIER), pos, word)))
        return end

    def number(self, pos: int) -> int:
        """A number, or a complex ``1+2i``; validated later by the parser, as in Go."""
        end, ok = self.scan_number(pos)
        if ok and end < self.size and self.src[end] in "+-":
            end, ok = self.scan_number(end)
            if ok and self.src[end - 1] != "i":
                ok = False
            kind = COMPLEX
        else:
            kind = NUMBER
        if not ok:
            return self.error(pos, "bad number syntax: " + go_quote(self.src[pos:end]))
        self.tokens.append(_new_token(Token, (kind, pos, self.src[pos:end])))
        return end

    def scan_number(self, pos: int) -> tuple[int, bool]:
        """Go's scanNumber: the longest number-ish prefix; not ok when a letter or digit follows."""
        src, size = self.src, self.size

        def accept(chars: str) -> bool:
            nonlocal pos
            if pos < size and src[pos] in chars:
                pos += 1
                return True
            return False

        def accept_run(chars: str) -> None:
            nonlocal pos
            while pos < size and src[pos] in chars:
                pos += 1

        accept("+-")
        digits = _DEC_DIGITS
        if accept("0"):
            if accept("xX"):
                digits = _HEX_DIGITS
            elif accept("oO"):
                digits = "01234567_"
            elif accept("bB"):
                digits = "01_"
        accept_run(digits)
        if accept("."):
            accept_run(digits)
        if (digits is _DEC_DIGITS and accept("eE")) or (digits is _HEX_DIGITS and accept("pP")):
            accept("+-")
            accept_run(_DEC_DIGITS)
        accept("i")
        if pos < size and is_alnum(src[pos]):
            return pos + 1, False
        return pos, True

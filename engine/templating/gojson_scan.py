"""The syntax check of Go's encoding/json (its scanner's checkValid), for Go's exact error texts.

`syntax_error(data)` returns the message json.Unmarshal gives for the first syntax error in `data`
(`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`…) or None.
"""

from __future__ import annotations

from engine.templating.literals import go_quote

__all__ = ["syntax_error"]


def _quote_char(byte: int) -> str:
    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(byte))[1:-1] + "'"


class _SyntaxError(Exception):
    pass


_WHITESPACE = frozenset(b" \t\n\r")
_HEXDIGITS = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")
_ESCAPABLE = frozenset(b'bfnrt\\/"')


def syntax_error(data: bytes) -> str | None:
    """Go's scanner (checkValid) over `data`: the first syntax error's message, or None if valid.

    Like Go, the end of input is fed to the state machine as one space (so `nul` fails on ' ')."""
    scanner = _Scanner(data + b" ")
    try:
        scanner.value("looking for beginning of value")
        scanner.skip_space()
        if scanner.pos < scanner.end:
            scanner.fail("after top-level value")
    except _SyntaxError as error:
        return str(error)
    return None


class _Scanner:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.end = len(data)

    def fail(self, context: str) -> None:
        if self.pos >= self.end:
            raise _SyntaxError("unexpected end of JSON input")
        raise _SyntaxError(f"invalid character {_quote_char(self.data[self.pos])} {context}")

    def peek(self) -> int:
        if self.pos >= self.end:
            raise _SyntaxError("unexpected end of JSON input")
        return self.data[self.pos]

    def skip_space(self) -> None:
        while self.pos < self.end and self.data[self.pos] in _WHITESPACE:
            self.pos += 1

    def value(self, context: str) -> None:
        self.skip_space()
        char = self.peek()
        if char == 0x7B:  # {
            self.pos += 1
            self.skip_space()
            if self.peek() == 0x7D:
                self.pos += 1
                return
            while True:
                self.skip_space()
                if self.peek() != 0x22:
                    self.fail("looking for beginning of object key string")
                self.string()
                self.skip_space()
                if self.peek() != 0x3A:
                    self.fail("after object key")
                self.pos += 1
                self.value("looking for beginning of value")
                self.skip_space()
                char = self.peek()
                self.pos += 1
                if char == 0x7D:
                    return
                if char != 0x2C:
                    self.pos -= 1
                    self.fail("after object key:value pair")
        elif char == 0x5B:  # [
            self.pos += 1
            self.skip_space()
            if self.peek() == 0x5D:
                self.pos += 1
                return
            while True:
                self.value("looking for beginning of value")
                self.skip_space()
                char = self.peek()
                self.pos += 1
                if char == 0x5D:
                    return
                if char != 0x2C:
                    self.pos -= 1
                    self.fail("after array element")
        elif char == 0x22:
            self.string()
        elif char == 0x2D or char in _DIGITS:
            self.number()
        elif char in b"tfn":
            word = {0x74: b"true", 0x66: b"false", 0x6E: b"null"}[char]
            self.pos += 1
            for expected in word[1:]:
                if self.peek() != expected:
                    self.fail(f"in literal {word.decode()} (expecting {_quote_char(expected)})")
                self.pos += 1
        else:
            self.fail(context)

    def string(self) -> None:
        self.pos += 1
        while True:
            char = self.peek()
            self.pos += 1
            if char == 0x22:
                return
            if char < 0x20:
                self.pos -= 1
                self.fail("in string literal")
            if char == 0x5C:
                escape = self.peek()
                if escape == 0x75:  # u
                    self.pos += 1
                    for _ in range(4):
                        if self.peek() not in _HEXDIGITS:
                            self.fail("in \\u hexadecimal character escape")
                        self.pos += 1
                elif escape in _ESCAPABLE:
                    self.pos += 1
                else:
                    self.fail("in string escape code")

    def digits(self) -> None:
        while self.pos < self.end and self.data[self.pos] in _DIGITS:
            self.pos += 1

    def number(self) -> None:
        if self.peek() == 0x2D:
            self.pos += 1
            if self.peek() not in _DIGITS:
                self.fail("in numeric literal")
        if self.peek() == 0x30:
            self.pos += 1
        else:
            self.digits()
        if self.pos < self.end and self.data[self.pos] == 0x2E:
            self.pos += 1
            if self.peek() not in _DIGITS:
                self.fail("after decimal point in numeric literal")
            self.digits()
        if self.pos < self.end and self.data[self.pos] in b"eE":
            self.pos += 1
            if self.peek() in b"+-":
                self.pos += 1
            if self.peek() not in _DIGITS:
                self.fail("in exponent of numeric literal")
            self.digits()

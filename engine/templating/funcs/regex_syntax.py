"""Go's regexp/syntax (RE2, Perl flags) parsed and translated to an equivalent Python `re` pattern.

The parser follows Go's rules and error texts (`error parsing regexp: missing closing ): `(``): no
look-arounds or back-references, `\\C` refused, octal `\\12`, `\\x{10FFFF}`, `\\Q…\\E`, `\\pL` /
`\\p{Greek}` / `[[:alpha:]]` classes, repeat counts up to 1000, `(?P<name>…)` and `(?<name>…)`, flags
`imsU` scoped to their group. The output keeps Go's meaning where Python differs: `\\d \\s \\w \\b` are ASCII,
`$` without `(?m)` is the end of the text (`\\Z`), `.` excludes only `\\n`, `(?U)` swaps greediness. Every
capture group becomes a plain numbered group; Go's names are returned separately.

Matching is done by RE2 itself (`engine.gocompat.re2`, linear time): this module decides validity and
error messages, and records the capture names and where named groups open (RE2 C++ gets the pattern with
the names removed). The Python translation is kept for the rare pattern Go accepts and RE2 C++ refuses,
matched by Python's backtracking engine (same leftmost-first results, no linear-time guarantee). Go's
program-size limit (`expression too large`) is not reproduced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from engine.gocompat.re2 import GoRegexp
from engine.gocompat.re2 import compile_go as _compile_go
from engine.templating.funcs.regex_unicode import (
    PERL_CLASSES,
    POSIX_CLASSES,
    Ranges,
    category_ranges,
    class_pattern,
    negate,
    script_ranges,
)

__all__ = ["RegexSyntaxError", "Translation", "compile_go", "translate"]

FOLD, MULTILINE, DOTALL, UNGREEDY = 1, 2, 4, 8
_FLAG_BITS = {"i": FOLD, "m": MULTILINE, "s": DOTALL, "U": UNGREEDY}
_WORD = "[0-9A-Za-z_]"
_BOUNDARY = f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))"
_NON_BOUNDARY = f"(?:(?<={_WORD})(?={_WORD})|(?<!{_WORD})(?!{_WORD}))"

_REPEAT = re.compile(r"\{(0|[1-9][0-9]*)(?:(,)(0|[1-9][0-9]*)?)?\}")

class RegexSyntaxError(ValueError):
    """regexp/syntax's *Error: `str()` is Go's `error parsing regexp: <code>: `<expr>``."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")
        self.code = code
        self.expr = expr


@dataclass(frozen=True, slots=True)
class Translation:
    python: str
    names: tuple[str, ...]  # Go's name of each capture group; index 0 is the whole match
    named: tuple[tuple[int, int], ...] = ()  # (start, end) in the pattern of each `(?P<name>` / `(?<name>`


@dataclass(slots=True)
class _Frame:
    flags: int  # flags to restore when the group closes
    capture: bool
    items: list[tuple[str, int] | None] = field(default_factory=list)  # (text, repeat weight) or "|"


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.src = pattern
        self.pos = 0
        self.flags = 0
        self.frames = [_Frame(0, False)]
        self.names: list[str] = [""]
        self.named: list[tuple[int, int]] = []

    # -- helpers
    def rune(self) -> str:
        char = self.src[self.pos]
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise RegexSyntaxError("invalid UTF-8", self.src[self.pos:])
        self.pos += 1
        return char

    def push(self, text: str, weight: int = 1) -> None:
        self.frames[-1].items.append((text, weight))

    def literal(self, char: str) -> None:
        text = re.escape(char)
        if self.flags & FOLD and char.lower() != char.upper():
            text = f"(?i:{text})"
        self.push(text)

    # -- main loop
    def parse(self) -> Translation:
        last_repeat = -1
        while self.pos < len(self.src):
            start = self.pos
            char = self.src[self.pos]
            repeat = -1
            if char == "(":
                if self.src.startswith("(?", self.pos):
                    self.perl_flags()
                else:
                    self.pos += 1
                    self.open_group(capture=True, name="")
            elif char == "|":
                self.pos += 1
                self.frames[-1].items.append(None)
            elif char == ")":
                self.pos += 1
                self.close_group()
            elif char == "^":
                self.pos += 1
                self.push("(?m:^)" if self.flags & MULTILINE else "\\A")
            elif char == "$":
                self.pos += 1
                self.push("(?m:$)" if self.flags & MULTILINE else "\\Z")
            elif char == ".":
                self.pos += 1
                self.push("(?s:.)" if self.flags & DOTALL else "[^\\n]")
            elif char == "[":
                self.parse_class()
            elif char in "*+?" or (char == "{" and self.repeat_range() is not None):
                self.repetition(last_repeat)
                repeat = start
            elif char == "\\":
                self.escape()
            else:
                self.literal(self.rune())
            last_repeat = repeat
        if len(self.frames) > 1:
            raise RegexSyntaxError("missing closing )", self.src)
        return Translation(self.alternation(self.frames[0].items)[0], tuple(self.names), tuple(self.named))

    def alternation(self, items: list[tuple[str, int] | None]) -> tuple[str, int]:
        branches: list[str] = [""]
        weight = 1
        for item in items:
            if item is None:
                branches.append("")
            else:
                branches[-1] += item[0]
                weight = max(weight, item[1])
        return "|".join(branches), weight

    # -- groups
    def open_group(self, capture: bool, name: str) -> None:
        self.frames.append(_Frame(self.flags, capture))
        if capture:
            self.names.append(name)

    def close_group(self) -> None:
        if len(self.frames) == 1:
            raise RegexSyntaxError("unexpected )", self.src)
        frame = self.frames.pop()
        body, weight = self.alternation(frame.items)
        self.flags = frame.flags
        self.push(f"({body})" if frame.capture else f"(?:{body})", weight)

    def perl_flags(self) -> None:
        rest = self.src[self.pos:]
        named = len(rest) > 4 and rest[2] == "P" and rest[3] == "<"
        if named or (len(rest) > 3 and rest[2] == "<"):
            end = rest.find(">")
            if end < 0:
                raise RegexSyntaxError("invalid named capture", rest)
            name = rest[4 if named else 3:end]
            if not name or not all(c == "_" or (c.isascii() and c.isalnum()) for c in name):
                raise RegexSyntaxError("invalid named capture", rest[: end + 1])
            self.named.append((self.pos, self.pos + end + 1))
            self.pos += end + 1
            self.open_group(capture=True, name=name)
            return
        self.pos += 2
        flags, sign, saw_flag = self.flags, 1, False
        while self.pos < len(self.src):
            char = self.rune()
            if char in _FLAG_BITS:
                flags = flags | _FLAG_BITS[char] if sign > 0 else flags & ~_FLAG_BITS[char]
                saw_flag = True
            elif char == "-" and sign > 0:
                sign, saw_flag = -1, False
            elif char in ":)" and (sign > 0 or saw_flag):
                if char == ":":
                    self.open_group(capture=False, name="")
                self.flags = flags
                return
            else:
                break
        raise RegexSyntaxError("invalid or unsupported Perl syntax", rest[: len(rest) - (len(self.src) - self.pos)])

    # -- repetition
    def repeat_range(self) -> tuple[int, int, int] | None:
        """`{min[,[max]]}` at pos: (min, max or -1, end), or None when it is a literal `{`."""
        match = _REPEAT.match(self.src, self.pos)
        if match is None:
            return None
        low = int(match.group(1)) if len(match.group(1)) <= 8 else -1
        high = low if match.group(2) is None else -1 if match.group(3) is None else int(match.group(3))
        if match.group(3) is not None and len(match.group(3)) > 8:
            low = -1
        return low, high, match.end()

    def repetition(self, last_repeat: int) -> None:
        start = self.pos
        char = self.src[self.pos]
        low, high = {"*": (0, -1), "+": (1, -1), "?": (0, 1)}.get(char, (0, 0))
        if char == "{":
            bounds = self.repeat_range()
            assert bounds is not None
            low, high, self.pos = bounds
            if low < 0 or low > 1000 or high > 1000 or (high >= 0 and low > high):
                raise RegexSyntaxError("invalid repeat count", self.src[start:self.pos])
        else:
            self.pos += 1
        lazy = self.src.startswith("?", self.pos)
        if lazy:
            self.pos += 1
        if last_repeat >= 0:
            raise RegexSyntaxError("invalid nested repetition operator", self.src[last_repeat:self.pos])
        items = self.frames[-1].items
        if not items or items[-1] is None:
            raise RegexSyntaxError("missing argument to repetition operator", self.src[start:self.pos])
        text, weight = items[-1]
        if char == "{" and (low >= 2 or high >= 2):
            count = high if high >= 0 else low
            if count and count * weight > 1000:
                raise RegexSyntaxError("invalid repeat count", self.src[start:self.pos])
            weight *= max(count, 1)
        if char == "{":
            quantifier = f"{{{low}}}" if low == high else f"{{{low},{'' if high < 0 else high}}}"
        else:
            quantifier = char
        if lazy != bool(self.flags & UNGREEDY):
            quantifier += "?"
        items[-1] = (f"(?:{text}){quantifier}", weight)

    # -- escapes and classes
    def escape(self) -> None:
        rest = self.src[self.pos:]
        if len(rest) >= 2:
            simple = {"A": "\\A", "z": "\\Z", "b": _BOUNDARY, "B": _NON_BOUNDARY}.get(rest[1])
            if simple is not None:
                self.pos += 2
                self.push(simple)
                return
            if rest[1] == "C":
                raise RegexSyntaxError("invalid escape sequence", "\\C")
            if rest[1] == "Q":
                end = rest.find("\\E", 2)
                literal = rest[2:] if end < 0 else rest[2:end]
                self.pos += len(rest) if end < 0 else end + 2
                for char in literal:
                    self.literal(char)
                return
        ranges = self.unicode_class() if rest[1:2] in ("p", "P") else self.perl_class()
        if ranges is not None:
            self.push(class_pattern(ranges, False, bool(self.flags & FOLD)))
            return
        self.literal(chr(self.escape_char()))

    def perl_class(self) -> Ranges | None:
        rest = self.src[self.pos:self.pos + 2]
        if len(rest) < 2 or rest[0] != "\\" or rest[1].lower() not in PERL_CLASSES:
            return None
        self.pos += 2
        ranges = PERL_CLASSES[rest[1].lower()]
        return negate(ranges) if rest[1].isupper() else list(ranges)

    def unicode_class(self) -> Ranges | None:
        rest = self.src[self.pos:]
        if len(rest) < 2 or rest[0] != "\\" or rest[1] not in "pP":
            return None
        if len(rest) == 2:
            raise RegexSyntaxError("invalid character class range", rest)
        inverted = rest[1] == "P"
        if rest[2] != "{":
            sequence, name = rest[:3], rest[2]
        else:
            end = rest.find("}")
            if end < 0:
                raise RegexSyntaxError("invalid character class range", rest)
            sequence, name = rest[: end + 1], rest[3:end]
        if name.startswith("^"):
            inverted, name = not inverted, name[1:]
        ranges = [(0, 0x10FFFF)] if name == "Any" else category_ranges(name) or script_ranges(name)
        if ranges is None:
            raise RegexSyntaxError("invalid character class range", sequence)
        self.pos += len(sequence)
        return negate(ranges) if inverted else list(ranges)

    def escape_char(self) -> int:
        """Go's parseEscape at pos (a backslash): the code point of a single-character escape."""
        start = self.pos
        self.pos += 1
        if self.pos >= len(self.src):
            raise RegexSyntaxError("trailing backslash at end of expression", "")
        char = self.rune()
        if char.isascii() and not char.isalnum():
            return ord(char)
        if char in "01234567":
            nxt = self.src[self.pos:self.pos + 1]
            if char == "0" or (nxt and nxt in "01234567"):
                value = int(char)
                for _ in range(2):
                    nxt = self.src[self.pos:self.pos + 1]
                    if not nxt or nxt not in "01234567":
                        break
                    value, self.pos = value * 8 + int(nxt), self.pos + 1
                return value
        elif char == "x":
            code = self.hex_escape()
            if code is not None:
                return code
        elif char in "afnrtv":
            return {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}[char]
        raise RegexSyntaxError("invalid escape sequence", self.src[start:self.pos])

    def hex_escape(self) -> int | None:
        if self.pos >= len(self.src):
            return None
        char = self.rune()
        if char == "{":
            value, digits = 0, 0
            while True:
                if self.pos >= len(self.src):
                    return None
                char = self.rune()
                if char == "}":
                    return value if digits else None
                if char not in "0123456789abcdefABCDEF":
                    return None
                value, digits = value * 16 + int(char, 16), digits + 1
                if value > 0x10FFFF:
                    return None
        if self.pos >= len(self.src):
            return None
        second = self.rune()
        if char in "0123456789abcdefABCDEF" and second in "0123456789abcdefABCDEF":
            return int(char + second, 16)
        return None

    def parse_class(self) -> None:
        whole = self.src[self.pos:]
        self.pos += 1
        negated = self.src.startswith("^", self.pos)
        if negated:
            self.pos += 1
        ranges: Ranges = []
        first = True
        while first or self.pos >= len(self.src) or self.src[self.pos] != "]":
            first = False
            rest = self.src[self.pos:]
            if rest.startswith("[:") and len(rest) > 2:
                end = rest.find(":]", 2)
                if end >= 0:
                    name = rest[: end + 2]
                    group = POSIX_CLASSES.get(name[3:-2] if name.startswith("[:^") else name[2:-2])
                    if group is None:
                        raise RegexSyntaxError("invalid character class range", name)
                    ranges += negate(group) if name.startswith("[:^") else group
                    self.pos += len(name)
                    continue
            special = self.unicode_class() if rest[1:2] in ("p", "P") and rest[:1] == "\\" else self.perl_class()
            if special is not None:
                ranges += special
                continue
            low = self.class_char(whole)
            high = low
            if self.src[self.pos:self.pos + 1] == "-" and self.src[self.pos + 1:self.pos + 2] not in ("]", ""):
                self.pos += 1
                high = self.class_char(whole)
                if high < low:
                    consumed = len(rest) - (len(self.src) - self.pos)
                    raise RegexSyntaxError("invalid character class range", rest[:consumed])
            ranges.append((low, high))
        self.pos += 1
        self.push(class_pattern(ranges, negated, bool(self.flags & FOLD)))

    def class_char(self, whole: str) -> int:
        if self.pos >= len(self.src):
            raise RegexSyntaxError("missing closing ]", whole)
        if self.src[self.pos] == "\\":
            return self.escape_char()
        return ord(self.rune())


@lru_cache(maxsize=512)
def translate(pattern: str) -> Translation:
    """Parse a Go regexp; raises RegexSyntaxError with Go's message."""
    return _Parser(pattern).parse()


def compile_go(pattern: str) -> GoRegexp:
    """Go's regexp.Compile (cached): a linear-time RE2 matcher with Go's capture group names (`.names`)."""
    return _compile_go(pattern)

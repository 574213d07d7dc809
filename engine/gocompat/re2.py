"""Go's `regexp` package on top of google-re2: linear-time matching with Go's syntax, errors and semantics.

Go's regexp is RE2: leftmost-first matching in time linear in the text, no look-arounds or
back-references. Python's `re` backtracks, so a pattern like `(a+)+$` against `aaaa…b` takes
exponential time; this module matches with the RE2 C++ library (the `google-re2` package, module `re2`)
instead.

* `compile_go(pattern)` (cached) parses `pattern` with Go's rules (`engine.templating.funcs.regex_syntax`,
  which raises `RegexSyntaxError` with Go's exact message) and returns a `GoRegexp`.
* `GoRegexp.search(text, pos)` is Go's `doExecute` at `pos`: the text before `pos` is context for `^` and
  `\\b`. Positions and spans are `str` indices. Loops over one text should pass a `Subject` (the text
  encoded once) so that each call does not re-encode it.
* `compile_re2(pattern)`: the same for µTask's input `regex` and condition `regexp` checks; raises
  `RE2Error` (a `ValueError`) with Go's `error parsing regexp: …` message.

What is not left to RE2 C++:

* Syntax checking: Go's parser decides what is valid and how the error reads (RE2 C++ accepts `\\C`,
  which Go refuses, and words its errors differently). Capture names are taken from Go's parse, and the
  pattern handed to RE2 has them removed (RE2 C++ does not always accept Go's names).
* Invalid UTF-8: a Go string holding invalid bytes is a `str` with surrogate escapes (`\\udc80`–`\\udcff`).
  Go decodes each invalid byte as U+FFFD of width 1, which `.` and `[^…]` match; RE2 C++ matches nothing
  on an invalid byte. The text is matched with every surrogate replaced by U+FFFD (one character for one,
  so indices do not move) and groups are sliced from the original text.
* A pattern Go accepts but RE2 C++ refuses (only programs over RE2's 64 MiB memory budget are known,
  such as a big Unicode class repeated a thousand times) is matched by the Python `re` translation,
  which has Go's semantics but not the linear-time guarantee (`GoRegexp.linear` is then False).

Known differences with Go that remain: Unicode tables are RE2's (15.1; Go 1.24 has 15.0), and in
nested repetitions of a sub-pattern that can match empty, behind an assertion (`\\b(?:(?:\\bk??)*?)*`
on `kK`), RE2 C++ and Go may choose different empty iterations (2 of 12,000 random patterns compared
with Go's regexp; Python's `re` differed from Go on many more of those, in the captured groups).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, cast

import re2 as _google_re2
from re2 import _re2

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["GoMatch", "GoRegexp", "RE2Error", "Subject", "compile_go", "compile_re2"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_NO_SPAN = (-1, -1)


def _options() -> _google_re2.Options:
    options = _google_re2.Options()
    options.log_errors = False  # refusals are reported as exceptions, not logged to stderr
    options.max_mem = 64 << 20  # RE2's default 8 MiB refuses some patterns Go compiles (`\pL{1000}`)
    return options


_OPTIONS = _options()  # Perl syntax and leftmost-first matching: Go's regexp.Compile


class RE2Error(ValueError):
    """The pattern is not valid Go RE2 syntax; `str()` is Go's message (`error parsing regexp: …`)."""


class Subject:
    """A text prepared for repeated matching: its UTF-8 form and a cursor converting byte offsets."""

    __slots__ = ("_byte", "_char", "ascii", "data", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.ascii = text.isascii()
        if self.ascii:
            self.data = text.encode("ascii")
        else:
            self.data = _SURROGATE.sub("\ufffd", text).encode("utf-8")
        self._byte = self._char = 0  # a known pair of offsets, moved forward as matches go

    def to_bytes(self, char: int) -> int:
        if self.ascii:
            return char
        if char < self._char:
            self._byte = self._char = 0
        self._byte += _re2.CharLenToBytes(self.data, self._byte, char - self._char)
        self._char = char
        return self._byte

    def to_chars(self, offset: int) -> int:
        if self.ascii:
            return offset
        if offset < self._byte:
            self._byte = self._char = 0
        self._char += _re2.BytesToCharLen(self.data, self._byte, offset)
        self._byte = offset
        return self._char


class GoMatch:
    """One match: `span(i)` / `start(i)` / `end(i)` / `group(i)` like `re.Match` (`(-1, -1)` / None: unset)."""

    __slots__ = ("_spans", "string")

    def __init__(self, string: str, spans: Sequence[tuple[int, int]]) -> None:
        self.string = string
        self._spans = spans

    def span(self, group: int = 0) -> tuple[int, int]:
        return self._spans[group]

    def start(self, group: int = 0) -> int:
        return self._spans[group][0]

    def end(self, group: int = 0) -> int:
        return self._spans[group][1]

    def group(self, group: int = 0) -> str | None:
        start, end = self._spans[group]
        return None if start < 0 else self.string[start:end]

    def __repr__(self) -> str:
        return f"<GoMatch span={self._spans[0]} match={self.group(0)!r}>"


class GoRegexp:
    """A compiled Go regexp. `names[i]` is Go's name of capture group i (`""`: unnamed; 0 is the match)."""

    __slots__ = ("_engine", "_python", "names", "pattern")

    def __init__(self, pattern: str, names: tuple[str, ...], engine: _re2.RE2 | None,
                 python: re.Pattern[str] | None) -> None:
        self.pattern = pattern
        self.names = names
        self._engine = engine
        self._python = python

    @property
    def linear(self) -> bool:
        """Whether matching runs in linear time (RE2), not on the Python `re` fallback."""
        return self._engine is not None

    def search(self, text: str | Subject, pos: int = 0) -> GoMatch | None:
        """The leftmost-first match starting at or after `pos`, the whole text being context."""
        subject = text if isinstance(text, Subject) else Subject(text)
        if self._engine is None:
            assert self._python is not None
            found = self._python.search(subject.text, pos)
            if found is None:
                return None
            return GoMatch(subject.text, [found.span(i) for i in range(len(self.names))])
        if pos > len(subject.text):
            return None
        data = subject.data
        start = subject.to_bytes(pos)
        while True:
            spans = self._engine.Match(_UNANCHORED, data, start, len(data))
            if spans[0] == _NO_SPAN:
                return None
            if subject.ascii:
                return GoMatch(subject.text, spans)
            # RE2 C++ tests `\B` between bytes, so it can find an empty match inside a multi-byte character
            # (between two non-word bytes), where Go, working on runes, never looks. No match starts at an
            # earlier character boundary (that one would be leftmost), so go on from the next boundary.
            start = spans[0][0]
            if start >= len(data) or data[start] & 0xC0 != 0x80:
                break
            while start < len(data) and data[start] & 0xC0 == 0x80:
                start += 1
        offsets = sorted({offset for span in spans for offset in span if offset >= 0})
        chars = {offset: subject.to_chars(offset) for offset in offsets}
        chars[-1] = -1
        return GoMatch(subject.text, [(chars[low], chars[high]) for low, high in spans])

    def __repr__(self) -> str:
        return f"GoRegexp({self.pattern!r})"


def _strip_names(pattern: str, named: Sequence[tuple[int, int]]) -> str:
    """`pattern` with each `(?P<name>` / `(?<name>` (start, end) turned into a plain `(`."""
    out, last = [], 0
    for start, end in named:
        out.append(pattern[last:start] + "(")
        last = end
    out.append(pattern[last:])
    return "".join(out)


@lru_cache(maxsize=512)
def compile_go(pattern: str) -> GoRegexp:
    """Go's regexp.Compile: raises `RegexSyntaxError` (Go's message) for an invalid pattern."""
    from engine.templating.funcs.regex_syntax import RegexSyntaxError, translate  # noqa: PLC0415 (import cycle)

    translation = translate(pattern)
    engine = _re2.RE2(_strip_names(pattern, translation.named).encode("utf-8"), _OPTIONS)
    if engine.ok() and engine.NumberOfCapturingGroups() == len(translation.names) - 1:
        return GoRegexp(pattern, translation.names, engine, None)
    try:
        python = re.compile(translation.python)
    except (re.error, RecursionError, OverflowError):
        raise RegexSyntaxError("expression too large", pattern) from None
    return GoRegexp(pattern, translation.names, None, python)


def compile_re2(pattern: str) -> re.Pattern[str]:
    """Compile `pattern` as Go's regexp.Compile does; raise RE2Error with Go's message.

    The result is a `GoRegexp` (`search(text)` → a match with `group(i)`), typed as `re.Pattern` for the
    callers written against the earlier Python-`re` version; new code should call `compile_go`.
    """
    from engine.templating.funcs.regex_syntax import RegexSyntaxError  # noqa: PLC0415 (import cycle)

    try:
        return cast("re.Pattern[str]", compile_go(pattern))
    except RegexSyntaxError as error:
        raise RE2Error(str(error)) from None

"""Check that a pattern is valid for Go's RE2 engine and compile it for Python.

RE2 refuses look-arounds, back-references and atomic groups, which Python accepts; Python refuses
`\\pL`-style classes, which RE2 accepts. Patterns using those classes are accepted as valid but
matched by Python without them (the engine issue owns exact matching).
"""

from __future__ import annotations

import re

__all__ = ["RE2Error", "compile_re2"]

_UNSUPPORTED = (
    (re.compile(r"\(\?[=!]"), "look-ahead `(?=` / `(?!` is not supported by Go's RE2"),
    (re.compile(r"\(\?<[=!]"), "look-behind `(?<=` / `(?<!` is not supported by Go's RE2"),
    (re.compile(r"\(\?>"), "atomic groups `(?>` are not supported by Go's RE2"),
    (re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]"), "back-references like `\\1` are not supported by Go's RE2"),
    (re.compile(r"[*+?}]\+"), "possessive quantifiers are not supported by Go's RE2"),
)
_UNICODE_CLASS = re.compile(r"\\[pP](\{[A-Za-z_]+\}|[A-Za-z])")


class RE2Error(ValueError):
    """The pattern is not valid RE2 syntax."""


def compile_re2(pattern: str) -> re.Pattern[str]:
    """Compile `pattern`, refusing what RE2 refuses; raise RE2Error with a readable reason."""
    for detector, reason in _UNSUPPORTED:
        if detector.search(pattern):
            raise RE2Error(reason)
    python_pattern = _UNICODE_CLASS.sub(r"\\w", pattern)
    try:
        return re.compile(python_pattern)
    except re.error as exc:
        raise RE2Error(str(exc)) from None

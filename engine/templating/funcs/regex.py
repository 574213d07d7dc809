"""Sprig's regular expression functions with Go's regexp semantics (RE2 syntax, see `regex_syntax`).

Matching runs on RE2 (`engine.gocompat.re2`): linear in the text, so `regexMatch "(a+)+$"` cannot hang a
render however long the input.

* Non-must variants behave like Sprig: `regexMatch` answers false for an invalid pattern, the others
  panic with `regexp: Compile(`…`): error parsing regexp: …`; the must* variants return the error.
* Successive matches follow Go: an empty match right after the previous match is skipped
  (`regexFindAll "a|" "baaa" -1` → `[ a a a]`), `n < 0` means all, `n = 0` none.
* Replacement templates use Go's `Expand` syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is the
  longest run of letters, digits and `_` (so `$1W` is the group named "1W": empty); when several groups
  share a name (Go allows it) the first one that took part in the match is used.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.gocompat.re2 import GoMatch, GoRegexp, Subject
from engine.templating.funcs.regex_syntax import RegexSyntaxError, compile_go
from engine.templating.funcs.registry import GoError, GoPanic, go_func
from engine.templating.gotypes import GoStringSlice
from engine.templating.literals import go_quote

__all__ = ["expand", "find_all", "quote_meta", "replace_all", "split"]

Compiled = GoRegexp


def _backquote_ok(text: str) -> bool:
    """strconv.CanBackquote."""
    for char in text:
        code = ord(char)
        if char == "`" or code == 0x7F or code == 0xFEFF or (code < 0x20 and char != "\t") or 0xD800 <= code <= 0xDFFF:
            return False
    return True


def _must_compile(pattern: str) -> Compiled:
    """regexp.MustCompile: panics with Go's message."""
    try:
        return compile_go(pattern)
    except RegexSyntaxError as error:
        quoted = f"`{pattern}`" if _backquote_ok(pattern) else go_quote(pattern)
        raise GoPanic(f"regexp: Compile({quoted}): {error}") from None


def _compile(pattern: str) -> Compiled:
    """regexp.Compile: the error is returned (GoError)."""
    try:
        return compile_go(pattern)
    except RegexSyntaxError as error:
        raise GoError(str(error)) from None


def find_all(regex: GoRegexp, text: str, limit: int) -> list[GoMatch]:
    """Go's allMatches: successive non-overlapping matches, no empty match abutting the previous one."""
    if limit < 0:
        limit = len(text) + 1
    matches: list[GoMatch] = []
    position, previous_end = 0, -1
    subject = Subject(text)
    while len(matches) < limit and position <= len(text):
        match = regex.search(subject, position)
        if match is None:
            break
        start, end = match.span()
        accept = True
        if end == position:  # an empty match
            accept = start != previous_end
            position += 1
        else:
            position = end
        previous_end = end
        if accept:
            matches.append(match)
    return matches


def expand(template: str, match: GoMatch, names: tuple[str, ...]) -> str:
    """regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`."""
    out: list[str] = []
    rest = template
    while True:
        dollar = rest.find("$")
        if dollar < 0:
            break
        out.append(rest[:dollar])
        rest = rest[dollar + 1:]
        if rest.startswith("$"):
            out.append("$")
            rest = rest[1:]
            continue
        name, after = _extract(rest)
        if name is None:
            out.append("$")
            continue
        rest = after
        number = int(name) if name.isascii() and name.isdecimal() and len(name) <= 9 else -1
        if name[0] == "0" and len(name) > 1:
            number = -1
        if number >= 0:
            if number < len(names):
                out.append(match.group(number) or "")
        else:
            for index, group_name in enumerate(names):
                if group_name == name and match.start(index) >= 0:  # Go: the first *matched* group so named
                    out.append(match.group(index) or "")
                    break
    out.append(rest)
    return "".join(out)


def _extract(text: str) -> tuple[str | None, str]:
    braced = text.startswith("{")
    body = text[1:] if braced else text
    length = 0
    while length < len(body) and (body[length] == "_" or body[length].isalpha() or body[length].isdecimal()):
        length += 1
    if length == 0 or (braced and body[length:length + 1] != "}"):
        return None, text
    return body[:length], body[length + 1 if braced else length:]


def replace_all(regex: GoRegexp, text: str, replace: Callable[[GoMatch], str]) -> str:
    """Go's replaceAll loop (no replacement for an empty match right after a match)."""
    out: list[str] = []
    last_end, position = 0, 0
    subject = Subject(text)
    while position <= len(text):
        match = regex.search(subject, position)
        if match is None:
            break
        start, end = match.span()
        out.append(text[last_end:start])
        if end > last_end or start == 0:
            out.append(replace(match))
        last_end = end
        position = position + 1 if position + 1 > end else end
    out.append(text[last_end:])
    return "".join(out)


def split(regex: GoRegexp, text: str, limit: int, *, empty_pattern: bool = False) -> list[str]:
    """regexp.Split (`empty_pattern`: the Go pattern was "")."""
    if limit == 0:
        return []
    if not empty_pattern and not text:
        return [""]
    parts: list[str] = []
    begin = end = 0
    for match in find_all(regex, text, limit):
        if limit > 0 and len(parts) == limit - 1:
            break
        end = match.start()
        if match.end() != 0:
            parts.append(text[begin:end])
        begin = match.end()
    if end != len(text):
        parts.append(text[begin:])
    return parts


def quote_meta(text: str) -> str:
    """regexp.QuoteMeta."""
    return "".join("\\" + c if c in "\\.+*?()|[]{}^$" else c for c in text)


# ------------------------------------------------------------------------------------------ Sprig functions

@go_func("regexMatch(string, string) bool")
def regex_match(pattern: str, text: str) -> bool:
    try:
        regex = compile_go(pattern)
    except RegexSyntaxError:
        return False
    return regex.search(text) is not None


@go_func("mustRegexMatch(string, string) bool,error")
def must_regex_match(pattern: str, text: str) -> bool:
    return _compile(pattern).search(text) is not None


def _find(compiled: Compiled, text: str) -> str:
    match = compiled.search(text)
    return (match.group(0) or "") if match else ""


@go_func("regexFind(string, string) string")
def regex_find(pattern: str, text: str) -> str:
    return _find(_must_compile(pattern), text)


@go_func("mustRegexFind(string, string) string,error")
def must_regex_find(pattern: str, text: str) -> str:
    return _find(_compile(pattern), text)


def _find_all(compiled: Compiled, text: str, limit: int) -> GoStringSlice:
    return GoStringSlice(m.group(0) for m in find_all(compiled, text, limit))


@go_func("regexFindAll(string, string, int) []string")
def regex_find_all(pattern: str, text: str, limit: int) -> GoStringSlice:
    return _find_all(_must_compile(pattern), text, limit)


@go_func("mustRegexFindAll(string, string, int) []string,error")
def must_regex_find_all(pattern: str, text: str, limit: int) -> GoStringSlice:
    return _find_all(_compile(pattern), text, limit)


def _replace(compiled: Compiled, text: str, template: str) -> str:
    return replace_all(compiled, text, lambda match: expand(template, match, compiled.names))


@go_func("regexReplaceAll(string, string, string) string")
def regex_replace_all(pattern: str, text: str, template: str) -> str:
    return _replace(_must_compile(pattern), text, template)


@go_func("mustRegexReplaceAll(string, string, string) string,error")
def must_regex_replace_all(pattern: str, text: str, template: str) -> str:
    return _replace(_compile(pattern), text, template)


@go_func("regexReplaceAllLiteral(string, string, string) string")
def regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return replace_all(_must_compile(pattern), text, lambda _: replacement)


@go_func("mustRegexReplaceAllLiteral(string, string, string) string,error")
def must_regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return replace_all(_compile(pattern), text, lambda _: replacement)


@go_func("regexSplit(string, string, int) []string")
def regex_split(pattern: str, text: str, limit: int) -> GoStringSlice:
    return GoStringSlice(split(_must_compile(pattern), text, limit, empty_pattern=not pattern))


@go_func("mustRegexSplit(string, string, int) []string,error")
def must_regex_split(pattern: str, text: str, limit: int) -> GoStringSlice:
    return GoStringSlice(split(_compile(pattern), text, limit, empty_pattern=not pattern))


@go_func("regexQuoteMeta(string) string")
def regex_quote_meta(text: str) -> str:
    return quote_meta(text)

"""JavaScript template variables (µTask's `expression`), run in QuickJS (quickjs-ng) instead of otto.

Each evaluation gets a fresh context, like µTask's `otto.New()`, with a CPU-time limit (the variable's
`expression_timeout`), a memory limit and a stack limit. Only strings cross the boundary: the source goes
in as a global string, the result comes out as JS `String(completion value)` — what otto's
`Value.String()` gives (`undefined`, `null`, `[object Object]`, `1,2,3`). No Python callable is ever
registered in the context.

otto differs from QuickJS in ways a prelude and a small pre-check smooth over:
* `JSON.stringify` sorts object keys and HTML-escapes `<`, `>`, `&` (otto goes through Go's encoder);
* the global object prints as `[object environment]`;
* otto is ES5 only: template literals, `let`/`const`/`class`, arrow functions and RE2-incompatible regex
  literals are syntax errors there, reported here with otto's wording for the first error (otto's
  follow-up error count is approximated);
* error texts are mapped to otto's for the common cases (ReferenceError, member access on null,
  calling a non-function, syntax errors as `(anonymous): Line L:C …`).
Differences left: QuickJS accepts more ES2015+ syntax than otto rejects here; integer literals beyond
2^53 are not kept exact; a memory-limit error has no otto equivalent; the time limit counts CPU time
(QuickJS uses clock()), where µTask's is wall-clock time.
"""

from __future__ import annotations

import re

import quickjs

from engine.templating.funcs.registry import GoError

__all__ = ["TIMEOUT_MESSAGE", "evaluate_js"]

TIMEOUT_MESSAGE = "Recovered from unsafe JS eval: Timed out variable evaluation"
MEMORY_MESSAGE = "Recovered from unsafe JS eval: memory limit exceeded"
STACK_LIMIT = 1024 * 1024

_PRELUDE = r"""
(function () {
  var stringify = JSON.stringify;
  function sorted(key, value) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      var copy = {}, keys = Object.keys(value).sort();
      for (var i = 0; i < keys.length; i++) copy[keys[i]] = value[keys[i]];
      return copy;
    }
    return value;
  }
  JSON.stringify = function (value, replacer, space) {
    var chained = typeof replacer === 'function'
      ? function (k, v) { return sorted(k, replacer.call(this, k, v)); } : sorted;
    var text = stringify(value, chained, space);
    return typeof text === 'string'
      ? text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
            .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
      : text;
  };
  Object.defineProperty(globalThis, Symbol.toStringTag, {value: 'environment'});
})();
"""
_RUN = "(function () { var s = __source; delete globalThis.__source; return String((0, eval)(s)); })()"
# otto ignores "use strict"; a leading statement keeps the user's directive from taking effect (the
# completion value is unchanged). Error lines are shifted back by the one line it adds.
_NO_DIRECTIVE = "void 0;\n"


def evaluate_js(source: str, *, timeout: float, memory_limit: int = 64 * 1024 * 1024) -> str:
    """Run `source` as otto would and return String(result); raises GoError with otto-like text."""
    problem = otto_syntax_error(source)
    if problem is not None:
        raise GoError(problem)
    context = quickjs.Context()
    context.set_memory_limit(memory_limit)
    context.set_max_stack_size(STACK_LIMIT)
    context.set_time_limit(max(timeout, 0.001))
    try:
        context.eval(_PRELUDE)
        context.set("__source", _NO_DIRECTIVE + source)
        result = context.eval(_RUN)
    except quickjs.StackOverflow:
        raise GoError("RangeError: Maximum call stack size exceeded") from None
    except quickjs.JSException as error:
        raise GoError(_otto_message(str(error), source)) from None
    return str(result)


# ------------------------------------------------------------------------------------ error messages

_LOCATION = re.compile(r"<input>:(\d+):(\d+)")


def _otto_message(raw: str, source: str) -> str:
    first, _, rest = raw.partition("\n")
    if first == "InternalError: interrupted":
        return TIMEOUT_MESSAGE
    if first == "InternalError: out of memory":
        return MEMORY_MESSAGE
    location = _LOCATION.search(rest)
    if first.startswith("SyntaxError: ") and "at RegExp" in rest:
        return "TypeError: Invalid regular expression: " + _regexp_message(first[len("SyntaxError: "):])
    if first.startswith("SyntaxError: ") and location is not None:
        line, column = int(location.group(1)) - 1, location.group(2)
        return f"(anonymous): Line {line}:{column} {_syntax_message(first[len('SyntaxError: '):])}"
    return _runtime_message(first, source, location)


def _runtime_message(first: str, source: str, location: re.Match[str] | None) -> str:
    match = re.fullmatch(r"ReferenceError: (.+) is not defined", first)
    if match:
        return f"ReferenceError: '{match.group(1)}' is not defined"
    match = re.fullmatch(r"TypeError: cannot read property '(.*)' of (null|undefined)", first)
    if match:
        return f'TypeError: Cannot access member "{match.group(1)}" of {match.group(2)}'
    if first == "TypeError: not a function" or first.endswith(" is not a function"):
        return f'TypeError: "{_callee(source, location)}" is not a function'
    return first


def _callee(source: str, location: re.Match[str] | None) -> str:
    if location is None:
        return "undefined"
    line, column = int(location.group(1)) - 1, int(location.group(2))
    lines = source.split("\n")
    text = lines[line - 1][column - 1 :] if line <= len(lines) else ""
    match = re.match(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*", text)
    return match.group(0).rsplit(".", 1)[-1] if match else "undefined"


def _syntax_message(message: str) -> str:
    if message.startswith(("unexpected token in expression: ''", "unexpected end")):
        return "Unexpected end of input"
    match = re.match(r"unexpected token in expression: '(.*)'", message)
    if match:
        return f"Unexpected token {match.group(1)}"
    if message.startswith("expecting"):
        return "Unexpected token"
    return message[:1].upper() + message[1:]


def _regexp_message(message: str) -> str:
    if message == "unexpected end":
        return "Unterminated character class"
    return message[:1].upper() + message[1:]


# -------------------------------------------------------------------------------- ES5-only pre-check

_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>//[^\n]*|/\*[\s\S]*?\*/)|(?P<string>"(?:[^"\\\n]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*')"""
    r"""|(?P<backtick>`)|(?P<word>[A-Za-z_$][\w$]*)|(?P<number>\d[\w.]*|\.\d[\w]*)|(?P<arrow>=>)"""
    r"""|(?P<punct>[^\sA-Za-z_$\d])"""
)
_REGEX_AFTER = frozenset("(,=:[!&|?{};+-*%<>~^") | {""}
_RE2_UNSUPPORTED = ((re.compile(r"\(\?="), "(?=) <lookahead>"), (re.compile(r"\(\?!"), "(?!) <lookahead>"),
                    (re.compile(r"\(\?<[=!]"), "(?<) <lookbehind>"))


def otto_syntax_error(source: str) -> str | None:
    """otto's error for ES2015+ syntax it rejects (QuickJS would accept it), else None."""
    tokens = _tokens(source)
    backticks = [pos for kind, _, pos in tokens if kind == "backtick"]
    if backticks:
        return _at(source, backticks[0], "Unexpected token ILLEGAL", len(backticks))
    for index, (kind, text, pos) in enumerate(tokens):
        if kind == "arrow":
            return _at(source, pos + 1, "Unexpected token >", 0)
        if kind == "word" and text in ("const", "class") and _statement_start(tokens, index):
            return _at(source, pos, "Unexpected reserved word", 0)
        if kind == "word" and text == "let" and _statement_start(tokens, index):
            following = tokens[index + 1:index + 3]
            if following and following[0][0] == "word":
                extra = 1 if len(following) > 1 and following[1][1] == "=" else 0
                return _at(source, following[0][2], "Unexpected identifier", extra)
        if kind == "regex":
            for pattern, what in _RE2_UNSUPPORTED:
                if pattern.search(text):
                    return _at(source, pos, f"Invalid regular expression: re2: Invalid {what}", 0)
    return None


def _statement_start(tokens: list[tuple[str, str, int]], index: int) -> bool:
    return index == 0 or tokens[index - 1][1] in (";", "{", "}")


def _at(source: str, offset: int, message: str, more: int) -> str:
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    suffix = f" (and {more} more errors)" if more else ""
    return f"(anonymous): Line {line}:{column} {message}{suffix}"


def _tokens(source: str) -> list[tuple[str, str, int]]:
    """A rough ES5 token stream (kind, text, offset); enough to spot the constructs above."""
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while position < len(source):
        if source[position] == "/" and _regex_allowed(tokens) and not source.startswith(("//", "/*"), position):
            end = _regex_end(source, position)
            if end is not None:
                tokens.append(("regex", source[position:end], position))
                position = end
                continue
        match = _TOKEN.match(source, position)
        if match is None:  # an unterminated string: the rest is one token
            tokens.append(("string", source[position:], position))
            break
        kind = match.lastgroup or "punct"
        if kind not in ("space", "comment"):
            tokens.append((kind, match.group(), position))
        position = match.end()
    return tokens


def _regex_allowed(tokens: list[tuple[str, str, int]]) -> bool:
    if not tokens:
        return True
    kind, text, _ = tokens[-1]
    return (kind == "punct" and text in _REGEX_AFTER) or (kind == "word" and text in ("return", "typeof", "in"))


def _regex_end(source: str, start: int) -> int | None:
    index, in_class = start + 1, False
    while index < len(source):
        char = source[index]
        if char == "\n":
            return None
        if char == "\\":
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            index += 1
            while index < len(source) and (source[index].isalnum() or source[index] in "_$"):
                index += 1
            return index
        index += 1
    return None

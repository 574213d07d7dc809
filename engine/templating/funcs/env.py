"""Sprig's `env` and `expandenv`, sandboxed.

µTask's Go code reads the *process environment* of the µTask server (so a template can read its secrets).
Here both functions read only `ctx.environ`, the environment the render was given: empty unless the
caller injects one, so `{{env "HOME"}}` is "" by default. `expandenv` follows Go's os.ExpandEnv:
`$NAME` and `${NAME}` are replaced (unset → ""), `$` followed by nothing valid stays, a bad `${…` is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from engine.templating.funcs.registry import FunctionContext, go_func

__all__ = ["go_expand"]

_SPECIAL = frozenset("*#$@!?-0123456789")


def _shell_name(text: str) -> tuple[str, int]:
    """os.getShellName: the variable name after a `$` and how many bytes it spans."""
    if text[0] == "{":
        if len(text) > 2 and text[1] in _SPECIAL and text[2] == "}":
            return text[1], 3
        close = text.find("}", 1)
        if close < 0:
            return "", 1  # bad syntax: eat "${"
        if close == 1:
            return "", 2  # bad syntax: eat "${}"
        return text[1:close], close + 1
    if text[0] in _SPECIAL:
        return text[0], 1
    length = 0
    while length < len(text) and (text[length] == "_" or (text[length].isascii() and text[length].isalnum())):
        length += 1
    return text[:length], length


def go_expand(text: str, mapping: Callable[[str], str]) -> str:
    """os.Expand."""
    out: list[str] = []
    start = index = 0
    while index < len(text):
        if text[index] == "$" and index + 1 < len(text):
            out.append(text[start:index])
            name, width = _shell_name(text[index + 1:])
            if name:
                out.append(mapping(name))
            elif width == 0:
                out.append("$")
            index += width
            start = index + 1
        index += 1
    return "".join(out) + text[start:]


def _lookup(environ: Mapping[str, str]) -> Callable[[str], str]:
    return lambda name: environ.get(name, "")


@go_func("env(string) string", needs_context=True)
def env(ctx: FunctionContext, name: str) -> str:
    return ctx.environ.get(name, "")


@go_func("expandenv(string) string", needs_context=True)
def expandenv(ctx: FunctionContext, text: str) -> str:
    return go_expand(text, _lookup(ctx.environ))

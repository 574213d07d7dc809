"""Sprig's defaults and flow control: default, empty, coalesce, all, any, ternary, fail.

Emptiness is Go's zero value of the value's own type: nil, false, 0, 0.0, "", an empty list or map. A json.Number
is a string, so `0` from a step output is *not* empty (`default "x" .step.s.output.zero` gives `0`), while a
float64 0 from an input is. Structs (time.Time) and non-nil pointers (semver) are never empty.
"""

from __future__ import annotations

from typing import Any

from engine.templating.funcs.govalues import go_empty, nilify
from engine.templating.funcs.registry import GoError, go_func

__all__: list[str] = []


@go_func("default(interface {}, ...interface {}) interface {}")
def default(fallback: Any, *given: Any) -> Any:
    """`given` unless it is absent or empty, else `fallback` (`.x | default "d"`)."""
    if not given or go_empty(given[0]):
        return nilify(fallback)
    return nilify(given[0])


@go_func("empty(interface {}) bool")
def empty(value: Any) -> bool:
    return go_empty(value)


@go_func("coalesce(...interface {}) interface {}")
def coalesce(*values: Any) -> Any:
    """The first non-empty value, or nil."""
    for value in values:
        if not go_empty(value):
            return value
    return None


@go_func("all(...interface {}) bool")
def all_(*values: Any) -> bool:
    """No value is empty (true for no values)."""
    return not any(go_empty(value) for value in values)


@go_func("any(...interface {}) bool")
def any_(*values: Any) -> bool:
    """Some value is not empty."""
    return not all(go_empty(value) for value in values)


@go_func("ternary(interface {}, interface {}, bool) interface {}")
def ternary(if_true: Any, if_false: Any, condition: bool) -> Any:
    return nilify(if_true if condition else if_false)


@go_func("fail(string) string,error")
def fail(message: str) -> str:
    """Abort rendering with `message`."""
    raise GoError(message)

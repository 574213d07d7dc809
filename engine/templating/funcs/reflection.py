"""Sprig's reflection functions: typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual.

Type names are Go's `%T` (`json.Number`, `float64`, `map[string]interface {}`, `[]string`, `*semver.Version`,
`<nil>` for nil) and kinds reflect.Kind's names (`string` for a json.Number, `slice`, `map`, `ptr`, `struct`,
`invalid` for nil).
"""

from __future__ import annotations

from typing import Any

from engine.templating.funcs.govalues import deep_equal
from engine.templating.funcs.registry import go_func
from engine.templating.gotypes import go_kind, go_type_name

__all__: list[str] = []


@go_func("typeOf(interface {}) string")
def type_of(value: Any) -> str:
    return go_type_name(value)


@go_func("typeIs(string, interface {}) bool")
def type_is(target: str, value: Any) -> bool:
    return target == go_type_name(value)


@go_func("typeIsLike(string, interface {}) bool")
def type_is_like(target: str, value: Any) -> bool:
    """The type is `target` or a pointer to it."""
    name = go_type_name(value)
    return name in (target, "*" + target)


@go_func("kindOf(interface {}) string")
def kind_of(value: Any) -> str:
    return go_kind(value)


@go_func("kindIs(string, interface {}) bool")
def kind_is(target: str, value: Any) -> bool:
    return target == go_kind(value)


@go_func("deepEqual(interface {}, interface {}) bool")
def deep_equal_func(left: Any, right: Any) -> bool:
    """reflect.DeepEqual: same Go types and equal contents (so json.Number `1` and int `1` differ)."""
    return deep_equal(left, right)

"""Sprig's dict functions (v3.3.0): dict, get, set, unset, hasKey, pluck, keys, values, pick, omit, dig,
deepCopy; merge and mergeOverwrite are in `dicts_merge`.

Their map parameters are Go `map[string]interface {}`; a missing value passed there arrives as a nil map (None):
reading it finds nothing, `set` on it panics like Go (`assignment to entry in nil map`). `set` and `unset` change
the map they are given, which stays visible through the context. `keys` and `values` follow Go's map iteration,
which is random: here they come in sorted key order per map.
"""

from __future__ import annotations

from typing import Any

from engine.templating.funcs.govalues import deep_copy, is_nil, nilify, strval
from engine.templating.funcs.registry import GoPanic, go_func
from engine.templating.gotypes import GoStringSlice, go_type_name

__all__: list[str] = []

Map = dict[str, Any] | None


@go_func("dict(...interface {}) map[string]interface {}")
def make_dict(*pairs: Any) -> dict[str, Any]:
    """Alternating keys (through strval) and values; an odd trailing key gets the value ""."""
    result: dict[str, Any] = {}
    for index in range(0, len(pairs), 2):
        key = strval(pairs[index])
        result[key] = nilify(pairs[index + 1]) if index + 1 < len(pairs) else ""
    return result


@go_func("get(map[string]interface {}, string) interface {}")
def get(mapping: Map, key: str) -> Any:
    """The value under `key`, or "" when there is none."""
    if mapping is not None and key in mapping:
        return nilify(mapping[key])
    return ""


@go_func("set(map[string]interface {}, string, interface {}) map[string]interface {}")
def set_(mapping: Map, key: str, value: Any) -> dict[str, Any]:
    if mapping is None:
        raise GoPanic("assignment to entry in nil map")
    mapping[key] = nilify(value)
    return mapping


@go_func("unset(map[string]interface {}, string) map[string]interface {}")
def unset(mapping: Map, key: str) -> dict[str, Any]:
    if mapping is None:
        return {}
    mapping.pop(key, None)
    return mapping


@go_func("hasKey(map[string]interface {}, string) bool")
def has_key(mapping: Map, key: str) -> bool:
    return mapping is not None and key in mapping


@go_func("pluck(string, ...map[string]interface {}) []interface {}")
def pluck(key: str, *mappings: Map) -> list[Any]:
    """The value under `key` in each map that has it."""
    return [nilify(mapping[key]) for mapping in mappings if mapping is not None and key in mapping]


@go_func("keys(...map[string]interface {}) []string")
def keys(*mappings: Map) -> GoStringSlice:
    """The keys of every map, map after map (each map's keys sorted; Go's order is random)."""
    return GoStringSlice(key for mapping in mappings if mapping for key in sorted(mapping))


@go_func("values(map[string]interface {}) []interface {}")
def values(mapping: Map) -> list[Any]:
    """The values of the map (in sorted key order; Go's order is random)."""
    if not mapping:
        return []
    return [nilify(mapping[key]) for key in sorted(mapping)]


@go_func("pick(map[string]interface {}, ...string) map[string]interface {}")
def pick(mapping: Map, *wanted: str) -> dict[str, Any]:
    """A new map with only the given keys (those present)."""
    if mapping is None:
        return {}
    return {key: mapping[key] for key in wanted if key in mapping}


@go_func("omit(map[string]interface {}, ...string) map[string]interface {}")
def omit(mapping: Map, *dropped: str) -> dict[str, Any]:
    """A new map without the given keys."""
    if mapping is None:
        return {}
    excluded = set(dropped)
    return {key: item for key, item in mapping.items() if key not in excluded}


def _assert_type(value: Any, wanted: str) -> None:
    # A failed Go type assertion `value.(T)` on an interface{}.
    actual = "nil" if is_nil(value) else go_type_name(value)
    if actual != wanted:
        raise GoPanic(f"interface conversion: interface {{}} is {actual}, not {wanted}")


@go_func("dig(...interface {}) interface {},error")
def dig(*args: Any) -> Any:
    """`dig "a" "b" DEFAULT MAP`: walk nested maps by key; DEFAULT when a key is missing."""
    if len(args) < 3:
        raise GoPanic("dig needs at least three arguments")
    current, default = args[-1], args[-2]
    _assert_type(current, "map[string]interface {}")
    path = args[:-2]
    for key in path:
        _assert_type(key, "string")
    for depth, key in enumerate(path):
        if key not in current:
            return nilify(default)
        current = current[key]
        if depth < len(path) - 1:
            _assert_type(current, "map[string]interface {}")
    return nilify(current)


@go_func("deepCopy(interface {}) interface {}")
def deep_copy_func(value: Any) -> Any:
    """A copy with new maps and lists at every level."""
    return deep_copy(value)


@go_func("mustDeepCopy(interface {}) interface {},error")
def must_deep_copy(value: Any) -> Any:
    return deep_copy(value)

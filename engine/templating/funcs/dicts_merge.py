"""Sprig's merge, mergeOverwrite and their must twins: dario.cat/mergo v1.0.1 on `map[string]interface {}`.

The first map is changed in place and returned. For each key of a source map:

* a nil source value is copied only when overwriting;
* nested maps are merged recursively into the destination's map (the same object, so it changes in place);
* otherwise the source value replaces the destination's when overwriting, or when the destination lacks the key
  or holds an empty value (`""`, 0, false, nil, an empty list or map);
* mergo's list handling has a quirk kept here: whether a list is taken depends on the emptiness of the whole
  destination *map*, not of the destination value, which only matters for what `merge` leaves in a non-empty
  destination (the destination's own list, when it is not empty).
"""

from __future__ import annotations

from typing import Any

from engine.templating.funcs.govalues import is_nil
from engine.templating.funcs.registry import GoPanic, go_func
from engine.templating.gotypes import GoStringMap, go_kind, go_type_name

__all__ = ["mergo_merge"]


def _mergo_empty(value: Any) -> bool:
    # mergo's isEmptyValue (dereferencing interfaces): like Sprig's empty, except that complex numbers never are.
    if is_nil(value):
        return True
    if isinstance(value, complex):
        return False
    if isinstance(value, str | bytes | list | dict):
        return len(value) == 0
    if isinstance(value, bool | int | float):
        return value == 0
    return False


def _store(target: dict[str, Any], key: str, value: Any, static_type: str) -> None:
    # reflect.Value.SetMapIndex: a map[string]string only takes values whose static type is string.
    if type(target) is GoStringMap and static_type != "string":
        raise GoPanic(f"reflect.Value.SetMapIndex: value of type {static_type} is not assignable to type string")
    target[key] = None if is_nil(value) else value


def _merge_maps(target: dict[str, Any], source: dict[str, Any], overwrite: bool) -> None:
    element_type = "string" if type(source) is GoStringMap else "interface {}"
    for key, item in list(source.items()):
        present = key in target
        current = target.get(key)
        if is_nil(item):
            if overwrite:
                _store(target, key, None, element_type)
            continue
        kind = go_kind(item)
        if kind == "map" and present and isinstance(current, dict):
            _merge_maps(current, item, overwrite)
        elif kind == "slice":
            taken = item if overwrite or not target else (type(item)() if is_nil(current) else current)
            _store(target, key, taken, go_type_name(taken))
        if present and not _mergo_empty(current) and (kind == "slice" or (kind == "map" and go_kind(current) == "map")):
            continue
        if overwrite or not present or _mergo_empty(current):
            _store(target, key, item, element_type)


def mergo_merge(target: dict[str, Any] | None, sources: tuple[dict[str, Any] | None, ...],
                overwrite: bool) -> dict[str, Any]:
    """mergo.Merge(&target, source) (or MergeWithOverwrite) for each source in turn; returns the target."""
    for source in sources:
        if source is None:
            continue
        if target is None:  # a nil destination map is made anew, then filled
            target = {}
        _merge_maps(target, source, overwrite)
    return {} if target is None else target


@go_func("merge(map[string]interface {}, ...map[string]interface {}) interface {}")
def merge(target: dict[str, Any] | None, *sources: dict[str, Any] | None) -> dict[str, Any]:
    """Fill the first map's missing or empty keys from the others (nested maps merged)."""
    return mergo_merge(target, sources, overwrite=False)


@go_func("mustMerge(map[string]interface {}, ...map[string]interface {}) interface {},error")
def must_merge(target: dict[str, Any] | None, *sources: dict[str, Any] | None) -> dict[str, Any]:
    return mergo_merge(target, sources, overwrite=False)


@go_func("mergeOverwrite(map[string]interface {}, ...map[string]interface {}) interface {}")
def merge_overwrite(target: dict[str, Any] | None, *sources: dict[str, Any] | None) -> dict[str, Any]:
    """Copy the other maps' keys over the first one's (nested maps merged)."""
    return mergo_merge(target, sources, overwrite=True)


@go_func("mustMergeOverwrite(map[string]interface {}, ...map[string]interface {}) interface {},error")
def must_merge_overwrite(target: dict[str, Any] | None, *sources: dict[str, Any] | None) -> dict[str, Any]:
    return mergo_merge(target, sources, overwrite=True)

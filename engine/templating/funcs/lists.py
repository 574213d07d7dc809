"""Sprig's list functions (v3.3.0): list, first/last/rest/initial, append/push/prepend, concat, reverse, uniq,
without, has, compact, slice, chunk, each with its `must…` twin; until and untilStep (Go `[]int`s). (`seq`,
their string form, is registered with the math functions.)

They accept any slice value (`[]interface {}`, `[]string` from splitList, `[]int` from until, `[]uint8`) and
return a new `[]interface {}`. A non-list argument is an error (`Cannot find first on type string`), returned by
the `must` variant and panicked by the plain one; both surface as `error calling NAME: …`. A nil argument is a
nil-pointer panic in both (Sprig calls `reflect.TypeOf(nil).Kind()`). Equality (uniq, without, has) is
reflect.DeepEqual: `1` and `"1"` differ, so do a json.Number `3` and the int `3`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NoReturn

from engine.templating.funcs.gocast import float_to_int64, to_int
from engine.templating.funcs.govalues import (
    GoIntSlice,
    check_allocation,
    deep_equal,
    elements,
    go_empty,
    is_nil,
    kind_of_non_nil,
    nilify,
)
from engine.templating.funcs.registry import GoError, GoPanic, go_func
from engine.templating.gotypes import GoListOfLists

__all__ = ["until_step"]


def _items(value: Any, message: str) -> list[Any]:
    """The items of a slice value; `message` (with `{}` for the kind) is the error for any other kind."""
    kind = kind_of_non_nil(value)
    items = elements(value)
    if items is None:
        raise GoError(message.format(kind))
    return items


def _plain(name: str, signature: str, must: Callable[..., Any]) -> None:
    """Register the non-must twin: same work, but Sprig panics with the error instead of returning it."""

    def plain(*args: Any) -> Any:
        try:
            return must(*args)
        except GoError as error:
            raise GoPanic(error.message) from None

    plain.__name__ = plain.__qualname__ = name
    go_func(signature)(plain)


@go_func("list(...interface {}) []interface {}", names=("tuple",))
def make_list(*values: Any) -> list[Any]:
    return [nilify(value) for value in values]


@go_func("mustFirst(interface {}) interface {},error")
def must_first(value: Any) -> Any:
    items = _items(value, "Cannot find first on type {}")
    return nilify(items[0]) if items else None


@go_func("mustLast(interface {}) interface {},error")
def must_last(value: Any) -> Any:
    items = _items(value, "Cannot find last on type {}")
    return nilify(items[-1]) if items else None


@go_func("mustRest(interface {}) []interface {},error")
def must_rest(value: Any) -> list[Any]:
    return _items(value, "Cannot find rest on type {}")[1:]


@go_func("mustInitial(interface {}) []interface {},error")
def must_initial(value: Any) -> list[Any]:
    return _items(value, "Cannot find initial on type {}")[:-1]


@go_func("mustAppend(interface {}, interface {}) []interface {},error", names=("mustPush",))
def must_push(value: Any, item: Any) -> list[Any]:
    return [*_items(value, "Cannot push on type {}"), nilify(item)]


@go_func("mustPrepend(interface {}, interface {}) []interface {},error")
def must_prepend(value: Any, item: Any) -> list[Any]:
    return [nilify(item), *_items(value, "Cannot prepend on type {}")]


@go_func("mustReverse(interface {}) []interface {},error")
def must_reverse(value: Any) -> list[Any]:
    return _items(value, "Cannot find reverse on type {}")[::-1]


@go_func("mustCompact(interface {}) []interface {},error")
def must_compact(value: Any) -> list[Any]:
    """The items that are not empty (see `empty`)."""
    return [item for item in _items(value, "Cannot compact on type {}") if not go_empty(item)]


@go_func("mustUniq(interface {}) []interface {},error")
def must_uniq(value: Any) -> list[Any]:
    unique: list[Any] = []
    for item in _items(value, "Cannot find uniq on type {}"):
        if not any(deep_equal(item, seen) for seen in unique):
            unique.append(item)
    return unique


@go_func("mustWithout(interface {}, ...interface {}) []interface {},error")
def must_without(value: Any, *omit: Any) -> list[Any]:
    items = _items(value, "Cannot find without on type {}")
    return [item for item in items if not any(deep_equal(item, dropped) for dropped in omit)]


@go_func("mustHas(interface {}, interface {}) bool,error")
def must_has(needle: Any, haystack: Any) -> bool:
    if is_nil(haystack):
        return False
    return any(deep_equal(needle, item) for item in _items(haystack, "Cannot find has on type {}"))


@go_func("mustSlice(interface {}, ...interface {}) interface {},error")
def must_slice(value: Any, *indices: Any) -> Any:
    """value[start:end] keeping the slice's type; nil for an empty slice; indices go through cast.ToInt."""
    items = _items(value, "list should be type of slice or array but {}")
    if not items:
        return None
    start = to_int(indices[0]) if indices else 0
    end = to_int(indices[1]) if len(indices) >= 2 else len(items)
    if start < 0 or end < start or end > len(items):
        raise GoPanic("reflect.Value.Slice: slice index out of bounds")
    return type(value)(value[start:end])


@go_func("mustChunk(int, interface {}) [][]interface {},error")
def must_chunk(size: int, value: Any) -> GoListOfLists:
    """Consecutive chunks of `size` items, the last one shorter; Sprig's float arithmetic makes a size of 0 or
    below panic (`makeslice: len out of range`) except in a few corner cases, which are reproduced."""
    items = _items(value, "Cannot chunk type {}")
    count = float_to_int64(_go_floor(_go_divide(float(len(items) - 1), float(size))) + 1)
    if count < 0:
        _bad_make()
    chunks = GoListOfLists()
    for index in range(count):
        length = size
        if index == count - 1:
            length = int(math.floor(math.fmod(float(len(items)), float(size)))) or size
        if length < 0:
            _bad_make()
        chunks.append(items[index * size : index * size + length])
    return chunks


def _go_divide(left: float, right: float) -> float:
    if right != 0:
        return left / right
    if left == 0 or math.isnan(left):
        return math.nan
    return math.copysign(math.inf, left) * math.copysign(1.0, right)


def _go_floor(value: float) -> float:
    return float(math.floor(value)) if math.isfinite(value) else value


def _bad_make() -> NoReturn:
    raise GoPanic("runtime error: makeslice: len out of range")


@go_func("concat(...interface {}) interface {}")
def concat(*lists: Any) -> list[Any]:
    joined: list[Any] = []
    for value in lists:
        kind = kind_of_non_nil(value)
        items = elements(value)
        if items is None:
            raise GoPanic(f"Cannot concat type {kind} as list")
        joined.extend(items)
    return joined


def until_step(start: int, stop: int, step: int) -> GoIntSlice:
    """start, start+step… while short of `stop` (counting down when stop < start and step < 0); empty when
    the step goes the wrong way or is 0."""
    if stop < start:
        if step >= 0:
            return GoIntSlice()
    elif step <= 0:
        return GoIntSlice()
    numbers = range(start, stop, step)
    check_allocation(8 * len(numbers))
    return GoIntSlice(numbers)


@go_func("until(int) []int")
def until(count: int) -> GoIntSlice:
    """0, 1… count-1 (or 0, -1… count+1 for a negative count)."""
    return until_step(0, count, -1 if count < 0 else 1)


@go_func("untilStep(int, int, int) []int")
def until_step_func(start: int, stop: int, step: int) -> GoIntSlice:
    return until_step(start, stop, step)


for _name, _signature, _must in (
    ("first", "first(interface {}) interface {}", must_first),
    ("last", "last(interface {}) interface {}", must_last),
    ("rest", "rest(interface {}) []interface {}", must_rest),
    ("initial", "initial(interface {}) []interface {}", must_initial),
    ("append", "append(interface {}, interface {}) []interface {}", must_push),
    ("push", "push(interface {}, interface {}) []interface {}", must_push),
    ("prepend", "prepend(interface {}, interface {}) []interface {}", must_prepend),
    ("reverse", "reverse(interface {}) []interface {}", must_reverse),
    ("compact", "compact(interface {}) []interface {}", must_compact),
    ("uniq", "uniq(interface {}) []interface {}", must_uniq),
    ("without", "without(interface {}, ...interface {}) []interface {}", must_without),
    ("has", "has(interface {}, interface {}) bool", must_has),
    ("slice", "slice(interface {}, ...interface {}) interface {}", must_slice),
    ("chunk", "chunk(int, interface {}) [][]interface {}", must_chunk),
):
    _plain(_name, _signature, _must)

"""Go reflection over the value model, as Sprig's functions use it: nil checks, emptiness, DeepEqual, kinds,
slices, `strval` (Sprig's toString) and Go runtime panic texts.

Also declares `GoIntSlice` (a Go `[]int`, what `until` and `untilStep` return) and teaches `gotypes` its type
name and kind, so `typeOf`, `kindOf` and `printf "%T"` report it as Go does.
"""

from __future__ import annotations

from typing import Any

from engine.templating import gotypes
from engine.templating.funcs.registry import GoPanic
from engine.templating.gotypes import NO_VALUE, GoObject, GoStringSlice, GoUint8, go_kind
from engine.templating.printing import sprint

__all__ = [
    "ALLOCATION_LIMIT",
    "NIL_DEREFERENCE",
    "GoIntSlice",
    "check_allocation",
    "deep_copy",
    "deep_equal",
    "elements",
    "go_empty",
    "is_nil",
    "kind_of_non_nil",
    "nilify",
    "strslice",
    "strval",
]

NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"

# Go would allocate (or die with "fatal error: runtime: out of memory") on `repeat`, `until`, `seq`… of absurd
# sizes; the Python engine refuses results beyond this many bytes (or list items times 8) instead of exhausting
# memory or hanging a run: a Python list item costs far more than Go's 8 bytes, so the bound is modest.
ALLOCATION_LIMIT = 64 << 20


class GoIntSlice(list):  # type: ignore[type-arg]
    """A Go `[]int` (Sprig's until/untilStep)."""

    __slots__ = ()


gotypes._TYPE_NAMES.setdefault(GoIntSlice, "[]int")
gotypes._KINDS.setdefault(GoIntSlice, "slice")


def check_allocation(size: int) -> None:
    """Refuse a result of `size` bytes beyond ALLOCATION_LIMIT (Go would run out of memory)."""
    if size > ALLOCATION_LIMIT:
        raise GoPanic("runtime: out of memory")


def is_nil(value: Any) -> bool:
    """A nil interface{} as a Sprig function sees it (JSON null, or a missing value passed to interface{})."""
    return value is None or value is NO_VALUE


def nilify(value: Any) -> Any:
    """Values returned through interface{}: a missing value is a nil interface by then."""
    return None if value is NO_VALUE else value


def kind_of_non_nil(value: Any) -> str:
    """`reflect.TypeOf(v).Kind()`, which dereferences a nil Type when `v` is a nil interface."""
    if is_nil(value):
        raise GoPanic(NIL_DEREFERENCE)
    return go_kind(value)


def elements(value: Any) -> list[Any] | None:
    """The items of a slice or array value (`reflect.Value.Index(i).Interface()`), None for other kinds."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, bytes):
        return [GoUint8(b) for b in value]
    return None


def strval(value: Any) -> str:
    """Sprig's strval (toString): strings as they are, []byte as text, Stringers and the rest through %v."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return sprint(value)


def go_empty(value: Any) -> bool:
    """Sprig's empty: the zero value of its type (nil, 0, false, "", empty slice or map); structs never are."""
    if is_nil(value):
        return True
    if isinstance(value, str | bytes | list | dict):
        return len(value) == 0
    if isinstance(value, bool | int | float | complex):
        return value == 0
    return False  # time.Time and other structs, non-nil pointers (semver), arrays (uuid)


def deep_equal(left: Any, right: Any) -> bool:
    """reflect.DeepEqual on model values: identical Go types, then equal contents (NaN is never equal)."""
    if is_nil(left) or is_nil(right):
        return is_nil(left) and is_nil(right)
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        if left is right:
            return True
        return len(left) == len(right) and all(deep_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        if left is right:
            return True
        return len(left) == len(right) and all(key in right and deep_equal(item, right[key])
                                               for key, item in left.items())
    if isinstance(left, GoObject):
        return left is right or bool(left == right)
    return bool(left == right)


def deep_copy(value: Any) -> Any:
    """copystructure.Copy: new maps and slices all the way down, scalars and structs shared (immutable here)."""
    if is_nil(value):
        # Copy(nil) ends with reflect.ValueOf(nil).Type(), which panics.
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    return _copy(value)


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return type(value)(_copy(item) for item in value)
    if isinstance(value, dict):
        return type(value)((key, _copy(item)) for key, item in value.items())
    return nilify(value)


def strslice(value: Any) -> GoStringSlice:
    """Sprig's strslice (toStrings, join, sortAlpha): a []string as it is, slice items through strval with nils
    dropped, nil as no item, anything else as its one strval."""
    if type(value) is GoStringSlice:
        return value
    items = elements(value)
    if items is None:
        return GoStringSlice() if is_nil(value) else GoStringSlice([strval(value)])
    return GoStringSlice(strval(item) for item in items if not is_nil(item))

"""text/template's comparison builtins (eq ne lt le gt ge) with Go's basic-kind rules.

Operands are compared only within one basic kind (bool, int, uint, float, complex, string); ints and
uints of any width compare with each other, nothing else mixes ("incompatible types for comparison").
json.Number is a string kind, so `eq .n "12"` holds while `eq .n 12` is an error.
"""

from __future__ import annotations

from typing import Any

from engine.templating.funcs.registry import GoError
from engine.templating.gofmt_printf import go_sprintf
from engine.templating.gotypes import NO_VALUE, GoObject, GoTime, GoUint8, GoUint32, GoUint64, go_type_name

__all__ = ["go_eq", "go_ge", "go_gt", "go_le", "go_lt", "go_ne"]

_INVALID, _BOOL, _INT, _UINT, _FLOAT, _COMPLEX, _STRING = range(7)
_UNSIGNED = (GoUint64, GoUint32, GoUint8)
_BAD_COMPARISON = "incompatible types for comparison"
_BAD_TYPE = "invalid type for comparison"


def _basic_kind(value: Any) -> int:
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, int):
        return _UINT if isinstance(value, _UNSIGNED) else _INT
    if isinstance(value, float):
        return _FLOAT
    if isinstance(value, complex):
        return _COMPLEX
    if isinstance(value, str):
        return _STRING
    return _INVALID


def _indirect(value: Any) -> Any:
    """indirectInterface: a nil interface becomes the invalid value."""
    return NO_VALUE if value is None else value


def _reflect_kind(value: Any) -> str:
    if value is NO_VALUE:
        return "invalid"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list | tuple | bytes):
        return "slice"
    if isinstance(value, GoObject):
        return "ptr" if value.go_type.startswith("*") else value.go_kind
    if isinstance(value, GoTime):
        return "struct"
    return type(value).__name__


def _string_less(left: str, right: str) -> bool:
    # Go compares strings bytewise (UTF-8), which code point order matches except for escaped bytes.
    if left.isascii() and right.isascii():
        return left < right
    return left.encode("utf-8", "surrogateescape") < right.encode("utf-8", "surrogateescape")


def go_eq(arg1: Any, *others: Any) -> bool:
    if type(arg1) is str and len(others) == 1 and type(others[0]) is str:
        return arg1 == others[0]  # the common case: two plain strings
    arg1 = _indirect(arg1)
    if not others:
        raise GoError("missing argument for comparison")
    kind1 = _basic_kind(arg1)
    for other in others:
        if _equal_one(arg1, kind1, _indirect(other)):
            return True
    return False


def _equal_one(arg1: Any, kind1: int, other: Any) -> bool:
    kind2 = _basic_kind(other)
    if kind1 != kind2:
        if kind1 == _INT and kind2 == _UINT:
            return int(arg1) >= 0 and int(arg1) == int(other)
        if kind1 == _UINT and kind2 == _INT:
            return int(other) >= 0 and int(arg1) == int(other)
        if arg1 is not NO_VALUE and other is not NO_VALUE:
            raise GoError(_BAD_COMPARISON)
        return False
    if kind1 == _STRING:
        return bool(str.__eq__(arg1, other))
    if kind1 != _INVALID:
        return bool(arg1 == other)
    return _equal_composite(arg1, other)


def _equal_composite(arg1: Any, other: Any) -> bool:
    """Maps, slices, structs, pointers and nil: Go's canCompare / isNil / Comparable checks."""
    kind1, kind2 = _reflect_kind(arg1), _reflect_kind(other)
    if kind1 != kind2 and "invalid" not in (kind1, kind2):
        left, right = f"{_show(arg1)}: {go_type_name(arg1)}", f"{go_type_name(other)}: {_show(other)}"
        raise GoError(f"non-comparable types {left}, {right}")
    if arg1 is NO_VALUE or other is NO_VALUE:
        return arg1 is other
    if isinstance(other, dict | list | tuple | bytes):
        raise GoError(f"non-comparable type {_show(other)}: {go_type_name(other)}")
    if isinstance(other, GoObject) and other.go_type.startswith("*"):
        return arg1 is other  # pointers compare by identity
    return bool(arg1 == other)


def _show(value: Any) -> str:
    return go_sprintf("%s", [value])


def go_ne(arg1: Any, arg2: Any) -> bool:
    return not go_eq(arg1, arg2)


def go_lt(arg1: Any, arg2: Any) -> bool:
    arg1, arg2 = _indirect(arg1), _indirect(arg2)
    kind1, kind2 = _basic_kind(arg1), _basic_kind(arg2)
    if kind1 == _INVALID or kind2 == _INVALID:
        raise GoError(_BAD_TYPE)
    if kind1 != kind2:
        if kind1 == _INT and kind2 == _UINT:
            return int(arg1) < 0 or int(arg1) < int(arg2)
        if kind1 == _UINT and kind2 == _INT:
            return int(arg2) >= 0 and int(arg1) < int(arg2)
        raise GoError(_BAD_COMPARISON)
    if kind1 in (_BOOL, _COMPLEX):
        raise GoError(_BAD_TYPE)
    if kind1 == _STRING:
        return _string_less(str.__str__(arg1), str.__str__(arg2))
    return bool(arg1 < arg2)


def go_le(arg1: Any, arg2: Any) -> bool:
    return go_lt(arg1, arg2) or go_eq(arg1, arg2)


def go_gt(arg1: Any, arg2: Any) -> bool:
    return not go_le(arg1, arg2)


def go_ge(arg1: Any, arg2: Any) -> bool:
    return not go_lt(arg1, arg2)

"""text/template's builtin functions, declared with their Go signatures (`reflect.Value` params receive
the raw model value: `None` is a nil interface, `NO_VALUE` Go's invalid value).

`and`/`or` (short-circuit) and `call` (which needs its argument's source text) are special-cased by the
executor; their entries here carry the signatures used for the argument-count check.
"""

from __future__ import annotations

from typing import Any

from engine.templating.compare import go_eq, go_ge, go_gt, go_le, go_lt, go_ne
from engine.templating.escape import html_escape, js_escape, query_escape
from engine.templating.funcs.registry import GoError, GoFunction, GoPanic, parse_signature
from engine.templating.gofmt import go_sprint, go_sprintln
from engine.templating.gofmt_printf import go_sprintf
from engine.templating.gotypes import NO_VALUE, GoObject, GoStringMap, GoUint8, GoUint32, GoUint64, go_type_name

__all__ = ["BUILTINS", "call_builtin", "is_true"]

_UNSIGNED = (GoUint64, GoUint32, GoUint8)


def is_true(value: Any) -> bool:
    """Go's isTrue: zero values (and nil, and missing) are false; structs and pointers are true."""
    kind = type(value)
    if kind is str or kind is dict or kind is list:
        return len(value) > 0
    if kind is bool:
        return value  # type: ignore[no-any-return]
    if value is None or value is NO_VALUE:
        return False
    if isinstance(value, int | float | complex):
        return value != 0
    if isinstance(value, str | bytes | list | tuple | dict):
        return len(value) > 0
    return True


def _not(value: Any) -> bool:
    return not is_true(value)


def _len(item: Any) -> int:
    if item is None:
        raise GoError("len of nil pointer")
    if item is NO_VALUE:
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(item) if item.isascii() else len(item.encode("utf-8", "surrogateescape"))
    if isinstance(item, list | tuple | dict | bytes):
        return len(item)
    if isinstance(item, GoObject) and item.go_array_len is not None:
        return item.go_array_len
    raise GoError(f"len of type {_deref_type(item)}")


def _deref_type(value: Any) -> str:
    # Go's indirect() follows pointers before reporting a type.
    name = go_type_name(value)
    return name[1:] if isinstance(value, GoObject) and name.startswith("*") else name


def _index(item: Any, *indexes: Any) -> Any:
    if item is None or item is NO_VALUE:
        raise GoError("index of untyped nil")
    for index in indexes:
        if item is None:
            raise GoError("index of nil pointer")
        item = _index_one(item, NO_VALUE if index is None else index)
    return item


def _index_one(item: Any, index: Any) -> Any:
    if isinstance(item, list | tuple | bytes | str):
        position = _index_arg(index, len(_as_sequence(item)))
        sequence = _as_sequence(item)
        if position == len(sequence):
            kind = "string" if isinstance(item, str) else "slice"
            raise GoPanic(f"reflect: {kind} index out of range")
        element = sequence[position]
        return GoUint8(element) if isinstance(element, int) and not isinstance(item, list | tuple) else element
    if isinstance(item, dict):
        if index is NO_VALUE:
            raise GoError("value is nil; should be of type string")
        if type(index) is not str:
            raise GoError(f"value has type {go_type_name(index)}; should be string")
        if index in item:
            return item[index]
        return "" if isinstance(item, GoStringMap) else None
    raise GoError(f"can't index item of type {_deref_type(item)}")


def _as_sequence(item: Any) -> Any:
    if isinstance(item, str):
        return item.encode("utf-8", "surrogateescape") if not item.isascii() else item.encode("ascii")
    return item


def _index_arg(index: Any, cap: int) -> int:
    if index is NO_VALUE:
        raise GoError("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise GoError(f"cannot index slice/array with type {go_type_name(index)}")
    position = int(index)
    if isinstance(index, _UNSIGNED) and position >= 1 << 63:
        position -= 1 << 64  # int64(uint64) wraps around
    if position < 0 or position > cap:
        raise GoError(f"index out of range: {position}")
    return position


def _printable(args: tuple[Any, ...]) -> str:
    """text/template's evalArgs: one plain string as is, else fmt.Sprint with nils as `<no value>`."""
    if len(args) == 1 and type(args[0]) is str:
        return str(args[0])
    return go_sprint(["<no value>" if a is None or a is NO_VALUE else a for a in args])


def _html(*args: Any) -> str:
    return html_escape(_printable(args))


def _js(*args: Any) -> str:
    return js_escape(_printable(args))


def _urlquery(*args: Any) -> str:
    return query_escape(_printable(args))


def _print(*args: Any) -> str:
    return go_sprint(args)


def _printf(format_text: str, *args: Any) -> str:
    return go_sprintf(format_text, args)


def _println(*args: Any) -> str:
    return go_sprintln(args)


def call_builtin(name: str, function: Any, *args: Any) -> Any:
    # µTask data never holds Go functions, so every call is one of Go's errors.
    if function is None or function is NO_VALUE:
        raise GoError("call of nil")
    raise GoError(f"non-function {name} of type {go_type_name(function)}")


def _unreachable(*args: Any) -> Any:
    raise AssertionError("and/or are evaluated by the executor")


def _builtin(signature: str, implementation: Any) -> GoFunction:
    return GoFunction(parse_signature(signature), implementation)


BUILTINS: dict[str, GoFunction] = {
    "and": _builtin("and(reflect.Value, ...reflect.Value) reflect.Value", _unreachable),
    "or": _builtin("or(reflect.Value, ...reflect.Value) reflect.Value", _unreachable),
    "call": _builtin("call(reflect.Value, ...reflect.Value) reflect.Value,error", call_builtin),
    "html": _builtin("html(...interface {}) string", _html),
    "js": _builtin("js(...interface {}) string", _js),
    "urlquery": _builtin("urlquery(...interface {}) string", _urlquery),
    "index": _builtin("index(reflect.Value, ...reflect.Value) reflect.Value,error", _index),
    "len": _builtin("len(reflect.Value) int,error", _len),
    "not": _builtin("not(reflect.Value) bool", _not),
    "print": _builtin("print(...interface {}) string", _print),
    "printf": _builtin("printf(string, ...interface {}) string", _printf),
    "println": _builtin("println(...interface {}) string", _println),
    "eq": _builtin("eq(reflect.Value, ...reflect.Value) bool,error", go_eq),
    "ne": _builtin("ne(reflect.Value, reflect.Value) bool,error", go_ne),
    "lt": _builtin("lt(reflect.Value, reflect.Value) bool,error", go_lt),
    "le": _builtin("le(reflect.Value, reflect.Value) bool,error", go_le),
    "gt": _builtin("gt(reflect.Value, reflect.Value) bool,error", go_gt),
    "ge": _builtin("ge(reflect.Value, reflect.Value) bool,error", go_ge),
}

"""Field chains (`.a.b.c`, `$x.a`, `(pipe).a`) with Go's exact rules (exec.go's evalField).

* a missing map key gives the invalid value, and every further field of it stays invalid: `<no value>`;
* a key holding JSON null is a nil `interface {}`: going deeper fails with
  `nil pointer evaluating interface {}.x`;
* a field on a string, number, bool or list fails with `can't evaluate field x in type T`, where T is the
  receiver's *static* Go type: `interface {}` for anything taken out of a JSON map or list;
* methods come first (json.Number, time.Time, GoObject tables: see `methods`), then map keys and
  exported struct fields; nothing else of a Python object is ever looked at.

The hot path (a chain of map lookups) is unrolled for chains of up to three fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from engine.templating.exec_state import MISSING, Site, State
from engine.templating.gotypes import NO_VALUE, GoObject, GoStringMap, GoTime, go_type_name
from engine.templating.methods import find_method

__all__ = ["IFACE", "MAP_ELEMENT_TYPES", "Chain", "Getter", "MethodInvoker", "dot_getter", "walk"]

Getter = Callable[[State, Any], Any]
IFACE = "interface {}"
# Static element types of map types other than map[string]interface {} (their values' type in errors).
MAP_ELEMENT_TYPES: dict[type, str] = {GoStringMap: "string"}
_TIME_FIELDS = frozenset(("wall", "ext", "loc"))


class MethodInvoker(Protocol):
    """How the last field of a command calls a method with the command's arguments (see `calls`)."""

    has_args: bool

    def invoke(self, st: State, dot: Any, method: Any, receiver: Any, name: str, final: Any) -> Any: ...


class Chain:
    """A compiled field chain: the names, where Go reports field errors (`site`: its current node once
    the receiver is evaluated) and call errors (`call_site`: the field, chain or variable node), and the
    invoker of a method called with arguments on the last field."""

    __slots__ = ("names", "site", "call_site", "invoker")

    def __init__(self, names: tuple[str, ...], site: Site, call_site: Site, invoker: MethodInvoker | None) -> None:
        self.names = names
        self.site = site
        self.call_site = call_site
        self.invoker = invoker


def walk(st: State, dot: Any, value: Any, chain: Chain, start: int, static: str | None, final: Any = MISSING) -> Any:
    """Evaluate `chain.names[start:]` from `value`; `static` is the receiver's static Go type (None: its own)."""
    names = chain.names
    last = len(names) - 1
    simple_last = chain.invoker is None and final is MISSING
    for index in range(start, last + 1):
        name = names[index]
        if type(value) is dict and (index < last or simple_last):
            value, static = value.get(name, NO_VALUE), IFACE
            continue
        if index < last:
            value, static = field(st, dot, value, name, static, chain, None, MISSING)
        else:
            value, static = field(st, dot, value, name, static, chain, chain.invoker, final)
    return value


def field(
    st: State,
    dot: Any,
    receiver: Any,
    name: str,
    static: str | None,
    chain: Chain,
    invoker: MethodInvoker | None,
    final: Any,
) -> tuple[Any, str | None]:
    """One step of a chain: (value, its static type or None)."""
    site = chain.site
    if receiver is NO_VALUE:
        return NO_VALUE, None
    if receiver is None:
        raise site.error(f"nil pointer evaluating {static or IFACE}.{name}")
    method = find_method(receiver, name)
    if method is not None:
        if invoker is None:
            return _no_arg_call(st, dot, method, receiver, name, chain, final), None
        return invoker.invoke(st, dot, method, receiver, name, final), None
    has_args = (invoker is not None and invoker.has_args) or final is not MISSING
    if isinstance(receiver, dict):
        if has_args:
            raise site.error(f"{name} is not a method but has arguments")
        return receiver.get(name, NO_VALUE), MAP_ELEMENT_TYPES.get(type(receiver), IFACE)
    if isinstance(receiver, GoObject):
        return _struct_field(receiver, name, static, site, has_args)
    if isinstance(receiver, GoTime) and name in _TIME_FIELDS:
        raise site.error(f"{name} is an unexported field of struct type {static or 'time.Time'}")
    raise site.error(f"can't evaluate field {name} in type {static or go_type_name(receiver)}")


def _struct_field(receiver: GoObject, name: str, static: str | None, site: Site, has_args: bool) -> tuple[Any, Any]:
    kind = type(receiver)
    type_name = static or receiver.go_type
    if name in kind.unexported:
        raise site.error(f"{name} is an unexported field of struct type {type_name}")
    getter = kind.fields.get(name)
    if getter is None:
        raise site.error(f"can't evaluate field {name} in type {type_name}")
    if has_args:
        raise site.error(f"{name} has arguments but cannot be invoked as function")
    return getter(receiver), kind.field_types.get(name)


def _no_arg_call(st: State, dot: Any, method: Any, receiver: Any, name: str, chain: Chain, final: Any) -> Any:
    """A method in the middle of a chain (or without arguments): Go calls it with none."""
    from engine.templating.calls import call_method

    return call_method(st, dot, method, receiver, name, chain.site, chain.call_site, (), final)


def _dot_static(st: State) -> str | None:
    return IFACE if st.dot_iface else None


def dot_getter(chain: Chain) -> Getter:
    """`.a.b.c` on dot, without arguments: unrolled map lookups, falling back to `walk`."""
    names = chain.names
    if len(names) == 1:
        (first,) = names

        def get1(st: State, dot: Any) -> Any:
            if type(dot) is dict:
                return dot.get(first, NO_VALUE)
            return walk(st, dot, dot, chain, 0, _dot_static(st))

        return get1
    if len(names) == 2:
        first, second = names

        def get2(st: State, dot: Any) -> Any:
            if type(dot) is dict:
                value = dot.get(first, NO_VALUE)
                if type(value) is dict:
                    return value.get(second, NO_VALUE)
                return walk(st, dot, value, chain, 1, IFACE)
            return walk(st, dot, dot, chain, 0, _dot_static(st))

        return get2
    if len(names) == 3:
        return _get3(chain)

    def get_many(st: State, dot: Any) -> Any:
        value = dot
        for index, name in enumerate(names):
            if type(value) is not dict:
                static = _dot_static(st) if index == 0 else IFACE
                return walk(st, dot, value, chain, index, static)
            value = value.get(name, NO_VALUE)
        return value

    return get_many


def _get3(chain: Chain) -> Getter:
    first, second, third = chain.names

    def get3(st: State, dot: Any) -> Any:
        if type(dot) is dict:
            value = dot.get(first, NO_VALUE)
            if type(value) is dict:
                value = value.get(second, NO_VALUE)
                if type(value) is dict:
                    return value.get(third, NO_VALUE)
                return walk(st, dot, value, chain, 2, IFACE)
            return walk(st, dot, value, chain, 1, IFACE)
        return walk(st, dot, dot, chain, 0, _dot_static(st))

    return get3

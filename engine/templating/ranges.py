"""`{{range}}` (exec.go's walkRange): lists, maps in sorted key order, integers (Go 1.24), else branch,
`$i, $e :=` / `$i, $e =` variables, break and continue.

Elements of `[]interface {}` and `map[string]interface {}` have the static type `interface {}`, which Go
names in field errors on `.` or on the element variable; the state records that while the loop runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from engine.templating.exec_state import UNSET, BreakLoop, ContinueLoop, Site, State
from engine.templating.gofmt_printf import go_sprintf
from engine.templating.gotypes import NO_VALUE, GoObject
from engine.templating.printing import sorted_keys

__all__ = ["RangeLoop"]

Eval = Callable[[State, Any], Any]
Run = Callable[[State, Any], None]
Assign = Callable[[State, Any], None]


class RangeLoop:
    """One compiled range: runs `body` per element with Go's variable and dot bindings."""

    __slots__ = ("collection", "body", "otherwise", "slots", "assigners", "body_slots", "catches", "site")

    def __init__(self, collection: Eval, body: Run, otherwise: Run, slots: list[int], assigners: list[Assign],
                 body_slots: tuple[int, ...], catches: bool, site: Site) -> None:
        self.collection = collection
        self.body = body
        self.otherwise = otherwise
        self.slots = slots  # declared `$i, $e :=` slots (empty for `=` or no variables)
        self.assigners = assigners  # `$i, $e =` targets
        self.body_slots = body_slots  # variables declared inside the body: reset after each iteration
        self.catches = catches  # the body contains break/continue
        self.site = site

    def run(self, st: State, dot: Any) -> None:
        value = self.collection(st, dot)
        if isinstance(value, dict):
            if value:
                keys = sorted_keys(value)
                self._iterate(st, keys, [value[k] for k in keys], type(value) is dict)
                return
        elif isinstance(value, list | tuple | bytes):
            if value:
                self._iterate(st, range(len(value)), _elements(value), type(value) is list)
                return
        elif isinstance(value, int) and not isinstance(value, bool):
            if self._count(st, value):
                return
        elif value is not NO_VALUE:
            raise self.site.error(f"range can't iterate over {go_sprintf('%v', [_deref(value)])}")
        self.otherwise(st, dot)

    def _count(self, st: State, value: int) -> bool:
        """Range over an integer: 0..n-1 as elements of the integer's own type; False if n <= 0."""
        if len(self.slots) + len(self.assigners) > 1:
            raise self.site.error(f"can't use {go_sprintf('%v', [value])} to iterate over more than one variable")
        if value <= 0:
            return False
        kind = type(value)
        self._iterate(st, None, (kind(i) for i in range(int(value))), False)  # lazily: n may be huge
        return True

    def _iterate(self, st: State, keys: Sequence[Any] | None, elements: Iterable[Any], iface: bool) -> None:
        saved_iface = st.dot_iface
        st.dot_iface = iface
        if iface and self.slots:
            st.iface_slots = st.iface_slots.union(self.slots)
        bind = self._binder()
        body, catches, body_slots = self.body, self.catches, self.body_slots
        frame = st.vars
        for index, element in enumerate(elements):
            if bind is not None:
                bind(st, keys[index] if keys is not None else None, element)
            if catches:
                try:
                    body(st, element)
                except ContinueLoop:
                    pass
                except BreakLoop:
                    break
            else:
                body(st, element)
            for slot in body_slots:  # Go pops the body's variables after each iteration
                frame[slot] = UNSET
        st.dot_iface = saved_iface

    def _binder(self) -> Callable[[State, Any, Any], None] | None:
        slots, assigners = self.slots, self.assigners
        if slots:
            if len(slots) == 1:
                (element_slot,) = slots

                def bind_one(st: State, key: Any, element: Any) -> None:
                    st.vars[element_slot] = element

                return bind_one
            key_slot, element_slot = slots

            def bind_two(st: State, key: Any, element: Any) -> None:
                st.vars[key_slot] = key
                st.vars[element_slot] = element

            return bind_two
        if assigners:
            return lambda st, key, element: _assign(st, assigners, key, element)
        return None


def _assign(st: State, assigners: list[Assign], key: Any, element: Any) -> None:
    if len(assigners) == 1:
        assigners[0](st, element)
    else:
        assigners[0](st, key)
        assigners[1](st, element)


def _elements(value: list[Any] | tuple[Any, ...] | bytes) -> Sequence[Any]:
    if isinstance(value, bytes):
        from engine.templating.gotypes import GoUint8

        return [GoUint8(b) for b in value]
    return value


def _deref(value: Any) -> Any:
    return value.go_string() if isinstance(value, GoObject) and not value.is_stringer else value

"""`{{range}}` (exec.go's walkRange): lists, maps in sorted key order, integers (Go 1.24), else branch,
`$i, $e :=` / `$i, $e =` variables, break and continue.

Elements of `[]interface {}` and `map[string]interface {}` have the static type `interface {}`, which Go
names in field errors on `.` or on the element variable; the state records that while the loop runs.

Iterations run in batches drawn from the evaluation's budget (see `budget`), so that the budget costs a
subtraction per batch rather than per iteration, and a range over 10000000000 stops with an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any

from engine.templating.budget import draw, start_clock
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
        # A range object, converted a batch at a time: n may be huge (the budget stops the loop).
        self._iterate(st, None, range(int(value)), False, None if kind is int else kind)
        return True

    def _iterate(self, st: State, keys: Sequence[Any] | None, elements: Sequence[Any], iface: bool,
                 convert: Callable[[int], Any] | None = None) -> None:
        """Run the body over `elements` (with their `keys` for `$k, $v`), in batches drawn from the budget."""
        saved_iface = st.dot_iface
        st.dot_iface = iface
        if iface and self.slots:
            st.iface_slots = st.iface_slots.union(self.slots)
        bind = self._binder()
        count = len(elements)
        if st.credit >= count:  # the whole loop fits in the credit (small loops): no batches
            st.credit -= count
            self._run_batch(st, bind, keys, elements if convert is None else map(convert, elements))
        else:
            start_clock(st)
            start = 0
            while start < count:
                stop = start + draw(st, count - start, self.site)
                batch: Iterable[Any] = elements[start:stop]
                if convert is not None:
                    batch = map(convert, batch)
                if not self._run_batch(st, bind, None if keys is None else keys[start:stop], batch):
                    break
                start = stop
        st.dot_iface = saved_iface

    def _run_batch(self, st: State, bind: Callable[[State, Any, Any], None] | None, keys: Iterable[Any] | None,
                   elements: Iterable[Any]) -> bool:
        """One batch of iterations; False once the body ran `{{break}}`."""
        body, catches, body_slots = self.body, self.catches, self.body_slots
        if bind is None and not catches and not body_slots:  # `{{range .list}}...{{end}}`: the bare loop
            for element in elements:
                body(st, element)
            return True
        frame = st.vars
        pairs = zip(repeat(None) if keys is None else keys, elements, strict=False)  # repeat: endless
        for key, element in pairs:
            if bind is not None:
                bind(st, key, element)
            if catches:
                try:
                    body(st, element)
                except ContinueLoop:
                    pass
                except BreakLoop:
                    return False
            else:
                body(st, element)
            for slot in body_slots:  # Go pops the body's variables after each iteration
                frame[slot] = UNSET
        return True

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

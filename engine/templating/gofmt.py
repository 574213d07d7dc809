"""Go's fmt.Sprint and Sprintln, and the per-operand printer Sprintf uses (see `gofmt_printf`).

Templates reach fmt through `print`, `printf`, `println`, and Sprig functions that format; users see
its quirks (`%!d(json.Number=12)`, `%!v(MISSING)`, `%!(EXTRA int=1)`), so the verb rules follow Go's:
values with a String() method (json.Number, time.Time, Duration, semver…) are formatted through it
for %v %s %x %X %q; composite values apply the verb to every element; width, precision and flags
behave as in Go. Nil and missing values are Go's nil interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.gocompat.fmt import format_duration
from engine.templating.fmtflags import Flags, fmt_bytes, fmt_float, fmt_integer, fmt_string, pad
from engine.templating.gotypes import (
    NO_VALUE,
    GoDuration,
    GoNamedInt,
    GoObject,
    GoTime,
    GoUint8,
    JSONNumber,
    go_type_name,
)
from engine.templating.printing import format_time, sorted_keys

__all__ = ["Printer", "go_sprint", "go_sprintln", "is_string_kind"]

_UNSIGNED_NAMES = ("uint", "uint8", "uint16", "uint32", "uint64", "uintptr")
_FAKE_POINTER = "0xc000010000"  # Go prints an address; ours is stable and obviously not meaningful


def is_string_kind(value: Any) -> bool:
    """reflect.Kind == String: plain strings and json.Number."""
    return isinstance(value, str)


def go_sprint(args: Sequence[Any]) -> str:
    """fmt.Sprint: a space between operands when neither side is a string."""
    out: list[str] = []
    previous_string = False
    for index, arg in enumerate(args):
        current_string = isinstance(arg, str)
        if index > 0 and not current_string and not previous_string:
            out.append(" ")
        if type(arg) is str:
            out.append(arg)
        else:
            Printer(out, Flags()).print_arg(arg, "v")
        previous_string = current_string
    return "".join(out)


def go_sprintln(args: Sequence[Any]) -> str:
    """fmt.Sprintln: operands always separated by spaces, then a newline."""
    out: list[str] = []
    for index, arg in enumerate(args):
        if index > 0:
            out.append(" ")
        Printer(out, Flags()).print_arg(arg, "v")
    out.append("\n")
    return "".join(out)


def _stringer(value: Any) -> str | None:
    """The String() result of values whose Go type has that method (fmt's handleMethods)."""
    kind = type(value)
    if kind is JSONNumber:
        return str.__str__(value)
    if kind is GoDuration:
        return format_duration(int(value))
    if kind is GoTime:
        return format_time(value)
    if isinstance(value, GoNamedInt):
        return value.go_string()
    if isinstance(value, GoObject) and value.is_stringer:
        return value.go_string()
    return None


class Printer:
    """One operand's formatting (Go's pp.printArg / printValue) with the current flags."""

    __slots__ = ("out", "f")

    def __init__(self, out: list[str], flags: Flags) -> None:
        self.out = out
        self.f = flags

    def print_arg(self, arg: Any, verb: str) -> None:
        if arg is None or arg is NO_VALUE:
            if verb in "Tv":
                pad(self.out, self.f, "<nil>")
            else:
                self.bad_verb(verb, None)
            return
        if verb == "T":
            fmt_string(self.out, self.f, go_type_name(arg), "s")
            return
        if verb == "p":
            self.pointer(arg, verb)
            return
        if self.basic(arg, verb):
            return
        text = _stringer(arg)
        if text is not None and verb in "vsxXq" and not self.f.sharp_v:
            fmt_string(self.out, self.f, text, verb)
            return
        self.print_value(arg, verb, 0)

    def basic(self, value: Any, verb: str) -> bool:
        """Booleans, numbers and plain strings: formatted directly (no String() method involved)."""
        kind = type(value)
        if kind is str:
            self.string(value, verb)
        elif kind is bool:
            self.boolean(value, verb)
        elif kind is float:
            self.floating(value, verb)
        elif isinstance(value, int) and not isinstance(value, GoDuration | GoNamedInt):
            self.integer(value, verb)
        elif isinstance(value, complex):
            self.complex_number(value, verb)
        elif kind is bytes:
            self.byte_slice(value, verb)
        else:
            return False
        return True

    def print_value(self, value: Any, verb: str, depth: int) -> None:
        """Go's printValue: composite values recurse with the same verb."""
        if depth > 0:
            if value is None or value is NO_VALUE:
                self.out.append("interface {}(nil)" if self.f.sharp_v else "<nil>")
                return
            text = _stringer(value)
            if text is not None and verb in "vsxXq" and not self.f.sharp_v:
                fmt_string(self.out, self.f, text, verb)
                return
            if self.basic(value, verb):
                return
        if isinstance(value, str):  # json.Number under a verb its String() does not serve
            self.string(str.__str__(value), verb, go_type_name(value))
        elif isinstance(value, GoDuration | GoNamedInt):
            self.integer(int(value), verb, go_type_name(value))
        elif isinstance(value, dict):
            self.mapping(value, verb, depth)
        elif isinstance(value, list | tuple):
            self.sequence(value, verb, depth)
        elif isinstance(value, GoObject):
            self.go_object(value, verb, depth)
        else:
            self.bad_verb(verb, value)

    # ------------------------------------------------------------------------------- scalar kinds

    def boolean(self, value: bool, verb: str) -> None:
        if verb in "tv":
            pad(self.out, self.f, "true" if value else "false")
        else:
            self.bad_verb(verb, value)

    def integer(self, value: int, verb: str, type_name: str | None = None) -> None:
        name = type_name or go_type_name(value)
        if self.f.sharp_v and verb == "v" and name in _UNSIGNED_NAMES:
            fmt_integer(self.out, self.f, value, "x", sharp=True)
        elif verb in "vdboOxXcqU":
            fmt_integer(self.out, self.f, value, "d" if verb == "v" else verb)
        else:
            self.bad_verb(verb, value, name)

    def floating(self, value: float, verb: str) -> None:
        if verb in "vbgGxXfFeE":
            fmt_float(self.out, self.f, value, verb)
        else:
            self.bad_verb(verb, value)

    def complex_number(self, value: complex, verb: str) -> None:
        if verb not in "vbgGxXfFeE":
            self.bad_verb(verb, value)
            return
        self.out.append("(")
        fmt_float(self.out, self.f, value.real, verb)
        old_plus, self.f.plus = self.f.plus, True  # the imaginary part always has a sign
        fmt_float(self.out, self.f, value.imag, verb)
        self.f.plus = old_plus
        self.out.append("i)")

    def string(self, value: str, verb: str, type_name: str = "string") -> None:
        if verb in "vsxXq":
            fmt_string(self.out, self.f, value, verb)
        else:
            self.bad_verb(verb, value, type_name)

    def byte_slice(self, value: bytes, verb: str) -> None:
        if verb in "sqxX":
            fmt_bytes(self.out, self.f, value, verb)
        elif verb in "vd":
            self.sequence([GoUint8(b) for b in value], verb, 1, sharp_type="[]byte")
        else:
            self.bad_verb(verb, value)

    def pointer(self, value: Any, verb: str) -> None:
        if isinstance(value, dict | list | GoObject):
            pad(self.out, self.f, _FAKE_POINTER)
        else:
            self.bad_verb(verb, value)

    # ---------------------------------------------------------------------------- composite kinds

    def mapping(self, value: dict[Any, Any], verb: str, depth: int) -> None:
        sharp = self.f.sharp_v
        self.out.append(go_type_name(value) + "{" if sharp else "map[")
        for index, key in enumerate(sorted_keys(value)):
            if index:
                self.out.append(", " if sharp else " ")
            self.print_value(key, verb, depth + 1)
            self.out.append(":")
            self.print_value(value[key], verb, depth + 1)
        self.out.append("}" if sharp else "]")

    def sequence(self, value: Sequence[Any], verb: str, depth: int, sharp_type: str | None = None) -> None:
        sharp = self.f.sharp_v
        self.out.append((sharp_type or go_type_name(value)) + "{" if sharp else "[")
        for index, item in enumerate(value):
            if index:
                self.out.append(", " if sharp else " ")
            self.print_value(item, verb, depth + 1)
        self.out.append("}" if sharp else "]")

    def go_object(self, value: GoObject, verb: str, depth: int) -> None:
        # A pointer to a struct prints as &{...} only at the top level; deeper, Go prints its address.
        if value.go_type.startswith("*"):
            if depth > 0:
                pad(self.out, self.f, _FAKE_POINTER)
                return
            self.out.append("&")
        self.out.append(value.go_string())

    def bad_verb(self, verb: str, value: Any, type_name: str | None = None) -> None:
        """%!verb(type=value), Go's report of a verb that does not suit the operand."""
        self.out.append("%!" + verb + "(")
        if value is None or value is NO_VALUE:
            self.out.append("<nil>")
        else:
            self.out.append((type_name or go_type_name(value)) + "=")
            # Go keeps the directive's width and precision here (`%.1f` of json.Number 1.5 → `%!f(json.Number=1)`).
            self.print_arg(str.__str__(value) if type(value) is JSONNumber else value, "v")
        self.out.append(")")

"""The Go value model templates run on.

Go's text/template sees typed values; µTask's behaviour depends on those types (a json.Number `0` is
truthy, `eq` refuses to compare an int with a float64, `upper` refuses a json.Number…). Python values
stand for Go values as follows:

| Python                          | Go type (as `%T` / typeOf prints it)       | kind       |
|---------------------------------|--------------------------------------------|------------|
| `None`                          | nil interface{} (JSON null)                | invalid    |
| `NO_VALUE`                      | the invalid reflect.Value of a missing key | invalid    |
| `bool`                          | `bool`                                     | bool       |
| `int`                           | `int` (template literals, len, …)          | int        |
| `GoInt64`, `GoInt32`, `GoUint64`, `GoUint32`, `GoUint8` | `int64` …          | int64 …    |
| `float`                         | `float64`                                  | float64    |
| `GoComplex` (complex)           | `complex128`                               | complex128 |
| `str`                           | `string`                                   | string     |
| `JSONNumber` (str subclass)     | `json.Number` (text kept verbatim)         | string     |
| `bytes`                         | `[]uint8`                                  | slice      |
| `list`                          | `[]interface {}`                           | slice      |
| `GoStringSlice` (list)          | `[]string`                                 | slice      |
| `GoListOfLists` (list)          | `[][]interface {}`                         | slice      |
| `dict`                          | `map[string]interface {}`                  | map        |
| `GoStringMap` (dict)            | `map[string]string`                        | map        |
| `GoTime`                        | `time.Time`                                | struct     |
| `GoDuration` (int, nanoseconds) | `time.Duration`                            | int64      |
| `GoObject` subclasses           | any other Go type with fields/methods      | their own  |

Templates can reach Go methods and exported fields only through explicit tables (`GoObject.methods`,
`GoObject.fields`); Python attributes are never looked up.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

__all__ = [
    "NO_VALUE",
    "GoComplex",
    "GoDuration",
    "GoInt32",
    "GoInt64",
    "GoListOfLists",
    "GoNamedInt",
    "GoObject",
    "GoStringMap",
    "GoStringSlice",
    "GoTime",
    "GoUint8",
    "GoUint32",
    "GoUint64",
    "JSONNumber",
    "NoValue",
    "go_kind",
    "go_type_name",
]


class NoValue:
    """Go's invalid reflect.Value: what a missing map key evaluates to (`<no value>` when printed)."""

    _instance: ClassVar[NoValue | None] = None

    def __new__(cls) -> NoValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_VALUE"

    def __bool__(self) -> bool:
        return False


NO_VALUE = NoValue()


class JSONNumber(str):
    """encoding/json's Number: a string-kind type that keeps the decimal text exactly."""

    __slots__ = ()


class GoInt64(int):
    __slots__ = ()


class GoInt32(int):
    __slots__ = ()


class GoUint64(int):
    __slots__ = ()


class GoUint32(int):
    __slots__ = ()


class GoUint8(int):
    __slots__ = ()


class GoComplex(complex):
    __slots__ = ()


class GoNamedInt(int):
    """An integer Go type with a String() method (time.Month, time.Weekday): prints through go_string()."""

    __slots__ = ()
    go_type: ClassVar[str] = "int"

    def go_string(self) -> str:
        return int.__repr__(self)


class GoDuration(int):
    """time.Duration: nanoseconds, printed like `1h2m3s`."""

    __slots__ = ()


class GoStringSlice(list):  # type: ignore[type-arg]
    """A Go `[]string` (Sprig's splitList, regexFindAll…): prints like any list, types differently."""

    __slots__ = ()


class GoListOfLists(list):  # type: ignore[type-arg]
    """A Go `[][]interface {}` (Sprig's chunk)."""

    __slots__ = ()


class GoStringMap(dict):  # type: ignore[type-arg]
    """A Go `map[string]string` (Sprig's split)."""

    __slots__ = ()


class GoObject:
    """Base of Go struct values reachable from templates (semver versions, µTask variables…).

    `fields` maps exported field names to getters, `methods` maps method names to callables taking the
    object then the template arguments. Nothing else of the Python object is visible to templates.
    """

    go_type: ClassVar[str] = "struct {}"
    go_kind: ClassVar[str] = "struct"
    fields: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}
    methods: ClassVar[Mapping[str, Callable[..., Any]]] = {}
    # Unexported struct fields: naming one is an error ("x is an unexported field of struct type T").
    unexported: ClassVar[frozenset[str]] = frozenset()
    # Go types of fields whose static type differs from their value's (`interface {}` fields), for
    # error messages such as "can't evaluate field x in type interface {}".
    field_types: ClassVar[Mapping[str, str]] = {}
    # Whether the Go type has a String() method: fmt then prints go_string() for %v/%s at any depth;
    # otherwise a pointer type prints `&{...}` at the top level and an address inside containers.
    is_stringer: ClassVar[bool] = True
    # The length of a fixed-size Go array type (uuid.UUID is [16]byte), for `len`; None otherwise.
    go_array_len: ClassVar[int | None] = None

    def go_string(self) -> str:
        """How fmt's %v prints the value."""
        return "{}"


class GoTime:
    """time.Time: an aware datetime plus the location name Go prints (`UTC`, `Local`, `Europe/Paris`)."""

    __slots__ = ("moment", "location")

    def __init__(self, moment: _dt.datetime, location: str = "UTC") -> None:
        self.moment = moment
        self.location = location

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoTime) and self.moment == other.moment

    def __hash__(self) -> int:
        return hash(self.moment)

    def __repr__(self) -> str:
        return f"GoTime({self.moment.isoformat()}, {self.location!r})"


_TYPE_NAMES: dict[type, str] = {
    bool: "bool",
    int: "int",
    GoInt64: "int64",
    GoInt32: "int32",
    GoUint64: "uint64",
    GoUint32: "uint32",
    GoUint8: "uint8",
    GoDuration: "time.Duration",
    float: "float64",
    GoComplex: "complex128",
    complex: "complex128",
    str: "string",
    JSONNumber: "json.Number",
    bytes: "[]uint8",
    list: "[]interface {}",
    GoStringSlice: "[]string",
    GoListOfLists: "[][]interface {}",
    dict: "map[string]interface {}",
    GoStringMap: "map[string]string",
    GoTime: "time.Time",
}

_KINDS: dict[type, str] = {
    bool: "bool", int: "int", GoInt64: "int64", GoInt32: "int32", GoUint64: "uint64", GoUint32: "uint32",
    GoUint8: "uint8", GoDuration: "int64", float: "float64", GoComplex: "complex128", complex: "complex128",
    str: "string", JSONNumber: "string", bytes: "slice", list: "slice", GoStringSlice: "slice",
    GoListOfLists: "slice", dict: "map", GoStringMap: "map", GoTime: "struct",
}


def go_type_name(value: Any) -> str:
    """The Go type as `%T` prints it; `<nil>` for nil and missing values."""
    if value is None or value is NO_VALUE:
        return "<nil>"
    if isinstance(value, GoObject | GoNamedInt):
        return value.go_type
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def go_kind(value: Any) -> str:
    """reflect.Kind's name (Sprig's kindOf): `string` for json.Number, `map`, `slice`, `invalid`…"""
    if value is None or value is NO_VALUE:
        return "invalid"
    if isinstance(value, GoObject):
        return value.go_kind
    if isinstance(value, GoNamedInt):
        return "int"
    return _KINDS.get(type(value), "invalid")

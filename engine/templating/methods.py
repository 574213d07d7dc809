"""The Go methods templates can call on values, as explicit per-type tables (never Python attributes).

Go lets `{{.x.Method args}}` call any exported method of the value's type. µTask values are JSON data
(maps, lists, strings, numbers: no methods) except for a few Go types: json.Number (Int64, Float64,
String), time.Time, time.Duration, and the `GoObject` structs of Sprig and µTask (semver versions, µTask
variables), which bring their own `methods` table. Each method is a `GoFunction` whose implementation
takes the receiver first, so calls get the same typed-argument checking as functions.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from typing import Any

from engine.gocompat.fmt import format_duration
from engine.templating.funcs.registry import GoError, GoFunction, parse_signature
from engine.templating.gotime import GoLocation, GoMonth, GoWeekday, format_layout, unix_seconds
from engine.templating.gotypes import GoDuration, GoInt64, GoObject, GoTime, JSONNumber
from engine.templating.literals import go_quote

__all__ = ["find_method"]

_INT64_MIN, _INT64_END = -(1 << 63), 1 << 63
_DECIMAL_INT = re.compile(r"[+-]?[0-9]+")
_GO_FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)", re.I)
_ZERO_TIME = _dt.datetime(1, 1, 1, tzinfo=_dt.UTC)


def _method(signature: str, implementation: Callable[..., Any]) -> GoFunction:
    return GoFunction(parse_signature(signature), implementation)


# ------------------------------------------------------------------------------------------ json.Number


def _parse_int64(text: str) -> GoInt64:
    """strconv.ParseInt(text, 10, 64) with its error messages."""
    if not _DECIMAL_INT.fullmatch(text):
        raise GoError(f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax")
    value = int(text)
    if not _INT64_MIN <= value < _INT64_END:
        raise GoError(f"strconv.ParseInt: parsing {go_quote(text)}: value out of range")
    return GoInt64(value)


def _parse_float64(text: str) -> float:
    """strconv.ParseFloat(text, 64) with its error messages (decimal syntax only)."""
    if not _GO_FLOAT.fullmatch(text):
        raise GoError(f"strconv.ParseFloat: parsing {go_quote(text)}: invalid syntax")
    value = float(text)
    if math.isinf(value) and "inf" not in text.lower():
        raise GoError(f"strconv.ParseFloat: parsing {go_quote(text)}: value out of range")
    return value


_JSON_NUMBER_METHODS = {
    "Int64": _method("Int64() int64,error", lambda n: _parse_int64(str.__str__(n))),
    "Float64": _method("Float64() float64,error", lambda n: _parse_float64(str.__str__(n))),
    "String": _method("String() string", lambda n: str.__str__(n)),
}

# ------------------------------------------------------------------------------------------- time.Time


def _add_date(value: GoTime, years: int, months: int, days: int) -> GoTime:
    """Time.AddDate: calendar arithmetic with Go's normalisation (Jan 31 + 1 month = Mar 2 or 3)."""
    moment = value.moment
    month_index = moment.year * 12 + (moment.month - 1) + years * 12 + months
    year, month = divmod(month_index, 12)
    if not 1 <= year <= 9999:
        raise GoError("year out of range")  # beyond Python's datetime; Go would carry on
    first = moment.replace(year=year, month=month + 1, day=1)
    return GoTime(first + _dt.timedelta(days=moment.day - 1 + days), value.location)


def _in_utc(value: GoTime, location: str) -> GoTime:
    return GoTime(value.moment.astimezone(_dt.UTC), location)


def day(value: GoTime) -> _dt.datetime:
    return value.moment


def _time_methods() -> dict[str, GoFunction]:
    return {
        "Year": _method("Year() int", lambda t: day(t).year),
        "Month": _method("Month() time.Month", lambda t: GoMonth(day(t).month)),
        "Day": _method("Day() int", lambda t: day(t).day),
        "Hour": _method("Hour() int", lambda t: day(t).hour),
        "Minute": _method("Minute() int", lambda t: day(t).minute),
        "Second": _method("Second() int", lambda t: day(t).second),
        "Nanosecond": _method("Nanosecond() int", lambda t: day(t).microsecond * 1000),
        "YearDay": _method("YearDay() int", lambda t: day(t).timetuple().tm_yday),
        "Weekday": _method("Weekday() time.Weekday", lambda t: GoWeekday((day(t).weekday() + 1) % 7)),
        "Unix": _method("Unix() int64", lambda t: GoInt64(unix_seconds(day(t)))),
        "UnixMilli": _method("UnixMilli() int64", lambda t: GoInt64(_unix_micro(t) // 1000)),
        "UnixMicro": _method("UnixMicro() int64", lambda t: GoInt64(_unix_micro(t))),
        "UnixNano": _method("UnixNano() int64", lambda t: GoInt64(_unix_micro(t) * 1000)),
        "Format": _method("Format(string) string", format_layout),
        "String": _method("String() string", lambda t: _time_string(t)),
        "AddDate": _method("AddDate(int, int, int) time.Time", _add_date),
        "Add": _method("Add(time.Duration) time.Time",
                       lambda t, d: GoTime(day(t) + _dt.timedelta(microseconds=int(d) // 1000), t.location)),
        "Sub": _method("Sub(time.Time) time.Duration",
                       lambda t, u: GoDuration((_unix_micro(t) - _unix_micro(u)) * 1000)),
        "Before": _method("Before(time.Time) bool", lambda t, u: day(t) < day(u)),
        "After": _method("After(time.Time) bool", lambda t, u: day(t) > day(u)),
        "Equal": _method("Equal(time.Time) bool", lambda t, u: day(t) == day(u)),
        "IsZero": _method("IsZero() bool", lambda t: day(t) == _ZERO_TIME),
        "Location": _method("Location() *time.Location", lambda t: GoLocation(t.location)),
        "UTC": _method("UTC() time.Time", lambda t: _in_utc(t, "UTC")),
        "Local": _method("Local() time.Time", lambda t: _in_utc(t, "Local")),
    }


def _unix_micro(value: GoTime) -> int:
    return (value.moment - _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)) // _dt.timedelta(microseconds=1)


def _time_string(value: GoTime) -> str:
    from engine.templating.printing import format_time

    return format_time(value)


_TIME_METHODS = _time_methods()

# ------------------------------------------------------------------------------------------ time.Duration

_DURATION_METHODS = {
    "String": _method("String() string", lambda d: format_duration(int(d))),
    "Hours": _method("Hours() float64", lambda d: int(d) / 3.6e12),
    "Minutes": _method("Minutes() float64", lambda d: int(d) / 6e10),
    "Seconds": _method("Seconds() float64", lambda d: int(d) / 1e9),
    "Milliseconds": _method("Milliseconds() int64", lambda d: GoInt64(int(int(d) / 1e6))),
    "Microseconds": _method("Microseconds() int64", lambda d: GoInt64(int(int(d) / 1e3))),
    "Nanoseconds": _method("Nanoseconds() int64", lambda d: GoInt64(int(d))),
}


def find_method(receiver: Any, name: str) -> GoFunction | Callable[..., Any] | None:
    """The method `name` of the receiver's Go type, or None (Go's MethodByName)."""
    kind = type(receiver)
    if kind is JSONNumber:
        return _JSON_NUMBER_METHODS.get(name)
    if kind is GoTime:
        return _TIME_METHODS.get(name)
    if kind is GoDuration:
        return _DURATION_METHODS.get(name)
    if isinstance(receiver, GoObject):
        return type(receiver).methods.get(name)
    return None

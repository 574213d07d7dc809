"""fmt's `%v` printing of model values (see `gotypes`), as text/template and Sprig's toString use it.

At the top level of an action a missing or nil value prints `<no value>`; anywhere else (inside a list
or a map, or through print/toString) nil prints `<nil>`.
"""

from __future__ import annotations

import datetime as _dt
import math
import zoneinfo
from collections.abc import Mapping
from typing import Any

from engine.gocompat.fmt import format_duration, format_float_g
from engine.templating.gotypes import NO_VALUE, GoDuration, GoNamedInt, GoObject, GoTime

__all__ = ["format_time", "sorted_keys", "sprint", "sprint_action", "zone_abbreviation"]


def sprint_action(value: Any) -> str:
    """What `{{ value }}` writes: `<no value>` for nil and missing values, `%v` otherwise."""
    if value is None or value is NO_VALUE:
        return "<no value>"
    if type(value) is str:
        return value
    return sprint(value)


def sprint(value: Any) -> str:
    """fmt.Sprint(value) / `%v`."""
    kind = type(value)
    if kind is str or isinstance(value, str):
        return str(value)
    if value is None or value is NO_VALUE:
        return "<nil>"
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, GoDuration):
        return format_duration(int(value))
    if isinstance(value, GoNamedInt):
        return value.go_string()
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return format_float_g(value)
    if isinstance(value, complex):
        return _complex(value)
    if isinstance(value, list | tuple):
        return "[" + " ".join(sprint(item) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{sprint(k)}:{sprint(value[k])}" for k in sorted_keys(value)) + "]"
    if isinstance(value, bytes):
        return "[" + " ".join(str(b) for b in value) + "]"
    if isinstance(value, GoTime):
        return format_time(value)
    if isinstance(value, GoObject):
        return value.go_string()
    return str(value)


def sorted_keys(mapping: Mapping[Any, Any]) -> list[Any]:
    """Map keys in Go's fmt order (internal/fmtsort): strings by bytes, numbers by value."""
    keys = list(mapping)
    if all(type(k) is str for k in keys):
        return sorted(keys) if all(k.isascii() for k in keys) else sorted(keys, key=_utf8)
    return sorted(keys, key=_key_order)


def _utf8(key: str) -> bytes:
    return key.encode("utf-8", "surrogateescape")


def _key_order(key: Any) -> Any:
    # Go sorts map keys by value within one type; our maps have string keys (ints for a few Sprig results).
    return (0, key) if isinstance(key, int | float) and not isinstance(key, bool) else (1, str(key))


def _complex(value: complex) -> str:
    real, imag = value.real, value.imag
    sign = "+" if imag >= 0 or math.isnan(imag) else ""
    return f"({format_float_g(real)}{sign}{format_float_g(imag)}i)"


def format_time(value: GoTime) -> str:
    """time.Time's String(): `2024-03-05 00:00:00 +0000 UTC` (fractional seconds only when non-zero)."""
    moment = value.moment
    # strftime's %Y does not pad years below 1000 (Go's zero time is year 1: "0001-01-01").
    text = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} " + moment.strftime("%H:%M:%S")
    if moment.microsecond:
        text += ("." + f"{moment.microsecond:06d}").rstrip("0")
    offset = moment.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    zone = zone_abbreviation(value) or _numeric_zone(seconds)
    return f"{text} {_numeric_zone(seconds)} {zone}{_monotonic_suffix(value)}"


def _monotonic_suffix(value: GoTime) -> str:
    # `now` carries a monotonic clock reading, which Go's String() prints (` m=+0.0017…`).
    from engine.templating.funcs.dates_time import monotonic_suffix

    return monotonic_suffix(value)


def _numeric_zone(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}{minutes:02d}"


def zone_abbreviation(value: GoTime) -> str:
    """The zone name Go's "MST" layout element prints: `UTC`, `CET`…, or "" for an unnamed fixed zone
    (Go then prints the numeric offset instead)."""
    moment = value.moment
    if value.location in ("UTC", "Local") and moment.utcoffset() == _dt.timedelta(0):
        return "UTC"
    if isinstance(moment.tzinfo, zoneinfo.ZoneInfo):
        return moment.tzname() or ""
    if value.location in ("", "UTC", "Local") or value.location[:1] in "+-":
        return ""
    return value.location



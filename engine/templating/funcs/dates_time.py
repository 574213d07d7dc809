"""Go's time package for Sprig's date functions: locations, Unix times, Add, ParseDuration.

A Go `time.Time` is a `gotypes.GoTime`: an aware datetime plus the name of its Go *Location (`UTC`,
`Local`, `Asia/Tokyo`, or the name of a fixed zone, "" when unnamed). Named zones use a `ZoneInfo`
tzinfo, fixed zones a `datetime.timezone`; `printing.format_time` and `gotime.format_layout` derive the
zone abbreviation from that. Times from `now` carry Go's monotonic clock reading in a `MonotonicUTC`
tzinfo (offset 0), which time.Time's String() shows as ` m=+0.001704701` (see `monotonic_suffix`).

Deliberate differences from µTask: Go's `Local` is always UTC here (the Go oracle ran with TZ=UTC, and a
server's zone must not leak into templates), and times keep microseconds (Python's datetime), not
nanoseconds. Years outside 1–9999 cannot be represented: operations reaching them panic.
"""

from __future__ import annotations

import datetime as _dt
import re
import zoneinfo
from dataclasses import dataclass

from engine.templating.funcs.registry import GoPanic
from engine.templating.gotypes import GoTime

__all__ = ["LOCAL", "UTC", "Location", "MonotonicUTC", "fixed_zone", "from_unix", "load_location", "location_of",
           "make_time", "monotonic_suffix", "parse_duration", "time_add", "time_quote", "unix_seconds"]

_ZERO = _dt.timedelta(0)
_OUT_OF_RANGE = "time: the date is outside the years 1-9999 this engine supports"


@dataclass(frozen=True, slots=True)
class Location:
    """A Go *time.Location: its name and the tzinfo that computes its offsets."""

    name: str
    tz: _dt.tzinfo


UTC = Location("UTC", _dt.UTC)
LOCAL = Location("Local", _dt.UTC)  # TZ=UTC, as the Go oracle ran


class MonotonicUTC(_dt.tzinfo):
    """UTC (offset 0) carrying Go's monotonic clock reading of a `now` time, in nanoseconds."""

    def __init__(self, monotonic: int) -> None:
        self.monotonic = monotonic

    def utcoffset(self, dt: _dt.datetime | None) -> _dt.timedelta:
        return _ZERO

    def dst(self, dt: _dt.datetime | None) -> _dt.timedelta:
        return _ZERO

    def tzname(self, dt: _dt.datetime | None) -> str:
        return "UTC"

    def fromutc(self, dt: _dt.datetime) -> _dt.datetime:
        return dt.replace(tzinfo=self)

    def __repr__(self) -> str:
        return f"MonotonicUTC({self.monotonic})"


def monotonic_suffix(value: GoTime) -> str:
    """What time.Time's String() appends for a monotonic reading (` m=+0.001704701`), else ""."""
    tzinfo = value.moment.tzinfo
    if not isinstance(tzinfo, MonotonicUTC):
        return ""
    nanos = tzinfo.monotonic
    seconds, fraction = divmod(abs(nanos), 10**9)
    return f" m={'-' if nanos < 0 else '+'}{seconds}.{fraction:09d}"


def fixed_zone(name: str, offset: int) -> Location:
    """time.FixedZone."""
    return Location(name, _dt.timezone(_dt.timedelta(seconds=offset)))


def load_location(name: str) -> Location:
    """time.LoadLocation; ValueError with Go's message when unknown."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return LOCAL
    if ".." in name or name.startswith(("/", "\\")):
        raise ValueError("time: invalid location name")
    try:
        return Location(name, zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name}") from None


def location_of(value: GoTime) -> Location:
    tzinfo = value.moment.tzinfo
    return Location(value.location, tzinfo if tzinfo is not None else _dt.UTC)


def make_time(instant: _dt.datetime, location: Location, monotonic: int | None = None) -> GoTime:
    """A GoTime for the aware datetime `instant` seen in `location` (t.In(location))."""
    tz = MonotonicUTC(monotonic) if monotonic is not None else location.tz
    try:
        return GoTime(instant.astimezone(tz), location.name)
    except OverflowError:
        raise GoPanic(_OUT_OF_RANGE) from None


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


def unix_seconds(value: GoTime) -> int:
    """t.Unix()."""
    delta = value.moment - _EPOCH
    return delta.days * 86400 + delta.seconds


def from_unix(seconds: int) -> GoTime:
    """time.Unix(seconds, 0), in Local."""
    try:
        return make_time(_EPOCH + _dt.timedelta(seconds=seconds), LOCAL)
    except OverflowError:
        raise GoPanic(_OUT_OF_RANGE) from None


def time_add(value: GoTime, nanoseconds: int) -> GoTime:
    """t.Add(d): same location; a monotonic reading moves along."""
    tzinfo = value.moment.tzinfo
    monotonic = tzinfo.monotonic + nanoseconds if isinstance(tzinfo, MonotonicUTC) else None
    micros = abs(nanoseconds) // 1000
    try:
        # absolute time, not wall-clock arithmetic (which Python does within a ZoneInfo zone)
        moment = value.moment.astimezone(_dt.UTC) + _dt.timedelta(microseconds=micros if nanoseconds >= 0 else -micros)
    except OverflowError:
        raise GoPanic(_OUT_OF_RANGE) from None
    return make_time(moment, location_of(value), monotonic)


# ------------------------------------------------------------------------------------------- durations

_UNITS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 10**6, "s": 10**9, "m": 60 * 10**9,
          "h": 3600 * 10**9}
_PIECE = re.compile(r"([0-9]*)(\.([0-9]*))?([^0-9.]*)")


def time_quote(text: str) -> str:
    """The time package's quote(): printable ASCII kept, other bytes as \\xNN."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char < "\x7f":
            out.append(char)
        else:
            out.extend(f"\\x{b:02x}" for b in char.encode("utf-8", "surrogateescape"))
    return "".join(out) + '"'


def _leading_fraction(digits: str) -> tuple[int, float]:
    value, scale = 0, 1.0
    for char in digits:
        if value > ((1 << 63) - 1) // 10 or value * 10 + int(char) > 1 << 63:
            break  # Go ignores the digits that would overflow
        value, scale = value * 10 + int(char), scale * 10
    return value, scale


def parse_duration(text: str) -> int:
    """time.ParseDuration in nanoseconds; ValueError with Go's message."""
    invalid = ValueError("time: invalid duration " + time_quote(text))
    body, negative = text, False
    if body[:1] in ("-", "+"):
        negative, body = body[0] == "-", body[1:]
    if body == "0":
        return 0
    if not body:
        raise invalid
    total, position = 0, 0
    while position < len(body):
        match = _PIECE.match(body, position)
        assert match is not None
        whole, fraction, unit = match.group(1), match.group(3) or "", match.group(4)
        if not whole and not fraction:
            raise invalid
        if not unit:
            raise ValueError("time: missing unit in duration " + time_quote(text))
        if unit not in _UNITS:
            raise ValueError(f"time: unknown unit {time_quote(unit)} in duration {time_quote(text)}")
        scale = _UNITS[unit]
        value = int(whole or "0")
        if value > (1 << 63) // scale:
            raise invalid
        value *= scale
        numerator, denominator = _leading_fraction(fraction)
        if numerator:
            value += int(float(numerator) * (float(scale) / denominator))
            if value > 1 << 63:
                raise invalid
        total += value
        if total > 1 << 63:
            raise invalid
        position = match.end()
    if negative:
        return -total
    if total > (1 << 63) - 1:
        raise invalid
    return total

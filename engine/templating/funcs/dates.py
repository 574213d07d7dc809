"""Sprig's date functions (now, date, dateInZone, toDate, dateModify, ago, duration, durationRound…).

Times are `GoTime` values (see `dates_time` for the model, `dates_layout` for parsing Go's layouts and
`engine.templating.gotime` for formatting); the methods templates call on them (`.Year`, `.Unix`,
`.Format "Jan 2"`, `.AddDate 0 1 0`…) are `engine.templating.methods`'.

Non-hermetic behaviour, deliberately different from µTask: the clock is the render context's `ctx.now()`
(never the host clock), and Go's `Local` zone is UTC (µTask uses the server's TZ). `now` prints with a
monotonic reading (` m=+0.000000000`) measured from the first `now` of the process on the injected clock.
Like Sprig, `date`, `dateInZone`, `htmlDate` and `htmlDateInZone` silently format the *current* time when
given anything but a time or a Go int / int32 / int64 (a json.Number, a float64 or a string included), and
an unknown zone falls back to UTC.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from engine.gocompat.fmt import format_duration
from engine.templating.funcs.dates_layout import LayoutParseError, YearOutOfRange, parse_layout
from engine.templating.funcs.dates_time import (
    LOCAL,
    UTC,
    Location,
    from_unix,
    load_location,
    make_time,
    parse_duration,
    time_add,
    unix_seconds,
)
from engine.templating.funcs.gocast import wrap_int64
from engine.templating.funcs.registry import FunctionContext, GoError, GoPanic, go_func
from engine.templating.gotime import format_layout
from engine.templating.gotypes import GoInt32, GoInt64, GoTime

__all__ = ["ZERO_TIME", "current_time", "since"]

ZERO_TIME = GoTime(_dt.datetime(1, 1, 1, tzinfo=_dt.UTC), "UTC")
_monotonic_origin: list[_dt.datetime] = []


def _now(ctx: FunctionContext) -> _dt.datetime:
    moment = ctx.now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment


def current_time(ctx: FunctionContext) -> GoTime:
    """time.Now(): Local (UTC), with a monotonic clock reading."""
    moment = _now(ctx)
    if not _monotonic_origin:
        _monotonic_origin.append(moment)
    elapsed = moment - _monotonic_origin[0]
    nanos = (elapsed.days * 86400 + elapsed.seconds) * 10**9 + elapsed.microseconds * 1000
    return make_time(moment, LOCAL, monotonic=nanos)


def since(ctx: FunctionContext, value: GoTime) -> int:
    """time.Since(t) in nanoseconds."""
    delta = _now(ctx) - value.moment
    return (delta.days * 86400 + delta.seconds) * 10**9 + delta.microseconds * 1000


def _as_time(ctx: FunctionContext, value: Any) -> GoTime:
    """Sprig's switch in dateInZone: time.Time, int, int32, int64 (Unix seconds); anything else is now."""
    if isinstance(value, GoTime):
        return value
    if type(value) in (int, GoInt64, GoInt32):
        return from_unix(int(value))
    return current_time(ctx)


@go_func("now() time.Time", needs_context=True)
def now(ctx: FunctionContext) -> GoTime:
    return current_time(ctx)


@go_func("dateInZone(string, interface {}, string) string", needs_context=True, names=("date_in_zone",))
def date_in_zone(ctx: FunctionContext, layout: str, value: Any, zone: str) -> str:
    moment = _as_time(ctx, value)
    try:
        location = load_location(zone)
    except ValueError:
        location = UTC
    return format_layout(make_time(moment.moment, location), layout)


@go_func("date(string, interface {}) string", needs_context=True)
def date(ctx: FunctionContext, layout: str, value: Any) -> str:
    return date_in_zone(ctx, layout, value, "Local")


@go_func("htmlDate(interface {}) string", needs_context=True)
def html_date(ctx: FunctionContext, value: Any) -> str:
    return date_in_zone(ctx, "2006-01-02", value, "Local")


@go_func("htmlDateInZone(interface {}, string) string", needs_context=True)
def html_date_in_zone(ctx: FunctionContext, value: Any, zone: str) -> str:
    return date_in_zone(ctx, "2006-01-02", value, zone)


@go_func("dateModify(string, time.Time) time.Time", names=("date_modify",))
def date_modify(change: str, value: GoTime) -> GoTime:
    try:
        return time_add(value, parse_duration(change))
    except ValueError:
        return value


@go_func("mustDateModify(string, time.Time) time.Time,error", names=("must_date_modify",))
def must_date_modify(change: str, value: GoTime) -> GoTime:
    try:
        nanoseconds = parse_duration(change)
    except ValueError as error:
        raise GoError(str(error)) from None
    return time_add(value, nanoseconds)


def parse_time(layout: str, text: str, default: Location = LOCAL) -> GoTime:
    """time.ParseInLocation(layout, text, default); LayoutParseError with Go's message."""
    moment, zone = parse_layout(layout, text, default, LOCAL)
    return make_time(moment, zone)


@go_func("toDate(string, string) time.Time")
def to_date(layout: str, text: str) -> GoTime:
    try:
        return parse_time(layout, text)
    except YearOutOfRange as error:
        raise GoPanic(str(error)) from None
    except LayoutParseError:
        return ZERO_TIME


@go_func("mustToDate(string, string) time.Time,error")
def must_to_date(layout: str, text: str) -> GoTime:
    try:
        return parse_time(layout, text)
    except LayoutParseError as error:
        raise GoError(str(error)) from None


@go_func("unixEpoch(time.Time) string")
def unix_epoch(value: GoTime) -> str:
    return str(unix_seconds(value))


def _duration_text(nanoseconds: int) -> str:
    return format_duration(wrap_int64(nanoseconds))


@go_func("ago(interface {}) string", needs_context=True)
def ago(ctx: FunctionContext, value: Any) -> str:
    if isinstance(value, GoTime):
        moment = value
    elif type(value) in (int, GoInt64):
        moment = from_unix(int(value))
    else:
        moment = current_time(ctx)
    return _duration_text(_round_to_second(since(ctx, moment)))


def _round_to_second(nanoseconds: int) -> int:
    """Duration.Round(time.Second): halves away from zero."""
    second = 10**9
    quotient, remainder = divmod(abs(nanoseconds), second)
    if remainder * 2 >= second:
        quotient += 1
    return quotient * second if nanoseconds >= 0 else -quotient * second


def _parse_int10(text: str) -> int:
    """`n, _ := strconv.ParseInt(s, 10, 64)`: 0 on a syntax error, clamped on a range error."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        return 0
    return max(-(1 << 63), min((1 << 63) - 1, int(text)))


@go_func("duration(interface {}) string")
def duration(value: Any) -> str:
    seconds = 0
    if type(value) is str:
        seconds = _parse_int10(value)
    elif type(value) is GoInt64:
        seconds = int(value)
    return _duration_text(seconds * 10**9)


@go_func("durationRound(interface {}) string", needs_context=True)
def duration_round(ctx: FunctionContext, value: Any) -> str:
    nanoseconds = 0
    if type(value) is str:
        try:
            nanoseconds = parse_duration(value)
        except ValueError:
            nanoseconds = 0
    elif type(value) is GoInt64:
        nanoseconds = int(value)
    elif isinstance(value, GoTime):
        nanoseconds = since(ctx, value)
    magnitude = abs(nanoseconds)
    hour = 3600 * 10**9
    for unit, size in (("y", hour * 24 * 365), ("mo", hour * 24 * 30), ("d", hour * 24), ("h", hour),
                       ("m", 60 * 10**9), ("s", 10**9)):
        if magnitude > size:
            return f"{magnitude // size}{unit}"
    return "0s"

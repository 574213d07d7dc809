"""Go's time.ParseInLocation with its reference layouts ("2006-01-02T15:04:05Z07:00").

(time.Time.Format is `engine.templating.gotime.format_layout`.)

The layout language is Go's reference time, Mon Jan 2 15:04:05 MST 2006: `2006`/`06` year, `January`/`Jan`/
`1`/`01` month, `Monday`/`Mon` weekday, `2`/`_2`/`02` day, `__2`/`002` day of year, `15`/`3`/`03` hour,
`4`/`04` minute, `5`/`05` second, `PM`/`pm`, `.000`/`.999` (or `,`) fractions, `MST` zone abbreviation,
`-0700`, `-07:00`, `-07`, `-070000`, `-07:00:00` offsets and their `Z…` ISO 8601 variants.
Parse errors carry Go's text: `parsing time "bad" as "2006-01-02": cannot parse "bad" as "2006"`.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass

from engine.templating.funcs.dates_time import UTC, Location, fixed_zone, time_quote

__all__ = ["LayoutParseError", "YearOutOfRange", "parse_layout"]

_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_LONG_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_SHORT_MONTHS = tuple(m[:3] for m in _LONG_MONTHS)
_SHORT_DAYS = tuple(d[:3] for d in _LONG_DAYS)
_ZERO = _dt.timedelta(0)
_ISO = ("Z070000", "Z07:00:00", "Z0700", "Z07:00", "Z07")
_NUMERIC = ("-070000", "-07:00:00", "-0700", "-07:00", "-07")


@dataclass(frozen=True, slots=True)
class _Chunk:
    start: int  # where the element starts in the layout (the text before it is literal)
    end: int
    kind: str  # the element, e.g. "2006", "Jan", "-07:00", ".000"; "" at the end of the layout
    digits: int = 0  # fractional second digits
    separator: str = "."


def _next_chunk(layout: str, index: int) -> _Chunk:
    """Go's nextStdChunk from `index`."""
    size = len(layout)
    for i in range(index, size):
        rest = layout[i:]
        char = rest[0]
        found = ""
        if char == "J" and rest.startswith("Jan"):
            if rest.startswith("January"):
                found = "January"
            elif not rest[3:4].islower() or not rest[3:4].isascii():
                found = "Jan"
        elif char == "M" and len(rest) >= 3:
            if rest.startswith("Mon"):
                if rest.startswith("Monday"):
                    found = "Monday"
                elif not rest[3:4].islower() or not rest[3:4].isascii():
                    found = "Mon"
            if not found and rest.startswith("MST"):
                found = "MST"
        elif char == "0":
            if rest[1:2] in ("1", "2", "3", "4", "5", "6"):
                found = rest[:2]
            elif rest.startswith("002"):
                found = "002"
        elif char == "1":
            found = "15" if rest.startswith("15") else "1"
        elif char == "2":
            found = "2006" if rest.startswith("2006") else "2"
        elif char == "_":
            if rest.startswith("_2"):
                if rest.startswith("_2006"):  # a literal "_" then the year
                    return _Chunk(i + 1, i + 5, "2006")
                found = "_2"
            elif rest.startswith("__2"):
                found = "__2"
        elif char in "345":
            found = char
        elif char == "P" and rest.startswith("PM") or char == "p" and rest.startswith("pm"):
            found = rest[:2]
        elif char == "-":
            found = next((z for z in _NUMERIC if rest.startswith(z)), "")
        elif char == "Z":
            found = next((z for z in _ISO if rest.startswith(z)), "")
        elif char in ".," and rest[1:2] in ("0", "9"):
            digit, j = rest[1], 1
            while j < len(rest) and rest[j] == digit:
                j += 1
            if not (j < len(rest) and rest[j].isascii() and rest[j].isdigit()):
                return _Chunk(i, i + j, ".000" if digit == "0" else ".999", j - 1, char)
        if found:
            return _Chunk(i, i + len(found), found)
    return _Chunk(size, size, "")


# ----------------------------------------------------------------------------------------------- parse

class LayoutParseError(ValueError):
    """time.ParseError; `str()` is Go's message."""


class YearOutOfRange(LayoutParseError):
    """The parsed year (0 when the layout has none) is outside what Python's datetime represents."""


@dataclass(slots=True)
class _Fields:
    year: int = 0
    month: int = -1
    day: int = -1
    yday: int = -1
    hour: int = 0
    minute: int = 0
    second: int = 0
    nanos: int = 0
    pm: bool | None = None
    zone: Location | None = None
    offset: int | None = None
    zone_name: str = ""


class _Bad(Exception):
    pass


def _getnum(value: str, fixed: bool, width: int = 2) -> tuple[int, str]:
    count = 0
    while count < min(width, len(value)) and value[count].isascii() and value[count].isdigit():
        count += 1
    if count == 0 or (fixed and count < width):
        raise _Bad
    return int(value[:count]), value[count:]


def _lookup(table: tuple[str, ...], value: str) -> tuple[int, str]:
    for index, name in enumerate(table):
        if value[: len(name)].lower() == name.lower() and len(value) >= len(name):
            return index, value[len(name):]
    raise _Bad


def _zone_length(value: str) -> int:
    """Go's parseTimeZone: the length of a zone abbreviation at the start of value (0 if none)."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value.startswith("GMT"):
        return 3 + _signed_offset_length(value[3:])
    if value[0] in "+-":
        return _signed_offset_length(value)
    upper = 0
    while upper < min(6, len(value)) and "A" <= value[upper] <= "Z":
        upper += 1
    if upper == 5 and value[4] == "T" or upper == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return upper
    return 3 if upper == 3 else 0


def _signed_offset_length(value: str) -> int:
    if not value or value[0] not in "+-":
        return 0
    digits = 1
    while digits < len(value) and value[digits].isascii() and value[digits].isdigit():
        digits += 1
    if digits == 1 or int(value[1:digits]) > 12:
        return 0
    return digits


def _skip(value: str, prefix: str) -> str:
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _Bad
            prefix, value = prefix.lstrip(" "), value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            raise _Bad
        prefix, value = prefix[1:], value[1:]
    return value


def parse_layout(layout: str, text: str, default: Location, local: Location) -> tuple[_dt.datetime, Location]:
    """time.ParseInLocation: the parsed wall time (aware, in its zone) and its Go location."""
    fields, value, index = _Fields(), text, 0
    while True:
        chunk = _next_chunk(layout, index)
        prefix = layout[index:chunk.start]
        try:
            value = _skip(value, prefix)
        except _Bad:
            raise LayoutParseError(_error(layout, text, prefix, value)) from None
        if not chunk.kind:
            if value:
                raise LayoutParseError(f"parsing time {time_quote(text)}: extra text: {time_quote(value)}")
            break
        index = chunk.end
        hold = value
        try:
            value, range_error = _parse_element(chunk, value, fields, layout[index:])
        except _Bad:
            raise LayoutParseError(_error(layout, text, layout[chunk.start:chunk.end], hold)) from None
        if range_error:
            raise LayoutParseError(f"parsing time {time_quote(text)}: {range_error} out of range")
    return _assemble(fields, text, value, default, local)


def _error(layout: str, text: str, element: str, value: str) -> str:
    return (f"parsing time {time_quote(text)} as {time_quote(layout)}: cannot parse {time_quote(value)} "
            f"as {time_quote(element)}")


def _parse_element(chunk: _Chunk, value: str, f: _Fields, rest_of_layout: str) -> tuple[str, str]:
    kind = chunk.kind
    if kind == "2006":
        if len(value) < 4 or not value[0].isdigit() or not value[:4].isascii() or not value[:4].isdigit():
            raise _Bad
        f.year, value = int(value[:4]), value[4:]
    elif kind == "06":
        if len(value) < 2 or not value[:2].isascii() or not value[:2].isdigit():
            raise _Bad
        year = int(value[:2])
        f.year, value = year + (1900 if year >= 69 else 2000), value[2:]
    elif kind in ("Jan", "January"):
        month, value = _lookup(_SHORT_MONTHS if kind == "Jan" else _LONG_MONTHS, value)
        f.month = month + 1
    elif kind in ("1", "01"):
        f.month, value = _getnum(value, kind == "01")
        if not 1 <= f.month <= 12:
            return value, "month"
    elif kind in ("Mon", "Monday"):
        value = _lookup(_SHORT_DAYS if kind == "Mon" else _LONG_DAYS, value)[1]
    elif kind in ("2", "_2", "02"):
        if kind == "_2" and value.startswith(" "):
            value = value[1:]
        f.day, value = _getnum(value, kind == "02")
    elif kind in ("__2", "002"):
        for _ in range(2):
            if kind == "__2" and value.startswith(" "):
                value = value[1:]
        f.yday, value = _getnum(value, kind == "002", 3)
    elif kind in ("15", "3", "03"):
        f.hour, value = _getnum(value, kind == "03")
        if f.hour >= (24 if kind == "15" else 13):
            return value, "hour"
    elif kind in ("4", "04"):
        f.minute, value = _getnum(value, kind == "04")
        if f.minute >= 60:
            return value, "minute"
    elif kind in ("5", "05"):
        f.second, value = _getnum(value, kind == "05")
        if f.second >= 60:
            return value, "second"
        if len(value) >= 2 and value[0] in ".," and value[1].isdigit() and value[1].isascii():
            if _next_chunk(rest_of_layout, 0).kind not in (".000", ".999"):
                count = 2
                while count < len(value) and value[count].isascii() and value[count].isdigit():
                    count += 1
                f.nanos = _nanoseconds(value[:count])
                value = value[count:]
    elif kind in ("PM", "pm"):
        marker = value[:2]
        if len(marker) < 2 or marker not in (("PM", "AM") if kind == "PM" else ("pm", "am")):
            raise _Bad
        f.pm, value = marker.upper() == "PM", value[2:]
    elif kind.startswith("Z") and value.startswith("Z"):
        f.zone, value = UTC, value[1:]
    elif kind.startswith(("-", "Z")):
        return _parse_offset(kind, value, f)
    elif kind == "MST":
        if value.startswith("UTC"):
            f.zone, value = UTC, value[3:]
        else:
            length = _zone_length(value)
            if not length:
                raise _Bad
            f.zone_name, value = value[:length], value[length:]
    elif kind == ".000":
        width = chunk.digits + 1
        if len(value) < width or value[0] not in ".,":
            raise _Bad
        f.nanos, value = _nanoseconds(value[:width]), value[width:]
    elif kind == ".999" and len(value) >= 2 and value[0] in ".," and value[1].isascii() and value[1].isdigit():
        count = 1
        while count < len(value) and value[count].isascii() and value[count].isdigit():
            count += 1
        f.nanos, value = _nanoseconds(value[:count]), value[count:]
    return value, ""


def _nanoseconds(text: str) -> int:
    digits = text[1:10]
    if not digits.isascii() or not digits.isdigit():
        raise _Bad
    return int(digits.ljust(9, "0"))


def _parse_offset(kind: str, value: str, f: _Fields) -> tuple[str, str]:
    shape = kind.lstrip("-Z")
    widths = {"070000": 7, "07:00:00": 9, "0700": 5, "07:00": 6, "07": 3}
    width = widths[shape]
    if len(value) < width:
        raise _Bad
    part = value[:width]
    if ":" in shape and (part[3] != ":" or (width == 9 and part[6] != ":")):
        raise _Bad
    digits = part[1:].replace(":", "") if ":" in shape else part[1:]
    hours, minutes, seconds = digits[0:2], digits[2:4] or "00", digits[4:6] or "00"
    for number in (hours, minutes, seconds):
        if len(number) != 2 or not number.isascii() or not number.isdigit():
            raise _Bad
    for number, name in ((seconds, "second"), (minutes, "minute"), (hours, "hour")):
        if int(number) > (24 if name == "hour" else 60):
            return value[width:], "time zone offset " + name
    if part[0] not in "+-":
        raise _Bad
    total = (int(hours) * 60 + int(minutes)) * 60 + int(seconds)
    f.offset = -total if part[0] == "-" else total
    return value[width:], ""


def _assemble(f: _Fields, text: str, rest: str, default: Location,
              local: Location) -> tuple[_dt.datetime, Location]:
    if f.pm is True and f.hour < 12:
        f.hour += 12
    elif f.pm is False and f.hour == 12:
        f.hour = 0
    if f.yday >= 0:
        leap = calendar.isleap(f.year)
        if not 1 <= f.yday <= (366 if leap else 365):
            raise LayoutParseError(f"parsing time {time_quote(text)}: day-of-year out of range")
        date = _dt.date(max(f.year, 1), 1, 1) + _dt.timedelta(days=f.yday - 1)
        if f.month >= 0 and f.month != date.month:
            raise LayoutParseError(f"parsing time {time_quote(text)}: day-of-year does not match month")
        if f.day >= 0 and f.day != date.day:
            raise LayoutParseError(f"parsing time {time_quote(text)}: day-of-year does not match day")
        f.month, f.day = date.month, date.day
    else:
        f.month = 1 if f.month < 0 else f.month
        f.day = 1 if f.day < 0 else f.day
    if f.day < 1 or f.day > calendar.monthrange(f.year or 2000, f.month)[1]:  # Go's year 0 is a leap year
        raise LayoutParseError(f"parsing time {time_quote(text)}: day out of range")
    del rest
    if not 1 <= f.year <= 9999:
        raise YearOutOfRange(f"parsing time {time_quote(text)}: year {f.year} is outside the years 1-9999 "
                             "this engine supports")
    wall = _dt.datetime(f.year, f.month, f.day, f.hour, f.minute, f.second, f.nanos // 1000)
    if f.zone is not None:
        return wall.replace(tzinfo=f.zone.tz), f.zone
    if f.offset is not None:
        instant = wall.replace(tzinfo=_dt.timezone(_dt.timedelta(seconds=f.offset)))
        seen = instant.astimezone(local.tz)
        if (seen.utcoffset() or _ZERO).total_seconds() == f.offset and (not f.zone_name or
                                                                       seen.tzname() == f.zone_name):
            return instant, local
        return instant, fixed_zone(f.zone_name, f.offset)
    if f.zone_name:
        offset = int(f.zone_name[3:]) * 3600 if len(f.zone_name) > 3 and f.zone_name.startswith("GMT") else 0
        # Go's quirk: the wall clock is taken as UTC, then shown in the made-up zone.
        return wall.replace(tzinfo=_dt.UTC), fixed_zone(f.zone_name, offset)
    return _localize(wall, default.tz), default


def _localize(wall: _dt.datetime, tz: _dt.tzinfo) -> _dt.datetime:
    """time.Date(..., loc) for a wall clock time."""
    return wall.replace(tzinfo=tz)

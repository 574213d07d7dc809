"""time.Time's Format with Go's reference layouts, and the Go types its methods return.

Go layouts spell each element with the reference time `Mon Jan 2 15:04:05 MST 2006`; the scanner below
recognises the same chunks as Go's nextStdChunk (so `Jan` inside `January` or `Janet` behaves the same).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import ClassVar

from engine.templating.gotypes import GoNamedInt, GoObject, GoTime
from engine.templating.printing import zone_abbreviation

__all__ = ["GoLocation", "GoMonth", "GoWeekday", "format_layout", "unix_seconds"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


class GoMonth(GoNamedInt):
    """time.Month: an int printing as `March`."""

    __slots__ = ()
    go_type: ClassVar[str] = "time.Month"

    def go_string(self) -> str:
        return MONTHS[self - 1] if 1 <= self <= 12 else f"%!Month({int(self)})"


class GoWeekday(GoNamedInt):
    """time.Weekday: an int printing as `Tuesday`."""

    __slots__ = ()
    go_type: ClassVar[str] = "time.Weekday"

    def go_string(self) -> str:
        return DAYS[self] if 0 <= self <= 6 else f"%!Weekday({int(self)})"


class GoLocation(GoObject):
    """*time.Location: prints its name ("" for the unnamed fixed zones time.Parse creates)."""

    go_type: ClassVar[str] = "*time.Location"

    def __init__(self, name: str) -> None:
        self.name = name

    def go_string(self) -> str:
        return self.name


def unix_seconds(moment: _dt.datetime) -> int:
    return (moment - EPOCH) // _dt.timedelta(seconds=1)


def _starts_lower(text: str) -> bool:
    return bool(text) and "a" <= text[0] <= "z"


_PREFIXED = (
    ("-070000", "-070000"), ("-07:00:00", "-07:00:00"), ("-0700", "-0700"), ("-07:00", "-07:00"), ("-07", "-07"),
    ("Z070000", "Z070000"), ("Z07:00:00", "Z07:00:00"), ("Z0700", "Z0700"), ("Z07:00", "Z07:00"), ("Z07", "Z07"),
)  # fmt: skip


def _chunk_at(layout: str, i: int) -> tuple[str, int] | None:
    """The layout element starting at i, as (code, length), or None for literal text (nextStdChunk)."""
    rest = layout[i:]
    c = rest[0]
    if c == "J" and rest.startswith("Jan"):
        if rest.startswith("January"):
            return "January", 7
        if not _starts_lower(rest[3:]):
            return "Jan", 3
    elif c == "M" and len(rest) >= 3:
        if rest.startswith("Mon"):
            if rest.startswith("Monday"):
                return "Monday", 6
            if not _starts_lower(rest[3:]):
                return "Mon", 3
        if rest.startswith("MST"):
            return "MST", 3
    elif c == "0":
        if len(rest) >= 2 and "1" <= rest[1] <= "6":
            return rest[:2], 2
        if rest.startswith("002"):
            return "002", 3
    elif c == "1":
        return ("15", 2) if rest.startswith("15") else ("1", 1)
    elif c == "2":
        return ("2006", 4) if rest.startswith("2006") else ("2", 1)
    elif c == "_":
        if rest.startswith("_2") and not rest.startswith("_2006"):
            return "_2", 2
        if rest.startswith("__2"):
            return "__2", 3
    elif c in "345":
        return c, 1
    elif c in "Pp" and len(rest) >= 2 and rest[1] == ("M" if c == "P" else "m"):
        return rest[:2], 2
    elif c in "-Z":
        for code, _ in _PREFIXED:
            if rest.startswith(code):
                return code, len(code)
    elif c in ".," and len(rest) >= 2 and rest[1] in "09":
        end = 1
        while end < len(rest) and rest[end] == rest[1]:
            end += 1
        if not (end < len(rest) and rest[end].isdigit()):
            return c + rest[1] * (end - 1), end
    return None


def format_layout(value: GoTime, layout: str) -> str:
    """time.Time.Format(layout)."""
    out: list[str] = []
    i = 0
    while i < len(layout):
        chunk = _chunk_at(layout, i)
        if chunk is None:
            out.append(layout[i])
            i += 1
            continue
        code, length = chunk
        out.append(_element(value, code))
        i += length
    return "".join(out)


def _offset_seconds(moment: _dt.datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _element(value: GoTime, code: str) -> str:
    moment = value.moment
    simple = _SIMPLE.get(code)
    if simple is not None:
        return simple(moment)
    if code == "MST":
        name = zone_abbreviation(value)
        return name if name else _numeric_zone(_offset_seconds(moment), "-0700")
    if code[0] in "-Z":
        seconds = _offset_seconds(moment)
        if code[0] == "Z" and seconds == 0:
            return "Z"
        return _numeric_zone(seconds, "-" + code[1:])
    return _fraction(moment, code)


def _numeric_zone(seconds: int, code: str) -> str:
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, minutes, secs = seconds // 3600, seconds // 60 % 60, seconds % 60
    text = sign + f"{hours:02d}"
    if code in ("-0700", "-070000"):
        text += f"{minutes:02d}"
    elif code in ("-07:00", "-07:00:00"):
        text += f":{minutes:02d}"
    if code == "-070000":
        text += f"{secs:02d}"
    elif code == "-07:00:00":
        text += f":{secs:02d}"
    return text


def _fraction(moment: _dt.datetime, code: str) -> str:
    digits = f"{moment.microsecond:06d}000"[: len(code) - 1]
    if code[1] == "9":
        digits = digits.rstrip("0")
        return code[0] + digits if digits else ""
    return code[0] + digits


def _year(moment: _dt.datetime) -> str:
    return f"{moment.year:04d}"


def _hour12(moment: _dt.datetime) -> int:
    return moment.hour % 12 or 12


_SIMPLE: dict[str, Callable[[_dt.datetime], str]] = {
    "January": lambda m: MONTHS[m.month - 1],
    "Jan": lambda m: MONTHS[m.month - 1][:3],
    "1": lambda m: str(m.month),
    "01": lambda m: f"{m.month:02d}",
    "Monday": lambda m: DAYS[(m.weekday() + 1) % 7],
    "Mon": lambda m: DAYS[(m.weekday() + 1) % 7][:3],
    "2": lambda m: str(m.day),
    "_2": lambda m: f"{m.day:2d}",
    "02": lambda m: f"{m.day:02d}",
    "__2": lambda m: f"{m.timetuple().tm_yday:3d}",
    "002": lambda m: f"{m.timetuple().tm_yday:03d}",
    "15": lambda m: f"{m.hour:02d}",
    "3": lambda m: str(_hour12(m)),
    "03": lambda m: f"{_hour12(m):02d}",
    "4": lambda m: str(m.minute),
    "04": lambda m: f"{m.minute:02d}",
    "5": lambda m: str(m.second),
    "05": lambda m: f"{m.second:02d}",
    "2006": _year,
    "06": lambda m: f"{m.year % 100:02d}",
    "PM": lambda m: "PM" if m.hour >= 12 else "AM",
    "pm": lambda m: "pm" if m.hour >= 12 else "am",
}

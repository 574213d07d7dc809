"""Sprig family B, dates: Go's layouts, ParseInLocation, ParseDuration and Sprig's date functions."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest

from engine.templating import gojson
from engine.templating.funcs import dates as d
from engine.templating.funcs.dates_time import monotonic_suffix, parse_duration
from engine.templating.funcs.registry import GoError, GoPanic
from engine.templating.gotime import format_layout
from engine.templating.gotypes import GoInt64, GoTime, JSONNumber
from engine.templating.printing import sprint

NOW = dt.datetime(2026, 11, 22, 15, 39, 27, 453402, tzinfo=dt.UTC)


class _Context:
    environ: dict[str, str] = {}

    def __init__(self) -> None:
        self.random = random.Random(1)

    def now(self) -> dt.datetime:
        return NOW


CTX: Any = _Context()
RFC3339 = "2006-01-02T15:04:05Z07:00"
T1 = d.to_date(RFC3339, "2024-03-05T14:07:09+01:00")
T0 = d.to_date("2006-01-02", "2024-03-05")


def test_format_and_zones() -> None:
    assert d.date(CTX, "2006-01-02", GoInt64(1700000000)) == "2023-11-14"
    assert d.date(CTX, "2006", d.to_date("2006", "1999")) == "1999"
    assert d.date_in_zone(CTX, "2006-01-02 15:04", 0, "UTC") == "1970-01-01 00:00"
    assert d.html_date_in_zone(CTX, T1, "Asia/Tokyo") == "2024-03-05"
    assert d.html_date(CTX, T1) == "2024-03-05"
    assert d.date(CTX, "02/01/06 03:04PM", T1) == "05/03/24 01:07PM"
    assert d.date(CTX, "Mon Jan 2 15:04:05 MST 2006", T1) == "Tue Mar 5 13:07:09 UTC 2024"
    assert d.date_in_zone(CTX, "15:04 MST", T1, "Local") == "13:07 UTC"
    assert d.date_in_zone(CTX, "15:04 MST", T1, "Asia/Tokyo") == "22:07 JST"
    assert d.date_in_zone(CTX, "15:04 MST", T1, "No/Where") == "13:07 UTC"
    assert format_layout(T1, "Jan 2, 2006 at 3:04pm (MST)") == "Mar 5, 2024 at 2:07pm (+0100)"


def test_silent_fallback_to_now() -> None:
    for value in (JSONNumber("12"), 1.5, "2024-03-05", None):
        assert d.date(CTX, "2006-01-02", value) == "2026-11-22"


def test_to_date_and_printing() -> None:
    assert sprint(T1) == "2024-03-05 14:07:09 +0100 +0100"
    assert sprint(T0) == "2024-03-05 00:00:00 +0000 UTC"
    assert T0.location == "Local" and T1.location == ""
    assert sprint(d.to_date("02 Jan 06 15:04 MST", "05 Mar 24 10:00 CET")) == "2024-03-05 10:00:00 +0000 CET"
    assert sprint(d.to_date(RFC3339, "2024-03-05T10:00:00Z")) == "2024-03-05 10:00:00 +0000 UTC"
    assert sprint(d.to_date("2006-01-02 15:04:05.000", "2024-03-05 10:11:12.345")) == (
        "2024-03-05 10:11:12.345 +0000 UTC")
    assert d.to_date("2006-01-02", "bad") is d.ZERO_TIME
    assert gojson.marshal(T1) == '"2024-03-05T14:07:09+01:00"'
    assert d.unix_epoch(T0) == "1709596800"
    assert d.unix_epoch(T1) == "1709644029"


@pytest.mark.parametrize(
    ("layout", "text", "message"),
    [
        ("2006-01-02", "bad", 'parsing time "bad" as "2006-01-02": cannot parse "bad" as "2006"'),
        ("2006-01-02", "2024-13-01", 'parsing time "2024-13-01": month out of range'),
        ("2006-01-02", "2024-02-30", 'parsing time "2024-02-30": day out of range'),
        ("2006-01-02", "2024-03-05x", 'parsing time "2024-03-05x": extra text: "x"'),
        ("2006-01-02", "2024/03/05", 'parsing time "2024/03/05" as "2006-01-02": cannot parse "/03/05" as "-"'),
        ("15:04", "25:00", 'parsing time "25:00": hour out of range'),
        ("Jan 2", "Foo 2", 'parsing time "Foo 2" as "Jan 2": cannot parse "Foo 2" as "Jan"'),
    ],
)
def test_parse_errors(layout: str, text: str, message: str) -> None:
    with pytest.raises(GoError) as error:
        d.must_to_date(layout, text)
    assert error.value.message == message


def test_parse_layout_elements() -> None:
    parsed = d.to_date("Monday, January 2 2006 3:04:05.999 PM -07:00", "Tuesday, march 5 2024 2:07:09.5 PM +01:00")
    assert sprint(parsed) == "2024-03-05 14:07:09.5 +0100 +0100"
    assert sprint(d.to_date("2006-002", "2024-060")) == "2024-02-29 00:00:00 +0000 UTC"
    # Go's quirk for an unknown zone abbreviation: the wall clock is read as UTC, shown in the made-up zone.
    assert sprint(d.to_date("2006-01-02 15:04 MST", "2024-03-05 10:00 GMT+3")) == "2024-03-05 13:00:00 +0300 GMT+3"
    assert sprint(d.to_date("2006-01-02 -0700", "2024-03-05 +0000")) == "2024-03-05 00:00:00 +0000 UTC"


def test_year_zero_is_refused_loudly() -> None:
    with pytest.raises(GoPanic, match="outside the years 1-9999"):
        d.to_date("15:04", "10:30")


def test_date_modify() -> None:
    assert sprint(d.must_date_modify("1.5h", T0)) == "2024-03-05 01:30:00 +0000 UTC"
    assert d.date(CTX, "15:04", d.date_modify("-30m", T1)) == "12:37"
    assert d.date_modify("bad", T0) is T0
    with pytest.raises(GoError, match='^time: invalid duration "bad"$'):
        d.must_date_modify("bad", T0)


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [("0", 0), ("1h30m", 5400 * 10**9), ("-1.5s", -1500 * 10**6), ("1µs", 1000), ("1us2ns", 1002),
     (".5h", 1800 * 10**9), ("1.s", 10**9), ("2562047h47m16.854775807s", (1 << 63) - 1)],
)
def test_parse_duration(text: str, nanoseconds: int) -> None:
    assert parse_duration(text) == nanoseconds


@pytest.mark.parametrize(
    ("text", "message"),
    [("", 'time: invalid duration ""'), ("1", 'time: missing unit in duration "1"'),
     ("1x", 'time: unknown unit "x" in duration "1x"'), (".s", 'time: invalid duration ".s"'),
     ("9999999999h", 'time: invalid duration "9999999999h"'),
     ("1é", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"')],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_duration(text)
    assert str(error.value) == message


def test_duration_and_duration_round() -> None:
    assert d.duration(0) == d.duration(1.5) == d.duration("abc") == d.duration(3661) == "0s"
    assert d.duration(GoInt64(86400)) == "24h0m0s"
    assert d.duration("3661") == "1h1m1s"
    assert d.duration_round(CTX, "400h") == "16d"
    assert d.duration_round(CTX, "2h10m5s") == "2h"
    assert d.duration_round(CTX, "bad") == "0s"
    assert d.duration_round(CTX, "-90s") == "1m"
    assert d.duration_round(CTX, "8760h") == "12mo"
    assert d.duration_round(CTX, GoInt64(10**9 * 61)) == "1m"
    assert d.duration_round(CTX, T0) == "2y"


def test_clock_functions_use_the_injected_clock() -> None:
    now = d.now(CTX)
    assert isinstance(now, GoTime) and now.location == "Local"
    assert d.unix_epoch(now) == "1795361967"
    assert re.fullmatch(r" m=\+\d+\.\d{9}", monotonic_suffix(now))
    assert monotonic_suffix(T0) == ""
    assert re.fullmatch(r"\d+h\d+m\d+s", d.ago(CTX, T0))
    assert d.ago(CTX, d.now(CTX)) == "0s"
    later = d.date_modify("1h", now)
    assert monotonic_suffix(later).startswith(" m=+3600.")

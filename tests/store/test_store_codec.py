"""The JSON codec: exact numbers, float mode for inputs, Go's float text, refusals."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.store.codec import _encode, datetime_text, decode, encode, format_float, parse_datetime
from engine.templating.gotypes import GoInt64, GoTime, JSONNumber


@pytest.mark.parametrize("text", ["1619464078", "12345678901234567890", "1.50", "-0", "1e400", "2.000", "-1.5E-7",
                                  "0.1000000000000000055511151231257827"])
def test_json_numbers_keep_their_text(text: str) -> None:
    stored = encode({"n": JSONNumber(text), "list": [JSONNumber(text)]})
    assert stored == f'{{"n":{text},"list":[{text}]}}'
    back = decode(stored)
    assert back == {"n": text, "list": [text]}
    assert type(back["n"]) is JSONNumber and type(back["list"][0]) is JSONNumber


def test_every_number_reads_back_exact() -> None:
    back = decode(encode({"int": 12345678901234567890, "float": 2.5, "go": GoInt64(7), "whole": 3.0}))
    assert back == {"int": "12345678901234567890", "float": "2.5", "go": "7", "whole": "3"}
    assert all(type(value) is JSONNumber for value in back.values())


def test_float_mode_reads_binary_floats() -> None:
    # spec §13.6: task and resolver inputs are re-read as float64
    back = decode(encode({"a": JSONNumber("1619464078"), "b": 12345678901234567890, "c": [JSONNumber("1.50")],
                          "d": "text", "e": True, "f": None}), "float")
    assert back == {"a": 1619464078.0, "b": 1.2345678901234567e19, "c": [1.5], "d": "text", "e": True, "f": None}
    assert type(back["a"]) is float and type(back["c"][0]) is float


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0"), (-0.0, "-0"), (2.0, "2"), (1.5, "1.5"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
    (1e-6, "0.000001"), (1e-7, "1e-7"), (1.619464078e9, "1619464078"), (1.2345e16, "12345000000000000"),
    (1.5e-5, "0.000015"), (123.456e-10, "1.23456e-8"), (-2.3, "-2.3"), (5e-324, "5e-324"),
])
def test_floats_are_written_as_go_writes_them(value: float, text: str) -> None:
    assert format_float(value) == text
    assert float(text) == value


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_infinities_are_refused(value: float) -> None:
    with pytest.raises(ValueError, match="unsupported value"):
        encode([value])
    with pytest.raises(ValueError):
        encode(value)


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError, match="invalid number literal"):
        encode(JSONNumber("12abc"))
    with pytest.raises(TypeError, match="keys must be strings"):
        encode({1: "a"})
    with pytest.raises(TypeError, match="cannot be stored"):
        encode({"a": object()})
    with pytest.raises(ValueError):
        decode('{"a": NaN}')


def test_strings_and_go_values() -> None:
    assert encode(JSONNumber("")) == "0"  # as Go marshals an empty json.Number
    assert decode(encode({"s": 'é "q" \n \x00 \u2028'})) == {"s": 'é "q" \n \x00 \u2028'}
    assert encode(b"hi") == '"aGk="'
    moment = dt.datetime(2024, 1, 2, 3, 4, 5, 600000, tzinfo=dt.UTC)
    assert encode([GoTime(moment), moment, (1, 2)]) == '["2024-01-02T03:04:05.6Z","2024-01-02T03:04:05.6Z",[1,2]]'
    assert encode({"a": [1, "x", None, True, {"b": False}]}) == '{"a":[1,"x",null,true,{"b":false}]}'


def test_dates_sort_as_text_and_round_trip() -> None:
    paris = dt.timezone(dt.timedelta(hours=2))
    aware = dt.datetime(2024, 5, 1, 12, 0, tzinfo=paris)
    assert datetime_text(aware) == "2024-05-01T10:00:00.000000+00:00"
    assert parse_datetime(datetime_text(aware)) == aware
    naive = dt.datetime(2024, 5, 1, 12, 0, 0, 5)
    assert parse_datetime(datetime_text(naive)) == naive
    moments = [dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC) + dt.timedelta(microseconds=step)
               for step in (0, 1, 999_999, 10**6, 86400 * 10**6)]
    assert sorted(datetime_text(moment) for moment in moments) == [datetime_text(moment) for moment in moments]


def _slow(value: object) -> str:
    parts: list[str] = []
    _encode(value, parts.append)
    return "".join(parts)


_numbers = st.from_regex(r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,10})?([eE][-+]?[0-9]{1,3})?", fullmatch=True)
_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(alphabet=st.sampled_from('ab"\\\n\x00é\ue000\ue001\u2028')) | _numbers.map(JSONNumber))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=3), inner, max_size=4), max_leaves=20)


@given(_values)
@settings(max_examples=300, deadline=None)
def test_the_fast_path_writes_what_the_slow_path_writes(value: object) -> None:
    text = encode(value)
    assert text == _slow(value)
    assert json.loads(text) == json.loads(_slow(value))  # valid JSON either way
    assert decode(encode(decode(text))) == decode(text)  # stable once exact


def test_user_text_that_looks_like_a_mark_is_kept() -> None:
    value = {"a": "\ue0001.5\ue001", "b": JSONNumber("2.50"), "c": ["\ue000"]}
    assert decode(encode(value)) == value

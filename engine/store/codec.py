"""JSON text for the store's columns, keeping numbers exact (spec §13.6).

Encoding writes a `JSONNumber` as a bare JSON number with its text unchanged, ints in full, floats the way
Go's encoding/json does (`1e+21`, `1e-7`, `100000000000000000000`, `2`), so that text read back as
`JSONNumber` prints what µTask would print. NaN and infinities are refused, as Go refuses them.

Decoding has two modes:

* ``"exact"`` (outputs, metadata, children, items, results, configurations): every number comes back as a
  `JSONNumber` holding the text that was stored — `1619464078`, `12345678901234567890`, `1.50`.
* ``"float"`` (task inputs and resolver inputs): every number comes back as a binary float, because µTask
  stores and re-reads those as float64 (⚠ spec §13.6: `1619464078` later prints `1.619464078e+09`).

Dates are stored as text (`datetime_text`): aware datetimes in UTC with a `+00:00` offset, naive ones
without, always with microseconds, so that text order is time order.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, Literal

from engine.templating.gojson import format_float as go_format_float
from engine.templating.gotypes import GoTime, JSONNumber

__all__ = ["NumberMode", "datetime_text", "decode", "encode", "format_float", "parse_datetime"]

NumberMode = Literal["exact", "float"]

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON number {name}")


_DECODERS: dict[str, json.JSONDecoder] = {
    "exact": json.JSONDecoder(parse_int=JSONNumber, parse_float=JSONNumber, parse_constant=_refuse_constant),
    "float": json.JSONDecoder(parse_int=float, parse_float=float, parse_constant=_refuse_constant),
}


def decode(text: str, numbers: NumberMode = "exact") -> Any:
    """Parse JSON text; numbers become `JSONNumber` ("exact") or `float` ("float")."""
    return _DECODERS[numbers].decode(text)


def format_float(value: float) -> str:
    """A float64 as Go's encoding/json writes it (shortest digits; exponent only below 1e-6 or from 1e21)."""
    return go_format_float(value)


def _number_text(value: JSONNumber) -> str:
    if value == "":
        return "0"  # Go marshals an empty json.Number as 0
    if _NUMBER.fullmatch(value) is None:
        raise ValueError(f"json: invalid number literal {str(value)!r}")
    return str(value)


def datetime_text(value: dt.datetime) -> str:
    """Sortable text of a date: UTC (`+00:00`) for aware values, no offset for naive ones."""
    if value.tzinfo is not None and value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(timespec="microseconds")


def parse_datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _rfc3339(value: dt.datetime) -> str:
    # How Go marshals a time.Time: RFC 3339 with trimmed nanoseconds, `Z` for UTC.
    text = value.isoformat()
    if "." in text[19:]:
        head, _, rest = text.partition(".")
        fraction = rest[:6].rstrip("0")
        text = head + ("." + fraction if fraction else "") + rest[6:]
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# The fast path: the stdlib's C encoder writes a copy of the value in which each number that needs its own
# text (JSONNumber, float) is a marked string, then the marks and their quotes are removed. A value holding
# the mark character anywhere takes the slow path (`_encode`), so user text can never be mistaken for a mark.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKED = re.compile('"\ue000([^"\ue001]*)\ue001"')


class _Unsafe(Exception):
    pass


def _lower(value: Any, marks: list[bool]) -> Any:
    kind = type(value)
    if kind is str:
        if _OPEN in value:
            raise _Unsafe
        return value
    if kind is dict:
        lowered = {}
        for key, item in value.items():
            if type(key) is not str or _OPEN in key:
                raise _Unsafe
            lowered[key] = _lower(item, marks)
        return lowered
    if kind is list:
        return [_lower(item, marks) for item in value]
    if kind is int or kind is bool or value is None:
        return value
    if kind is JSONNumber:
        marks.append(True)
        return _OPEN + _number_text(value) + _CLOSE
    if kind is float:
        marks.append(True)
        return _OPEN + format_float(value) + _CLOSE
    raise _Unsafe  # subclasses, tuples, bytes, dates…: the slow path knows them


def _not_serializable(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# The stdlib's C encoder, made once: `JSONEncoder.encode` builds one per call, about half the cost of
# encoding a small output. Same settings as `JSONEncoder(ensure_ascii=False, separators=(",", ":"),
# allow_nan=False)`, without the circular-reference check (`_lower` has copied the value: no cycles).
_plain_encoder: Callable[[Any, int], Any] = c_make_encoder(
    None, _not_serializable, encode_basestring, None, ":", ",", False, False, False) if c_make_encoder else \
    json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).iterencode  # type: ignore[assignment]


def encode(value: Any) -> str:
    """JSON text of a value, numbers exact; `TypeError`/`ValueError` for what JSON cannot hold."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is list and all(type(item) is str for item in value):  # names, dependencies…
        return "[" + ",".join(map(encode_basestring, value)) + "]"
    if kind is dict and not value:
        return "{}"
    marks: list[bool] = []
    try:
        lowered = _lower(value, marks)
    except _Unsafe:
        parts: list[str] = []
        _encode(value, parts.append)
        return "".join(parts)
    text = "".join(_plain_encoder(lowered, 0))
    return _MARKED.sub(r"\1", text) if marks else text


def _encode(value: Any, out: Callable[[str], object]) -> None:
    if value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif isinstance(value, JSONNumber):
        out(_number_text(value))
    elif isinstance(value, str):
        out(encode_basestring(value))
    elif isinstance(value, int):
        out(int.__repr__(value))
    elif isinstance(value, float):
        out(format_float(value))
    elif isinstance(value, dict):
        out("{")
        first = True
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, not {type(key).__name__}")
            if not first:
                out(",")
            first = False
            out(encode_basestring(key))
            out(":")
            _encode(item, out)
        out("}")
    elif isinstance(value, list | tuple):
        out("[")
        for index, item in enumerate(value):
            if index:
                out(",")
            _encode(item, out)
        out("]")
    elif isinstance(value, bytes):
        out(encode_basestring(base64.b64encode(value).decode("ascii")))  # Go writes []byte as base64
    elif isinstance(value, GoTime):
        out(encode_basestring(_rfc3339(value.moment)))
    elif isinstance(value, dt.datetime):
        out(encode_basestring(_rfc3339(value)))
    else:
        raise TypeError(f"{type(value).__name__} cannot be stored as JSON")

"""Go's encoding/json for the template value model (see `gotypes`): what toJson, fromJson… produce.

`marshal` is json.Marshal / MarshalIndent / an Encoder with SetEscapeHTML(false):

* map keys sorted; `<`, `>`, `&` escaped as `\\u003c`… unless `escape_html=False`; U+2028/U+2029 always
  escaped; invalid UTF-8 (surrogate-escaped bytes, see `literals`) becomes `\\ufffd`;
* float64 in encoding/json's ES6-like form (`1e+21`, `1e-7`, `100000000000000000000`); NaN and ±Inf are
  errors; a `JSONNumber` is written bare, verbatim; `bytes` ([]uint8) as base64; `GoTime` as RFC 3339 with
  nanoseconds; `GoDuration` as its integer;
* a `GoObject` is written by its `marshal_json()` method when it has one (Go's MarshalJSON, e.g. a semver
  version → `"1.2.3"`), otherwise as an object of its exported `fields`, in declaration order.

`unmarshal` is json.Unmarshal into an `interface{}`: objects → dict, arrays → list, numbers → float64 or,
with `use_number`, `JSONNumber` (decoder.UseNumber). Errors carry Go's exact text
(`unexpected end of JSON input`, `invalid character 'o' in literal null (expecting 'u')`, …).
`decode` also returns the partial value Go keeps when only a number overflowed.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from engine.templating.gojson_scan import syntax_error
from engine.templating.gotypes import NO_VALUE, GoComplex, GoObject, GoTime, JSONNumber, go_type_name
from engine.templating.literals import go_quote

__all__ = ["MarshalError", "UnmarshalError", "decode", "format_float", "go_bytes", "go_string", "marshal",
           "unmarshal"]


class MarshalError(ValueError):
    """json.Marshal failed; `str()` is Go's message (`json: unsupported value: NaN`)."""


class UnmarshalError(ValueError):
    """json.Unmarshal failed; `str()` is Go's message (`unexpected end of JSON input`)."""


def go_bytes(text: str) -> bytes:
    """The bytes of a Go string held as `str` (invalid bytes are surrogate-escaped, see `literals`)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def go_string(data: bytes) -> str:
    """A Go string made of arbitrary bytes, as `str` (invalid UTF-8 surrogate-escaped)."""
    return data.decode("utf-8", "surrogateescape")


# ------------------------------------------------------------------------------------------------ marshal

_ESCAPES = {i: f"\\u{i:04x}" for i in range(0x20)}
_ESCAPES.update({0x22: '\\"', 0x5C: "\\\\", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t",
                 0x2028: "\\u2028", 0x2029: "\\u2029"})
_RAW_TABLE = dict(_ESCAPES)
_HTML_TABLE = {**_ESCAPES, 0x3C: "\\u003c", 0x3E: "\\u003e", 0x26: "\\u0026"}


def _quote(text: str, escape_html: bool) -> str:
    out = text.translate(_HTML_TABLE if escape_html else _RAW_TABLE)
    if not out.isascii():
        out = "".join("\\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in out)
    return '"' + out + '"'


def format_float(value: float) -> str:
    """encoding/json's float64 text (ES6 number-to-string): `1e+21`, `1e-7`, `0.000001`, `-0`."""
    if math.isnan(value) or math.isinf(value):
        raise MarshalError("json: unsupported value: " + ("NaN" if math.isnan(value) else
                                                          "+Inf" if value > 0 else "-Inf"))
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits)).rstrip("0") or "0"
    exp10 = exponent + len(digits) - 1  # value = d.ddd × 10^exp10
    prefix = "-" if sign else ""
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}".replace("e-0", "e-", 1)
    point = exp10 + 1
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return prefix + text + "0" * (point - len(text))
    return f"{prefix}{text[:point]}.{text[point:]}"


def _format_time(value: GoTime) -> str:
    moment = value.moment
    if not 0 <= moment.year <= 9999:
        raise MarshalError("Time.MarshalJSON: year outside of range [0,9999]")
    text = (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:"
            f"{moment.second:02d}")
    if moment.microsecond:
        text += ("." + f"{moment.microsecond:06d}").rstrip("0")
    offset = moment.utcoffset() or _dt.timedelta(0)
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return f'"{text}Z"'
    sign = "+" if seconds > 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f'"{text}{sign}{hours:02d}:{minutes:02d}"'


class _Encoder:
    def __init__(self, escape_html: bool, indent: str | None) -> None:
        self.escape_html = escape_html
        self.indent = indent
        self.active: set[int] = set()

    def encode(self, value: Any, depth: int) -> str:
        if value is None or value is NO_VALUE:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, str):
            if isinstance(value, JSONNumber):
                return _json_number(value)
            return _quote(value, self.escape_html)
        if isinstance(value, int):
            return str(int(value))
        if isinstance(value, float):
            return format_float(value)
        if isinstance(value, dict | list | tuple):
            return self._container(value, depth)
        if isinstance(value, bytes):
            return '"' + base64.b64encode(value).decode("ascii") + '"'
        if isinstance(value, GoTime):
            return _format_time(value)
        if isinstance(value, GoObject):
            hook: Callable[[], str] | None = getattr(value, "marshal_json", None)
            if hook is not None:
                return hook()
            return self._container({name: get(value) for name, get in value.fields.items()}, depth, ordered=True)
        kind = "complex128" if isinstance(value, GoComplex | complex) else go_type_name(value)
        raise MarshalError("json: unsupported type: " + kind)

    def _container(self, value: Any, depth: int, ordered: bool = False) -> str:
        key = id(value)
        if key in self.active:
            raise MarshalError("json: unsupported value: encountered a cycle via " + go_type_name(value))
        self.active.add(key)
        try:
            if isinstance(value, dict):
                keys = list(value) if ordered else sorted(value, key=_key_text)
                parts = [self._member(k, value[k], depth) for k in keys]
                return self._wrap("{", parts, "}", depth)
            return self._wrap("[", [self.encode(item, depth + 1) for item in value], "]", depth)
        finally:
            self.active.discard(key)

    def _member(self, key: Any, item: Any, depth: int) -> str:
        separator = ":" if self.indent is None else ": "
        return _quote(_key_text(key), self.escape_html) + separator + self.encode(item, depth + 1)

    def _wrap(self, opening: str, parts: list[str], closing: str, depth: int) -> str:
        if not parts:
            return opening + closing
        if self.indent is None:
            return opening + ",".join(parts) + closing
        inner = "\n" + self.indent * (depth + 1)
        return opening + inner + ("," + inner).join(parts) + "\n" + self.indent * depth + closing


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _json_number(value: JSONNumber) -> str:
    if value == "":
        return "0"
    if not _valid_number(str(value)):
        raise MarshalError(f"json: invalid number literal {go_quote(str(value))}")
    return str(value)


_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")


def _valid_number(text: str) -> bool:
    return _NUMBER.match(text) is not None


def marshal(value: Any, *, escape_html: bool = True, indent: str | None = None) -> str:
    """json.Marshal (`indent=None`) or json.MarshalIndent(value, "", indent); raises MarshalError."""
    try:
        return _Encoder(escape_html, indent).encode(value, 0)
    except RecursionError:
        raise MarshalError("json: unsupported value: encountered a cycle via " + go_type_name(value)) from None


# ---------------------------------------------------------------------------------------------- unmarshal

class _Overflow:
    """Stands for a float64 number Go could not store (its error is reported, its slot stays nil)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def decode(text: str, *, use_number: bool) -> tuple[Any, str | None]:
    """json.Unmarshal into `interface{}`: (value, Go error message or None). On a syntax error the value is
    None; on a number out of float64 range it is what Go keeps (that number as nil)."""
    if not text.isascii() and any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return _decode_slow(text, use_number)
    overflowed: list[str] = []

    def number(literal: str) -> Any:
        if use_number:
            return JSONNumber(literal)
        result = float(literal)
        if math.isinf(result):
            overflowed.append(literal)
            return _Overflow(literal)
        return result

    try:
        value = json.loads(text, parse_int=number, parse_float=number, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None, syntax_error(go_bytes(text)) or "exceeded max depth"
    if overflowed or "\\u" in text:
        value = _clean(value)
    error = f"json: cannot unmarshal number {overflowed[0]} into Go value of type float64" if overflowed else None
    return value, error


def _decode_slow(text: str, use_number: bool) -> tuple[Any, str | None]:
    # Invalid UTF-8 is a syntax error outside strings; inside strings each bad byte becomes U+FFFD.
    error = syntax_error(go_bytes(text))
    if error is not None:
        return None, error
    return decode("".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text), use_number=use_number)


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _clean(value: Any) -> Any:
    """Lone UTF-16 surrogates from `\\u` escapes become U+FFFD; overflowed numbers become nil."""
    if isinstance(value, str):
        if value.isascii():
            return value
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    if isinstance(value, _Overflow):
        return None
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def unmarshal(text: str, *, use_number: bool) -> Any:
    """json.Unmarshal into `interface{}`; raises UnmarshalError with Go's message."""
    value, error = decode(text, use_number=use_number)
    if error is not None:
        raise UnmarshalError(error)
    return value

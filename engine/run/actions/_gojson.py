"""Go's encoding/json as the plugins use it: decode (exact `JSONNumber`s or float64), encode, Go's error texts.

* `loads(text, exact=True)` is `json.Unmarshal` with `UseNumber` (numbers keep their text as `JSONNumber`);
  `exact=False` is a plain `json.Unmarshal` into `interface{}` (numbers become float64).
* `first_value=True` is `json.NewDecoder(r).Decode(&v)`: only the first JSON value is read, whatever follows
  is ignored, and an empty input is `EOF`.
* `dumps` is `json.Marshal`: sorted keys, compact, `<>&` escaped, `JSONNumber` written verbatim, float64 in
  Go's ES6-like form.

Error texts follow Go's for the common cases (`unexpected end of JSON input`, `invalid character 'x' looking
for beginning of value`…); rarer ones are close but not byte-identical.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from engine.templating.gojson import MarshalError, format_float
from engine.templating.gotypes import JSONNumber

__all__ = ["JSONError", "dumps", "es6_float", "go_quote", "json_kind", "loads"]

_WHITESPACE = " \t\n\r"


class JSONError(ValueError):
    """A decoding or encoding failure; `str()` is Go's message."""


class _Constant(Exception):
    pass


def _reject_constant(name: str) -> Any:
    raise _Constant(name)


def _float64(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JSONError(f"json: cannot unmarshal number {text} into Go value of type float64")
    return value


_EXACT = json.JSONDecoder(parse_int=JSONNumber, parse_float=JSONNumber, parse_constant=_reject_constant)
_FLOAT = json.JSONDecoder(parse_int=_float64, parse_float=_float64, parse_constant=_reject_constant)


def loads(text: str, *, exact: bool = True, first_value: bool = False) -> Any:
    """Decode `text` like Go (see the module docstring); raises JSONError with Go's message."""
    decoder = _EXACT if exact else _FLOAT
    start = len(text) - len(text.lstrip(_WHITESPACE))
    if start == len(text):
        raise JSONError("EOF" if first_value else "unexpected end of JSON input")
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise JSONError(_go_message(text, exc.msg, exc.pos, first_value)) from None
    except _Constant:
        raise JSONError(_constant_message(text, start)) from None
    except RecursionError:
        raise JSONError("exceeded max depth") from None
    if not first_value and text[end:].strip(_WHITESPACE):
        rest = end + len(text[end:]) - len(text[end:].lstrip(_WHITESPACE))
        raise JSONError(f"invalid character {_quote_char(text[rest])} after top-level value")
    return value


def _constant_message(text: str, start: int) -> str:
    position = text.find("N", start) if "NaN" in text else text.find("I", start)
    char = text[position] if position >= 0 else text[start]
    return f"invalid character {_quote_char(char)} looking for beginning of value"


def _go_message(text: str, message: str, position: int, first_value: bool) -> str:
    if position >= len(text) or not text[position:].strip(_WHITESPACE) or message.startswith("Unterminated"):
        return "unexpected EOF" if first_value else "unexpected end of JSON input"
    char = _quote_char(text[position])
    if message.startswith("Expecting value"):
        return f"invalid character {char} looking for beginning of value"
    if message.startswith("Extra data"):
        return f"invalid character {char} after top-level value"
    if message.startswith("Expecting property name"):
        return f"invalid character {char} looking for beginning of object key string"
    if message.startswith("Expecting ':'"):
        return f"invalid character {char} after object key"
    if message.startswith("Expecting ','"):
        where = "object key:value pair" if _innermost_container(text, position) == "{" else "array element"
        return f"invalid character {char} after {where}"
    if message.startswith("Invalid control character"):
        return f"invalid character {char} in string literal"
    if message.startswith(("Invalid \\escape", "Invalid \\u")):
        escaped = text[position + 1] if position + 1 < len(text) else text[position]
        return f"invalid character {_quote_char(escaped)} in string escape code"
    return message


def _innermost_container(text: str, position: int) -> str:
    stack: list[str] = []
    in_string = escaped = False
    for char in text[:position]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def _quote_char(char: str) -> str:
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    return "'" + go_quote(char)[1:-1] + "'"


_SIMPLE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
                   "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """strconv.Quote (Go's `%q` of a string)."""
    out = ['"']
    for char in text:
        if char in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[char])
        elif char.isprintable() or char == " ":
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


def json_kind(value: Any) -> str:
    """The JSON type name Go's decoder uses in its errors (`number`, `string`, `object`…)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, JSONNumber | int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    return "object"


# ------------------------------------------------------------------------------------------------ encode

_ESCAPE = re.compile(r'[\x00-\x1f"\\<>&\u2028\u2029]')
_ESCAPE_NO_HTML = re.compile(r'[\x00-\x1f"\\\u2028\u2029]')
_NAMED = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def _string(text: str, escape_html: bool) -> str:
    pattern = _ESCAPE if escape_html else _ESCAPE_NO_HTML
    return '"' + pattern.sub(_escape_char, text) + '"'


def es6_float(value: float) -> str:
    """How encoding/json writes a float64 (`1e+21`, `1e-7`, `100000000000000000000`, `0.5`)."""
    try:
        return format_float(value)
    except MarshalError as exc:
        raise JSONError(str(exc)) from None


def dumps(value: Any, *, escape_html: bool = True) -> str:
    """json.Marshal of a decoded JSON value (dict keys sorted)."""
    parts: list[str] = []
    _encode(value, parts, escape_html)
    return "".join(parts)


def _encode(value: Any, out: list[str], escape_html: bool) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, JSONNumber):
        out.append(str.__str__(value) or "0")
    elif isinstance(value, str):
        out.append(_string(value, escape_html))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, float):
        out.append(es6_float(value))
    elif isinstance(value, dict):
        out.append("{")
        for index, key in enumerate(sorted(value, key=str)):
            if index:
                out.append(",")
            out.append(_string(str(key), escape_html))
            out.append(":")
            _encode(value[key], out, escape_html)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out, escape_html)
        out.append("]")
    else:
        raise JSONError(f"json: unsupported type: {type(value).__name__}")

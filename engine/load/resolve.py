"""Scalar resolution the way µTask's YAML decoder (go-yaml v2 behind sigs.k8s.io/yaml) does it.

PyYAML's own YAML 1.1 resolver is close but not identical: go-yaml v2 also reads `y`/`n` as booleans,
parses integers with Go's base-0 rules (`0755` is octal, `0x1f` hex, `0b101` binary), keeps timestamps as
plain strings and has no sexagesimal numbers. Only plain (unquoted, untagged) scalars are resolved.
"""

from __future__ import annotations

import math
import re
import struct
from typing import Any

from engine.gocompat.fmt import format_shortest

__all__ = ["MERGE_KEY", "PLAIN_VALUES", "format_float32_g", "go_scalar_to_string", "resolve_plain", "resolve_tagged"]

MERGE_KEY = object()  # sentinel returned for a plain `<<`

_FIXED: dict[str, Any] = {}
for _words, _value in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    (("", "~", "null", "Null", "NULL"), None),
    ((".nan", ".NaN", ".NAN"), math.nan),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    (("-.inf", "-.Inf", "-.INF"), -math.inf),
):
    for _word in _words:
        _FIXED[_word] = _value
_FIXED["<<"] = MERGE_KEY
PLAIN_VALUES = _FIXED  # words go-yaml v2 resolves without parsing (booleans, nulls, special floats, `<<`)

# First characters after which go-yaml tries a number (digits and signs) or a float (dot).
_NUMERIC_START = frozenset("0123456789+-")
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_GO_FLOAT = re.compile(
    r"[-+]?(?:(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][-+]?[0-9](?:_?[0-9])*)?|inf|infinity|nan)\Z",
    re.IGNORECASE,
)
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1


def resolve_plain(text: str) -> Any:
    """Return the Python value of an unquoted, untagged YAML scalar."""
    fixed = _FIXED.get(text, _FIXED)
    if fixed is not _FIXED:
        return fixed
    first = text[0]
    if first == ".":
        number = _go_parse_float(text)
        return text if number is None else number
    if first not in _NUMERIC_START or _looks_like_timestamp(text):
        return text
    plain = text.replace("_", "")
    integer = _go_parse_int(plain)
    if integer is not None:
        return integer
    if _YAML_STYLE_FLOAT.match(plain):
        number = _go_parse_float(plain)
        if number is not None:
            return number
    return _parse_signed_binary(plain, text)


def resolve_tagged(tag: str, text: str) -> Any:
    """Value of a scalar with an explicit standard tag (`!!str`, `!!int`…); raises ValueError otherwise."""
    short = tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else tag
    if short in ("str", "!", "timestamp", "binary"):
        return text
    if short == "null":
        return None
    value = resolve_plain(text) if text else None
    expected = {"int": int, "float": float, "bool": bool}.get(short)
    if expected is None:
        raise ValueError(f"unsupported YAML tag {tag!r}")
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ValueError(f"cannot decode {text!r} as {tag!r}")
    return value


def _looks_like_timestamp(text: str) -> bool:
    # go-yaml only tries timestamps on values starting with exactly four digits and a dash; they stay
    # strings when decoded into an untyped value, which is what µTask does.
    return len(text) > 4 and text[4] == "-" and text[:4].isdigit()


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt/ParseUint with base 0, limited to 64 bits."""
    sign, digits = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if not digits or not digits.isascii():
        return None
    lowered = digits.lower()
    try:
        if lowered.startswith("0x"):
            value = int(digits[2:], 16)
        elif lowered.startswith("0b"):
            value = int(digits[2:], 2)
        elif lowered.startswith("0o"):
            value = int(digits[2:], 8)
        elif len(digits) > 1 and digits[0] == "0":
            value = int(digits[1:], 8)
        elif digits.isdigit():
            value = int(digits)
        else:
            return None
    except ValueError:
        return None
    value = -value if sign == "-" else value
    if sign == "-" and value < _INT64_MIN:
        return None
    return value if value <= (_INT64_MAX if sign == "-" else _UINT64_MAX) else None


def _go_parse_float(text: str) -> float | None:
    if not _GO_FLOAT.match(text) or text.strip("+-.") == "":
        return None
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None


def _parse_signed_binary(plain: str, original: str) -> Any:
    if plain.startswith("-0b"):
        value = _go_parse_int("0b" + plain[3:])
        if value is not None and -value >= _INT64_MIN:
            return -value
    return original


def format_float32_g(value: float) -> str:
    """Go's strconv.FormatFloat(v, 'g', -1, 32): shortest float32 digits, laid out like float64's %v."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    single = struct.unpack("f", struct.pack("f", value))[0] if abs(value) < 3.5e38 else value
    if single == 0:
        return "-0" if math.copysign(1.0, single) < 0 else "0"
    return format_shortest(_shortest_float32_digits(single))


def _shortest_float32_digits(single: float) -> str:
    for precision in range(1, 10):
        candidate = f"{single:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(candidate)))[0] == single:
            return candidate
    return f"{single:.8e}"


def go_scalar_to_string(value: Any) -> str | None:
    """How sigs.k8s.io/yaml turns a YAML scalar into a Go string field; None when it cannot."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format_float32_g(value)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    return None

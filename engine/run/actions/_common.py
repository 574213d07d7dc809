"""Small Go-compatible helpers shared by the plugins (strconv parsing, secret masking, describe helpers)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from engine.run.actions._gojson import go_quote

__all__ = ["MASK", "go_parse_bool", "go_parse_uint", "is_secret_name", "is_templated", "mask_secrets"]

MASK = "***"

_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})
_SECRET_NAME = re.compile(r"authorization|cookie|token|secret|passw|api[-_]?key|credential|signature|session|"
                          r"private[-_]?key|ovh-consumer", re.IGNORECASE)


def go_parse_bool(text: str) -> bool:
    """strconv.ParseBool; ValueError carries Go's message."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"strconv.ParseBool: parsing {go_quote(text)}: invalid syntax")


def go_parse_uint(text: str, bits: int = 64) -> int:
    """strconv.ParseUint(text, 10, bits); ValueError carries Go's message."""
    if not text or not text.isascii() or not text.isdigit():
        raise ValueError(f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax")
    value = int(text)
    if value >= 1 << bits:
        raise ValueError(f"strconv.ParseUint: parsing {go_quote(text)}: value out of range")
    return value


def is_templated(text: str) -> bool:
    return "{{" in text


def is_secret_name(name: str) -> bool:
    """Whether a header, environment variable or field name probably carries a credential."""
    return bool(_SECRET_NAME.search(name))


def mask_secrets(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """name → value, values of secret-looking names replaced by `***` (for describe())."""
    return {name: (MASK if is_secret_name(name) and value not in ("", None) else value) for name, value in pairs}

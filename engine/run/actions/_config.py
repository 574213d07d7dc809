"""Decoding a rendered configuration into a plugin's fields the way Go's encoding/json fills a struct.

Unknown keys are ignored, key matching falls back to case-insensitive (as encoding/json does), JSON null
leaves the zero value, and a type mismatch is an error with Go's text:
`json: cannot unmarshal number into Go struct field HTTPConfig.timeout of type string`.
µTask reports those as `failed to unmarshal configuration: ...` (a load error, or SERVER_ERROR at run time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.run.actions._gojson import es6_float, json_kind
from engine.run.actions.base import ActionError, ConfigError
from engine.templating.gotypes import JSONNumber

__all__ = ["F", "Struct", "decode", "decode_or_fail", "go_format_s"]

UNMARSHAL_PREFIX = "failed to unmarshal configuration: "


@dataclass(frozen=True, slots=True)
class F:
    """One struct field: its JSON key, its kind and (objects, lists of objects) the nested struct."""

    key: str
    kind: str  # string bool int64 any string_ptr string_list string_map any_map map_list object object_list
    go_type: str = ""
    struct: Struct | None = None


@dataclass(frozen=True, slots=True)
class Struct:
    name: str
    fields: tuple[F, ...] = field(default_factory=tuple)


_GO_TYPES = {"string": "string", "bool": "bool", "int64": "int64", "string_ptr": "string",
             "string_list": "[]string", "string_map": "map[string]string", "any_map": "map[string]interface {}",
             "map_list": "[]map[string]interface {}"}


class _Mismatch(Exception):
    def __init__(self, kind: str, path: str, go_type: str, number: str = "") -> None:
        super().__init__(kind)
        self.kind, self.path, self.go_type, self.number = kind, path, go_type, number


def decode(configuration: Mapping[str, Any] | None, struct: Struct) -> dict[str, Any]:
    """Field key → decoded value (zero values for absent keys); raises ConfigError on a type mismatch."""
    try:
        return _decode_struct(configuration, struct, struct.name)
    except _Mismatch as exc:
        number = f" {exc.number}" if exc.number else ""
        raise ConfigError(f"{UNMARSHAL_PREFIX}json: cannot unmarshal {exc.kind}{number} into Go struct field "
                          f"{exc.path} of type {exc.go_type}") from None


def decode_or_fail(configuration: Mapping[str, Any] | None, struct: Struct) -> dict[str, Any]:
    """`decode` for `execute`: a mismatch is a SERVER_ERROR, as in µTask."""
    try:
        return decode(configuration, struct)
    except ConfigError as exc:
        raise ActionError(str(exc)) from None


def _zero(spec: F) -> Any:
    if spec.kind == "string":
        return ""
    if spec.kind == "bool":
        return False
    if spec.kind == "int64":
        return 0
    return None


_KEYS: dict[int, tuple[Struct, dict[str, F], dict[str, F]]] = {}


def _keys(struct: Struct) -> tuple[dict[str, F], dict[str, F]]:
    """A struct's fields by key and by case-folded key, built once per struct (structs are module
    constants; keyed by identity because hashing a nested frozen dataclass costs more than building these)."""
    known = _KEYS.get(id(struct))
    if known is None or known[0] is not struct:
        known = _KEYS[id(struct)] = (struct, {spec.key: spec for spec in struct.fields},
                                     {spec.key.casefold(): spec for spec in struct.fields})
    return known[1], known[2]


def _decode_struct(data: Any, struct: Struct, path: str) -> dict[str, Any]:
    result = {spec.key: _zero(spec) for spec in struct.fields}
    if data is None:
        return result
    if not isinstance(data, Mapping):
        raise _Mismatch(json_kind(data), path, struct.name)
    by_key, by_fold = _keys(struct)
    for key, value in data.items():
        spec = by_key.get(key) or by_fold.get(str(key).casefold())
        if spec is None:
            continue
        result[spec.key] = _decode_value(value, spec, f"{path}.{spec.key}", result[spec.key])
    return result


def _decode_value(value: Any, spec: F, path: str, current: Any) -> Any:
    kind = spec.kind
    go_type = spec.go_type or _GO_TYPES.get(kind, kind)
    if value is None:
        return current if kind in ("string", "bool", "int64") else None
    if kind == "any":
        return value
    if kind in ("string", "string_ptr"):
        return _string(value, path, go_type)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _Mismatch(json_kind(value), path, "bool")
        return value
    if kind == "int64":
        return _int64(value, path)
    if kind == "string_list":
        return [_string(item, path, "string") if item is not None else "" for item in _list(value, path, go_type)]
    if kind == "string_map":
        return {str(k): (_string(v, f"{path}", "string") if v is not None else "")
                for k, v in _map(value, path, go_type).items()}
    if kind == "any_map":
        return dict(_map(value, path, go_type))
    if kind == "map_list":
        return [dict(_map(item, path, "map[string]interface {}")) if item is not None else {}
                for item in _list(value, path, go_type)]
    assert spec.struct is not None
    if kind == "object":
        return _decode_struct(value, spec.struct, path)
    if kind == "object_list":
        return [_decode_struct(item, spec.struct, path) for item in _list(value, path, go_type)]
    raise AssertionError(kind)


def _string(value: Any, path: str, go_type: str) -> str:
    if isinstance(value, JSONNumber) or not isinstance(value, str):
        raise _Mismatch(json_kind(value), path, go_type)
    return value


def _int64(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, JSONNumber | int | float):
        raise _Mismatch(json_kind(value), path, "int64")
    text = str.__str__(value) if isinstance(value, JSONNumber) else repr(value)
    if isinstance(value, int):
        number = int(value)
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
        text = str(number)
    else:
        try:
            number = int(text)
        except ValueError:
            raise _Mismatch("number", path, "int64", text) from None
    if not -(2**63) <= number < 2**63:
        raise _Mismatch("number", path, "int64", text)
    return number


def _list(value: Any, path: str, go_type: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _Mismatch(json_kind(value), path, go_type)
    return list(value)


def _map(value: Any, path: str, go_type: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Mismatch(json_kind(value), path, go_type)
    return value


def go_format_s(value: Any) -> str:
    """fmt's `%s` of a value decoded from JSON with UseNumber (µTask formats script environment values so)."""
    if isinstance(value, JSONNumber):
        return str.__str__(value)
    if isinstance(value, str):
        return value
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, bool):
        return f"%!s(bool={'true' if value else 'false'})"
    if isinstance(value, int | float):
        return str(value) if isinstance(value, int) else es6_float(value)
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_format_s(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{key}:{go_format_s(value[key])}" for key in sorted(value, key=str)) + "]"
    return str(value)

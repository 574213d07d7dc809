"""Field types that decode the way µTask's Go structs decode JSON converted from YAML."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from engine.load.resolve import go_scalar_to_string

__all__ = ["GoBool", "GoInt", "GoString", "GoStringList", "go_type_name"]


def go_type_name(value: Any) -> str:
    """How Go's JSON decoder names the JSON type of a value in its error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _to_go_string(value: Any) -> Any:
    # sigs.k8s.io/yaml turns numbers and booleans into text when the Go field is a string; null is "".
    if value is None:
        return ""
    converted = go_scalar_to_string(value)
    if converted is None:
        raise ValueError(f"expected a string, got {go_type_name(value)}")
    return converted


def _to_go_bool(value: Any) -> Any:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError(f"expected a boolean (true or false), got {go_type_name(value)}")
    return value


def _to_go_int(value: Any) -> Any:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected an integer, got {go_type_name(value)}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected an integer, got {value!r}")
    return int(value)


def _to_string_list(value: Any) -> Any:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"expected a list of strings, got {go_type_name(value)}")
    return value


GoString = Annotated[str, BeforeValidator(_to_go_string)]
GoBool = Annotated[bool, BeforeValidator(_to_go_bool)]
GoInt = Annotated[int, BeforeValidator(_to_go_int)]
GoStringList = Annotated[list[GoString], BeforeValidator(_to_string_list)]

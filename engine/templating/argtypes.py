"""Go's typed-argument rules for function and method calls (exec.go's validateType and evalArg).

A function parameter has a Go type. An evaluated argument must have exactly that type (json.Number is
not a `string`, `int64` is not an `int`), with Go's messages otherwise; a missing value becomes the zero
value of nillable types and is an error for the others. Untyped constants written in the template are
converted to the parameter's type when they fit (`trunc 2`), else rejected (`expected string; found 1`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.templating.exec_state import Site
from engine.templating.gotypes import NO_VALUE, GoInt32, GoInt64, GoUint8, GoUint32, GoUint64, go_type_name
from engine.templating.nodes import BoolNode, NilNode, Node, NumberNode, StringNode

__all__ = ["Validator", "ideal_constant", "literal_for_type", "validator"]

Validator = Callable[[Any, Site], Any]

INTERFACE = "interface {}"
REFLECT_VALUE = "reflect.Value"
_INT_TYPES: dict[str, Callable[[int], int]] = {"int": int, "int64": GoInt64, "int32": GoInt32}
_UINT_TYPES: dict[str, Callable[[int], int]] = {"uint64": GoUint64, "uint32": GoUint32, "uint8": GoUint8}
_ALIASES = {"[]byte": "[]uint8"}


def nillable(type_name: str) -> bool:
    """reflect's canBeNil for a parameter type (reflect.Value counts, as in Go's canBeNil)."""
    return type_name in (INTERFACE, REFLECT_VALUE) or type_name.startswith(("map[", "[]", "*", "func(", "chan "))


def zero_value(type_name: str) -> Any:
    """What a nil/missing argument becomes for a nillable parameter."""
    if type_name == REFLECT_VALUE:
        return NO_VALUE
    if type_name.startswith("map["):
        return {}
    if type_name.startswith("[]"):
        return []
    return None


def validator(type_name: str) -> Validator:
    """A checker for evaluated arguments of one Go type; it returns the value the function receives."""
    type_name = _ALIASES.get(type_name, type_name)
    if type_name == REFLECT_VALUE:
        return _reflect_value
    if type_name == INTERFACE:
        return _interface
    if type_name == "string":
        return _string
    return _make_validator(type_name)


def _reflect_value(value: Any, site: Site) -> Any:
    return value


def _interface(value: Any, site: Site) -> Any:
    return None if value is NO_VALUE else value


def _string(value: Any, site: Site) -> Any:
    if type(value) is str:
        return value
    return _reject(value, "string", site)


def _make_validator(type_name: str) -> Validator:
    def check(value: Any, site: Site) -> Any:
        if value is not NO_VALUE and value is not None and go_type_name(value) == type_name:
            return value
        return _reject(value, type_name, site)

    return check


def _reject(value: Any, type_name: str, site: Site) -> Any:
    if value is NO_VALUE:
        if nillable(type_name):
            return zero_value(type_name)
        raise site.error(f"invalid value; expected {type_name}")
    got = "interface {}" if value is None else go_type_name(value)
    raise site.error(f"wrong type for value; expected {type_name}; got {got}")


def ideal_constant(node: NumberNode, site: Site) -> Any:
    """A number literal as a value of its own (Go's idealConstant): complex, float64 or int."""
    text = node.text
    if node.is_complex:
        return node.complex128
    is_hex_int = len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")
    if node.is_float and not is_hex_int and text[:1] != "'" and any(c in text for c in ".eEpP"):
        return node.float64
    if node.is_int:
        return node.int64
    if node.is_uint:
        raise site.error(f"{text} overflows int")
    return NO_VALUE


def literal_for_type(node: Node, type_name: str, site: Site) -> Any:
    """A literal argument (bool, number, string, nil) converted to a parameter type, or Go's error."""
    type_name = _ALIASES.get(type_name, type_name)
    if isinstance(node, NilNode):
        if nillable(type_name):
            return zero_value(type_name)
        raise site.error(f"cannot assign nil to {type_name}")
    if type_name in (INTERFACE, REFLECT_VALUE):
        return _untyped(node, site)
    if type_name == "bool":
        if isinstance(node, BoolNode):
            return node.value
        raise site.error(f"expected bool; found {node}")
    if type_name in _INT_TYPES:
        if isinstance(node, NumberNode) and node.is_int:
            return _INT_TYPES[type_name](_wrap_signed(node.int64, type_name))
        raise site.error(f"expected integer; found {node}")
    if type_name in _UINT_TYPES:
        if isinstance(node, NumberNode) and node.is_uint:
            return _UINT_TYPES[type_name](_wrap_unsigned(node.uint64, type_name))
        raise site.error(f"expected unsigned integer; found {node}")
    return _literal_other(node, type_name, site)


def _literal_other(node: Node, type_name: str, site: Site) -> Any:
    if type_name == "float64":
        if isinstance(node, NumberNode) and node.is_float:
            return node.float64
        raise site.error(f"expected float; found {node}")
    if type_name == "complex128":
        if isinstance(node, NumberNode) and node.is_complex:
            return node.complex128
        raise site.error(f"expected complex; found {node}")
    if type_name == "string":
        if isinstance(node, StringNode):
            return node.text
        raise site.error(f"expected string; found {node}")
    raise site.error(f"can't handle {node} for arg of type {type_name}")


def _untyped(node: Node, site: Site) -> Any:
    """evalEmptyInterface on a literal."""
    if isinstance(node, BoolNode):
        return node.value
    if isinstance(node, StringNode):
        return node.text
    if isinstance(node, NumberNode):
        return ideal_constant(node, site)
    raise site.error(f"can't handle assignment of {node} to empty interface argument")


def _wrap_signed(value: int, type_name: str) -> int:
    # reflect's SetInt truncates to the parameter's width.
    bits = {"int": 64, "int64": 64, "int32": 32}[type_name]
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def _wrap_unsigned(value: int, type_name: str) -> int:
    bits = {"uint64": 64, "uint32": 32, "uint8": 8}[type_name]
    return value & ((1 << bits) - 1)

"""µTask's own template functions (engine/values), with their quirks (templating.md §2.4).

`field`/`fieldFrom` walk maps by key (for keys that are not identifiers), `eval`/`evalCache` evaluate
template variables (through the render's FunctionContext, see `context.Values`), µTask's `fromJson` and
`mustFromJson` replace Sprig's (binary float numbers; invalid JSON gives `<no value>` or Go's JSON
error), `uuid` is a random v4 UUID value, `b64RawEnc`/`b64RawDec` use unpadded standard base64 and the
decoder returns its error text *as the result*.
"""

from __future__ import annotations

import base64
import uuid as _uuid
from typing import Any, ClassVar

from engine.templating.funcs.registry import FunctionContext, GoError, go_func
from engine.templating.gojson import decode, go_bytes, go_string
from engine.templating.gotypes import NO_VALUE, GoObject, GoStringMap

__all__ = ["GoUUID", "b64_raw_decode"]

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DECODE = {byte: index for index, byte in enumerate(_ALPHABET)}


def _walk(value: Any, keys: tuple[Any, ...]) -> Any:
    """Follow keys through map[string]interface{} / map[string]string; anything else is "nothing"."""
    for key in keys:
        if type(value) is dict or type(value) is GoStringMap:
            value = value.get(key, NO_VALUE)
        else:
            return NO_VALUE
    return NO_VALUE if value is None else value


@go_func("field(...string) reflect.Value", needs_context=True)
def field(context: FunctionContext, *keys: str) -> Any:
    return _walk(context.root, keys)


@go_func("fieldFrom(...interface {}) reflect.Value,error")
def field_from(*params: Any) -> Any:
    if len(params) < 2:
        raise GoError("invalid number of parameters given")
    data = params[-1]
    if type(data) is not dict:
        raise GoError("unable to cast given data to a map[string]")
    keys = params[:-1]
    if any(type(key) is not str for key in keys):
        raise GoError("foo")  # sic: µTask's message
    return _walk(data, keys)


@go_func("eval(string) interface {},error", needs_context=True)
def evaluate(context: FunctionContext, name: str) -> Any:
    return context.evaluate_variable(name, False)


@go_func("evalCache(string) interface {},error", needs_context=True)
def evaluate_cached(context: FunctionContext, name: str) -> Any:
    return context.evaluate_variable(name, True)


@go_func("fromJson(string) reflect.Value,error", replaces=True)
def from_json(text: str) -> Any:
    value, error = decode(text, use_number=False)
    return NO_VALUE if error is not None or value is None else value


@go_func("mustFromJson(string) reflect.Value,error", replaces=True)
def must_from_json(text: str) -> Any:
    value, error = decode(text, use_number=False)
    if error is not None:
        raise GoError(error)
    return NO_VALUE if value is None else value


class GoUUID(GoObject):
    """gofrs/uuid's UUID ([16]byte): prints and marshals in the canonical lower-case form."""

    go_type: ClassVar[str] = "uuid.UUID"
    go_kind: ClassVar[str] = "array"
    go_array_len: ClassVar[int | None] = 16

    def __init__(self, value: _uuid.UUID) -> None:
        self.value = value

    def go_string(self) -> str:
        return str(self.value)

    def marshal_json(self) -> str:
        return '"' + str(self.value) + '"'

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoUUID) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)


GoUUID.methods = {"String": lambda u: str(u.value)}


@go_func("uuid() uuid.UUID,error", needs_context=True)
def make_uuid(context: FunctionContext) -> GoUUID:
    return GoUUID(_uuid.UUID(int=context.random.getrandbits(128), version=4))


@go_func("b64RawEnc(string) string")
def b64_raw_encode(text: str) -> str:
    return base64.b64encode(go_bytes(text)).rstrip(b"=").decode("ascii")


@go_func("b64RawDec(string) string")
def b64_raw_decode(text: str) -> str:
    """base64.RawStdEncoding.DecodeString; on failure µTask returns the error message itself."""
    data = go_bytes(text)
    out = bytearray()
    index = 0
    while index < len(data):
        quantum: list[int] = []
        while len(quantum) < 4 and index < len(data):
            byte = data[index]
            index += 1
            if byte in _DECODE:
                quantum.append(_DECODE[byte])
            elif byte not in (0x0A, 0x0D):  # Go skips newlines anywhere
                return f"illegal base64 data at input byte {index - 1}"
        if len(quantum) == 1:
            return f"illegal base64 data at input byte {index - 1}"
        out += _quantum_bytes(quantum)
    return go_string(bytes(out))


def _quantum_bytes(quantum: list[int]) -> bytes:
    padded = quantum + [0] * (4 - len(quantum))
    value = padded[0] << 18 | padded[1] << 12 | padded[2] << 6 | padded[3]
    return value.to_bytes(3, "big")[: len(quantum) - 1]

"""Sprig's encoding functions: base64 / base32 and JSON.

`b64dec` and `b32dec` return Go's error text *as their result* when the input is invalid (Sprig does that),
e.g. `illegal base64 data at input byte 4`. Decoded bytes that are not UTF-8 come back surrogate-escaped
(see `literals`), so the output keeps Go's exact bytes.

JSON goes through `engine.templating.gojson` (Go's encoding/json): toJson and toPrettyJson return "" on an
error, toRawJson panics, the must* variants return the error. `fromJson` / `mustFromJson` are Sprig's
(float64 numbers); µTask's own versions replace them in the function map (`funcs.utask`).

`go_b64decode` / `go_b32decode` implement Go's decoders with their error offsets for other modules
(µTask's b64RawDec uses the unpadded alphabet).
"""

from __future__ import annotations

import base64
from typing import Any

from engine.templating import gojson
from engine.templating.funcs.registry import GoError, GoPanic, go_func
from engine.templating.gojson import go_bytes, go_string

__all__ = ["SPRIG_IMPLEMENTATIONS", "CorruptInput", "go_b32decode", "go_b64decode"]

_B64 = {c: i for i, c in enumerate(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_B64_URL = {c: i for i, c in enumerate(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}
_B32 = {c: i for i, c in enumerate(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}
_NEWLINES = b"\r\n"


class CorruptInput(ValueError):
    """base64/base32 CorruptInputError: `illegal base64 data at input byte N`."""


def go_b64decode(data: bytes, *, padded: bool = True, url: bool = False) -> bytes:
    """encoding/base64's DecodeString (StdEncoding, RawStdEncoding, URLEncoding…); raises CorruptInput."""
    alphabet = _B64_URL if url else _B64
    out = bytearray()
    pos, size = 0, len(data)
    while pos < size:
        quantum: list[int] = []
        while len(quantum) < 4:
            if pos == size:
                if not quantum:
                    return bytes(out)
                if len(quantum) == 1 or padded:
                    raise CorruptInput(f"illegal base64 data at input byte {pos - len(quantum)}")
                break
            char = data[pos]
            pos += 1
            if char in alphabet:
                quantum.append(alphabet[char])
                continue
            if char in _NEWLINES:
                continue
            if not padded or char != 0x3D:
                raise CorruptInput(f"illegal base64 data at input byte {pos - 1}")
            if len(quantum) < 2:  # padding too early
                raise CorruptInput(f"illegal base64 data at input byte {pos - 1}")
            if len(quantum) == 2:  # "==" expected: the second "=" (newlines allowed between)
                while pos < size and data[pos] in _NEWLINES:
                    pos += 1
                if pos == size:
                    raise CorruptInput(f"illegal base64 data at input byte {size}")
                if data[pos] != 0x3D:
                    raise CorruptInput(f"illegal base64 data at input byte {pos - 1}")
                pos += 1
            while pos < size and data[pos] in _NEWLINES:
                pos += 1
            if pos < size:
                raise CorruptInput(f"illegal base64 data at input byte {pos}")
            size = pos  # nothing follows the padding
            break
        value = 0
        for index in range(4):
            value = value << 6 | (quantum[index] if index < len(quantum) else 0)
        out += value.to_bytes(3, "big")[: len(quantum) - 1]
    return bytes(out)


def go_b32decode(data: bytes) -> bytes:
    """encoding/base32's StdEncoding.DecodeString (newlines stripped first); raises CorruptInput."""
    src = bytes(b for b in data if b not in _NEWLINES)
    total, out, pos = len(src), bytearray(), 0
    while pos < total:
        quantum: list[int] = []
        while len(quantum) < 8:
            if pos == total:
                raise CorruptInput(f"illegal base32 data at input byte {pos - len(quantum)}")
            char = src[pos]
            pos += 1
            remaining = total - pos
            if char == 0x3D and len(quantum) >= 2 and remaining < 8:
                if remaining + len(quantum) < 7:
                    raise CorruptInput(f"illegal base32 data at input byte {total}")
                for k in range(7 - len(quantum)):
                    if remaining > k and src[pos + k] != 0x3D:
                        raise CorruptInput(f"illegal base32 data at input byte {pos + k - 1}")
                if len(quantum) in (1, 3, 6):
                    raise CorruptInput(f"illegal base32 data at input byte {pos - 1}")
                pos = total
                break
            if char not in _B32:
                raise CorruptInput(f"illegal base32 data at input byte {pos - 1}")
            quantum.append(_B32[char])
        value = 0
        for index in range(8):
            value = value << 5 | (quantum[index] if index < len(quantum) else 0)
        out += value.to_bytes(5, "big")[: {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}[len(quantum)]]
    return bytes(out)


@go_func("b64enc(string) string")
def b64enc(text: str) -> str:
    return base64.b64encode(go_bytes(text)).decode("ascii")


@go_func("b64dec(string) string")
def b64dec(text: str) -> str:
    try:
        return go_string(go_b64decode(go_bytes(text)))
    except CorruptInput as error:
        return str(error)


@go_func("b32enc(string) string")
def b32enc(text: str) -> str:
    return base64.b32encode(go_bytes(text)).decode("ascii")


@go_func("b32dec(string) string")
def b32dec(text: str) -> str:
    try:
        return go_string(go_b32decode(go_bytes(text)))
    except CorruptInput as error:
        return str(error)


# ------------------------------------------------------------------------------------------------- JSON

@go_func("toJson(interface {}) string")
def to_json(value: Any) -> str:
    try:
        return gojson.marshal(value)
    except gojson.MarshalError:
        return ""


@go_func("mustToJson(interface {}) string,error")
def must_to_json(value: Any) -> str:
    try:
        return gojson.marshal(value)
    except gojson.MarshalError as error:
        raise GoError(str(error)) from None


@go_func("toPrettyJson(interface {}) string")
def to_pretty_json(value: Any) -> str:
    try:
        return gojson.marshal(value, indent="  ")
    except gojson.MarshalError:
        return ""


@go_func("mustToPrettyJson(interface {}) string,error")
def must_to_pretty_json(value: Any) -> str:
    try:
        return gojson.marshal(value, indent="  ")
    except gojson.MarshalError as error:
        raise GoError(str(error)) from None


@go_func("toRawJson(interface {}) string")
def to_raw_json(value: Any) -> str:
    try:
        return gojson.marshal(value, escape_html=False)
    except gojson.MarshalError as error:
        raise GoPanic(str(error)) from None  # Sprig panics with the error


@go_func("mustToRawJson(interface {}) string,error")
def must_to_raw_json(value: Any) -> str:
    try:
        return gojson.marshal(value, escape_html=False)
    except gojson.MarshalError as error:
        raise GoError(str(error)) from None


@go_func("fromJson(string) interface {}")
def from_json(text: str) -> Any:
    """Sprig's fromJson: nil on error (µTask replaces it with its own in the function map)."""
    return gojson.decode(text, use_number=False)[0]


@go_func("mustFromJson(string) interface {},error")
def must_from_json(text: str) -> Any:
    """Sprig's mustFromJson (µTask replaces it with its own in the function map)."""
    value, error = gojson.decode(text, use_number=False)
    if error is not None:
        raise GoError(error)
    return value


SPRIG_IMPLEMENTATIONS = {"fromJson": from_json, "mustFromJson": must_from_json}

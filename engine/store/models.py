"""Storing the pydantic models (templates, step definitions, conditions) as JSON with exact numbers.

Models are dumped in *python* mode, not json mode: json mode turns a `JSONNumber` found in a free-form
field (a step's `configuration`, an input's `default`…) into a plain `str`, which would come back as a
string instead of a number. The codec writes the python-mode dump, numbers exact.

Read back in exact mode, every number is a `JSONNumber` — as in µTask, where configurations are raw JSON.
The models' integer fields (`max_retries`, `execution_delay`, `retry_max`) accept only ints, so those are
turned back into ints before validation; the walk follows the model's annotations, nothing is hard-coded.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Annotated, Any, TypeVar, Union

from pydantic import BaseModel

from engine.store.codec import decode, encode
from engine.templating.gotypes import JSONNumber

__all__ = ["dump_model", "dump_models", "load_model", "load_models"]

M = TypeVar("M", bound=BaseModel)


def dump_model(model: BaseModel) -> str:
    return encode(model.model_dump(mode="python", by_alias=True, exclude_unset=True))


def dump_models(models: list[M]) -> str:
    return encode([model.model_dump(mode="python", by_alias=True, exclude_unset=True) for model in models])


def load_model(cls: type[M], text: str) -> M:
    return cls.model_validate(_restore(cls, decode(text)))


def load_models(cls: type[M], text: str) -> list[M]:
    return [cls.model_validate(_restore(cls, item)) for item in decode(text)]


def _int_of(value: JSONNumber) -> int | float:
    try:
        return int(value)
    except ValueError:
        return float(value)  # `3.0` or `1e3`: the model's own validator decides whether it is an integer


@functools.cache
def _has_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(_int_fields(annotation))
    if typing.get_origin(annotation) is Annotated:
        return _has_int(typing.get_args(annotation)[0])
    return any(_has_int(argument) for argument in typing.get_args(annotation) if not isinstance(argument, str))


@functools.cache
def _int_fields(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    """(key, annotation) of the model's fields that hold an int somewhere inside."""
    found: list[tuple[str, Any]] = []
    for name, field in model.model_fields.items():
        annotation: Any = field.annotation
        if _has_int(annotation):
            found.append((field.alias or name, annotation))
    return tuple(found)


def _restore(annotation: Any, value: Any) -> Any:
    """Turn `JSONNumber`s back into numbers where `annotation` (a model or field type) expects an int."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _restore(typing.get_args(annotation)[0], value)
    if origin is Union or origin is types.UnionType:
        for option in typing.get_args(annotation):
            if option is not type(None):
                value = _restore(option, value)
        return value
    if annotation is int:
        return _int_of(value) if isinstance(value, JSONNumber) else value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return value
        for key, field_type in _int_fields(annotation):
            if key in value:
                value[key] = _restore(field_type, value[key])
        return value
    if origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(annotation) or (Any,)
        return [_restore(item_type, item) for item in value]
    if origin is dict and isinstance(value, dict):
        item_type = (typing.get_args(annotation) or (Any, Any))[1]
        return {key: _restore(item_type, item) for key, item in value.items()}
    return value

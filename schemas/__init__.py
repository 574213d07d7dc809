"""JSON Schemas (draft-07) for µTask templates, functions and builtin action configurations.

The schemas are package data, read through :mod:`importlib.resources` so that they work the same
from a source checkout, an installed wheel or a frozen application.

Names are paths relative to this package without the ``.json`` / ``.schema.json`` suffix:
``"template"``, ``"function"``, ``"actions/echo"``.

Each schema carries an ``$id`` under :data:`BASE_URI`; the template schema refers to the action
schemas with relative references (``actions/http.json``), so a validator needs all of them in one
registry: use :func:`registry` or :func:`validator`. ``load_schema`` and ``action_types`` only need
the standard library; ``jsonschema`` and ``referencing`` are imported when the helpers using them are
called.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # jsonschema ships no type information; types-jsonschema may or may not be installed.
    from jsonschema import Draft7Validator  # type: ignore[import-untyped, unused-ignore]
    from referencing import Registry

__all__ = ["BASE_URI", "action_types", "load_schema", "registry", "schema_names", "validator"]

BASE_URI = "https://utask-studio.invalid/schemas/"
"""Base of every schema ``$id``. The ``.invalid`` host (RFC 6761) can never resolve, so nothing is
ever fetched from the network; the directory layout under it mirrors this package."""

_ROOT_SCHEMAS = {"template": "template.schema.json", "function": "function.schema.json"}


def _package() -> Traversable:
    return files(__package__ or __name__)


def _resource_path(name: str) -> tuple[str, ...]:
    if name in _ROOT_SCHEMAS:
        return (_ROOT_SCHEMAS[name],)
    folder, sep, leaf = name.partition("/")
    if folder == "actions" and sep and leaf and "/" not in leaf and leaf in action_types():
        return ("actions", f"{leaf}.json")
    raise KeyError(f"unknown schema {name!r}; expected one of {', '.join(schema_names())}")


@cache
def _load(name: str) -> str:
    node = _package()
    for part in _resource_path(name):
        node = node / part
    return node.read_text(encoding="utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """Return the schema called *name* (``"template"``, ``"function"`` or ``"actions/<type>"``).

    Files are read once; every call returns a fresh copy, so callers may modify the result.
    Raises ``KeyError`` for an unknown name.
    """
    schema: dict[str, Any] = json.loads(_load(name))
    return schema


@cache
def _action_types() -> tuple[str, ...]:
    folder = _package() / "actions"
    return tuple(
        sorted(
            entry.name[: -len(".json")]
            for entry in folder.iterdir()
            if entry.is_file() and entry.name.endswith(".json")
        )
    )


def action_types() -> list[str]:
    """Sorted names of the builtin action plugins that have a configuration schema."""
    return list(_action_types())


def schema_names() -> list[str]:
    """Every name accepted by :func:`load_schema`."""
    return [*_ROOT_SCHEMAS, *(f"actions/{t}" for t in _action_types())]


def registry() -> Registry[Any]:
    """A ``referencing.Registry`` holding every schema of this package under its ``$id``.

    Relative references between the files (``actions/http.json``,
    ``template.schema.json#/definitions/executor``) resolve against those ids.
    """
    return _registry()


@cache
def _registry() -> Registry[Any]:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    resources = []
    for name in schema_names():
        schema = load_schema(name)
        resources.append((str(schema["$id"]), Resource.from_contents(schema, default_specification=DRAFT7)))
    reg: Registry[Any] = Registry().with_resources(resources)
    return reg.crawl()


def validator(name: str) -> Draft7Validator:
    """A draft-07 validator for the schema *name*, able to follow references to the other schemas.

    No format checker is attached: format keywords are annotations only.
    """
    from jsonschema import Draft7Validator  # type: ignore[import-untyped, unused-ignore]

    return Draft7Validator(load_schema(name), registry=registry())

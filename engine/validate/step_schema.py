"""A step's `json_schema`: draft selection like µTask (spec §14.1 i) and compile checks."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft4Validator, Draft6Validator, Draft7Validator
from jsonschema.exceptions import SchemaError

from engine.model.template import Step
from engine.validate.context import Checker
from engine.validate.schema_paths import ROOT_KEY

__all__ = ["check_step_schema", "has_root_key", "normalized_schema"]

_DRAFTS = {4: "http://json-schema.org/draft-04/schema#", 6: "http://json-schema.org/draft-06/schema#"}
_DRAFT7 = "http://json-schema.org/draft-07/schema#"
_VALIDATORS = {_DRAFTS[4]: Draft4Validator, _DRAFTS[6]: Draft6Validator, _DRAFT7: Draft7Validator}


def normalized_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """`$schema` kept when present; otherwise chosen from `version` (4, 6, anything else → draft-07)."""
    if "$schema" in schema:
        return schema
    normalized = {key: value for key, value in schema.items() if key != "version"}
    version = schema.get("version")
    normalized["$schema"] = _DRAFTS.get(version, _DRAFT7) if isinstance(version, int) else _DRAFT7
    return normalized


def check_step_schema(checker: Checker, name: str, step: Step) -> None:
    schema = step.json_schema
    path = ("steps", name, "json_schema")
    if schema is None:
        return
    if not isinstance(schema, dict):
        checker.step_error(name, "json-schema-invalid", "json_schema must be a mapping (a JSON schema)",
                           "write the schema as YAML keys: `type: object`, `properties: …`", path,
                           utask=f"Jsonschema: step {name}: not an object")
        return
    normalized = normalized_schema(schema)
    validator = _VALIDATORS.get(str(normalized.get("$schema")), Draft7Validator)
    try:
        validator.check_schema(normalized)
    except SchemaError as exc:
        where = (*path, *exc.absolute_path)
        checker.step_error(name, "json-schema-invalid", f"json_schema does not compile: {exc.message}",
                           "fix the schema (see json-schema.org for the keyword)", where,
                           utask=f"Jsonschema: step {name}: {exc.message}")
        return
    if has_root_key(schema):
        # µTask loads such a schema; only linting a `.step.NAME.output.…` handle against it fails (handles.py).
        checker.warning("json-schema-reserved-property", f'property "{ROOT_KEY}" is reserved by µTask: any '
                        f"`.step.{name}.output.…` handle in the template makes µTask refuse it", "rename that "
                        "property", path)


def has_root_key(schema: Any) -> bool:
    """Whether a property named `utaskRootKey` appears anywhere in the schema."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict) and ROOT_KEY in properties:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False

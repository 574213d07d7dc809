"""Plugin configuration checks against the JSON schemas of `schemas/actions/`.

µTask decodes the base configuration and then the step's configuration into the plugin's Go struct:
type mismatches are errors, unknown keys are silently ignored (we warn). The schemas say the same, with
`additionalProperties: false` standing for "unknown key" and downgraded to a warning here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from engine.diagnostics import JsonPath
from engine.model.types import go_type_name
from engine.validate.context import Checker

__all__ = ["action_validator", "check_plugin_configuration"]


@cache
def action_validator(action_type: str) -> Draft7Validator | None:
    """The compiled schema of a builtin action's configuration (None if we ship none)."""
    import schemas

    try:
        return schemas.validator(f"actions/{action_type}")
    except (FileNotFoundError, KeyError):
        return None


def check_plugin_configuration(checker: Checker, step: str, action_type: str, configuration: Any,
                               path: JsonPath, base: Any, base_path: JsonPath, prefix: str) -> None:
    """Validate the configuration as the plugin will see it (base configuration merged underneath)."""
    validator = action_validator(action_type)
    if validator is None or (configuration is None and base is None):
        return
    merged, origin = _merge(base, configuration)
    for error in validator.iter_errors(merged):
        from_step = origin(error)
        _report(checker, step, action_type, error, merged, path if from_step else base_path, prefix,
                from_base=not from_step)


def _merge(base: Any, configuration: Any) -> tuple[Any, Any]:
    if not isinstance(base, dict) or not isinstance(configuration, dict | None):
        return configuration, lambda error: True
    merged = {**base, **(configuration or {})}
    own = set(configuration or {})

    def from_step(error: ValidationError) -> bool:
        key = error.absolute_path[0] if error.absolute_path else None
        return key is None or key in own or error.validator == "required"

    return merged, from_step


def _report(checker: Checker, step: str, action_type: str, error: ValidationError, merged: Any,
            root: JsonPath, prefix: str, from_base: bool = False) -> None:
    location = tuple(error.absolute_path)
    where = (*root, *location)
    if error.validator == "additionalProperties":
        for key in _extra_keys(error):
            checker.warning("configuration-unknown-key", f"unknown key `{key}` is ignored by the {action_type} "
                            "action", _known_keys_hint(error), (*where, key), at_key=True)
        return
    message = _message(error, location)
    utask = f"{prefix}: {_utask_message(action_type, error, from_base)}"
    checker.step_error(step, "configuration-invalid", f"{action_type} configuration: {message}",
                       _hint(error), where, utask=utask)


def _schema_of(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _extra_keys(error: ValidationError) -> list[str]:
    allowed = set(_schema_of(error).get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [key for key in instance if key not in allowed]


def _known_keys_hint(error: ValidationError) -> str:
    names = sorted(_schema_of(error).get("properties", {}))
    return f"known keys: {', '.join(names)}" if names else "remove it"


def _message(error: ValidationError, location: tuple[Any, ...]) -> str:
    field = f"`{'.'.join(str(part) for part in location)}`" if location else "the configuration"
    if error.validator == "type":
        return f"{field} must be {_type_words(error.validator_value)}, got {go_type_name(error.instance)}"
    if error.validator == "enum":
        options = ", ".join(repr(option) for option in error.validator_value)  # type: ignore[union-attr]
        return f"{field} must be one of {options}, got {error.instance!r}"
    if error.validator == "required":
        return str(error.message).replace("is a required property", "is required")
    return f"{field}: {error.message}"


def _type_words(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    words = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
             "object": "a mapping", "array": "a list", "null": "null"}
    return " or ".join(words.get(str(name), str(name)) for name in names)


def _hint(error: ValidationError) -> str:
    if error.validator == "type" and error.validator_value in ("integer", "boolean") and isinstance(
            error.instance, str) and "{{" in error.instance:
        return "µTask decodes this field before templating: it cannot hold a template"
    description = _schema_of(error).get("description")
    return str(description) if description else "see the action's documentation"


def _utask_message(action_type: str, error: ValidationError, from_base: bool = False) -> str:
    if action_type == "echo" and list(error.absolute_path) == ["error_type"]:
        return "Wrong error type: expecting 'client' or 'server'"
    if error.validator == "type":
        # µTask decodes the base configuration first, with its own error prefix.
        which = "base configuration" if from_base else "configuration"
        return f"failed to unmarshal {which}: json: cannot unmarshal {go_type_name(error.instance)}"
    return str(error.message)

"""The `echo` plugin (µTask v0.1): returns its output and metadata, optionally failing on purpose.

Spec: utask-plugins.md §1 and utask-semantics.md §15. With `unmarshal: true` the output string is read as
YAML (JSON being YAML) the way sigs.k8s.io/yaml does: go-yaml v2 scalars, then JSON with `UseNumber`, so
numbers arrive as exact `JSONNumber`s (a YAML float is written as Go's json.Marshal writes a float64 first:
`1.0` → `1`, `1e3` → `1000`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from engine.load.yaml11 import YamlSyntaxError, parse_yaml
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import JSONError, es6_float
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ClientError, ConfigError
from engine.templating.gotypes import JSONNumber, go_type_name

__all__ = ["EchoAction", "unmarshal_yaml"]

CONFIG = Struct("Config", (
    F("output", "any"),
    F("metadata", "any_map"),
    F("unmarshal", "bool"),
    F("error_message", "string"),
    F("error_type", "string"),
))


def unmarshal_yaml(text: str) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(text, &v, UseNumber); ValueError carries the error text."""
    try:
        parsed = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise ValueError(f"error converting YAML to JSON: yaml: line {exc.line}: {exc.message}") from None
    try:
        return _to_json_numbers(parsed.data)
    except JSONError as exc:
        raise ValueError(f"error converting YAML to JSON: {exc}") from None


def _to_json_numbers(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, JSONNumber):
        return value
    if isinstance(value, int):
        return JSONNumber(str(value))
    if isinstance(value, float):
        return JSONNumber(es6_float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_to_json_numbers(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _to_json_numbers(item) for key, item in value.items()}
    return value


class EchoAction(Action):
    name: ClassVar[str] = "echo"
    version: ClassVar[str] = "0.1"
    side_effects: ClassVar[bool] = False

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        if cfg["error_type"] not in ("client", "server", ""):
            raise ConfigError("Wrong error type: expecting 'client' or 'server'")

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        return {"action": self.name, "output": cfg["output"], "metadata": cfg["metadata"],
                "unmarshal": cfg["unmarshal"], "error_message": cfg["error_message"],
                "error_type": cfg["error_type"]}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        output = cfg["output"]
        if cfg["unmarshal"]:
            if not isinstance(output, str) or isinstance(output, JSONNumber):
                raise ActionError(f"cannot unmarshal: invalid data type ({go_type_name(output)})")
            try:
                output = unmarshal_yaml(output)
            except ValueError as exc:
                raise ActionError(f"failed to unmarshal output: {exc}") from None
        metadata = cfg["metadata"]
        message = cfg["error_message"]
        if message:
            error_class = ClientError if cfg["error_type"] == "client" else ActionError
            raise error_class(message, output=output, metadata=metadata)
        return ActionResult(output=output, metadata=metadata)

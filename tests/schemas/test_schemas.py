"""Tests of the JSON Schemas shipped in the ``schemas`` package.

Run from the project root with ``python -m pytest`` (the root must be importable).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator  # type: ignore[import-untyped, unused-ignore]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped, unused-ignore]

import schemas

if getattr(schemas, "__file__", None) is None:
    # tests/ is on sys.path (it holds a conftest.py), so without the project root on sys.path
    # `schemas` resolves to this folder as a namespace package.
    raise ImportError(
        "`import schemas` found the tests/schemas folder instead of the project package: run "
        "`python -m pytest` from the project root, or install the project in the environment"
    )

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "utask"

BUILTIN_ACTIONS = [
    "apiovh", "batch", "cache", "callback", "echo", "email", "http",
    "notify", "ping", "script", "ssh", "subtask", "tag",
]  # fmt: skip

# Conformance templates that µTask itself refuses and whose fault is visible to a schema:
# file name -> (JSON path of the failing value, failing keyword).
EXPECTED_TEMPLATE_FAILURES = {
    "lintingReservedStep.yaml": ("steps", "not"),  # step called `this`
    "customStates.yaml": ("steps/stepOne/custom_states/0", "not"),  # SERVER_ERROR as a custom state
    "conditionForeachInvalid.yaml": ("steps/stepOne/conditions/0/foreach", "enum"),
    "conditionForeachSkipOnly.yaml": ("steps/stepOne/conditions/0/foreach", "enum"),
    "conditionForeachStepNotForeach.yaml": ("steps/stepOne/conditions/0/foreach", "enum"),
}


# ----------------------------------------------------------------------------------------- helpers


def _read_yaml(path: Path) -> Any:
    # Same preprocessing as µTask's own test harness: some templates are indented with tabs.
    return yaml.safe_load(path.read_text(encoding="utf-8").replace("\t", "  "))


def _yaml_files(folder: str) -> list[Path]:
    directory = CONFORMANCE / folder
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


def _errors(name: str, instance: Any) -> list[ValidationError]:
    return sorted(schemas.validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))


def _hard_errors(name: str, instance: Any) -> list[ValidationError]:
    """Errors other than unknown keys (which µTask ignores and our validator reports as warnings)."""
    return [e for e in _errors(name, instance) if e.validator != "additionalProperties"]


def _where(error: ValidationError) -> str:
    return "/".join(str(p) for p in error.absolute_path)


def _describe(errors: list[ValidationError]) -> str:
    return "\n".join(f"{_where(e)}: [{e.validator}] {e.message}" for e in errors)


def _template(**steps: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": "unit-test",
        "description": "unit test template",
        "title_format": "unit test",
        "steps": steps,
    }


def _echo_step(**extra: Any) -> dict[str, Any]:
    return {"action": {"type": "echo", "configuration": {"output": {"ok": True}}}, **extra}


def _walk_properties(schema: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (pointer, subschema) found under a "properties" keyword, at any depth."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                for prop_name, sub in value.items():
                    yield f"{pointer}/properties/{prop_name}", sub
                    yield from _walk_properties(sub, f"{pointer}/properties/{prop_name}")
            elif key not in ("examples", "default", "x-utask-metadata-schema"):
                yield from _walk_properties(value, f"{pointer}/{key}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from _walk_properties(item, f"{pointer}/{index}")


ACTION_NAMES = [f"actions/{t}" for t in BUILTIN_ACTIONS]


# ------------------------------------------------------------------------------------ package API


def test_action_types_lists_every_builtin_plugin() -> None:
    assert schemas.action_types() == BUILTIN_ACTIONS


def test_schema_names() -> None:
    assert schemas.schema_names() == ["template", "function", *ACTION_NAMES]


def test_load_schema_returns_independent_copies() -> None:
    first = schemas.load_schema("actions/echo")
    first["title"] = "changed"
    assert schemas.load_schema("actions/echo")["title"] != "changed"


@pytest.mark.parametrize("name", ["nope", "actions/nope", "actions/../template", "actions/", "actions/echo/x"])
def test_load_schema_rejects_unknown_names(name: str) -> None:
    with pytest.raises(KeyError):
        schemas.load_schema(name)


def test_registry_holds_every_schema_under_its_id() -> None:
    registry = schemas.registry()
    for name in schemas.schema_names():
        schema = schemas.load_schema(name)
        assert registry[schema["$id"]].contents == schema


# --------------------------------------------------------------------------------- schema shapes


@pytest.mark.parametrize("name", ["template", "function", *ACTION_NAMES])
def test_schema_is_valid_draft7(name: str) -> None:
    schema = schemas.load_schema(name)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    suffix = {"template": "template.schema.json", "function": "function.schema.json"}.get(name, f"{name}.json")
    assert schema["$id"] == schemas.BASE_URI + suffix
    assert schema["title"] and schema["description"]


def test_template_has_a_configuration_rule_per_builtin_action() -> None:
    executor = schemas.load_schema("template")["definitions"]["executor"]
    refs = {
        rule["if"]["properties"]["type"]["const"]: rule["then"]["properties"]["configuration"]["$ref"]
        for rule in executor["allOf"]
        if "const" in rule["if"]["properties"]["type"]
    }
    assert refs == {t: f"actions/{t}.json" for t in BUILTIN_ACTIONS}


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_action_schema_annotations(name: str) -> None:
    schema = schemas.load_schema(name)
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert isinstance(schema["x-utask-side-effects"], bool)
    assert schema["x-utask-plugin"] == name.split("/")[1]
    resources = schema["x-utask-resources"]
    assert isinstance(resources, list) and all(isinstance(r, str) for r in resources)
    for key, values in schema.get("x-utask-read-only-when", {}).items():
        assert key in schema["properties"]
        assert schema["x-utask-side-effects"] is True
        assert all(isinstance(v, str) for v in values)
    assert 1 <= len(schema["examples"]) <= 3
    for required in schema.get("required", []):
        assert required in schema["properties"]
    for key, prop in schema["properties"].items():
        assert prop.get("title"), key
        assert prop.get("description"), key


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_action_examples_validate(name: str) -> None:
    validator = schemas.validator(name)
    for example in schemas.load_schema(name)["examples"]:
        errors = list(validator.iter_errors(example))
        assert not errors, _describe(errors)


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_action_property_defaults_and_examples_validate(name: str) -> None:
    schema = schemas.load_schema(name)
    for pointer, prop in _walk_properties(schema):
        check = Draft7Validator(prop)
        if "default" in prop:
            assert check.is_valid(prop["default"]), f"{pointer}: default {prop['default']!r}"
        for example in prop.get("examples", []):
            assert check.is_valid(example), f"{pointer}: example {example!r}"


@pytest.mark.parametrize("name", ["template", "function"])
def test_template_property_defaults_and_examples_validate(name: str) -> None:
    registry = schemas.registry()
    base = schemas.load_schema(name)
    for pointer, prop in _walk_properties(base):
        # Resolve through the document so that local $refs keep working.
        check = Draft7Validator({"$ref": base["$id"] + pointer}, registry=registry)
        if "default" in prop:
            assert check.is_valid(prop["default"]), f"{pointer}: default {prop['default']!r}"
        for example in prop.get("examples", []):
            if "$ref" in prop or "type" in prop or "enum" in prop:
                assert check.is_valid(example), f"{pointer}: example {example!r}"


def test_apiovh_declares_its_metadata_schema() -> None:
    metadata = schemas.load_schema("actions/apiovh")["x-utask-metadata-schema"]
    Draft7Validator.check_schema(metadata)
    assert Draft7Validator(metadata).is_valid({"HTTPStatus": 200, "HTTPHeaders": {"x-ovh-queryid": "EU.ext-1"}})
    assert not Draft7Validator(metadata).is_valid({"HTTPStatus": "200"})


def test_schemas_are_plain_utf8_json_files() -> None:
    for name in schemas.schema_names():
        # load_schema round-trips through json; make sure nothing odd (NaN, duplicate keys) is inside.
        text = json.dumps(schemas.load_schema(name), allow_nan=False)
        assert json.loads(text) == schemas.load_schema(name)


# --------------------------------------------------------------------------- conformance corpus

TEMPLATE_FILES = _yaml_files("templates")
FUNCTION_FILES = _yaml_files("functions")


@pytest.mark.skipif(not TEMPLATE_FILES, reason="shared conformance templates not available")
@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_conformance_template(path: Path) -> None:
    errors = _hard_errors("template", _read_yaml(path))
    expected = EXPECTED_TEMPLATE_FAILURES.get(path.name)
    if expected is None:
        assert not errors, _describe(errors)
    else:
        assert [(_where(e), e.validator) for e in errors] == [expected], _describe(errors)


@pytest.mark.skipif(not TEMPLATE_FILES, reason="shared conformance templates not available")
def test_expected_failures_exist_in_the_corpus() -> None:
    assert set(EXPECTED_TEMPLATE_FAILURES) <= {p.name for p in TEMPLATE_FILES}


@pytest.mark.skipif(not TEMPLATE_FILES, reason="shared conformance templates not available")
def test_unknown_keys_are_reported_as_additional_properties() -> None:
    warnings = [e for e in _errors("template", _read_yaml(CONFORMANCE / "templates" / "foreachAndPreRun.yaml"))]
    assert [(e.validator, _where(e)) for e in warnings] == [("additionalProperties", "")]
    assert "allowed_resolver_tokens" in warnings[0].message


@pytest.mark.skipif(not FUNCTION_FILES, reason="shared conformance functions not available")
@pytest.mark.parametrize("path", FUNCTION_FILES, ids=lambda p: p.name)
def test_conformance_function(path: Path) -> None:
    errors = _errors("function", _read_yaml(path))
    assert not errors, _describe(errors)


# ------------------------------------------------------------------------------ template rules


def test_minimal_template_is_valid() -> None:
    assert not _errors("template", _template(first=_echo_step()))


@pytest.mark.parametrize(
    ("step", "where", "keyword"),
    [
        pytest.param(
            _echo_step(conditions=[{"type": "check", "if": [{"value": "1", "operator": "EQUALS", "expected": "1"}]}]),
            "steps/s/conditions/0/if/0/operator",
            "enum",
            id="unknown-operator",
        ),
        pytest.param(
            _echo_step(conditions=[{"type": "after", "if": []}]),
            "steps/s/conditions/0/type",
            "enum",
            id="unknown-condition-type",
        ),
        pytest.param(
            _echo_step(conditions=[{"type": "check", "then": {"this": "SERVER_ERROR"}}]),
            "steps/s/conditions/0/then/this",
            "not",
            id="condition-sets-forbidden-state",
        ),
        pytest.param(
            {
                "action": {
                    "type": "echo",
                    "configuration": {},
                    "output": {"strategy": "replace", "format": {}},
                }
            },
            "steps/s/action/output/strategy",
            "enum",
            id="unknown-output-strategy",
        ),
        pytest.param(
            {"action": {"type": "echo", "configuration": {"error_type": "foo"}}},
            "steps/s/action/configuration/error_type",
            "enum",
            id="echo-error-type",
        ),
        pytest.param(
            {"action": {"type": "http", "configuration": {"url": "https://example.com", "method": "FETCH"}}},
            "steps/s/action/configuration/method",
            "anyOf",
            id="http-method",
        ),
        pytest.param(
            {"action": {"type": "http", "configuration": {"url": "https://example.com"}}},
            "steps/s/action/configuration",
            "required",
            id="http-missing-method",
        ),
        pytest.param(
            {"action": {"type": "echo"}},
            "steps/s/action",
            "required",
            id="builtin-without-configuration",
        ),
        pytest.param(
            {"action": {"type": "cache", "configuration": {"action": "GET", "key": "k"}}},
            "steps/s/action/configuration/action",
            "enum",
            id="cache-action-is-case-sensitive",
        ),
        pytest.param(
            {"action": {"type": "ping", "configuration": {"hostname": "h", "count": "{{.input.n}}"}}},
            "steps/s/action/configuration/count",
            "pattern",
            id="ping-count-checked-before-rendering",
        ),
        pytest.param(
            {"action": {"type": "batch", "configuration": {"template_name": "t", "sub_batch_size": 2}}},
            "steps/s/action/configuration/sub_batch_size",
            "type",
            id="batch-number-where-go-wants-string",
        ),
        pytest.param(
            _echo_step(foreach_strategy="sequence"),
            "steps/s",
            "required",
            id="foreach-strategy-without-foreach",
        ),
        pytest.param(
            _echo_step(foreach="[1]", foreach_strategy="random"),
            "steps/s/foreach_strategy",
            "enum",
            id="unknown-foreach-strategy",
        ),
        pytest.param(_echo_step(retry_pattern="days"), "steps/s/retry_pattern", "enum", id="unknown-retry-pattern"),
        pytest.param(
            _echo_step(execution_delay=30_000_000_000),
            "steps/s/execution_delay",
            "maximum",
            id="delay-over-20s",
        ),
        pytest.param(_echo_step(execution_delay="5s"), "steps/s/execution_delay", "type", id="delay-not-ns"),
        pytest.param(_echo_step(state="DONE"), "steps/s/state", "enum", id="run-time-field"),
        pytest.param(_echo_step(dependencies=["other:"]), "steps/s/dependencies/0", "pattern", id="empty-state"),
    ],
)
def test_invalid_steps_are_rejected(step: dict[str, Any], where: str, keyword: str) -> None:
    errors = _errors("template", _template(s=step))
    assert [(_where(e), e.validator) for e in errors] == [(where, keyword)], _describe(errors)


def test_step_named_this_is_rejected() -> None:
    errors = _errors("template", _template(this=_echo_step()))
    assert [(_where(e), e.validator) for e in errors] == [("steps", "not")]


@pytest.mark.parametrize(
    "root",
    [
        pytest.param({"name": "ab"}, id="short-name"),
        pytest.param({"title_format": None}, id="null-title"),
        pytest.param({"tags": {"_utask_parent_task_id": "1"}}, id="reserved-tag"),
        pytest.param({"auto_runnable": True, "resolver_inputs": [{"name": "x"}]}, id="autorun-with-resolver-inputs"),
        pytest.param({"allow_all_resolver_usernames": True}, id="allow-all-without-autorun"),
        pytest.param({"inputs": [{"name": "x", "type": "integer"}]}, id="input-type"),
        pytest.param({"inputs": [{"name": "x", "regex": "^a", "legal_values": ["a"]}]}, id="regex-and-legal-values"),
        pytest.param({"inputs": [{"name": "x", "type": "bool", "default": "yes"}]}, id="default-of-wrong-type"),
        pytest.param({"inputs": [{"name": "x", "default": 'say "hi"'}]}, id="default-with-quote"),
        pytest.param({"inputs": [{"name": "x", "collection": True, "default": ["a"]}]}, id="collection-default"),
        pytest.param({"variables": [{"name": "v"}]}, id="variable-without-value"),
        pytest.param({"variables": [{"name": "v", "value": 1, "expression": "1"}]}, id="variable-value-and-expression"),
        pytest.param({"variables": [{"name": "v", "value": 1, "expression_timeout": "5s"}]}, id="timeout-with-value"),
        pytest.param({"variables": [{"name": "v", "expression": "1", "expression_timeout": "5"}]}, id="bad-duration"),
    ],
)
def test_invalid_roots_are_rejected(root: dict[str, Any]) -> None:
    document = _template(s=_echo_step())
    document.update(root)
    assert _hard_errors("template", document)


@pytest.mark.parametrize(
    "step",
    [
        pytest.param(
            _echo_step(
                description=None,
                conditions=[
                    {
                        "type": "check",
                        "if": [
                            {"value": 1, "operator": "EQ", "expected": 404},
                            {
                                "value": "{{.step.this.output.mail}}",
                                "operator": "regexp",
                                "expected": "@example",
                            },
                            {"value": "a, b", "operator": "IN", "expected": True, "list_separator": ","},
                        ],
                        "then": {"this": "FOUND"},
                        "final": True,
                        "message": 3.5,
                    }
                ],
                custom_states=["FOUND"],
            ),
            id="scalars-coerced-into-strings",
        ),
        pytest.param(
            {"action": {"type": "dns::record::create", "configuration": {"zone": 1, "anything": [True]}}},
            id="function-takes-any-configuration",
        ),
        pytest.param({"action": {"type": "my::function"}}, id="function-without-configuration"),
        pytest.param(
            {"action": {"type": "http", "base_configuration": "api", "configuration": {"path": "/v1/x"}}},
            id="required-keys-may-come-from-base-configuration",
        ),
        pytest.param(
            {
                "action": {
                    "type": "http",
                    "configuration": {"url": "{{.input.url}}", "method": "{{.input.method}}"},
                }
            },
            id="templated-http-method",
        ),
        pytest.param(
            _echo_step(
                foreach="{{.input.list | toJson}}",
                foreach_strategy="sequence",
                conditions=[{"type": "skip", "foreach": "parent", "then": {"this": "PRUNE"}}],
            ),
            id="foreach-parent-skip",
        ),
        pytest.param(
            _echo_step(dependencies=["a", "b:DONE,CUSTOM", "c:ANY"], max_retries=-1, execution_delay=1_000_000_000),
            id="dependencies-and-limits",
        ),
        pytest.param(_echo_step(pre_hook={"type": "echo", "configuration": {"output": "x"}}), id="pre-hook"),
        pytest.param(
            {"action": {"type": "echo", "configuration": {}, "base_output": {"a": 1}, "output": None}},
            id="legacy-base-output",
        ),
    ],
)
def test_valid_steps_are_accepted(step: dict[str, Any]) -> None:
    document = _template(s=step, a=_echo_step(), b=_echo_step(), c=_echo_step())
    document["base_configurations"] = {"api": {"host": "https://api.example.com", "method": "GET"}}
    errors = _errors("template", document)
    assert not errors, _describe(errors)


def test_valid_inputs_and_variables_are_accepted() -> None:
    document = _template(s=_echo_step())
    document["inputs"] = [
        {"name": "n", "type": "number", "legal_values": [1, 2.5], "default": 1},
        {"name": "b", "type": "bool", "default": False, "optional": None},
        {"name": "s", "description": 12, "regex": "^[a-z]+$", "default": "abc"},
        {"name": "l", "collection": True, "legal_values": ["x", "y"]},
        {"name": "p", "type": "password", "hidden": True},
    ]
    document["variables"] = [
        {"name": "v", "value": {"nested": [1, 2]}},
        {"name": "e", "expression": "1 + 1;", "expression_timeout": "1m30s"},
    ]
    document["auto_runnable"] = True
    document["allow_all_resolver_usernames"] = True
    document["resolver_inputs"] = []
    errors = _errors("template", document)
    assert not errors, _describe(errors)


def test_unknown_keys_only_fail_additional_properties() -> None:
    document = _template(s=_echo_step(unknown_step_key=1))
    document["unknown_root_key"] = True
    document["steps"]["s"]["action"]["configuration"]["unknown_echo_key"] = 1
    errors = _errors("template", document)
    assert {e.validator for e in errors} == {"additionalProperties"}
    assert len(errors) == 3


# ------------------------------------------------------------------------------ function rules


def test_function_requires_an_object_configuration() -> None:
    function: dict[str, Any] = {"name": "f::g", "action": {"type": "my::other::function"}}
    assert [(_where(e), e.validator) for e in _errors("function", function)] == [("action", "required")]
    function["action"]["configuration"] = ["not", "an", "object"]
    assert "type" in {e.validator for e in _errors("function", function)}


def test_function_reuses_template_definitions() -> None:
    function = {
        "name": "f::g",
        "action": {"type": "http", "configuration": {"url": "{{.function_args.url}}", "method": "FETCH"}},
        "conditions": [{"type": "check", "if": [{"value": "x", "operator": "LIKE", "expected": "x"}]}],
        "custom_states": ["DONE"],
    }
    errors = _errors("function", function)
    assert sorted(_where(e) for e in errors) == [
        "action/configuration/method",
        "conditions/0/if/0/operator",
        "custom_states/0",
    ]


# ------------------------------------------------------------------------------ action details


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("actions/http", {"url": "https://a", "host": "https://b", "method": "GET"}),
        ("actions/http", {"path": "/x", "method": "GET"}),
        (
            "actions/http",
            {
                "url": "https://a",
                "method": "GET",
                "auth": {"basic": {"user": "u", "password": "p"}, "bearer": "t"},
            },
        ),
        ("actions/http", {"url": "https://a", "method": "GET", "timeout": "30 seconds"}),
        ("actions/http", {"url": "https://a", "method": "GET", "follow_redirect": True}),
        ("actions/http", {"url": "https://a", "method": "GET", "headers": [{"value": "no name"}]}),
        ("actions/script", {"file_path": "x.sh", "output_mode": "manual-delimiters"}),
        ("actions/script", {"file_path": "x.sh", "output_manual_delimiters": ["a", "b"]}),
        ("actions/script", {"file_path": "x.sh", "output_mode": "auto-result"}),
        ("actions/script", {"file_path": "x.sh", "exit_codes_unrecoverable": [3]}),
        ("actions/script", {"file_path": "x.sh", "timeout": "-1s"}),
        (
            "actions/ssh",
            {"user": "u", "target": "t", "ssh_key": "k", "output_mode": "disabled", "result": {"a": "$A"}},
        ),
        ("actions/ssh", {"user": "u", "target": "t", "ssh_key": "k", "hops": ["h"] * 11}),
        ("actions/callback", {"action": "wait"}),
        (
            "actions/email",
            {
                "smtp_hostname": "h",
                "smtp_port": "70000",
                "from_address": "a",
                "to": ["b"],
                "subject": "s",
                "body": "b",
            },
        ),
        (
            "actions/email",
            {
                "smtp_hostname": "h",
                "smtp_port": "25",
                "from_address": "a",
                "to": [],
                "subject": "s",
                "body": "b",
            },
        ),
        ("actions/apiovh", {"credentials": "c", "method": "PATCH", "path": "/me"}),
        ("actions/tag", {"tags": {"_utask_parent_task_id": "x"}}),
        ("actions/cache", {"action": "set", "key": "k", "ttl": "3600"}),
    ],
)
def test_invalid_action_configurations(name: str, config: dict[str, Any]) -> None:
    assert not schemas.validator(name).is_valid(config)


@pytest.mark.parametrize(
    ("name", "config"),
    [
        (
            "actions/http",
            {
                "host": "https://b",
                "path": "/x",
                "method": "PATCH",
                "auth": {"mutual_tls": {"client_cert": "c", "client_key": "k"}},
            },
        ),
        (
            "actions/http",
            {"url": "https://a", "method": "GET", "timeout": "{{.input.timeout}}", "follow_redirect": "1"},
        ),
        (
            "actions/script",
            {
                "file_path": "x.sh",
                "output_mode": "manual-delimiters",
                "output_manual_delimiters": ["<<", ">>"],
            },
        ),
        ("actions/ssh", {"user": "u", "target": "t", "ssh_key": "k", "result": {"a": "$A"}}),
        ("actions/callback", {"action": "CREATE"}),
        ("actions/tag", {"tags": {"obsolete": None, "kept": "yes"}}),
        ("actions/cache", {"action": "delete", "key": "k"}),
        ("actions/notify", {}),
        ("actions/echo", {}),
    ],
)
def test_valid_action_configurations(name: str, config: dict[str, Any]) -> None:
    errors = list(schemas.validator(name).iter_errors(copy.deepcopy(config)))
    assert not errors, _describe(errors)

"""`kind: templating` cases of cases.yaml (µTask's values_test.go and apply_test.go) on our `Values`.

Vocabulary (cases.yaml `templating_ops`): a `setup` builds the `original` Values (inputs are Go-typed:
YAML integers are Go ints), then `checks` run in order: apply, apply_object, assert_number_kind, clone,
set_iterator.
"""

from __future__ import annotations

from typing import Any

from engine.templating import JSONNumber, TemplateError, Values, Variable, load_json
from engine.templating.gojson import marshal


class TemplatingCaseError(AssertionError):
    """A check of a templating case did not hold."""


def run_templating_case(case: dict[str, Any]) -> None:
    """Run every check of one case; raises TemplatingCaseError on the first one that fails."""
    targets = {"original": _setup(case.get("setup") or {})}
    for index, check in enumerate(case.get("checks") or []):
        try:
            _check(targets, check)
        except TemplatingCaseError as failure:
            raise TemplatingCaseError(f"check {index} ({check['op']}): {failure}") from None


def _setup(setup: dict[str, Any]) -> Values:
    variables = {
        spec["name"]: Variable(spec["name"], value=spec.get("value"), expression=spec.get("expression", ""),
                               expression_timeout=spec.get("expression_timeout", ""))
        for spec in setup.get("variables") or []
    }
    values = Values(input=setup.get("inputs") or {}, variables=variables)
    for step, output in (setup.get("step_outputs") or {}).items():
        values.set_step(step, output=output)
    for step, text in (setup.get("step_outputs_json") or {}).items():
        values.set_step(step, output=load_json(text, numbers="json_number"))
    return values


def _check(targets: dict[str, Values], check: dict[str, Any]) -> None:
    operation = check["op"]
    if operation == "clone":
        targets["clone"] = targets["original"].clone()
        return
    values = targets[check.get("target", "original")]
    if operation == "set_iterator":
        values.set_iterator(check["value"])
    elif operation == "apply":
        _expect(lambda: values.apply(check["template"], step_name=check.get("step_name") or ""), check, "expect")
    elif operation == "apply_object":
        source = load_json(check["object_json"], numbers="json_number")
        _expect(lambda: marshal(values.render_object(source), escape_html=False), check, "expect_json")
    elif operation == "assert_number_kind":
        number = _at_path(values.root["step"][check["step"]]["output"], check["path"])
        if type(number) is not JSONNumber:
            raise TemplatingCaseError(f"{check['path']} is {number!r}, not an exact decimal")
    else:
        raise TemplatingCaseError(f"unknown operation {operation!r}")


def _expect(produce: Any, check: dict[str, Any], key: str) -> None:
    try:
        result = produce()
    except TemplateError as error:
        wanted = check.get("error_contains")
        if wanted is None or wanted not in error.message:
            raise TemplatingCaseError(f"unexpected error {error.message!r}") from None
        return
    if "error_contains" in check:
        raise TemplatingCaseError(f"expected an error containing {check['error_contains']!r}, got {result!r}")
    if result != check[key]:
        raise TemplatingCaseError(f"expected {check[key]!r}, got {result!r}")


def _at_path(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[key]
    return data

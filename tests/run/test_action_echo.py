"""echo: output/metadata passthrough, deliberate errors, YAML/JSON unmarshal with exact numbers."""

from __future__ import annotations

import asyncio

import pytest

from engine.run.actions.base import ActionError, ClientError, ConfigError
from engine.run.actions.echo import EchoAction
from engine.templating.gotypes import JSONNumber

echo = EchoAction()


def run(request):
    return asyncio.run(echo.execute(request))


def test_output_and_metadata_are_returned(make_request):
    result = run(make_request({"output": {"a": [1, "x"]}, "metadata": {"HTTPStatus": 404}}))
    assert result.output == {"a": [1, "x"]}
    assert result.metadata == {"HTTPStatus": 404}
    assert result.tags == {}


def test_absent_metadata_is_none(make_request):
    assert run(make_request({"output": "x"})).metadata is None
    assert run(make_request({})).output is None


@pytest.mark.parametrize(("error_type", "cls"), [("client", ClientError), ("server", ActionError), ("", ActionError)])
def test_error_message_fails_with_output_and_metadata(make_request, error_type, cls):
    with pytest.raises(ActionError) as caught:
        run(make_request({"output": {"k": "v"}, "metadata": {"m": 1}, "error_message": "boom",
                          "error_type": error_type}))
    assert type(caught.value) is cls
    assert caught.value.message == "boom"
    assert caught.value.output == {"k": "v"}
    assert caught.value.metadata == {"m": 1}


def test_validate_error_type():
    echo.validate({"error_type": "client"})
    echo.validate({"error_type": ""})
    echo.validate({})
    with pytest.raises(ConfigError, match="^Wrong error type: expecting 'client' or 'server'$"):
        echo.validate({"error_type": "fatal"})


def test_validate_type_mismatch_uses_go_text():
    with pytest.raises(ConfigError) as caught:
        echo.validate({"unmarshal": "true"})
    assert str(caught.value) == ("failed to unmarshal configuration: json: cannot unmarshal string into Go struct "
                                 "field Config.unmarshal of type bool")


def test_unknown_keys_are_ignored(make_request):
    echo.validate({"output": 1, "whatever": True})
    assert run(make_request({"output": "x", "timeout_seconds": "25"})).output == "x"


def test_unmarshal_json_keeps_exact_numbers(make_request):
    # sigs.k8s.io/yaml: integers keep all their 64 bits (no float64 rounding), floats are written back the way
    # json.Marshal writes a float64, and every number reaches the output as an exact json.Number text.
    text = ('{"max": 9223372036854775807, "umax": 18446744073709551615, "id": 12345678901234567, "f": 1.10, '
            '"neg": -0.5e-3, "list": [1, 2.50], "s": "x", "huge": 12345678901234567890123}')
    output = run(make_request({"output": text, "unmarshal": True})).output
    assert output == {"max": "9223372036854775807", "umax": "18446744073709551615", "id": "12345678901234567",
                      "f": "1.1", "neg": "-0.0005", "list": ["1", "2.5"], "s": "x", "huge": "1.2345678901234568e+22"}
    assert type(output["max"]) is JSONNumber and type(output["s"]) is str
    assert all(type(item) is JSONNumber for item in output["list"])


def test_unmarshal_yaml_numbers_go_through_json_marshal(make_request):
    text = "a: 1\nb: 1.0\nc: 1e3\nd: 0x1f\ne: yes\nf: ~\ng: '7'\nh: [1, two]\n"
    output = run(make_request({"output": text, "unmarshal": True})).output
    assert output == {"a": "1", "b": "1", "c": "1000", "d": "31", "e": True, "f": None, "g": "7",
                      "h": ["1", "two"]}
    assert type(output["a"]) is JSONNumber and type(output["g"]) is str


def test_unmarshal_scalar_and_empty(make_request):
    assert run(make_request({"output": "42", "unmarshal": True})).output == JSONNumber("42")
    assert run(make_request({"output": "", "unmarshal": True})).output is None


@pytest.mark.parametrize(("value", "go_type"), [({"a": 1}, "map[string]interface {}"), ([1], "[]interface {}"),
                                                (True, "bool"), (JSONNumber("3"), "json.Number"), (None, "<nil>")])
def test_unmarshal_of_non_string_fails(make_request, value, go_type):
    with pytest.raises(ActionError) as caught:
        run(make_request({"output": value, "unmarshal": True, "error_message": "ignored"}))
    assert type(caught.value) is ActionError
    assert caught.value.message == f"cannot unmarshal: invalid data type ({go_type})"
    assert caught.value.output is None and caught.value.metadata is None


def test_unmarshal_parse_failure(make_request):
    with pytest.raises(ActionError) as caught:
        run(make_request({"output": "a: [1, 2", "unmarshal": True, "metadata": {"x": 1}}))
    assert type(caught.value) is ActionError
    assert caught.value.message.startswith("failed to unmarshal output: error converting YAML to JSON: yaml: line")
    assert caught.value.metadata is None


def test_unmarshal_nan_cannot_become_json(make_request):
    with pytest.raises(ActionError, match="failed to unmarshal output: error converting YAML to JSON: json: "
                                          "unsupported value: NaN"):
        run(make_request({"output": "a: .nan", "unmarshal": True}))


def test_unmarshal_then_error_message_keeps_parsed_output(make_request):
    with pytest.raises(ClientError) as caught:
        run(make_request({"output": "[1]", "unmarshal": True, "error_message": "nope", "error_type": "client"}))
    assert caught.value.output == ["1"]


def test_describe_has_no_side_effect(make_request, services):
    described = echo.describe(make_request({"output": "x", "error_message": "e"}))
    assert described["output"] == "x" and described["error_message"] == "e"
    assert services.calls == []
    assert echo.side_effects is False and echo.resources({"output": 1}) == []

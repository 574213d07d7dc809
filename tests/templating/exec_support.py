"""Helpers for the executor tests: render against a µTask-shaped root with json.Number numbers."""

from __future__ import annotations

import pytest

from engine.templating import TemplateError, Values, Variable, load_json

CONTEXT_JSON = (
    """{
      "input": {"name": "world", "n": 12, "zero": 0, "f": 1.5, "s": "hello", "empty": "", "t": true,
                "fa": false, "nul": null, "list": [1, "a", true, null, {"k": "v"}], "strs": ["b", "a", "c"],
                "m": {"b": 2, "a": 1, "c": {"d": [1, 2]}}, "emptylist": [], "emptymap": {}, "uni": "é€",
                "html": "<a href='x'>&</a>", "my-key": "dash"},
      "step": {"s1": {"output": {"x": "X", "n": 7, "nul": null}, "metadata": {"HTTPStatus": 200},
                      "state": "DONE", "children": [{"state": "DONE"}], "error": null, "try_count": 1},
               "failed": {"output": null, "state": "SERVER_ERROR", "error": "boom"}}
    }"""
)


def values(**variables: Variable) -> Values:
    """A fresh root (inputs and step data as json.Number), with optional template variables."""
    result = Values(variables=variables)
    for key, value in load_json(CONTEXT_JSON, numbers="json_number").items():
        result.root[key] = value
    return result


def render(template: str, **variables: Variable) -> str:
    return values(**variables).apply(template)


def error(template: str, **variables: Variable) -> str:
    """Go's full error message for a template expected to fail."""
    with pytest.raises(TemplateError) as caught:
        render(template, **variables)
    return caught.value.message


def detail(template: str, **variables: Variable) -> str:
    """The error message after Go's position and context prefix."""
    message = error(template, **variables)
    return message.split(">: ", 1)[1] if ">: " in message else message.split(": ", 2)[-1]

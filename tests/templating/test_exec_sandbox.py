"""No Python attribute or method is reachable from a template; only Go's rules apply."""

from __future__ import annotations

import pytest

from engine.templating import JSONNumber, TemplateError, render


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("{{.__class__}}", {}, "<no value>"),  # a missing map key, as in Go
        ("{{.m.items}}", {"m": {"a": 1}}, "<no value>"),
        ("{{.m.keys}}", {"m": {"a": 1}}, "<no value>"),
        ("{{.m.__dict__}}", {"m": {"a": 1}}, "<no value>"),
        ("{{.m.items}}", {"m": {"items": [1]}}, "[1]"),  # µTask's foreach outputs use `.items`
        ("{{.n.Int64}}", {"n": JSONNumber("7")}, "7"),
    ],
)
def test_maps_only_expose_keys(template: str, data: dict[str, object], expected: str) -> None:
    assert render(template, data) == expected


@pytest.mark.parametrize(
    "template",
    [
        "{{.s.upper}}", "{{.s.__class__}}", "{{.s.__len__}}", "{{.s.format}}", "{{.l.append}}", "{{.l.__class__}}",
        "{{.f.hex}}", "{{.f.real}}", "{{.b.bit_length}}", "{{.n.upper}}", "{{.n.__class__}}", "{{.s.Int64}}",
        "{{.f.Int64}}", "{{.f.Float64}}",
    ],
)
def test_scalars_and_lists_have_no_python_attributes(template: str) -> None:
    data = {"s": "abc", "l": [1], "f": 1.5, "b": True, "n": JSONNumber("1")}
    with pytest.raises(TemplateError, match=r"can't evaluate field \w+ in type interface \{\}"):
        render(template, data)


def test_method_calls_cannot_reach_python() -> None:
    with pytest.raises(TemplateError):
        render("{{.s.replace \"a\" \"b\"}}", {"s": "abc"})
    with pytest.raises(TemplateError):
        render("{{(index .l 0).__class__.__subclasses__}}", {"l": ["x"]})

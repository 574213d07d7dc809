"""Property test: rendering random template strings on random data only ever raises TemplateError."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.templating import JSONNumber, TemplateError, Values, Variable

PIECES = [
    "{{", "}}", "{{- ", " -}}", " ", "\n", ".", ".a", ".b.c", ".input", ".input.x", "$", "$x", ":=", "=", "|", "(", ")",
    "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil", "true", "false",
    "1", "-1", "0x10", "1.5", "2i", "'a'", '"s"', '"t"', "`r`", "and", "or", "not", "len", "index", "slice", "print",
    "printf", '"%d %s %v %x %q %!"', "println", "html", "js", "urlquery", "eq", "ne", "lt", "le", "gt", "ge", "call",
    "field", "fieldFrom", "eval", "evalCache", "fromJson", "mustFromJson", "uuid", "b64RawEnc", "b64RawDec",
    "upper", "default", "toJson", "list", "dict", "add", "first", "{{end}}", "{{else}}", "{{range .l}}",
    "{{if .a}}", '{{define "t"}}', '{{template "t" .}}', "Int64", ".n.Int64", ".var.v.Value", ".iterator",
]  # fmt: skip

json_scalars = st.one_of(
    st.none(), st.booleans(), st.text(max_size=5), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20).map(lambda i: JSONNumber(str(i))),
)
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.sampled_from("abcnlx"), children,
                                                                                max_size=3)),
    max_leaves=8,
)
templates = st.one_of(st.lists(st.sampled_from(PIECES), max_size=20).map("".join), st.text(max_size=30))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates, st.dictionaries(st.sampled_from("abcnlx"), json_values, max_size=4), json_values)
def test_render_raises_only_template_errors(template: str, data: dict[str, Any], iterator: Any) -> None:
    values = Values(input=data, variables={"v": Variable("v", value=data.get("a")),
                                           "js": Variable("js", expression="1+1", expression_timeout="1s")})
    values.root.update(data)
    try:
        result = values.apply(template, item=iterator)
    except TemplateError as error:
        assert error.kind in ("parse", "exec")
        assert error.message.startswith("template: ")
        return
    assert isinstance(result, str)

"""Property test: parse() raises nothing but TemplateError, whatever the input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.templating import TemplateError, check_syntax, parse
from engine.templating.lexer import lex

# Pieces that exercise every lexer state and parser rule, glued together at random.
PIECES = [
    "{{", "}}", "{{- ", " -}}", "{{-", "-}}", " ", "\n", "\t", "\r", ".", ".x", ".y.z", "$", "$x", ":=", "=", "|",
    "(", ")", ",", "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue",
    "nil", "true", "false", "1", "-1", "+", "-", "0x", "0x1p-2", "1.5e3", "1_0", "08", "2i", "1+2i", "'a'", "'",
    '"s"', '"', '"\\', "\\", "`", "`r`", "/*", "*/", "printf", "len", "nosuch", "é", "→", "²", "\x00", "#", "{",
    "}", ";", ":", "[", '"tmpl"', "{{end}}", "{{else}}",
]  # fmt: skip

templateish = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
mixed = st.one_of(templateish, st.text(max_size=40), st.text(alphabet="{}()$.-|:= \"'`/*\nabif", max_size=40))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed)
def test_parse_raises_only_template_errors(source: str) -> None:
    try:
        tree = parse(source)
    except TemplateError as error:
        assert error.kind == "parse"
        assert error.message.startswith("template: tmpl:")
        assert error.line is not None and error.line >= 1
        assert error.offset is None or 0 <= error.offset <= len(source)
        assert check_syntax(source) is not None
        return
    assert check_syntax(source) is None
    str(tree.root)  # every tree can be printed
    assert lex(source)[-1].val == ""  # a parsable template lexes to EOF

"""The YAML highlighter's tokenizer (Qt-free): what each part of a line is coloured as."""

from __future__ import annotations

from studio.editor.yaml_tokens import NOT_IN_BLOCK, Kind, new_line_indent, tokenize_line


def kinds(line: str, state: int = NOT_IN_BLOCK) -> list[tuple[str, str]]:
    tokens, _ = tokenize_line(line, state)
    return [(token.kind.value, line[token.start:token.start + token.length]) for token in tokens]


def test_key_quoted_value_and_handles() -> None:
    assert kinds("  path: '/v1/{{.input.id}}/x'  # why") == [
        ("key", "path"), ("string", "'/v1/{{.input.id}}/x'"), ("comment", "# why"), ("handle", "{{.input.id}}")]


def test_an_apostrophe_inside_a_plain_scalar_is_not_a_string() -> None:
    assert kinds("description: the customer's history") == [("key", "description")]


def test_scalars_flow_lists_and_decorations() -> None:
    assert kinds("retry_max: 30") == [("key", "retry_max"), ("scalar", "30")]
    assert kinds("final: true") == [("key", "final"), ("scalar", "true")]
    assert kinds('deps: [a, "b:ANY", 3]') == [("key", "deps"), ("string", '"b:ANY"'), ("scalar", "3")]
    assert kinds("base: &cfg {a: 1}")[:2] == [("key", "base"), ("anchor", "&cfg")]
    assert kinds("  - name: x") == [("key", "name")]


def test_hash_inside_a_url_is_not_a_comment() -> None:
    assert kinds("url: http://x/#anchor") == [("key", "url")]


def test_block_scalars_are_text_until_the_indentation_drops() -> None:
    tokens, state = tokenize_line("    expression: |-")
    assert state == 4 and tokens[-1].kind is Kind.ANCHOR
    assert kinds("      var a = '{{ .input.x }}'; # not a comment", state) == [
        ("string", "      var a = '{{ .input.x }}'; # not a comment"), ("handle", "{{ .input.x }}")]
    assert tokenize_line("", state)[1] == state
    assert tokenize_line("    next: 1", state)[1] == NOT_IN_BLOCK


def test_handles_in_comments_are_left_as_comment() -> None:
    assert kinds("# renders {{ }} first") == [("comment", "# renders {{ }} first")]


def test_enter_keeps_or_deepens_the_indentation() -> None:
    assert new_line_indent("    description: x") == "    "
    assert new_line_indent("  fetch:") == "    "
    assert new_line_indent("    expression: |-") == "      "
    assert new_line_indent("  - name: host") == "    "  # lines up with `name`
    assert new_line_indent("  - name:") == "      "
    assert new_line_indent("  -") == "    "
    assert new_line_indent("  - plain item") == "  "
    assert new_line_indent("url: http://x/#y  # a comment: here") == ""

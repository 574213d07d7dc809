"""Form descriptions from the schemas, and the text ⇄ value rules of form fields (no Qt)."""

from __future__ import annotations

import pytest

from studio.document import DELETE, TemplateDocument
from studio.document.emit import Flow
from studio.document.forms import (
    FieldError,
    Kind,
    action_fields,
    action_info,
    input_fields,
    representable,
    root_fields,
    snippet_text,
    step_fields,
    value_from_snippet,
    value_from_text,
)

TEMPLATE = """\
name: forms
description: Form rules.
title_format: Forms
steps:
  fetch:
    action:
      type: http
      configuration:
        method: GET
        headers:
          - name: Accept
            value: application/json
        # the next key introduces itself
        url: https://example.com
    conditions: [{type: skip, if: [], then: {this: PRUNE}}]
"""


def test_kinds_come_from_the_schema_types() -> None:
    step, root = step_fields(), root_fields()
    assert step["idempotent"].kind is Kind.BOOL and step["idempotent"].default is False
    assert step["max_retries"].kind is Kind.INTEGER
    assert step["retry_pattern"].kind is Kind.ENUM and step["retry_pattern"].choices == ("seconds", "minutes", "hours")
    assert step["resources"].kind is Kind.LIST and step["conditions"].kind is Kind.YAML
    assert "state" not in step  # run-time-only keys are not offered
    assert root["long_description"].kind is Kind.MULTILINE and root["tags"].kind is Kind.YAML
    assert root["name"].required and not root["doc_link"].required
    assert input_fields()["type"].choices == ("string", "password", "bool", "number")


def test_action_fields_and_side_effects() -> None:
    http = action_fields("http")
    assert http["method"].kind is Kind.ENUM and http["method"].required and "GET" in http["method"].choices
    assert http["headers"].kind is Kind.YAML and http["url"].title == "URL"
    assert not action_fields("echo")["error_type"].templates  # x-utask-literal
    assert action_info("http").side_effects and action_info("http").is_read_only({"method": "GET"})
    assert not action_info("http").is_read_only({"method": "POST"})
    assert action_info("echo").side_effects is False
    assert action_info("chat::post").side_effects is None
    arguments = action_fields("chat::post", ("channel", "text"))
    assert list(arguments) == ["channel", "text"] and arguments["text"].kind is Kind.TEXT


def test_text_becomes_the_value_to_write() -> None:
    step = step_fields()
    assert value_from_text("3", step["max_retries"]) == 3
    assert value_from_text("-1", step["max_retries"]) == -1
    assert value_from_text("{{.input.n}}", step["max_retries"]) == "{{.input.n}}"
    assert value_from_text("", step["max_retries"]) is DELETE  # clearing an optional field removes it
    with pytest.raises(FieldError, match="whole number"):
        value_from_text("many", step["max_retries"])
    assert value_from_text("a, b ,c", step["resources"]) == Flow(["a", "b", "c"])
    assert value_from_text("", root_fields()["name"]) == ""  # a required key is kept, empty
    with pytest.raises(FieldError, match="before rendering"):
        value_from_text("{{.input.script}}", action_fields("script")["file_path"])
    with pytest.raises(FieldError, match="one of client, server"):
        value_from_text("{{.x}}", action_fields("echo")["error_type"])


def test_what_an_editor_can_show() -> None:
    assert representable(True, Kind.BOOL) and not representable("{{.input.x}}", Kind.BOOL)
    assert representable(3, Kind.INTEGER) and representable("{{.x}}", Kind.INTEGER)
    assert not representable("three", Kind.INTEGER) and not representable(True, Kind.INTEGER)
    assert representable(["a", "b"], Kind.LIST) and not representable(["a,b"], Kind.LIST)
    assert not representable({"a": 1}, Kind.TEXT)


def test_snippets_show_the_file_text_dedented() -> None:
    snapshot = TemplateDocument(TEMPLATE).snapshot
    assert snapshot is not None
    configuration = snippet_text(snapshot, ("steps", "fetch", "action", "configuration"))
    assert configuration.startswith("method: GET\nheaders:\n  - name: Accept\n")
    assert "\n# the next key introduces itself\nurl: https://example.com" in configuration  # inner comments kept
    headers = snippet_text(snapshot, ("steps", "fetch", "action", "configuration", "headers"))
    assert headers == "- name: Accept\n  value: application/json"  # the next key's comment is not part of it
    assert snippet_text(snapshot, ("steps", "fetch", "conditions", 0)) == "{type: skip, if: [], then: {this: PRUNE}}"
    assert snippet_text(snapshot, ("steps", "fetch", "action", "configuration", "method")) == "GET"
    assert snippet_text(snapshot, ("steps", "fetch", "foreach")) == ""
    quoted = TemplateDocument("a: '40'\nb: '{{.input.x}}'\n").snapshot
    assert quoted is not None
    for key in ("a", "b"):  # a snippet parses back to the same value
        assert value_from_snippet(snippet_text(quoted, (key,))) == quoted.value_at((key,))


def test_snippets_parse_or_say_where_they_are_wrong() -> None:
    assert value_from_snippet("- name: a\n  value: '1'") == [{"name": "a", "value": "1"}]
    assert value_from_snippet("  \n") is DELETE
    with pytest.raises(FieldError, match=r"line \d+, column \d+: YAML syntax error"):
        value_from_snippet("- name: [unclosed")

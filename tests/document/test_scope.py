"""Template handles in scope at a text offset (Qt-free): what the YAML pane's completion offers."""

from __future__ import annotations

import pytest

from studio.document import ReplaceText, TemplateDocument
from studio.document.scope import completion_context, handles_at, step_at, step_key_offset

TEMPLATE = """\
name: scope-example
description: Completion of template handles.
title_format: Scope example
inputs:
  - name: host
    description: Where to connect.
  - name: count
    type: number
resolver_inputs:
  - name: reason
variables:
  - name: region
    value: eu
steps:
  fetch:
    description: Fetch.
    json_schema:
      type: object
      properties:
        items: {type: array}
        total: {type: integer}
    action:
      type: echo
      configuration: {output: {items: [], total: 0}}
  "quoted step":
    description: Quoted key.
    action: {type: echo, configuration: {output: {}}}
  notify:
    description: Notify.
    dependencies: [fetch]
    foreach: '{{.step.fetch.output.items}}'
    action:
      type: echo
      configuration:
        # a comment at the key indentation of the configuration
        output: {item: 'HERE_NOTIFY'}
  report:
    description: Report.
    dependencies: ["notify:DONE,FATAL_ERROR"]
    action:
      type: echo
      configuration:
        output: {text: 'HERE_REPORT {{.config.smtp_host}}'}
  cleanup:
    description: Runs on its own.
    action: {type: echo, configuration: {output: {}}}
"""


def at(marker: str, typed: str, text: str = TEMPLATE) -> tuple[TemplateDocument, int]:
    """A document where `typed` has just been typed in place of `marker` (cursor right after it)."""
    offset = text.index(marker)
    document = TemplateDocument(text[:offset] + typed + text[offset + len(marker):], auto_validate=False)
    return document, offset + len(typed)


def labels(marker: str, typed: str) -> list[str]:
    document, offset = at(marker, typed)
    return [completion.label for completion in handles_at(document, offset)]


def test_roots_depend_on_where_the_cursor_is() -> None:
    inside_foreach = labels("HERE_NOTIFY", "{{ .")
    assert inside_foreach[:3] == ["input", "resolver_input", "step"]
    assert "iterator" in inside_foreach and "function_args" not in inside_foreach
    assert "iterator" not in labels("HERE_REPORT", "{{ .")
    assert labels("HERE_REPORT", "{{ .re") == ["resolver_input"]


def test_iterator_is_not_offered_in_the_foreach_expression_itself() -> None:
    text = TEMPLATE.replace("foreach: '{{.step.fetch.output.items}}'", "foreach: 'HERE_FOREACH'")
    document, offset = at("HERE_FOREACH", "{{ .", text)
    assert "iterator" not in [c.label for c in handles_at(document, offset)]


def test_steps_ancestors_first_then_this_then_the_rest() -> None:
    document, offset = at("HERE_REPORT", "{{ .step.")
    found = handles_at(document, offset)
    assert [c.label for c in found] == ["notify", "fetch", "this", "quoted step", "cleanup"]
    assert "dependency" in found[0].detail and "before" in found[1].detail
    assert labels("HERE_REPORT", "{{ .step.no") == ["notify"]


def test_step_fields_inputs_task_variables_and_schema_properties() -> None:
    assert labels("HERE_REPORT", "{{ .step.fetch.")[:4] == ["output", "metadata", "state", "children"]
    assert labels("HERE_REPORT", "{{ .step.fetch.output.") == ["items", "total"]
    assert labels("HERE_REPORT", "{{ .step.ghost.") == []
    assert labels("HERE_REPORT", "{{ .input.") == ["host", "count"]
    assert labels("HERE_REPORT", "{{ .resolver_input.") == ["reason"]
    assert labels("HERE_REPORT", "{{ .var.") == ["region"]
    assert "task_id" in labels("HERE_REPORT", "{{ .task.") and labels("HERE_REPORT", "{{ .task.reg") == ["region"]
    assert labels("HERE_NOTIFY", "{{ .config.") == ["smtp_host"]  # config keys the file already uses


def test_input_details_say_type_and_description() -> None:
    document, offset = at("HERE_REPORT", "{{ .input.")
    details = {c.label: c.detail for c in handles_at(document, offset)}
    assert details == {"host": "string · Where to connect.", "count": "number"}


def test_function_names_after_the_opening_or_a_pipe() -> None:
    assert labels("HERE_REPORT", "{{ upp") == ["upper"]
    assert labels("HERE_REPORT", "{{ .input.host | trimS") == ["trimSuffix"]
    assert "fromJson" in labels("HERE_REPORT", "{{- fromJ")
    document, offset = at("HERE_REPORT", "{{ eva")
    assert [(c.label, c.detail) for c in handles_at(document, offset)] == [
        ("eval", "function · µTask"), ("evalCache", "function · µTask")]


def test_nothing_outside_a_handle_or_after_a_closed_one() -> None:
    assert labels("HERE_REPORT", ".step.") == []
    assert labels("HERE_REPORT", "{{ .input.host }} .step.") == []
    assert labels("HERE_REPORT", "{{ $x.") == []  # a field of a variable, not of the root
    assert completion_context("{{ .input.ho", 12) is not None
    assert completion_context("{{ .input.ho", 12).prefix == "ho"  # type: ignore[union-attr]


def test_function_args_only_in_a_function_file() -> None:
    function = ("name: notify::slack\ndescription: Post.\naction:\n  type: echo\n  configuration:\n"
                "    output: {text: '{{.function_args.channel}} HERE'}\n")
    document, offset = at("HERE", "{{ .", function)
    assert "function_args" in [c.label for c in handles_at(document, offset)]
    document, offset = at("HERE", "{{ .function_args.", function)
    assert [c.label for c in handles_at(document, offset)] == ["channel"]


def test_names_survive_broken_yaml_from_the_last_parse() -> None:
    document = TemplateDocument(TEMPLATE, auto_validate=False)
    document.defer_text_parsing = True
    assert handles_at(document, 0) == []  # remembers the parse
    offset = TEMPLATE.index("HERE_REPORT")
    ReplaceText(offset, offset, "{{ .step.fe").apply(document)
    ReplaceText(0, 0, "oops: [\n").apply(document)
    document.refresh(validate=False)
    assert document.snapshot is None  # the YAML is broken now
    assert [c.label for c in handles_at(document, offset + len("{{ .step.fe") + len("oops: [\n"))] == ["fetch"]


@pytest.mark.parametrize(("marker", "step"), [
    ("Fetch.", "fetch"), ("Quoted key.", "quoted step"), ("HERE_NOTIFY", "notify"),
    ("# a comment", "notify"), ("  report:", "report"), ("name: scope", None), ("  - name: host", None),
])
def test_step_at_finds_the_enclosing_step_from_the_text(marker: str, step: str | None) -> None:
    location = step_at(TEMPLATE, TEMPLATE.index(marker) + 2)
    assert (location.name if location else None) == step
    if location is not None:
        assert TEMPLATE[location.key_offset:].startswith((step or "", f'"{step}"'))


def test_step_key_offset_and_windows_line_breaks() -> None:
    assert step_key_offset(TEMPLATE, "report") == TEMPLATE.index("report:")
    assert step_key_offset(TEMPLATE, "quoted step") == TEMPLATE.index('"quoted step"')
    assert step_key_offset(TEMPLATE, "ghost") is None
    crlf = TEMPLATE.replace("\n", "\r\n")
    location = step_at(crlf, crlf.index("Report."))
    assert location is not None and location.name == "report"
    assert step_key_offset(crlf, "cleanup") == crlf.index("cleanup:")
    assert step_at("steps: {a: {}}\n", 9) is None


def test_a_snapshot_works_like_its_document() -> None:
    document, offset = at("HERE_REPORT", "{{ .step.")
    assert document.snapshot is not None
    assert handles_at(document.snapshot, offset) == handles_at(document, offset)

"""Each edit changes only the lines it must, keeps comments and style, and reverts to the exact bytes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from document_support import SAMPLES, SHARED_TEMPLATES, changes

from studio.document import (
    DELETE,
    AddStep,
    Connect,
    Disconnect,
    Edit,
    EditError,
    RemoveStep,
    RenameStep,
    ReplaceText,
    SetField,
    TemplateDocument,
)

TEMPLATE = """\
# A hand-written template: comments, both list styles, quoted strings.
name: demo
description: Demo template
title_format: 'Demo {{.input.target}}'
inputs:
- name: target   # flush list style
steps:
  # Fetch something first.
  fetch:
    description: fetch it
    action:
      type: echo
      configuration:
        output: {id: '{{.input.target}}'}

  # Then transform it.
  transform:
    description: "transform {{ .step.fetch.output.id }}"
    dependencies: [fetch]
    action:
      type: echo
      configuration:
        output:
          id: '{{ index .step "fetch" "output" "id" }}'
          again: '{{ field "step" "fetch" "output" "id" }}'
    conditions:
      - type: skip
        if:
          - value: '{{.step.fetch.state}}'
            operator: EQ
            expected: DONE
        then:
          fetch: DONE
  report:
    dependencies:
      - transform
      - fetch:ANY  # whatever its state
    action:
      type: echo
      configuration: {output: {x: '{{.step.transform.output.id}}'}}
"""


def _apply(document: TemplateDocument, edit: Edit) -> tuple[list[str], list[str]]:
    before = document.text
    edit.apply(document)
    after = document.text
    removed, added = changes(before, after)
    edit.revert(document)
    assert document.text == before, "revert must restore the exact text"
    edit.apply(document)  # redo replays the same patches
    assert document.text == after
    return removed, added


@pytest.fixture
def document() -> TemplateDocument:
    return TemplateDocument(TEMPLATE)


def test_set_existing_scalar_keeps_quoting(document: TemplateDocument) -> None:
    removed, added = _apply(document, SetField(("steps", "transform", "description"), "new text"))
    assert removed == ['    description: "transform {{ .step.fetch.output.id }}"']
    assert added == ['    description: "new text"']
    removed, added = _apply(document, SetField(("title_format",), "T {{.input.target}}"))
    assert added == ["title_format: 'T {{.input.target}}'"]


def test_set_creates_missing_parents_in_file_style(document: TemplateDocument) -> None:
    removed, added = _apply(document, SetField(("steps", "fetch", "retry_pattern"), "minutes"))
    assert removed == [] and added == ["    retry_pattern: minutes"]
    removed, added = _apply(document, SetField(("steps", "report", "json_schema", "type"), "object"))
    assert removed == [] and added == ["    json_schema:", "      type: object"]
    assert document.snapshot is not None
    assert document.snapshot.data["steps"]["report"]["json_schema"] == {"type": "object"}


def test_set_in_flow_mapping_inserts_only_the_new_item(document: TemplateDocument) -> None:
    path = ("steps", "fetch", "action", "configuration", "output", "extra")
    removed, added = _apply(document, SetField(path, "x y"))
    assert removed == ["        output: {id: '{{.input.target}}'}"]
    assert added == ["        output: {id: '{{.input.target}}', extra: x y}"]


def test_delete_field(document: TemplateDocument) -> None:
    removed, added = _apply(document, SetField(("steps", "fetch", "description"), DELETE))
    assert removed == ["    description: fetch it"] and added == []


def test_add_step_after_the_last_in_file_style(document: TemplateDocument) -> None:
    step = {"description": "notify: someone", "dependencies": ["report"], "action": {"type": "echo"}}
    removed, added = _apply(document, AddStep("notify", step))
    assert removed == []
    assert added == ["  notify:", "    description: 'notify: someone'", "    dependencies:", "      - report",
                     "    action:", "      type: echo"]
    assert document.text.endswith(added[-1] + "\n")
    assert "notify" in document.structure


def test_add_step_refuses_a_duplicate_name(document: TemplateDocument) -> None:
    with pytest.raises(EditError, match="already exists"):
        AddStep("fetch", {}).apply(document)
    assert document.text == TEMPLATE


def test_rename_refactors_every_reference(document: TemplateDocument) -> None:
    removed, added = _apply(document, RenameStep("fetch", "download"))
    assert len(removed) == len(added) == 8
    assert all("fetch" in line for line in removed)
    assert not any("fetch" in line for line in added if "fetch it" not in line)
    assert "    dependencies: [download]" in added
    assert "      - download:ANY  # whatever its state" in added
    assert "          download: DONE" in added
    assert document.validation.ok, [d.format_text() for d in document.diagnostics]
    assert list(document.structure) == ["download", "transform", "report"]


@pytest.mark.parametrize("path", SAMPLES + SHARED_TEMPLATES, ids=lambda p: p.name)
def test_renaming_every_step_changes_no_diagnostic(path: Path) -> None:
    document = TemplateDocument.open(path)
    if document.snapshot is None:
        pytest.skip("not YAML without µTask's tab replacement")
    # A reserved step name is the one thing a rename may legitimately fix.
    before = Counter(d.code for d in document.diagnostics if d.code != "step-name-reserved")
    for index, name in enumerate(list(document.structure)):
        RenameStep(name, f"renamed_{index}").apply(document)
    assert Counter(d.code for d in document.diagnostics) == before
    assert list(document.structure) == [f"renamed_{i}" for i in range(len(document.structure))]


def test_rename_refuses_bad_names(document: TemplateDocument) -> None:
    with pytest.raises(EditError, match="already exists"):
        RenameStep("fetch", "report").apply(document)
    with pytest.raises(EditError, match="usable step name"):
        RenameStep("fetch", "a b").apply(document)


def test_remove_step_removes_its_dependencies_in_one_edit(document: TemplateDocument) -> None:
    removed, added = _apply(document, RemoveStep("transform"))
    assert "      - transform" in removed
    assert added == []
    assert "  # Then transform it." in removed  # its own comment goes with it
    assert "  # Fetch something first." in document.text  # the others stay
    assert document.structure["report"] == ("fetch:ANY",)


def test_remove_step_drops_an_emptied_dependency_list(document: TemplateDocument) -> None:
    removed, added = _apply(document, RemoveStep("fetch"))
    assert "    dependencies: [fetch]" in removed
    assert "      - fetch:ANY  # whatever its state" in removed
    assert added == []
    assert document.structure["transform"] == ()


def test_connect_appends_in_the_list_style() -> None:
    document2 = TemplateDocument(TEMPLATE.replace("      - fetch:ANY  # whatever its state\n", ""))
    removed, added = _apply(document2, Connect("report", "fetch", "NOT_FOUND"))
    assert removed == [] and added == ["      - fetch:NOT_FOUND"]
    AddStep("late", {"description": "x"}).apply(document2)
    removed, added = _apply(document2, Connect("transform", "late"))
    assert removed == ["    dependencies: [fetch]"] and added == ["    dependencies: [fetch, late]"]
    removed, added = _apply(document2, Connect("fetch", "late"))
    assert removed == [] and added == ["    dependencies:", "      - late"]  # one flow list, one block: a tie


def test_connect_creates_a_flow_list_where_the_file_prefers_them() -> None:
    document = TemplateDocument.open(next(p for p in SAMPLES if p.name == "payments-antifraud.yaml"))
    AddStep("late", {"description": "x"}).apply(document)
    removed, added = _apply(document, Connect("late", "approve"))
    assert removed == [] and added == ["    dependencies: [approve]"]


def test_connect_refuses_a_cycle_with_a_clear_message(document: TemplateDocument) -> None:
    with pytest.raises(EditError, match=r"cycle: report already depends on fetch \(report → transform → fetch\)"
                       r"|cycle: report already depends on fetch \(report → fetch\)"):
        Connect("fetch", "report").apply(document)
    with pytest.raises(EditError, match="itself"):
        Connect("fetch", "fetch").apply(document)
    with pytest.raises(EditError, match="already depends"):
        Connect("report", "fetch").apply(document)
    assert document.text == TEMPLATE


def test_disconnect(document: TemplateDocument) -> None:
    removed, added = _apply(document, Disconnect("report", "fetch"))
    assert removed == ["      - fetch:ANY  # whatever its state"] and added == []
    removed, added = _apply(document, Disconnect("transform", "fetch"))
    assert removed == ["    dependencies: [fetch]"] and added == []
    with pytest.raises(EditError):
        Disconnect("fetch", "report").apply(document)


def test_replace_text_merges_keystrokes_and_reverts(document: TemplateDocument) -> None:
    offset = document.text.index("demo") + 4
    first = ReplaceText(offset, offset, "x")
    first.apply(document)
    second = ReplaceText(offset + 1, offset + 1, "y")
    second.apply(document)
    assert first.can_merge(second)
    first.merge(second)
    back = ReplaceText(offset + 1, offset + 2, "")
    back.apply(document)
    assert first.can_merge(back)
    first.merge(back)
    assert "name: demox\n" in document.text
    first.revert(document)
    assert document.text == TEMPLATE
    assert not first.can_merge(ReplaceText(0, 0, "\n"))


def test_replace_text_whole_is_minimal(document: TemplateDocument) -> None:
    edit = ReplaceText.whole(document, TEMPLATE.replace("name: demo", "name: demo2"))
    assert (edit.start, edit.end, edit.new) == (TEMPLATE.index("demo") + 4,) * 2 + ("2",)


def test_edits_use_crlf_in_a_crlf_file() -> None:
    document = TemplateDocument(TEMPLATE.replace("\n", "\r\n"))
    AddStep("late", {"description": "x"}).apply(document)
    SetField(("steps", "late", "retry_pattern"), "hours").apply(document)
    assert "\n" not in document.text.replace("\r\n", "")
    assert document.snapshot is not None and document.snapshot.data["steps"]["late"]["retry_pattern"] == "hours"


def test_four_space_file_keeps_four_spaces() -> None:
    text = "name: x\nsteps:\n    a:\n        description: y\n        dependencies:\n            - b\n    b:\n" \
           "        description: z\n"
    document = TemplateDocument(text)
    AddStep("c", {"action": {"type": "echo"}, "dependencies": ["a"]}).apply(document)
    removed, added = changes(text, document.text)
    assert added == ["    c:", "        action:", "            type: echo", "        dependencies:", "            - a"]


def test_no_final_newline_is_kept() -> None:
    document = TemplateDocument("name: x\nsteps:\n  a:\n    description: y")
    AddStep("b", {"description": "z"}).apply(document)
    assert document.text == "name: x\nsteps:\n  a:\n    description: y\n  b:\n    description: z"


def test_structure_edits_refused_while_broken() -> None:
    document = TemplateDocument("name: [\n")
    with pytest.raises(EditError, match="broken"):
        AddStep("a", {}).apply(document)
    ReplaceText(7, 7, "]").apply(document)  # raw text edits still work
    assert document.snapshot is not None


def test_add_step_keeps_blank_line_separation() -> None:
    document = TemplateDocument.open(next(p for p in SAMPLES if p.name == "k8s-ingress-tls.yaml"))
    before = document.text
    AddStep("zz", {"description": "y"}).apply(document)
    removed, added = changes(before, document.text)
    assert removed == [] and [line for line in added if line] == ["  zz:", "    description: 'y'"]
    assert "\n\n  zz:\n    description: 'y'\n\nresult_format:" in document.text


def test_a_lone_string_dependency_is_a_list_of_one() -> None:
    document = TemplateDocument("steps:\n  a:\n    description: a\n  b:\n    dependencies: a\n"
                                "  c:\n    dependencies: b\n")
    removed, added = _apply(document, RenameStep("a", "z"))
    assert "    dependencies: z" in added
    removed, added = _apply(document, Connect("c", "z"))
    assert removed == ["    dependencies: b"] and added == ["    dependencies:", "      - b", "      - z"]
    removed, added = _apply(document, RemoveStep("z"))
    assert "    dependencies: z" in removed and "      - z" in removed
    assert document.structure == {"b": (), "c": ("b",)}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_setting_each_step_description_touches_only_its_lines(path: Path) -> None:
    document = TemplateDocument.open(path)
    assert document.snapshot is not None
    for name in document.structure:
        field = ("steps", name, "description")
        if not document.snapshot.has_value(field):
            continue
        line, _, end_line, _ = document.snapshot.source_map.values[field]
        removed, added = _apply(document, SetField(field, f"new description of {name}"))
        assert len(removed) == end_line - line + 1
        assert added == [f"    description: new description of {name}"]


def test_list_items_follow_the_list_they_join(document: TemplateDocument) -> None:
    removed, added = _apply(document, SetField(("inputs", 1), {"name": "other", "description": "x"}))
    assert removed == [] and added == ["- name: other", "  description: x"]  # this list is written flush
    removed, added = _apply(document, SetField(("inputs", 0, "optional"), True))
    assert removed == [] and added == ["  optional: true"]
    removed, added = _apply(document, SetField(("steps", "transform", "conditions", 0, "if", 0, "operator"), "NE"))
    assert removed == ["            operator: EQ"] and added == ["            operator: NE"]
    removed, added = _apply(document, SetField(("variables",), [{"name": "v", "value": "1"}]))
    assert removed == [] and added == ["variables:", "  - name: v", "    value: '1'"]
    with pytest.raises(EditError, match="has 2 items"):
        SetField(("inputs", 5), {"name": "x"}).apply(document)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_comments_survive_canvas_edits(path: Path) -> None:
    document = TemplateDocument.open(path)
    comments = [line for line in document.text.splitlines() if line.lstrip().startswith("#")]
    first, second, *_ = list(document.structure)
    for edit in (AddStep("extra", {"action": {"type": "echo"}}), Connect("extra", second, "ANY"),
                 RenameStep(first, "renamed_first"), SetField(("steps", second, "retry_pattern"), "minutes"),
                 Disconnect("extra", second)):
        edit.apply(document)
    kept = document.text.splitlines()
    assert [c for c in comments if c not in kept and first not in c] == []

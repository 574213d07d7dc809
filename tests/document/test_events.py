"""Change events, broken YAML, and the model kept while the text cannot be read."""

from __future__ import annotations

from studio.document import (
    AddStep,
    Connect,
    DiagnosticsChanged,
    Event,
    MoveSteps,
    PositionsChanged,
    RemoveStep,
    RenameStep,
    ReplaceText,
    StructureChanged,
    TemplateDocument,
    TextChanged,
)

TEXT = """\
name: events
description: events test
title_format: events
steps:
  a:
    action: {type: echo, configuration: {output: {x: '1'}}}
  b:
    dependencies: [a]
    action: {type: echo, configuration: {output: {x: '{{.step.a.output.x}}'}}}
"""


def _record(document: TemplateDocument) -> list[Event]:
    events: list[Event] = []
    document.subscribe(events.append)
    return events


def test_add_step_emits_text_then_structure() -> None:
    document = TemplateDocument(TEXT)
    events = _record(document)
    AddStep("c", {"action": {"type": "echo"}}).apply(document)
    assert isinstance(events[0], TextChanged) and events[0].ranges == ((len(TEXT), 0, len(document.text) - len(TEXT)),)
    assert events[1] == StructureChanged(added=frozenset({"c"}))


def test_rename_is_reported_as_a_rename_not_add_and_remove() -> None:
    document = TemplateDocument(TEXT)
    document.positions["a"] = (10.0, 20.0)
    events = _record(document)
    edit = RenameStep("a", "first")
    edit.apply(document)
    structure = [e for e in events if isinstance(e, StructureChanged)]
    assert structure == [StructureChanged(renamed=(("a", "first"),))]
    assert document.positions == {"first": (10.0, 20.0)}  # the node keeps its place
    edit.revert(document)
    assert [e for e in events if isinstance(e, StructureChanged)][-1] == StructureChanged(renamed=(("first", "a"),))
    assert document.positions == {"a": (10.0, 20.0)}


def test_compound_edit_delivers_one_structure_change() -> None:
    document = TemplateDocument(TEXT)
    events = _record(document)
    RemoveStep("a").apply(document)
    structure = [e for e in events if isinstance(e, StructureChanged)]
    assert structure == [StructureChanged(removed=frozenset({"a"}), dependencies=frozenset({"b"}))]
    assert sum(isinstance(e, DiagnosticsChanged) for e in events) <= 1


def test_dependency_change_and_unsubscribe() -> None:
    document = TemplateDocument(TEXT)
    events = _record(document)
    AddStep("c", {"action": {"type": "echo"}}).apply(document)
    events.clear()
    Connect("c", "b", "ANY").apply(document)
    assert StructureChanged(dependencies=frozenset({"c"})) in events
    other: list[Event] = []
    unsubscribe = document.subscribe(other.append)
    unsubscribe()
    MoveSteps({"c": (1.0, 2.0)}).apply(document)
    assert other == [] and events[-1] == PositionsChanged(frozenset({"c"}))


def test_moves_merge_and_revert_to_the_first_position() -> None:
    document = TemplateDocument(TEXT)
    first = MoveSteps({"a": (1.0, 1.0)})
    first.apply(document)
    second = MoveSteps({"a": (5.0, 5.0)})
    second.apply(document)
    assert first.can_merge(second)
    first.merge(second)
    first.revert(document)
    assert "a" not in document.positions
    first.apply(document)
    assert document.positions["a"] == (5.0, 5.0)


def test_broken_yaml_keeps_the_last_good_template_and_says_why() -> None:
    document = TemplateDocument(TEXT)
    good = document.template
    assert good is not None and list(good.steps) == ["a", "b"]
    events = _record(document)
    offset = document.text.index("dependencies: [a]") + len("dependencies: [a")
    edit = ReplaceText(offset, offset + 1, "")  # `[a` : an unclosed flow list
    edit.apply(document)
    assert document.snapshot is None and document.template is None
    assert document.last_good_template is good
    assert list(document.structure) == ["a", "b"]  # the canvas keeps drawing the last good graph
    assert StructureChanged(parsed=False) in events
    problems = [d for d in document.diagnostics if d.is_error]
    assert problems and problems[0].code == "yaml-syntax" and problems[0].line >= 8
    assert any(isinstance(e, DiagnosticsChanged) and e.diagnostics for e in events)
    edit.revert(document)
    assert document.text == TEXT and document.validation.ok
    assert document.last_good_template is not good and document.last_good_template is document.template


def test_deferred_validation() -> None:
    document = TemplateDocument(TEXT, auto_validate=False)
    events = _record(document)
    AddStep("c", {"action": {"type": "nope"}}).apply(document)
    assert not any(isinstance(e, DiagnosticsChanged) for e in events)
    document.refresh_diagnostics()
    assert any(d.code == "action-type-unknown" for d in document.diagnostics)
    assert isinstance(events[-1], DiagnosticsChanged)


def test_deferred_parsing_while_typing() -> None:
    document = TemplateDocument(TEXT)
    document.defer_text_parsing = True
    events = _record(document)
    offset = document.text.index("  b:\n") + 3
    for index, char in enumerate("ee"):
        ReplaceText(offset - 1 + index, offset - 1 + index, char).apply(document)  # `b:` becomes `eeb:`
    assert all(isinstance(e, TextChanged) for e in events) and len(events) == 2
    document.refresh()
    assert StructureChanged(added=frozenset({"eeb"}), removed=frozenset({"b"})) in events
    assert list(document.structure) == ["a", "eeb"]


def test_a_validation_computed_for_an_older_text_is_dropped() -> None:
    from studio.document import compute_validation

    document = TemplateDocument(TEXT, auto_validate=False)
    stale = compute_validation(document.text, document.file_name, None)  # as a worker thread would
    AddStep("c", {"action": {"type": "nope"}}).apply(document)
    document.refresh_diagnostics(stale)
    assert document._result is None or document._result is not stale
    fresh = compute_validation(document.text, document.file_name, None)
    document.refresh_diagnostics(fresh)
    assert document.validation is fresh and any(d.code == "action-type-unknown" for d in document.diagnostics)

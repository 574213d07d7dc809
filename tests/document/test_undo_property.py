"""Random sequences of edits on the samples: every edit keeps the YAML readable and does what it says,
and reverting them all, last first, gives back the original bytes."""

from __future__ import annotations

from typing import Any

from document_support import SAMPLES, SHARED_TEMPLATES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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

# The conformance templates (when present) bring other styles: 4-space indents, `key:` with no value...
TEXTS = {path.name: path.read_text(encoding="utf-8") for path in SAMPLES + SHARED_TEMPLATES
         if "steps:" in path.read_text(encoding="utf-8")}
ODD = ["a: b", "{{.input.x}}", "x\ny\n", "it's", "- item", "#no", "yes", "0x1f", "~"]
VALUES = st.one_of(st.text(max_size=20), st.integers(-(2**63), 2**63 - 1), st.booleans(), st.sampled_from(ODD))
FIELDS = ["description", "retry_pattern", "foreach", "max_retries", "idempotent", "json_schema"]


def _draw_edit(data: st.DataObject, document: TemplateDocument, counter: int) -> Edit:
    steps = list(document.structure)
    kind = data.draw(st.sampled_from(["set", "nested", "delete", "add", "remove", "rename", "connect",
                                      "disconnect", "text"]))
    step = data.draw(st.sampled_from(steps)) if steps else "none"
    if kind == "set":
        return SetField(("steps", step, data.draw(st.sampled_from(FIELDS))), data.draw(VALUES))
    if kind == "nested":
        return SetField(("steps", step, "action", "configuration", f"k{counter}", "deep"), data.draw(VALUES))
    if kind == "delete":
        return SetField(("steps", step, data.draw(st.sampled_from(FIELDS))), DELETE)
    if kind == "add":
        return AddStep(f"new{counter}", {"description": data.draw(VALUES), "action": {"type": "echo"}})
    if kind == "remove":
        return RemoveStep(step)
    if kind == "rename":
        return RenameStep(step, f"ren{counter}")
    if kind in ("connect", "disconnect"):
        target = data.draw(st.sampled_from(steps)) if steps else "none"
        state = data.draw(st.sampled_from([None, "ANY", "NOT_FOUND"]))
        return Connect(step, target, state) if kind == "connect" else Disconnect(step, target)
    start = data.draw(st.integers(0, len(document.text)))
    return ReplaceText(start, start, data.draw(st.sampled_from(["", "#", " ", "x"])))


def _check_effect(edit: Edit, document: TemplateDocument, names_before: list[str]) -> None:
    snap = document.snapshot
    if isinstance(edit, ReplaceText):
        return
    assert snap is not None, f"{edit.description} broke the YAML"
    if isinstance(edit, SetField):
        present = snap.has_value(edit.path)
        assert present == (edit.value is not DELETE)
        if present:
            assert _same(snap.value_at(edit.path), edit.value)
    elif isinstance(edit, RenameStep):
        assert list(document.structure) == [edit.new if n == edit.old else n for n in names_before]
    elif isinstance(edit, RemoveStep):
        assert edit.name not in document.structure
        assert not any(d.split(":")[0] == edit.name for deps in document.structure.values() for d in deps)


def _same(read: Any, written: Any) -> bool:
    # µTask's YAML 1.1 reads what we wrote back as the same value (strings stay strings).
    return bool(read == written)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_edits_revert_to_the_original_bytes(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(TEXTS)))
    document = TemplateDocument(TEXTS[name], auto_validate=False)
    applied: list[Edit] = []
    for counter in range(data.draw(st.integers(1, 8))):
        edit = _draw_edit(data, document, counter)
        before, names = document.text, list(document.structure)
        try:
            edit.apply(document)
        except EditError:
            assert document.text == before, "a refused edit must leave no trace"
            continue
        _check_effect(edit, document, names)
        applied.append(edit)
    for edit in reversed(applied):
        edit.revert(document)
    assert document.text == TEXTS[name]
    for edit in applied:  # and redo everything
        edit.apply(document)

"""The `NAME.studio.json` sidecar and the `NAME.studio.recovery` autosave."""

from __future__ import annotations

from pathlib import Path

from studio.document import RenameStep, ReplaceText, Sidecar, TemplateDocument, read_sidecar, write_sidecar
from studio.document.sidecar import sidecar_path

TEXT = "name: s\nsteps:\n  a:\n    action: {type: echo}\n  b:\n    dependencies: [a]\n"


def test_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    sidecar = Sidecar({"a": (1.5, -2.0)}, {"fixtures": {"a": {"x": 1}}})
    path = write_sidecar(template, sidecar)
    assert path == tmp_path / "t.studio.json"
    read = read_sidecar(template)
    assert read.positions == {"a": (1.5, -2.0)} and read.extra == {"fixtures": {"a": {"x": 1}}}
    assert read.problem is None


def test_missing_sidecar_is_empty(tmp_path: Path) -> None:
    read = read_sidecar(tmp_path / "t.yaml")
    assert read.positions == {} and read.problem is None


def test_corrupt_sidecars_are_reported_not_fatal(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(TEXT)
    for content, expected in (("{not json", "not valid JSON"), ("[1, 2]", "not a JSON object"),
                              ('{"positions": {"a": [1, 2], "b": "x", "c": [1, NaN]}}', "2 unreadable"),
                              (b"\xff\xfe\x00", "cannot read")):
        if isinstance(content, bytes):
            sidecar_path(template).write_bytes(content)
        else:
            sidecar_path(template).write_text(content)
        document = TemplateDocument.open(template)
        assert document.sidecar.problem is not None and expected in document.sidecar.problem
        assert list(document.structure) == ["a", "b"]


def test_rename_moves_positions_and_saves_them(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(TEXT)
    write_sidecar(template, Sidecar({"a": (3.0, 4.0), "b": (5.0, 6.0)}))
    document = TemplateDocument.open(template)
    RenameStep("a", "first").apply(document)
    document.save()
    document.save_sidecar()
    assert read_sidecar(template).positions == {"first": (3.0, 4.0), "b": (5.0, 6.0)}


def test_recovery_is_written_detected_and_restored(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(TEXT)
    document = TemplateDocument.open(template)
    assert document.write_recovery() is None  # nothing unsaved
    ReplaceText(6, 7, "changed").apply(document)
    recovery = document.write_recovery()
    assert recovery == tmp_path / "t.studio.recovery"
    assert TemplateDocument.recovery_for(template) == recovery
    restored = TemplateDocument.open_recovered(template)
    assert restored.text == document.text and restored.is_dirty
    restored.save()
    assert template.read_text() == document.text
    assert not recovery.exists() and TemplateDocument.recovery_for(template) is None

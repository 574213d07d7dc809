"""Open then save without edits gives the very same bytes, for every sample and conformance template."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from document_support import SAMPLES, SHARED_TEMPLATES

from studio.document import TemplateDocument

ODD_FILES = {
    "crlf.yaml": b"name: x\r\nsteps:\r\n  a:\r\n    action: {type: echo}\r\n",
    "bom.yaml": b"\xef\xbb\xbfname: x\nsteps: {}\n",
    "no-final-newline.yaml": b"name: x\nsteps:\n  a:\n    description: last",
    "tabs.yaml": b"name: x\ndescription: \"a\\tb\"  # tab\there\n",
    "utf16.yaml": "name: é\n".encode("utf-16"),
    "broken.yaml": b"name: [unclosed\n  steps:\n",
    "empty.yaml": b"",
    "mixed-breaks.yaml": b"a: 1\r\nb: 2\nc: 3\r\n",
}


def _round_trip(path: Path, tmp_path: Path) -> None:
    document = TemplateDocument.open(path)
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    TemplateDocument.open(copy).save()
    assert copy.read_bytes() == path.read_bytes()
    assert not document.is_dirty


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_save_byte_identical(path: Path, tmp_path: Path) -> None:
    _round_trip(path, tmp_path)


@pytest.mark.parametrize("path", SHARED_TEMPLATES or [None], ids=lambda p: p.name if p else "absent")
def test_conformance_templates_save_byte_identical(path: Path | None, tmp_path: Path) -> None:
    if path is None:
        pytest.skip("../shared/conformance/utask/templates is not available")
    _round_trip(path, tmp_path)


@pytest.mark.parametrize("name", sorted(ODD_FILES))
def test_odd_files_save_byte_identical(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(ODD_FILES[name])
    TemplateDocument.open(path).save()
    assert path.read_bytes() == ODD_FILES[name]


def test_save_keeps_mode_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("name: x\n")
    os.chmod(path, 0o640)
    document = TemplateDocument.open(path)
    document.save()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.yaml"]


def test_save_as_new_file(tmp_path: Path) -> None:
    document = TemplateDocument("name: x\r\n")
    with pytest.raises(ValueError):
        document.save()
    target = document.save(tmp_path / "new.yaml")
    assert target.read_bytes() == b"name: x\r\n" and document.path == target

"""Shared fixtures: where the shared conformance data lives, and helpers to write template files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """The team's shared folder (specs and conformance data); tests that need it skip without it."""
    if not (SHARED / "conformance").is_dir():
        pytest.skip("../shared/conformance is not available")
    return SHARED


@pytest.fixture
def write(tmp_path: Path):
    """Write a template file from text and return its path."""

    def _write(text: str | bytes, name: str = "template.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write

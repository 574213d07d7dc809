"""Shared helpers of the document-model tests."""

from __future__ import annotations

import difflib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
SHARED_TEMPLATES = sorted((ROOT.parent / "shared" / "conformance" / "utask" / "templates").glob("*.yaml"))


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed and lines added between two texts (line breaks stripped)."""
    removed: list[str] = []
    added: list[str] = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added

"""Differential test against real Go: tests/templating/data/go_parse_golden.jsonl.

Each line holds a template and what Go's text/template produced for it: the parse error, or a dump of
every tree (node types, byte positions, number classification as IEEE bits) plus each root's String().
The file comes from go_oracle/ (Go 1.19.8, the only Go available offline); cases where 1.19 and the
Go 1.24 that µTask uses are known to differ are excluded there (see go_oracle/regen.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tmpl_treedump import parse_result

GOLDEN = Path(__file__).parent / "data" / "go_parse_golden.jsonl"
CASES: list[dict[str, Any]] = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[f"golden{i}" for i in range(len(CASES))])
def test_matches_go(case: dict[str, Any]) -> None:
    ours = parse_result(case["tmpl"])
    go = case["go"]
    assert ours["err"] == go["err"]
    if go["err"] is None:
        assert ours["trees"] == go["trees"]
        assert ours["strs"] == go["strs"]


def test_golden_file_covers_errors_and_trees() -> None:
    errors = sum(1 for c in CASES if c["go"]["err"])
    assert errors > 300 and len(CASES) - errors > 300

"""The Go templating corpus (conformance/templating/) and the `kind: templating` cases of cases.yaml.

`public.jsonl` and `bytes_outputs.jsonl` must pass entirely (the README's level 1), and every expected
error must also agree with Go's positions (level 2).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.templating import Values, Variable
from tests.conformance import run_templating

RUNNER = Path(__file__).with_name("run_templating.py")


def _results(path: Path) -> list[run_templating.Result]:
    return [run_templating.check(case) for case in run_templating.load_cases(path)]


@pytest.mark.parametrize("name", ["public.jsonl", "bytes_outputs.jsonl"])
def test_corpus_passes(shared: Path, name: str) -> None:
    from engine.templating.executor import FUNCTION_LOAD_ERRORS

    results = _results(shared / "conformance/templating" / name)
    failures = [f"{r.case_id}: {r.detail}" for r in results if not r.passed]
    assert not FUNCTION_LOAD_ERRORS, FUNCTION_LOAD_ERRORS
    assert not failures, f"{len(failures)}/{len(results)} failed:\n" + "\n".join(failures[:30])


def test_error_positions_agree_with_go(shared: Path) -> None:
    """Level 2 (location, template, node) for every expected error we reproduce at level 1."""
    results = _results(shared / "conformance/templating/public.jsonl")
    wrong = [r.case_id for r in results if r.passed and r.level2 is False]
    assert not wrong


def test_nondeterministic_shapes_of_our_functions(shared: Path) -> None:
    lines = (shared / "conformance/templating/nondeterministic.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    ours = [e for e in entries if e["function"] in ("uuid", "eval")]
    assert len(ours) == 4
    # The eval entries use JS variables named in their notes: r = Math.random(), d = Date.now().
    values = Values(variables={"r": Variable("r", expression="Math.random()"),
                               "d": Variable("d", expression="Date.now()")})
    for entry in ours:
        for _ in range(5):
            assert re.fullmatch(entry["shape_regex"], values.apply(entry["tmpl"])), entry["tmpl"]


def test_every_nondeterministic_shape_matches(shared: Path) -> None:
    corpus = shared / "conformance/templating/nondeterministic.jsonl"
    result = subprocess.run([sys.executable, str(RUNNER), str(corpus)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "32 passed, 0 failed"


def test_runner_script_reports_failures(tmp_path: Path) -> None:
    corpus = tmp_path / "cases.jsonl"
    corpus.write_text(
        json.dumps({"id": "ok-1", "group": "g", "tmpl": "{{.input.a}}", "context": {"input": {"a": 1}},
                    "numbers": "json_number", "expect": {"out": "1"}}) + "\n"
        + json.dumps({"id": "bad-1", "group": "g", "tmpl": "{{.input.a}}", "context": {}, "numbers": "float64",
                      "expect": {"out": "x"}}) + "\n",
        encoding="utf-8",
    )
    result = subprocess.run([sys.executable, str(RUNNER), str(corpus)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "FAIL bad-1" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"


def test_templating_cases_of_cases_yaml(shared: Path) -> None:
    runner = Path(__file__).with_name("run_engine.py")
    result = subprocess.run(
        [sys.executable, str(runner), str(shared / "conformance/utask/cases.yaml"), "--kind", "templating"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "5 passed, 0 failed"

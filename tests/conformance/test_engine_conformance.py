"""µTask's own scenarios, through the standalone runner script (as CI users run it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

RUNNER = Path(__file__).with_name("run_engine.py")

# Engine cases the runner cannot pass yet, with the reason. A case listed here that starts passing fails
# the test too, so the list stays honest.
KNOWN_FAILING: dict[str, str] = {}
# Engine cases that need capabilities the runner does not provide (reported as skipped).
KNOWN_SKIPPED: dict[str, str] = {}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUNNER), *args], capture_output=True, text=True, timeout=600)


def test_every_validation_case_passes(shared: Path) -> None:
    result = run(str(shared / "conformance/utask/cases.yaml"), "--kind", "validation")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "15 passed, 0 failed"


def test_engine_cases(shared: Path) -> None:
    cases_file = shared / "conformance/utask/cases.yaml"
    result = run(str(cases_file), "--kind", "engine")
    lines = result.stdout.splitlines()
    failing = {line.split()[1].rstrip(":") for line in lines if line.startswith("FAIL ")}
    assert failing == set(KNOWN_FAILING), result.stdout + result.stderr
    corpus = yaml.safe_load(cases_file.read_text(encoding="utf-8"))
    total = sum(case["kind"] == "engine" for case in corpus["cases"])
    expected = f"{total - len(KNOWN_FAILING) - len(KNOWN_SKIPPED)} passed, {len(KNOWN_FAILING)} failed"
    if KNOWN_SKIPPED:
        expected += f", {len(KNOWN_SKIPPED)} skipped"
    assert lines[-1] == expected, result.stdout + result.stderr


def test_runner_reports_a_failing_case(tmp_path: Path, shared: Path) -> None:
    # A corpus whose expectation is wrong must make the runner fail and name the case.
    corpus = tmp_path / "cases.yaml"
    for folder in ("templates_validation", "functions", "templates"):
        (tmp_path / folder).symlink_to(shared / "conformance/utask" / folder)
    corpus.write_text(
        "cases:\n"
        "- id: wrong_expectation\n  kind: validation\n  template: error-variables.yaml\n"
        "  actions:\n  - do: validate\n    edits: []\n    expect: {error: null}\n",
        encoding="utf-8",
    )
    result = run(str(corpus))
    assert result.returncode == 1
    assert "FAIL wrong_expectation" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed"


def test_runner_reports_a_failing_engine_case(tmp_path: Path, shared: Path) -> None:
    corpus = tmp_path / "cases.yaml"
    for folder in ("templates_validation", "functions", "templates"):
        (tmp_path / folder).symlink_to(shared / "conformance/utask" / folder)
    corpus.write_text(
        "cases:\n"
        "- id: wrong_engine_expectation\n  kind: engine\n  template: simple.yaml\n  inputs: {}\n  needs: []\n"
        "  actions:\n  - do: create\n  - do: run\n    expect: {resolution_state: DONE}\n",
        encoding="utf-8",
    )
    result = run(str(corpus))
    assert result.returncode == 1
    assert "FAIL wrong_engine_expectation" in result.stdout and "resolution state ERROR" in result.stdout

"""µTask's own scenarios, through the standalone runner script (as CI users run it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUNNER = Path(__file__).with_name("run_engine.py")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUNNER), *args], capture_output=True, text=True, timeout=300)


def test_every_validation_case_passes(shared: Path) -> None:
    result = run(str(shared / "conformance/utask/cases.yaml"), "--kind", "validation")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "15 passed, 0 failed"


def test_load_only_engine_cases_pass(shared: Path) -> None:
    result = run(str(shared / "conformance/utask/cases.yaml"), "--kind", "engine")
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.splitlines()[-1]
    passed = int(last.split()[0])
    assert passed >= 20 and ", 0 failed" in last, last


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

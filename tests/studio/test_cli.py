"""`utask-studio` as scripts and CI use it: --screenshot writes a PNG, a bad file fails cleanly, and importing
the studio never loads pygraphviz (that must wait for the QApplication, see design/packaging.md §2)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from studio_support import ROOT, SAMPLES, generated_template

from studio.settings import SETTINGS_ENV

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_studio(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # A throw-away settings file: a test never reads or writes the user's real settings.
    with tempfile.TemporaryDirectory(prefix="utask-studio-cli-") as home:
        child_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", SETTINGS_ENV: f"{home}/settings.ini",
                     **(env or {})}
        return subprocess.run([sys.executable, "-m", "studio", *map(str, args)], capture_output=True, text=True,
                              timeout=120, cwd=ROOT, env=child_env)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_screenshot_of_each_sample(sample: Path, artifacts: Path) -> None:
    png = artifacts / f"offscreen-{sample.stem}.png"
    png.unlink(missing_ok=True)
    result = run_studio(sample, "--screenshot", png)
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    assert png.stat().st_size > 20_000, "a rendered window, not a blank image"


def test_screenshot_of_a_thousand_step_template(tmp_path: Path, artifacts: Path) -> None:
    """Thousands of paint calls: the process must survive them (see studio/qt_compat.py) and stay quick."""
    template = tmp_path / "generated-1000.yaml"
    template.write_text(generated_template(1000), encoding="utf-8")
    png = artifacts / "offscreen-generated-1000.png"
    result = run_studio(template, "--screenshot", png)
    assert result.returncode == 0, result.stderr
    assert png.stat().st_size > 20_000


def test_screenshot_with_the_builtin_layout(artifacts: Path) -> None:
    png = artifacts / f"offscreen-builtin-{SAMPLES[0].stem}.png"
    result = run_studio(SAMPLES[0], "--screenshot", png, env={"UTASK_STUDIO_LAYOUT": "builtin"})
    assert result.returncode == 0, result.stderr
    assert png.stat().st_size > 20_000


@pytest.mark.parametrize("content", [None, "name: [\n", "\x00binary"], ids=["missing", "broken-yaml", "binary"])
def test_a_file_that_cannot_be_opened_fails_cleanly(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "bad.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    png = tmp_path / "out.png"
    result = run_studio(path, "--screenshot", png)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"cannot open {path}" in result.stderr
    assert not png.exists()


def test_an_unwritable_screenshot_path_fails_cleanly(tmp_path: Path) -> None:
    result = run_studio(SAMPLES[0], "--screenshot", tmp_path / "no" / "such" / "dir" / "out.png")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "cannot write the screenshot" in result.stderr


def test_a_screenshot_needs_a_file(tmp_path: Path) -> None:
    result = run_studio("--screenshot", tmp_path / "out.png")
    assert result.returncode == 1 and "needs a FILE" in result.stderr and "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    result = run_studio("--no-such-option")
    assert result.returncode == 2 and "usage: utask-studio" in result.stderr


def test_importing_the_studio_does_not_load_pygraphviz() -> None:
    code = ("import pkgutil, sys, studio, studio.app\n"
            "for module in pkgutil.walk_packages(studio.__path__, 'studio.'):\n"
            "    if not module.name.endswith('__main__'):\n"
            "        __import__(module.name)\n"
            "print('pygraphviz' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"

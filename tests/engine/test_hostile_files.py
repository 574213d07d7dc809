"""Hostile and malformed files: each gets a diagnostic and exit 1 from `utask-engine validate`, never a
traceback, under a hard memory cap (the subprocess is killed if it exceeds it)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

MEMORY_CAP = 1024 * 1024 * 1024  # 1 GiB of address space is plenty for a few hundred MB of use
HANG_GUARD = 120  # seconds; a guard against hangs, not a performance assertion


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def validate(path: Path) -> tuple[int, dict, str]:
    result = subprocess.run([sys.executable, "-m", "engine", "validate", "--format", "json", str(path)],
                            capture_output=True, text=True, timeout=HANG_GUARD, preexec_fn=_cap_memory)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def _laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 12):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "empty": (b"", "file-empty"),
    "only-comment": (b"# nothing here\n", "file-empty"),
    "root-list": (b"- a\n- b\n", "root-not-mapping"),
    "root-scalar": (b"just text\n", "root-not-mapping"),
    "invalid-utf8": (b"name: caf\xe9\n", "file-encoding"),
    "binary": (bytes(range(256)) * 64, "file-encoding"),
    "nul-in-utf8": (b"name: a\x00b\n", "file-binary"),
    "duplicate-keys": (b"name: abc\nname: abd\ndescription: dup\ntitle_format: dup\n", "yaml-duplicate-key"),
    "too-large": (b"name: x\n" + b"# padding padding padding padding\n" * 320_000, "file-too-large"),
    "deep-nesting": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "yaml-too-deep"),
    "deep-mappings": (b"".join(b"  " * i + b"k:\n" for i in range(1000)), "yaml-too-deep"),
    "alias-bomb": (_laughs().encode(), "yaml-alias-bomb"),
    "python-tag": (b"name: !!python/object/apply:os.system ['echo pwned']\n", "yaml-tag"),
    "tabs": (b"name: abc\nsteps:\n\tone: {}\n", "yaml-syntax"),
    "unclosed": (b"name: [abc\n", "yaml-syntax"),
    "complex-key": (b"? [a, b]\n: c\n", "yaml-complex-key"),
    "null-key": (b"~: x\nname: abc\n", "yaml-key"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_gets_a_diagnostic(case: str, tmp_path: Path) -> None:
    content, code = HOSTILE[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(content)
    status, report, _ = validate(path)
    assert status == 1
    codes = [d["code"] for d in report["files"][0]["diagnostics"]]
    assert code in codes, codes
    for diagnostic in report["files"][0]["diagnostics"]:
        assert diagnostic["line"] >= 1 and diagnostic["column"] >= 1


def test_huge_scalar_is_handled(tmp_path: Path) -> None:
    # A 5 MB value full of unmatched template braces: the handle linter must stay linear.
    body = "{{" * 1_000_000 + ".x" * 500_000
    text = f"name: huge\ndescription: huge scalar\ntitle_format: title\nsteps:\n  one:\n    action:\n" \
           f"      type: echo\n      configuration:\n        output: '{body}'\n"
    path = tmp_path / "huge.yaml"
    path.write_text(text, encoding="utf-8")
    status, report, _ = validate(path)
    assert status in (0, 1)
    assert report["files"][0]["file"] == str(path)


def test_missing_file(tmp_path: Path) -> None:
    status, report, _ = validate(tmp_path / "nope.yaml")
    assert status == 1
    assert report["files"][0]["diagnostics"][0]["code"] == "file-unreadable"

"""`utask-engine validate`: exit codes, the text and JSON formats, several files, functions, and the samples."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.cli import main
from engine.validate import validate_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
HANG_GUARD = 120  # seconds; only a guard against a hung subprocess, never asserted

VALID = """\
name: my-template
description: a test template
title_format: a test task
steps:
  only:
    action:
      type: echo
      configuration: {output: done}
"""

INVALID = """\
name: my-template
description: a test template
title_format: a test task
steps:
  only:
    retry_pattern: days
    action:
      type: echo
      configuration: {output: done}
"""
INVALID_LINE = ("6:20: error: Invalid retry pattern: days Expecting(seconds|minutes|hours) — use seconds, minutes or "
                "hours [retry-pattern-invalid]")

CALLS_FUNCTION = """\
name: my-template
description: a test template
title_format: a test task
steps:
  only:
    action:
      type: chat::say
      configuration: {text: hello}
"""

FUNCTION = """\
name: chat::say
action:
  type: echo
  configuration:
    output: "{{ .function_args.text }}"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["validate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, dict]:
    code, out, _ = run(capsys, "--format", "json", *args)
    return code, json.loads(out)


# ---------------------------------------------------------------------------------------------------------------
# exit codes and the text format

def test_valid_file_exits_0_and_prints_no_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "ok.yaml", VALID)
    code, out, err = run(capsys, path)
    assert code == 0
    assert out == ""
    assert err == "1 file checked: 0 errors, 0 warnings, 0 infos\n"


def test_invalid_file_exits_1_with_one_line_per_diagnostic(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bad.yaml", INVALID)
    code, out, err = run(capsys, path)
    assert code == 1
    assert out == f"{path}:{INVALID_LINE}\n"
    assert err == "1 file checked: 1 error, 0 warnings, 0 infos\n"


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "warn.yaml", VALID.replace("steps:", "descripton: typo\nsteps:"))
    code, out, err = run(capsys, path)
    assert code == 0
    assert out == (f"{path}:4:1: warning: unknown key `descripton` is ignored by µTask — did you mean "
                   "`description`? [unknown-key]\n")
    assert err == "1 file checked: 0 errors, 1 warning, 0 infos\n"


def test_text_lines_are_sorted_by_position(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bad.yaml", INVALID.replace("name: my-template", "name: ab"))
    _, out, _ = run(capsys, path)
    assert out.splitlines() == [
        f"{path}:1:7: error: template name can't be shorter than 3 characters — write at least 3 characters "
        "[field-too-short]",
        f"{path}:{INVALID_LINE}",
    ]


@pytest.mark.parametrize("argv", [["validate"], ["validate", "--format", "xml", "x.yaml"], [], ["lint", "x.yaml"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_missing_functions_dir_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "ok.yaml", VALID)
    with pytest.raises(SystemExit) as raised:
        main(["validate", "--functions-dir", str(tmp_path / "nope"), str(path)])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"--functions-dir {tmp_path / 'nope'}: not a directory" in err


def test_functions_dir_that_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "ok.yaml", VALID)
    with pytest.raises(SystemExit) as raised:
        main(["validate", "--functions-dir", str(path), str(path)])
    assert raised.value.code == 2


def test_missing_template_file_is_a_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    code, out, _ = run(capsys, missing)
    assert code == 1
    assert out.startswith(f"{missing}:1:1: error: cannot read the file: ")
    assert out.rstrip().endswith("[file-unreadable]")


# ---------------------------------------------------------------------------------------------------------------
# JSON

def test_json_format_structure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bad.yaml", INVALID)
    code, document = run_json(capsys, path)
    assert code == 1
    assert document == {
        "valid": False,
        "files": [{
            "file": str(path),
            "valid": False,
            "diagnostics": [{
                "file": str(path),
                "line": 6,
                "column": 20,
                "end_line": 6,
                "end_column": 24,
                "severity": "error",
                "code": "retry-pattern-invalid",
                "message": "Invalid retry pattern: days Expecting(seconds|minutes|hours)",
                "hint": "use seconds, minutes or hours",
                "path": "steps.only.retry_pattern",
                "utask_message": "Invalid task template: Invalid step only: Invalid retry pattern: days "
                                 "Expecting(seconds|minutes|hours)",
            }],
        }],
    }


def test_json_without_utask_message_for_studio_only_diagnostics(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "warn.yaml", VALID.replace("steps:", "descripton: typo\nsteps:"))
    code, document = run_json(capsys, path)
    assert code == 0 and document["valid"] is True
    (diagnostic,) = document["files"][0]["diagnostics"]
    assert "utask_message" not in diagnostic
    assert (diagnostic["severity"], diagnostic["code"], diagnostic["path"]) == ("warning", "unknown-key", "descripton")


def test_several_files_keep_their_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path / "a-good.yaml", VALID)
    bad = write(tmp_path / "b-bad.yaml", INVALID)
    other = write(tmp_path / "c-good.yaml", VALID)
    code, document = run_json(capsys, other, bad, good)
    assert code == 1
    assert document["valid"] is False
    assert [(entry["file"], entry["valid"], len(entry["diagnostics"])) for entry in document["files"]] == [
        (str(other), True, 0), (str(bad), False, 1), (str(good), True, 0)]

    code, out, err = run(capsys, other, bad, good)
    assert code == 1
    assert out == f"{bad}:{INVALID_LINE}\n"
    assert err == "3 files checked: 1 error, 0 warnings, 0 infos\n"


def test_several_valid_files_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [write(tmp_path / f"t{i}.yaml", VALID) for i in range(3)]
    code, document = run_json(capsys, *files)
    assert code == 0 and document["valid"] is True and len(document["files"]) == 3


# ---------------------------------------------------------------------------------------------------------------
# functions

def test_function_needs_a_functions_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write(tmp_path / "templates" / "t.yaml", CALLS_FUNCTION)
    write(tmp_path / "library" / "say.yaml", FUNCTION)
    code, out, _ = run(capsys, template)
    assert code == 1
    assert f"{template}:7:13: error: unknown action type 'chat::say'" in out

    code, out, _ = run(capsys, "--functions-dir", tmp_path / "library", template)
    assert (code, out) == (0, "")


def test_functions_dir_checks_the_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write(tmp_path / "t.yaml", CALLS_FUNCTION.replace("{text: hello}", "{txt: hello}"))
    write(tmp_path / "library" / "say.yaml", FUNCTION)
    code, document = run_json(capsys, "--functions-dir", tmp_path / "library", template)
    assert code == 1
    (diagnostic,) = document["files"][0]["diagnostics"]
    assert diagnostic["code"] == "function-argument-missing"
    assert (diagnostic["line"], diagnostic["column"]) == (8, 22)
    assert diagnostic["utask_message"] == ('Invalid task template: Invalid step only: Invalid executor action: '
                                           'missing function_args "text"')


def test_functions_directory_beside_the_template_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write(tmp_path / "t.yaml", CALLS_FUNCTION)
    write(tmp_path / "functions" / "nested" / "say.yaml", FUNCTION)
    assert run(capsys, template)[0] == 0
    assert validate_file(template).ok


def test_explicit_functions_dir_wins_over_the_one_beside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write(tmp_path / "t.yaml", CALLS_FUNCTION)
    write(tmp_path / "functions" / "say.yaml", FUNCTION)
    (tmp_path / "empty").mkdir()
    code, out, _ = run(capsys, "--functions-dir", tmp_path / "empty", template)
    assert code == 1 and "[action-type-unknown]" in out


def test_function_file_passed_directly_is_checked_as_a_function(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    function = write(tmp_path / "say.yaml", FUNCTION)
    code, out, _ = run(capsys, function)
    assert (code, out) == (0, "")  # not "the template has no name/description/steps"

    broken = write(tmp_path / "broken.yaml", FUNCTION.replace("type: echo", "type: echoo"))
    code, document = run_json(capsys, broken)
    assert code == 1
    assert [(d["code"], d["line"], d["column"]) for d in document["files"][0]["diagnostics"]] == [
        ("action-type-unknown", 3, 9)]


def test_broken_function_in_the_functions_dir_is_reported_in_its_file(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    template = write(tmp_path / "t.yaml", VALID)
    broken = write(tmp_path / "library" / "broken.yaml", "name: broken\naction: {type: echoo, configuration: {}}\n")
    code, document = run_json(capsys, "--functions-dir", tmp_path / "library", template)
    assert code == 1
    by_file = {entry["file"]: entry for entry in document["files"]}
    assert by_file[str(template)]["valid"] is True
    assert by_file[str(broken)]["valid"] is False
    assert [(d["code"], d["line"], d["column"]) for d in by_file[str(broken)]["diagnostics"]] == [
        ("action-type-unknown", 2, 16)]


def test_python_dash_m_engine(tmp_path: Path) -> None:
    good = write(tmp_path / "ok.yaml", VALID)
    bad = write(tmp_path / "bad.yaml", INVALID)
    result = subprocess.run([sys.executable, "-m", "engine", "validate", str(good), str(bad)], capture_output=True,
                            text=True, timeout=HANG_GUARD, cwd=ROOT)
    assert result.returncode == 1
    assert result.stdout == f"{bad}:{INVALID_LINE}\n"
    assert result.stderr == "2 files checked: 1 error, 0 warnings, 0 infos\n"
    usage = subprocess.run([sys.executable, "-m", "engine", "validate"], capture_output=True, text=True,
                           timeout=HANG_GUARD, cwd=ROOT)
    assert usage.returncode == 2


# ---------------------------------------------------------------------------------------------------------------
# the samples

def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 3


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_sample_has_no_error(sample: Path) -> None:
    result = validate_file(sample)  # functions/ beside the samples is picked up
    assert result.template is not None
    assert result.errors == [], "\n".join(d.format_text() for d in result.errors)
    assert result.utask_errors == []


def test_samples_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    code, document = run_json(capsys, "--functions-dir", ROOT / "samples" / "functions", *SAMPLES)
    assert code == 0
    assert document["valid"] is True
    assert all(entry["valid"] for entry in document["files"])

"""`utask-engine run`: JSON/text output, exit codes, input refusals, dry runs of the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = """
name: cli-template
description: a test
title_format: a test
inputs:
  - {name: who, regex: "^[a-z]+$"}
  - {name: count, type: number, optional: true}
steps:
  hello: {action: {type: echo, configuration: {output: {msg: "hello {{.input.who}}"}}}}
  fail:
    dependencies: [hello]
    action: {type: echo, configuration: {error_message: '{{ if eq .input.who "bob" }}boom{{ end }}'}}
result_format: {msg: "{{.step.hello.output.msg}}"}
"""


@pytest.fixture
def template_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def test_json_output_and_exit_zero_when_done(template_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(template_file), "--input", "who=alice", "--input", "count=3", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["state"] == "DONE"
    assert document["steps"]["hello"] == {"state": "DONE", "output": {"msg": "hello alice"}, "metadata": None,
                                          "children": None, "error": "", "tries": 1}
    assert document["result"] == {"msg": "hello alice"}


def test_text_output_and_exit_one_when_not_done(template_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(template_file), "--input", "who=bob"])
    out = capsys.readouterr().out
    assert code == 1
    assert "resolution ERROR" in out and "fail: SERVER_ERROR (tries 1) — boom" in out


def test_bad_input_refused_in_validate_style(template_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", str(template_file), "--input", "who=Bob1"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith(f"{template_file}:6:")
    assert "Invalid input 'who': 'Bob1' doesnt comply with regex '^[a-z]+$'" in out and "[input-invalid]" in out
    assert main(["run", str(template_file)]) == 1
    assert "Missing input 'who'" in capsys.readouterr().out


@pytest.mark.parametrize("sample", ["k8s-ingress-tls", "payments-antifraud", "team-member-bootstrap"])
def test_samples_dry_run_to_done_offline(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    samples = ROOT / "samples"
    code = main(["run", str(samples / f"{sample}.yaml"), "--inputs-file", str(samples / f"{sample}.inputs.json"),
                 "--functions-dir", str(samples / "functions"), "--dry-run", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0, document
    assert any("dry_run" in step for step in document["steps"].values())

"""Shared data of the studio tests: the samples, a broken template, where screenshots go."""

from __future__ import annotations

from pathlib import Path

from studio.document.generated import generated_template

__all__ = ["ARTIFACTS", "BROKEN_TEMPLATE", "ROOT", "SAMPLES", "SAMPLE_DIR", "generated_template"]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "samples"
SAMPLES = sorted(SAMPLE_DIR.glob("*.yaml"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# A template with errors of several kinds (cycle, unknown step, unknown input, self-dependency, qualified
# dependencies) so the Problems panel and the canvas have something to show.
BROKEN_TEMPLATE = """\
name: broken-example
description: A template with a few mistakes.
title_format: Broken example
inputs:
  - name: host
steps:
  fetch:
    description: Fetch the thing.
    dependencies: [notify, "ghost:NOT_FOUND"]
    action:
      type: echo
      configuration: {output: {url: "https://{{.input.hots}}/x"}}
  notify:
    description: Tell someone.
    dependencies: [fetch]
    custom_states: [SENT, SKIPPED, QUEUED]
    foreach: '{{.input.host}}'
    action:
      type: echo
      configuration: {output: {}}
  loop:
    description: Depends on itself.
    dependencies: [loop, "notify:SENT,SKIPPED"]
    action:
      type: echo
      configuration: {output: {}}
"""

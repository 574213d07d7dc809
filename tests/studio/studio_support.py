"""Shared data of the studio tests: the samples, a broken template, where screenshots go."""

from __future__ import annotations

from pathlib import Path

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


def generated_template(count: int, seed: int = 3) -> str:
    """A valid template of `count` echo steps, each depending on one to three of the 20 steps before it."""
    import random  # noqa: PLC0415 - only the big-template tests need it

    rng = random.Random(seed)
    lines = [f"name: generated-{count}", f"description: A generated template with {count} steps.",
             f"title_format: Generated {count}", "steps:"]
    for index in range(count):
        lines += [f"  step_{index:04d}:", f"    description: Generated step number {index}."]
        if index:
            parents = sorted(set(rng.sample(range(max(0, index - 20), index), min(index, rng.randint(1, 3)))))
            lines.append("    dependencies: [" + ", ".join(f"step_{p:04d}" for p in parents) + "]")
        lines += ["    action:", "      type: echo", "      configuration:", f"        output: {{index: '{index}'}}"]
    return "\n".join(lines) + "\n"

"""Generated templates of many echo steps, for the big-template tests and the studio benchmark."""

from __future__ import annotations

import random


def generated_template(count: int, seed: int = 3, description: str | None = None) -> str:
    """A valid template of `count` echo steps, each depending on one to three of the 20 steps before it.

    The same `seed` gives the same dependencies (a realistic, wide DAG), so figures stay comparable between runs.
    """
    rng = random.Random(seed)
    lines = [f"name: generated-{count}", f"description: {description or f'A generated template with {count} steps.'}",
             f"title_format: Generated {count}", "steps:"]
    for index in range(count):
        lines += [f"  step_{index:04d}:", f"    description: Generated step number {index}."]
        if index:
            parents = sorted(set(rng.sample(range(max(0, index - 20), index), min(index, rng.randint(1, 3)))))
            lines.append("    dependencies: [" + ", ".join(f"step_{p:04d}" for p in parents) + "]")
        lines += ["    action:", "      type: echo", "      configuration:", f"        output: {{index: '{index}'}}"]
    return "\n".join(lines) + "\n"

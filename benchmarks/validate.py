"""Load + model + full validation time of generated templates, in one process.

    python benchmarks/validate.py [--repeat N]

Shapes: `chain` (each step depends on the previous one and reads its output) and `wide` (every step
depends on one root step). `invalid` is the 2,000-step chain with one error near the end (a dependency
on a missing step and a handle to a missing input). Goals (issue 8): a valid 2,000-step template in
≤ 200 ms; the per-step cost at 10,000 within 1.5× of 2,000; the invalid one ≤ 2× the valid time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.load.document import parse_document  # noqa: E402
from engine.load.functions import FunctionRegistry  # noqa: E402
from engine.validate import validate_document  # noqa: E402


def generate(steps: int, shape: str = "chain", error_at: int | None = None, rich: bool = False) -> str:
    """A template of `steps` echo steps. Lean steps (about 140 bytes, like the 275 KB / 2,000-step
    reference of the issue) carry a dependency and a templated output; `rich` ones add a check condition
    and a second output key (about 330 bytes)."""
    lines = ["name: generated-benchmark", "description: generated for the validation benchmark",
             "title_format: 'benchmark {{.input.target}}'", "inputs:", "  - name: target",
             "    description: what to echo", "    regex: '^[a-z0-9-]+$'", "steps:"]
    for index in range(steps):
        lines += _step(index, shape, error_at == index, rich)
    return "\n".join(lines) + "\n"


def _step(index: int, shape: str, broken: bool, rich: bool) -> list[str]:
    parent = None if index == 0 else (f"s{index - 1}" if shape == "chain" else "s0")
    out = [f"  s{index}:", f"    description: step {index}"]
    if parent:
        out.append(f"    dependencies: [{parent}{', missing' if broken else ''}]")
    source = f".step.{parent}.output.id" if parent else ".input.target"
    if broken:
        source = ".input.nope"
    extra = f", num: {index}" if rich else ""
    out += ["    action:", "      type: echo", f"      configuration: {{output: {{id: '{{{{{source}}}}}'{extra}}}}}"]
    if rich:
        out += ["    conditions:", "      - type: check", "        if:",
                "          - {value: '{{.step.this.output.num}}', operator: GE, expected: 0}",
                "        then: {this: DONE}"]
    return out


def measure(text: str, repeat: int) -> tuple[float, int]:
    """Best wall time of parse + model + validation, and the number of diagnostics."""
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = validate_document(parse_document(text, "generated.yaml"), FunctionRegistry())
        best = min(best, time.perf_counter() - start)
        count = len(result.diagnostics)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results: dict[tuple[str, int], float] = {}
    print(f"{'template':<24}{'size':>9}{'time':>11}{'per step':>12}{'diagnostics':>13}")
    for shape in ("chain", "wide", "rich chain"):
        for steps in (100, 2000, 10000):
            text = generate(steps, shape.split()[-1], rich=shape.startswith("rich"))
            seconds, count = measure(text, args.repeat if steps < 10000 else max(2, args.repeat // 2))
            results[(shape, steps)] = seconds
            _row(f"{shape} {steps}", len(text), seconds, steps, count)
    invalid_text = generate(2000, "chain", error_at=1990)
    invalid, count = measure(invalid_text, args.repeat)
    _row("chain 2000, 1 error", len(invalid_text), invalid, 2000, count)
    _goals(results, invalid)


def _row(label: str, size: int, seconds: float, steps: int, count: int) -> None:
    print(f"{label:<24}{size / 1024:>7.0f}KB{seconds * 1000:>9.1f}ms{seconds / steps * 1e6:>10.1f}µs{count:>13}")


def _goals(results: dict[tuple[str, int], float], invalid: float) -> None:
    valid = results[("chain", 2000)]
    print()
    print(f"valid 2,000-step chain: {valid * 1000:.0f} ms (goal ≤ 200 ms); "
          f"rich chain: {results[('rich chain', 2000)] * 1000:.0f} ms")
    for shape in ("chain", "wide", "rich chain"):
        ratio = (results[(shape, 10000)] / 10000) / (results[(shape, 2000)] / 2000)
        print(f"per-step cost 10,000 vs 2,000 ({shape}): {ratio:.2f}× (goal ≤ 1.5×)")
    print(f"invalid vs valid 2,000-step chain: {invalid / valid:.2f}× (goal ≤ 2×)")


if __name__ == "__main__":
    main()

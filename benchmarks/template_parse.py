"""Parse time of typical µTask values with our Go text/template parser (goal: ≤ 50 µs each).

    python benchmarks/template_parse.py
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.templating import parse  # noqa: E402

VALUES = {
    "field access": "{{.step.getUser.output.id}}",
    "URL with two fields": "https://api/{{.input.a}}/x/{{.input.b}}",
    "if/else": '{{if eq .input.mode "dry"}}simulate{{else}}{{printf "%s-%d" .input.a 3}}{{end}}',
    "plain text": "just some text",
}


def main() -> None:
    for label, source in VALUES.items():
        runs = 20000 if "{{" not in source else 2000
        best = min(timeit.repeat(lambda source=source: parse(source), number=runs, repeat=5)) / runs
        print(f"parse {label:<22} {best * 1e6:8.1f} µs")


if __name__ == "__main__":
    main()

"""Regular expressions: Python `re` (the earlier translation) against RE2 (`engine.gocompat.re2`).

    python benchmarks/regex.py [--repeat N]

Typical template and condition patterns, timed per call (compiled patterns cached, as in rendering), then
the pathological `(a+)+$` against `a…ab`, whose backtracking cost doubles with each character: Python's
`re` is run only on short texts; RE2 on texts a backtracking engine could never finish.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.gocompat.re2 import GoRegexp, compile_go  # noqa: E402
from engine.templating.funcs import regex as funcs  # noqa: E402
from engine.templating.funcs.regex_syntax import translate  # noqa: E402

LOG = "\n".join(f"2024-05-{day:02d} host-{day}.example.com GET /api/v1/items/{day * 7} 200 {day * 13}ms"
                for day in range(1, 29))
TYPICAL: list[tuple[str, str, str]] = [  # (label, pattern, text)
    ("match ^[a-z0-9-]+$ (input regex)", "^[a-z0-9-]+$", "web-frontend-42"),
    ("match (?i)^(yes|true|on)$", "(?i)^(yes|true|on)$", "True"),
    ("match email, 40 chars", "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$",
     "first.last+tag@mail.example-domain.org"),
    ("find \\d+ms in a 2 KB log", "[0-9]+ms", LOG),
    ("findAll host names, 2 KB log", "host-[0-9]+\\.example\\.com", LOG),
    ("replaceAll (\\d+)-(\\d+), 2 KB log", "([0-9]+)-([0-9]+)", LOG),
    ("find in 2 KB non-ASCII text", "é{3}", "àbç " * 500 + "ééé"),
]


class _Python:
    """The earlier engine: Python `re` on the translated pattern, behind the GoRegexp `search` interface."""

    def __init__(self, pattern: str) -> None:
        translation = translate(pattern)
        self.names = translation.names
        self.regex = re.compile(translation.python)

    def search(self, text: object, pos: int = 0) -> re.Match[str] | None:
        return self.regex.search(text if isinstance(text, str) else text.text, pos)  # type: ignore[attr-defined]


def _per_call(action: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            action()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def _operation(label: str, regex: GoRegexp | _Python, text: str) -> Callable[[], object]:
    if label.startswith("findAll"):
        return lambda: funcs.find_all(regex, text, -1)  # type: ignore[arg-type]
    if label.startswith("replaceAll"):
        return lambda: funcs.replace_all(regex, text, lambda m: funcs.expand("$2-$1", m, regex.names))  # type: ignore[arg-type]
    return lambda: regex.search(text)


def typical(repeat: int) -> None:
    print(f"{'typical call':<40} {'Python re':>11} {'RE2':>11} {'ratio':>7}")
    for label, pattern, text in TYPICAL:
        old = _per_call(_operation(label, _Python(pattern), text), repeat)
        new = _per_call(_operation(label, compile_go(pattern), text), repeat)
        print(f"{label:<40} {old * 1e6:>8.2f} µs {new * 1e6:>8.2f} µs {new / old:>6.1f}×")
    patterns = [pattern for _, pattern, _ in TYPICAL]
    start = time.perf_counter()
    for pattern in patterns:
        re.compile(translate(pattern).python + "(?#cold)")
    old = (time.perf_counter() - start) / len(patterns)
    start = time.perf_counter()
    for pattern in patterns:
        compile_go.__wrapped__(pattern + "(?:)")
    new = (time.perf_counter() - start) / len(patterns)
    print(f"{'compile (uncached, parse included)':<40} {old * 1e6:>8.2f} µs {new * 1e6:>8.2f} µs {new / old:>6.1f}×")


def pathological() -> None:
    pattern = "(a+)+$"
    print(f"\npathological: {pattern} against 'a' * n + 'b' (no match)")
    old = re.compile(translate(pattern).python)
    for n in (16, 18, 20, 22, 24):
        start = time.perf_counter()
        assert old.search("a" * n + "b") is None
        print(f"  Python re  n = {n:>9,}: {time.perf_counter() - start:10.4f} s")
    new = compile_go(pattern)
    for n in (24, 5_000, 1_000_000):
        start = time.perf_counter()
        assert new.search("a" * n + "b") is None
        print(f"  RE2        n = {n:>9,}: {time.perf_counter() - start:10.4f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    typical(args.repeat)
    pathological()


if __name__ == "__main__":
    main()

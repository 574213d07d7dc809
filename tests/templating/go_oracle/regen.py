"""Regenerate ../data/go_parse_golden.jsonl from real Go (developer tool; CI never runs it).

    cd tests/templating/go_oracle && go build -o /tmp/tmpl_oracle . && \
        python regen.py /tmp/tmpl_oracle CASES.jsonl > ../data/go_parse_golden.jsonl

CASES.jsonl holds one JSON string (a template) per line; without it the templates of the current golden
file are re-run. Each output line is {"tmpl": ..., "go": {"err", "trees", "strs"}}.

The oracle available when this was written is Go 1.19.8, while µTask uses Go 1.24. Cases where the two
versions are known to differ are dropped:
  * ``else with`` (Go 1.23+); and
  * an unbalanced ``)``: Go 1.19 emits the ``)`` token before reporting it, so the parser complains
    ``unexpected ")" in ...`` first, where newer Go reports ``unexpected right paren``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent / "data" / "go_parse_golden.jsonl"
sys.path.insert(0, str(HERE.parents[2]))  # the project root, for `engine`

from engine.templating import FUNCTION_NAMES  # noqa: E402


def known_divergence(template: str, result: dict[str, object]) -> bool:
    error = str(result.get("err") or "")
    return bool(re.search(r"else[ \t\r\n]+with", template)) or "right paren" in error or '")"' in error


def main() -> None:
    oracle = sys.argv[1]
    if len(sys.argv) > 2:
        templates = [json.loads(line) for line in Path(sys.argv[2]).read_text().splitlines() if line]
    else:
        templates = [json.loads(line)["tmpl"] for line in GOLDEN.read_text().splitlines() if line]
    payload = [json.dumps(sorted(FUNCTION_NAMES))] + [json.dumps(t) for t in templates]
    run = subprocess.run([oracle], input="\n".join(payload) + "\n", capture_output=True, text=True, check=True)
    for template, line in zip(templates, run.stdout.splitlines(), strict=True):
        result = json.loads(line)
        if not known_divergence(template, result):
            print(json.dumps({"tmpl": template, "go": result}))


if __name__ == "__main__":
    main()

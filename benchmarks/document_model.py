"""Figures of the studio's document model (no Qt): open, edit, undo on generated templates.

    python benchmarks/document_model.py [--repeat N]

Prints: open (parse + model + validation) of a 1,000-step template; apply and revert of a rename of a
step referenced by its child in a 500-step chain (re-parse included, validation deferred as the UI
does it, then with validation); a one-character keystroke in the 500-step template.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from validate import generate  # noqa: E402

from studio.document import RenameStep, ReplaceText, TemplateDocument  # noqa: E402


def best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    big = generate(1000, rich=True)
    opened = best(lambda: TemplateDocument(big).diagnostics, repeat)
    lazy = best(lambda: TemplateDocument(big, auto_validate=False), repeat)
    print(f"open 1,000 steps ({len(big) / 1024:.0f} KB): parse+validate {opened * 1000:.0f} ms, "
          f"parse only {lazy * 1000:.0f} ms")
    text = generate(500, rich=True)
    for validate in (False, True):
        document = TemplateDocument(text, auto_validate=validate)
        edit = RenameStep("s250", "renamed_step")
        apply = best(lambda e=edit, d=document: (e.apply(d), e.revert(d)), repeat)  # type: ignore[misc]
        assert document.text == text
        label = "with validation" if validate else "validation deferred"
        print(f"rename in 500 steps, apply+revert ({label}): {apply * 1000:.0f} ms "
              f"(one direction ≈ {apply * 500:.0f} ms)")
    document = TemplateDocument(text, auto_validate=False)
    offset = text.index("description: step 300") + len("description: step 300")
    key = best(lambda: ReplaceText(offset, offset, "x").apply(document), 1)
    print(f"keystroke in 500 steps, parsed at once (patch + re-parse + events): {key * 1000:.1f} ms")
    document.defer_text_parsing = True
    key = best(lambda: ReplaceText(offset, offset, "x").apply(document), repeat)
    refresh = best(lambda: (ReplaceText(offset, offset, "x").apply(document), document.refresh(validate=False)), repeat)
    print(f"keystroke in 500 steps, parse deferred (patch + TextChanged): {key * 1000:.2f} ms; "
          f"debounced refresh (parse + structure diff): {refresh * 1000:.0f} ms")


if __name__ == "__main__":
    main()

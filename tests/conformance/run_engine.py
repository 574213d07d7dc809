"""Run µTask's conformance scenarios (`conformance/utask/cases.yaml`) against our engine.

    python tests/conformance/run_engine.py CASES.yaml [--kind validation|engine] [--case ID]

Prints one line per failing case, a count of the cases this engine cannot run yet, and a last line
`N passed, M failed`. Exit status 0 when nothing failed.

The runner covers `kind: validation`, `kind: templating` (see templating_cases.py) and every `kind: engine`
case (see engine_cases.py: create / run / run_async / mutate / external, `expect` and `derived`
expectations) whose `needs` are in engine_cases.SUPPORTED_NEEDS; other cases are counted as skipped.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.load.document import parse_document  # noqa: E402
from engine.load.functions import FunctionRegistry  # noqa: E402
from engine.validate import ValidationResult, validate_document  # noqa: E402
from tests.conformance.engine_cases import SUPPORTED_NEEDS, CaseFailure, run_engine_case  # noqa: E402
from tests.conformance.templating_cases import TemplatingCaseError, run_templating_case  # noqa: E402


@dataclass
class Outcome:
    case: str
    status: str  # "passed", "failed" or "skipped"
    detail: str = ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", type=Path, help="path to cases.yaml")
    parser.add_argument("--kind", choices=("validation", "engine", "templating"), help="only cases of this kind")
    parser.add_argument("--case", action="append", default=[], help="only this case id (repeatable)")
    args = parser.parse_args(argv)
    corpus = yaml.safe_load(args.cases.read_text(encoding="utf-8"))
    runner = Runner(args.cases.parent)
    outcomes = [runner.run(case) for case in corpus["cases"]
                if (args.kind is None or case["kind"] == args.kind) and (not args.case or case["id"] in args.case)]
    return report(outcomes)


def report(outcomes: list[Outcome]) -> int:
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"FAIL {outcome.case}: {outcome.detail}")
    skipped = [o for o in outcomes if o.status == "skipped"]
    if skipped:
        print(f"skipped {len(skipped)} case(s) needing capabilities the runner lacks: "
              + ", ".join(o.case for o in skipped[:8]) + (" …" if len(skipped) > 8 else ""))
    passed = sum(o.status == "passed" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    print(f"{passed} passed, {failed} failed" + (f", {len(skipped)} skipped" if skipped else ""))
    return 1 if failed else 0


class Runner:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.functions = FunctionRegistry.from_directory(folder / "functions", replace_tabs=True)

    def run(self, case: dict[str, Any]) -> Outcome:
        try:
            if case["kind"] == "validation":
                return self._validation(case)
            if case["kind"] == "engine" and set(case.get("needs") or []) <= SUPPORTED_NEEDS:
                return self._engine(case)
            if case["kind"] == "engine" and _is_load_only(case):
                return self._load_only(case)
            if case["kind"] == "templating":
                return self._templating(case)
        except Exception as exc:  # a crash of ours is a failure to report, not a reason to stop
            return Outcome(case["id"], "failed", f"crashed: {type(exc).__name__}: {exc}")
        return Outcome(case["id"], "skipped")

    def _engine(self, case: dict[str, Any]) -> Outcome:
        try:
            run_engine_case(self.folder, self.functions, case)
        except CaseFailure as failure:
            return Outcome(case["id"], "failed", str(failure))
        return Outcome(case["id"], "passed")

    def _templating(self, case: dict[str, Any]) -> Outcome:
        try:
            run_templating_case(case)
        except TemplatingCaseError as failure:
            return Outcome(case["id"], "failed", str(failure))
        return Outcome(case["id"], "passed")

    def _validate(self, folder: str, template: str, edits: list[dict[str, Any]]) -> ValidationResult:
        path = self.folder / folder / template
        document = parse_document(path.read_text(encoding="utf-8"), str(path), replace_tabs=True)
        if edits:
            document.data = copy.deepcopy(document.data)
            for edit in edits:
                field = edit["set_template_field"]
                set_path(document.data, field["path"], field["value"])
        return validate_document(document, self.functions)

    def _validation(self, case: dict[str, Any]) -> Outcome:
        (action,) = case["actions"]
        result = self._validate("templates_validation", case["template"], action.get("edits") or [])
        return _compare(case["id"], result, action.get("expect") or {})

    def _load_only(self, case: dict[str, Any]) -> Outcome:
        (action,) = case["actions"]
        result = self._validate("templates", case["template"], [])
        expect = dict(action.get("expect") or {})
        if expect.pop("resolution", None) == "present":
            expect.setdefault("error", None)
        return _compare(case["id"], result, expect)


def _is_load_only(case: dict[str, Any]) -> bool:
    actions = case.get("actions") or []
    return (len(actions) == 1 and actions[0]["do"] == "create" and not case.get("needs")
            and "resolution" in (actions[0].get("expect") or {}))


def _compare(case_id: str, result: ValidationResult, expect: dict[str, Any]) -> Outcome:
    errors = [d.utask_message or d.message for d in result.errors]
    if "error_contains" in expect:
        wanted = expect["error_contains"]
        if not any(wanted in error for error in errors):
            return Outcome(case_id, "failed", f"expected an error containing {wanted!r}, got {errors or 'none'}")
    elif expect.get("error", "absent") is None and errors:
        return Outcome(case_id, "failed", f"expected success, got {errors}")
    elif expect.get("error") == "present" and not errors:
        return Outcome(case_id, "failed", "expected an error, got none")
    return Outcome(case_id, "passed")


_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def set_path(data: Any, path: str, value: Any) -> None:
    """Set `value` at a dotted path with `[i]` indices (the cases' path syntax)."""
    keys: list[str | int] = [name if name else int(index) for name, index in _TOKEN.findall(path)]
    target = data
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value


if __name__ == "__main__":
    sys.exit(main())

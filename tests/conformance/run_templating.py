"""Run a Go text/template conformance file (the format of conformance/templating/README.md).

    python tests/conformance/run_templating.py FILE.jsonl [--group G] [--id ID] [--show-passing]

A case passes when our output is byte-identical to Go's (`out`, or `out_b64` for non-UTF-8 output), or,
for an expected error, when the error kind and the normalised message agree (the README's level 1).
The nondeterministic shape file is understood too (each output must match its `shape_regex`).
Prints one line per failing case, then how many expected errors also agree at level 2 (location,
executing template, node) and level 3 (Go's full message), and finally `N passed, M failed`.
Exit status 0 when nothing failed.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.templating import TemplateError, Values, Variable  # noqa: E402
from engine.templating.gotypes import JSONNumber  # noqa: E402


class RawNumber(str):
    """A JSON number's literal text, kept until we know which Go type it becomes."""


def load_cases(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line, parse_int=RawNumber, parse_float=RawNumber)


def typed(value: Any, mode: str) -> Any:
    """Fixture JSON → model values: numbers as json.Number (exact text) or float64."""
    if isinstance(value, RawNumber):
        return JSONNumber(value) if mode == "json_number" else float(value)
    if isinstance(value, dict):
        return {str(k): typed(v, mode) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v, mode) for v in value]
    return value


def build_values(case: dict[str, Any]) -> Values:
    """The root exactly as µTask's NewValues builds it (README §3.1)."""
    modes = case.get("numbers_by_root") or {}
    default = case["numbers"]
    variables = {}
    for name, spec in (case.get("vars") or {}).items():
        variables[name] = Variable(
            name,
            value=typed(spec.get("value"), modes.get("var", default)),
            expression=spec.get("expression", ""),
            expression_timeout=spec.get("expression_timeout", ""),
        )
    values = Values(variables=variables)
    for key, value in case["context"].items():
        values.root[key] = typed(value, modes.get(key, default))
    return values


def render(case: dict[str, Any]) -> tuple[str | None, TemplateError | None]:
    values = build_values(case)
    try:
        return values.apply(case["tmpl"], step_name=case.get("step_name") or ""), None
    except TemplateError as error:
        return None, error


@dataclass
class ErrorParts:
    kind: str
    location: str
    executing: str
    context: str
    message: str


def split_error(kind: str, text: str) -> ErrorParts:
    """Split a Go template error into the README's normalised fields."""
    body = text[len("template: "):] if text.startswith("template: ") else text
    if kind == "parse":
        name, _, rest = body.partition(":")
        line, _, message = rest.partition(": ")
        return ErrorParts(kind, f"{name}:{line}", "", "", message)
    head, sep, rest = body.partition(": executing ")
    if not sep:
        _, _, message = body.partition(": ")
        return ErrorParts(kind, "", "", "", message)
    executing, rest = _quoted_prefix(rest)
    context, message = _node_context(rest)
    return ErrorParts(kind, head, executing, context, message)


def _quoted_prefix(text: str) -> tuple[str, str]:
    """`"name" at <...` → (name, `at <...`), honouring backslash escapes."""
    index = 1
    while index < len(text) and text[index] != '"':
        index += 2 if text[index] == "\\" else 1
    return json.loads(text[: index + 1]) if text.startswith('"') else "", text[index + 2:]


def _node_context(text: str) -> tuple[str, str]:
    """`at <node>: message` → (node, message), skipping quoted literals inside the node."""
    if not text.startswith("at <"):
        return "", text
    index, body = 4, text
    while index < len(body):
        char = body[index]
        if char in "\"'`":
            index = _skip_literal(body, index)
            continue
        if body.startswith(">: ", index):
            return body[4:index], body[index + 3:]
        index += 1
    return body[4:], ""


def _skip_literal(text: str, index: int) -> int:
    quote, index = text[index], index + 1
    while index < len(text) and text[index] != quote:
        index += 2 if text[index] == "\\" and quote != "`" else 1
    return index + 1


@dataclass
class Result:
    case_id: str
    passed: bool
    detail: str = ""
    level2: bool | None = None  # None when no error was expected
    level3: bool | None = None


# The shape file has no context of its own: its templates read `.input.n`/`.input.f` and JS variables
# named in its notes (r = Math.random(), d = Date.now()).
SHAPE_INPUTS = {"n": JSONNumber("12"), "f": JSONNumber("1.5")}
SHAPE_VARIABLES = {"r": "Math.random()", "d": "Date.now()"}


def check_shape(entry: dict[str, Any]) -> Result:
    """A nondeterministic.jsonl entry: the output must match its shape regex (sandboxed ones: no regex)."""
    name = f"{entry['function']}: {entry['tmpl']}"
    variables = {key: Variable(key, expression=source) for key, source in SHAPE_VARIABLES.items()}
    values = Values(input=dict(SHAPE_INPUTS), variables=variables)
    try:
        output = values.apply(entry["tmpl"])
    except TemplateError as error:
        if entry["shape_regex"] is None:  # env/DNS: sandboxed here, documented in the README
            return Result(name, True)
        return Result(name, False, f"expected the shape {entry['shape_regex']!r}, got error {error.message}")
    if entry["shape_regex"] is None or re.search(entry["shape_regex"], output):
        return Result(name, True)
    return Result(name, False, f"expected the shape {entry['shape_regex']!r}, got {output!r}")


def check(case: dict[str, Any]) -> Result:
    if "id" not in case and "shape_regex" in case:
        return check_shape(case)
    expect = case["expect"]
    output, error = render(case)
    if "out" in expect or "out_b64" in expect:
        wanted = expect["out"].encode("utf-8") if "out" in expect else base64.b64decode(expect["out_b64"])
        if error is not None:
            return Result(case["id"], False, f"expected output {wanted!r}, got error {error.message}")
        got = (output or "").encode("utf-8", "surrogateescape")
        if got != wanted:
            return Result(case["id"], False, f"expected {wanted!r}, got {got!r}")
        return Result(case["id"], True)
    if error is None:
        return Result(case["id"], False, f"expected error {expect['error']!r}, got output {output!r}", False, False)
    ours = split_error(error.kind, error.message)
    level1 = ours.kind == expect["error_kind"] and ours.message == expect["error_message"]
    level2 = level1 and (ours.location, ours.executing, ours.context) == (
        expect.get("error_location", ""), expect.get("error_executing", ""), expect.get("error_context", ""))
    level3 = level2 and error.message == expect["error"]
    detail = "" if level1 else f"expected {expect['error_kind']} error {expect['error']!r}, got {error.message!r}"
    return Result(case["id"], level1, detail, level2, level3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--group", action="append", default=[], help="only this group (repeatable)")
    parser.add_argument("--id", action="append", default=[], help="only this case id (repeatable)")
    parser.add_argument("--positions", action="store_true", help="also list errors that fail level 2 or 3")
    args = parser.parse_args(argv)
    results = []
    for case in load_cases(args.file):
        if (args.group and case.get("group") not in args.group) or (args.id and case.get("id") not in args.id):
            continue
        try:
            results.append(check(case))
        except Exception as crash:  # one broken case must not hide the others
            label = str(case.get("id", case.get("tmpl")))
            results.append(Result(label, False, f"crashed: {type(crash).__name__}: {crash}"))
    return report(results, args.positions)


def report(results: list[Result], positions: bool) -> int:
    for result in results:
        if not result.passed:
            print(f"FAIL {result.case_id}: {result.detail}")
        elif positions and result.level3 is False:
            print(f"POSITION {result.case_id}")
    from engine.templating.executor import FUNCTION_LOAD_ERRORS

    for module, problem in FUNCTION_LOAD_ERRORS.items():
        print(f"note: function module {module} failed to import: {problem}")
    errors = [r for r in results if r.level2 is not None]
    level2 = sum(bool(r.level2) for r in errors)
    level3 = sum(bool(r.level3) for r in errors)
    print(f"errors: level 2 (positions) {level2}/{len(errors)}, level 3 (exact) {level3}/{len(errors)}")
    passed = sum(r.passed for r in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""`utask-engine`: the headless command line.

    utask-engine validate [--functions-dir D] [--format text|json] FILE...
    utask-engine run TEMPLATE [--input K=V]... [--dry-run] [--format text|json] (see engine/run/cli_run.py)

Exit codes are part of the contract: 0 when no file has an error, 1 when any has, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.diagnostics import Diagnostic, Severity
from engine.load.functions import FunctionRegistry
from engine.run.cli_run import add_run_parser, run_command
from engine.validate import validate_file, validate_function_file
from engine.validate.functions import function_file_diagnostics

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="utask-engine", description="Validate and run µTask templates.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    validate = commands.add_parser("validate", help="check templates and report every problem with its position",
                                   description="Check µTask templates (and function files) the way a µTask "
                                   "server loads them, plus the studio's extra checks.")
    validate.add_argument("files", nargs="+", metavar="FILE", help="template or function files (YAML)")
    validate.add_argument("--functions-dir", metavar="D", help="directory of function files (default: a "
                          "`functions/` directory beside each template, when there is one)")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_run_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"validate": _validate, "run": run_command}
    return handlers[args.command](args, parser)


def _validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    functions = None
    if args.functions_dir is not None:
        if not Path(args.functions_dir).is_dir():
            parser.error(f"--functions-dir {args.functions_dir}: not a directory")
        functions = FunctionRegistry.from_directory(args.functions_dir)
    reports = [(file, _diagnostics_of(file, functions)) for file in args.files]
    if functions is not None:
        reports.extend(_function_reports(functions))
    if args.format == "json":
        _print_json(reports)
    else:
        _print_text(reports)
    return EXIT_INVALID if any(d.is_error for _, ds in reports for d in ds) else EXIT_OK


def _diagnostics_of(file: str, functions: FunctionRegistry | None) -> list[Diagnostic]:
    if _looks_like_function(file):
        return validate_function_file(file, functions)
    result = validate_file(file, functions=functions)
    own = [d for d in result.diagnostics if d.file == file]
    return own


def _function_reports(functions: FunctionRegistry) -> list[tuple[str, list[Diagnostic]]]:
    """Problems of the function files themselves, so a broken function is named where it is."""
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in [*functions.diagnostics, *function_file_diagnostics(functions)]:
        if diagnostic.is_error:
            by_file.setdefault(diagnostic.file, []).append(diagnostic)
    return sorted(by_file.items())


def _looks_like_function(file: str) -> bool:
    """A function file has an `action` at its root and no `steps`."""
    try:
        with open(file, encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    keys = {line.split(":", 1)[0] for line in head.splitlines() if line[:1].isalpha() and ":" in line}
    return "action" in keys and "steps" not in keys


def _print_text(reports: list[tuple[str, list[Diagnostic]]]) -> None:
    counts = {severity: 0 for severity in Severity}
    for _, diagnostics in reports:
        for diagnostic in diagnostics:
            counts[diagnostic.severity] += 1
            print(diagnostic.format_text())
    summary = ", ".join(f"{count} {severity}{'s' if count != 1 else ''}" for severity, count in counts.items())
    print(f"{len(reports)} file{'s' if len(reports) != 1 else ''} checked: {summary}", file=sys.stderr)


def _print_json(reports: list[tuple[str, list[Diagnostic]]]) -> None:
    files = [{"file": file, "valid": not any(d.is_error for d in diagnostics),
              "diagnostics": [d.to_json() for d in diagnostics]} for file, diagnostics in reports]
    document = {"valid": all(entry["valid"] for entry in files), "files": files}
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

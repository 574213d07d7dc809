"""`utask-engine run`: run a template once, in memory, and print the final resolution.

    utask-engine run TEMPLATE [--input K=V]... [--inputs-file F] [--resolver-input K=V]...
                     [--functions-dir D] [--scripts-dir D] [--dry-run] [--fixtures F] [--format text|json]

Exit 0 only when the resolution ends DONE; 1 otherwise (bad template or inputs included); 2 on usage errors.
Bad inputs are refused before the run, in `validate`'s diagnostic format.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from engine.diagnostics import Severity
from engine.load.document import read_document
from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution, Task
from engine.model.template import Input, Template
from engine.run.create import InputError
from engine.run.engine import Engine
from engine.run.pipeline import plain
from engine.validate import validate_document

__all__ = ["add_run_parser", "run_command"]

EXIT_OK, EXIT_FAILED = 0, 1


def add_run_parser(commands: Any) -> None:
    run = commands.add_parser("run", help="run a template once and print the final resolution",
                              description="Run a µTask template once, in memory (µTask's execution cycle).")
    run.add_argument("template", metavar="TEMPLATE", help="template file (YAML)")
    run.add_argument("--input", action="append", default=[], metavar="K=V", help="a task input (repeatable)")
    run.add_argument("--inputs-file", metavar="F", help="task inputs from a JSON or YAML mapping")
    run.add_argument("--resolver-input", action="append", default=[], metavar="K=V", help="a resolver input")
    run.add_argument("--functions-dir", metavar="D", help="directory of function files (default: a `functions/` "
                     "directory beside the template, when there is one)")
    run.add_argument("--scripts-dir", metavar="D", default="./scripts", help="scripts of the `script` action")
    run.add_argument("--dry-run", action="store_true", help="never execute actions with side effects")
    run.add_argument("--fixtures", metavar="F", help="dry-run outputs: step name → {output, metadata, state}")
    run.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def _pairs(pairs: list[str], definitions: list[Input], parser: argparse.ArgumentParser) -> dict[str, Any]:
    kinds = {d.name: d for d in definitions}
    values: dict[str, Any] = {}
    for pair in pairs:
        key, equal, text = pair.partition("=")
        if not equal:
            parser.error(f"{pair!r}: expected K=V")
        definition = kinds.get(key)
        value: Any = text
        if definition is not None and (definition.type in ("number", "bool") or definition.collection):
            try:
                value = json.loads(text)
            except ValueError:
                value = text
        values[key] = value
    return values


def _load_mapping(path: str, parser: argparse.ArgumentParser, what: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        parser.error(f"{what} {path}: {error}")
    if data is None:
        return {}
    if not isinstance(data, dict):
        parser.error(f"{what} {path}: expected a mapping")
    return data


def run_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    path = Path(args.template)
    if args.functions_dir is not None:
        if not Path(args.functions_dir).is_dir():
            parser.error(f"--functions-dir {args.functions_dir}: not a directory")
        functions = FunctionRegistry.from_directory(args.functions_dir)
    elif (path.parent / "functions").is_dir():
        functions = FunctionRegistry.from_directory(path.parent / "functions")
    else:
        functions = FunctionRegistry()
    if not path.is_file():
        parser.error(f"{args.template}: no such file")
    document = read_document(path)
    result = validate_document(document, functions)
    if not result.ok or result.template is None:
        for diagnostic in result.errors:
            print(diagnostic.format_text())
        return EXIT_FAILED
    template = result.template
    inputs = _load_mapping(args.inputs_file, parser, "--inputs-file") if args.inputs_file else {}
    resolver_inputs: dict[str, Any] = {}
    if set(inputs) <= {"inputs", "resolver_inputs"} and all(isinstance(v, dict) for v in inputs.values()):
        resolver_inputs = dict(inputs.get("resolver_inputs") or {})  # the samples' `NAME.inputs.json` form
        inputs = dict(inputs.get("inputs") or {})
    inputs.update(_pairs(args.input, template.inputs, parser))
    resolver_inputs.update(_pairs(args.resolver_input, template.resolver_inputs, parser))
    fixtures = _load_mapping(args.fixtures, parser, "--fixtures") if args.fixtures else {}
    engine = Engine(functions=functions, scripts_dir=args.scripts_dir)
    try:
        task, resolution = asyncio.run(_run(engine, template, inputs, resolver_inputs, args.dry_run, fixtures,
                                            args.format == "text"))
    except InputError as error:
        where = "resolver_inputs" if error.name in {d.name for d in template.resolver_inputs} and \
            error.name not in {d.name for d in template.inputs} else "inputs"
        index = next((i for i, d in enumerate(getattr(template, where)) if d.name == error.name), None)
        diagnostic = document.report(Severity.ERROR, "input-invalid", str(error),
                                     "fix the value given with --input / --inputs-file / --resolver-input",
                                     path=(where, index) if index is not None else (), utask=str(error))
        print(diagnostic.format_text())
        return EXIT_FAILED
    if args.format == "json":
        json.dump(plain(resolution_json(task, resolution)), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_text(task, resolution)
    return EXIT_OK if resolution.state == "DONE" else EXIT_FAILED


async def _run(engine: Engine, template: Template, inputs: dict[str, Any], resolver_inputs: dict[str, Any],
               dry_run: bool, fixtures: dict[str, Any], progress: bool) -> tuple[Task, Resolution]:
    task, resolution = await engine.create(template, inputs, resolver_inputs)
    if progress and sys.stderr.isatty():
        done = [0]

        def show(event: Any) -> None:
            if getattr(event, "step", None) and event.new_state not in ("RUNNING", "TODO"):
                done[0] += 1
                print(f"\r{done[0]} step result(s)… {event.step}: {event.new_state}\033[K", end="", file=sys.stderr)

        engine.bus.subscribe(show)
    await engine.run(resolution.id, dry_run=dry_run, fixtures=fixtures)
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    return task, resolution


def resolution_json(task: Task, resolution: Resolution) -> dict[str, Any]:
    steps: dict[str, Any] = {}
    for name, step in resolution.steps.items():
        entry: dict[str, Any] = {"state": step.state, "output": step.output, "metadata": step.metadata,
                                 "children": step.children, "error": step.error, "tries": step.try_count}
        if step.dry_run is not None:
            entry["dry_run"] = step.dry_run
        steps[name] = entry
    return {"id": resolution.id, "task_id": task.id, "state": resolution.state, "task_state": task.state,
            "steps": steps, "result": task.result,
            "next_retry": resolution.next_retry.isoformat() if resolution.next_retry else None}


def _print_text(task: Task, resolution: Resolution) -> None:
    print(f"resolution {resolution.state} (task {task.state})")
    for name, step in resolution.steps.items():
        line = f"  {name}: {step.state} (tries {step.try_count})"
        if step.error:
            line += f" — {step.error}"
        print(line)
        if step.dry_run is not None:
            print(f"    dry run: {json.dumps(plain(step.dry_run), ensure_ascii=False)}")
    if task.result is not None:
        print(f"result: {json.dumps(plain(task.result), ensure_ascii=False)}")

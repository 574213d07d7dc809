"""`utask-engine run`: run a template once and print the final resolution.

    utask-engine run TEMPLATE [--input K=V]... [--inputs-file F] [--resolver-input K=V]...
                     [--functions-dir D] [--scripts-dir D] [--dry-run] [--fixtures F] [--format text|json]
                     [--db PATH [--resume ID [--now]]]

Without `--db` the run is in memory. With `--db PATH` the template, the task, its resolution and every step
change (with an audit trail) are written to that SQLite file as the run goes, and the first line on stderr is
`resolution <ID> (task <TASK>) in <PATH>`; `--resume ID` continues that resolution from the file (the µTask
way: a resolution left RUNNING by a dead process is marked CRASHED, crash recovery turns its RUNNING steps
into TODO when idempotent, else CRASHED with the resolution BLOCKED_TOCHECK; DONE steps are never re-run).
A resumed run must be given the template it was created from: its content (not its layout or comments) is
compared with the copy stored in the file, and a difference is refused with what differs.

Exit 0 only when the resolution ends DONE; 1 otherwise (bad template or inputs, BLOCKED_TOCHECK after crash
recovery included); 2 on usage errors. Bad inputs are refused before the run, in `validate`'s diagnostic format.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from engine.diagnostics import Severity
from engine.load.document import read_document
from engine.load.functions import FunctionRegistry
from engine.model.run import Resolution, Task
from engine.model.template import Input, Template
from engine.run.create import InputError
from engine.run.engine import Engine, RunRefused
from engine.run.outcome import retry_due
from engine.run.pipeline import plain
from engine.run.store_recorder import StoreRecorder
from engine.store import NotFoundError, Store, StoreError
from engine.store.codec import encode
from engine.validate import validate_document

__all__ = ["add_run_parser", "run_command"]

EXIT_OK, EXIT_FAILED = 0, 1


def add_run_parser(commands: Any) -> None:
    run = commands.add_parser("run", help="run a template once and print the final resolution",
                              description="Run a µTask template once (µTask's execution cycle): in memory, or "
                              "persisted step by step to a SQLite file with --db, resumable with --resume. "
                              "Exit 0 only when the resolution ends DONE.")
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
    run.add_argument("--db", metavar="PATH", help="persist the task, resolution and every step change (with an "
                     "audit trail) to this SQLite file, created if needed; prints `resolution ID (task T) in PATH` "
                     "on stderr first (default: an in-memory run, nothing kept)")
    run.add_argument("--resume", metavar="ID", help="continue resolution ID from --db (required): a resolution "
                     "left RUNNING by a killed run is crash-recovered as µTask does (RUNNING steps become TODO "
                     "when idempotent, else CRASHED and the resolution BLOCKED_TOCHECK: exit 1; check those "
                     "steps' side effects, then --resume again to re-execute them); DONE steps are never re-run; "
                     "a resolution in ERROR (or WAITING to be woken) is run at its scheduled retry time: the command "
                     "waits until then")
    run.add_argument("--now", action="store_true", help="with --resume: do not wait for a scheduled retry time")


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
    if args.resume is not None and args.db is None:
        parser.error("--resume needs --db (the file the resolution was persisted to)")
    if args.now and args.resume is None:
        parser.error("--now goes with --resume (a new run starts at once)")
    if args.resume is not None and (args.input or args.inputs_file or args.resolver_input):
        parser.error("--resume continues a resolution with its stored inputs: no --input, --inputs-file or "
                     "--resolver-input")
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
    run = _Run(template, inputs, resolver_inputs, args.dry_run, fixtures, args.format == "text")
    run.wait_for_retry = not args.now
    try:
        if args.db is None:
            outcome = asyncio.run(run.in_memory(Engine(functions=functions, scripts_dir=args.scripts_dir)))
        else:
            outcome = asyncio.run(run.persisted(args.db, args.resume, document.text,
                                                lambda recorder: Engine(functions=functions, recorder=recorder,
                                                                        scripts_dir=args.scripts_dir)))
    except _Stop as stop:
        print(f"utask-engine: {stop}", file=sys.stderr)
        return EXIT_FAILED
    except InputError as error:
        where = "resolver_inputs" if error.name in {d.name for d in template.resolver_inputs} and \
            error.name not in {d.name for d in template.inputs} else "inputs"
        index = next((i for i, d in enumerate(getattr(template, where)) if d.name == error.name), None)
        diagnostic = document.report(Severity.ERROR, "input-invalid", str(error),
                                     "fix the value given with --input / --inputs-file / --resolver-input",
                                     path=(where, index) if index is not None else (), utask=str(error))
        print(diagnostic.format_text())
        return EXIT_FAILED
    task, resolution, note = outcome
    if args.format == "json":
        json.dump(plain(resolution_json(task, resolution)), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_text(task, resolution)
    if note:
        print(f"utask-engine: {note}", file=sys.stderr)
    return EXIT_OK if resolution.state == "DONE" else EXIT_FAILED


class _Stop(Exception):
    """The run cannot go on (unknown resolution, wrong template, refused state, store error): a message."""


class _Run:
    """One `run` invocation: in memory, or persisted (new or resumed)."""

    def __init__(self, template: Template, inputs: dict[str, Any], resolver_inputs: dict[str, Any],
                 dry_run: bool, fixtures: dict[str, Any], progress: bool) -> None:
        self.template, self.inputs, self.resolver_inputs = template, inputs, resolver_inputs
        self.dry_run, self.fixtures, self.progress = dry_run, fixtures, progress and sys.stderr.isatty()
        self.wait_for_retry = True  # a resumed resolution with a retry scheduled runs at that time

    async def in_memory(self, engine: Engine) -> tuple[Task, Resolution, str]:
        task, resolution = await engine.create(self.template, self.inputs, self.resolver_inputs)
        await self._execute(engine, resolution.id)
        return task, resolution, ""

    async def persisted(self, db: str, resume: str | None, source: str,
                        make_engine: Callable[[StoreRecorder], Engine]) -> tuple[Task, Resolution, str]:
        try:
            async with Store.open(db) as store:
                engine: Engine = make_engine(StoreRecorder(store))
                if resume is None:
                    await store.save_template(self.template, source)
                    task, resolution = await engine.create(self.template, self.inputs, self.resolver_inputs)
                    _announce(resolution, db)
                    await self._execute(engine, resolution.id)
                    return task, resolution, ""
                return await self._resume(engine, store, db, resume)
        except StoreError as error:
            raise _Stop(str(error)) from error

    async def _resume(self, engine: Engine, store: Store, db: str, resolution_id: str,
                      ) -> tuple[Task, Resolution, str]:
        loaded = await engine.recorder.load(resolution_id)
        if loaded is None:
            raise _Stop(f"no resolution {resolution_id} in {db}")
        task, resolution = loaded
        if task.template_name != self.template.normalized_name:
            raise _Stop(f"resolution {resolution_id} runs template {task.template_name!r}, "
                        f"not {self.template.normalized_name!r}")
        await self._check_template(store, db, resolution_id, task.template_name)
        engine.add_template(self.template)
        engine.services.remember(task, resolution)
        _announce(resolution, db)
        if resolution.state == "DONE":
            return task, resolution, f"resolution {resolution_id} is already DONE: nothing to run"
        if resolution.state == "RUNNING":  # its process died: µTask's crash collector marks it CRASHED
            await engine.mark_crashed(resolution_id)
        elif self.wait_for_retry:
            await _scheduled_retry(engine, resolution)
        try:
            finished = await self._execute(engine, resolution_id)
        except RunRefused as error:
            raise _Stop(f"resolution {resolution_id}: {error}") from error
        if finished is None:
            crashed = sorted(name for name, step in resolution.steps.items() if step.state == "CRASHED")
            return task, resolution, (
                f"resolution {resolution_id} is BLOCKED_TOCHECK: step(s) {', '.join(crashed)} were running when "
                "the engine stopped and are not idempotent, so they are CRASHED and were not re-executed. Check "
                "whether their side effects happened (and fix things by hand if needed), then run again with "
                f"--resume {resolution_id} to re-execute them.")
        return task, resolution, ""

    async def _check_template(self, store: Store, db: str, resolution_id: str, name: str) -> None:
        """Refuse to resume with a template whose content differs from the one the run was created from (the
        copy `--db` stored): its steps would no longer match the recorded ones."""
        try:
            stored = await store.get_template(name)
        except NotFoundError:
            return  # a file written without its template (another tool): nothing to compare with
        differences = template_differences(stored.template, self.template)
        if differences:
            raise _Stop(f"resolution {resolution_id} was created from another version of template {name!r} "
                        f"(the copy stored in {db} on {stored.updated:%Y-%m-%d %H:%M:%S}): the file given differs in "
                        f"{'; '.join(differences)}. Resume with the template the run was created from, or start a "
                        "new run without --resume.")

    async def _execute(self, engine: Engine, resolution_id: str) -> Resolution | None:
        if self.progress:
            done = [0]

            def show(event: Any) -> None:
                if getattr(event, "step", None) and event.new_state not in ("RUNNING", "TODO"):
                    done[0] += 1
                    print(f"\r{done[0]} step result(s)… {event.step}: {event.new_state}\033[K", end="",
                          file=sys.stderr)

            engine.bus.subscribe(show)
        try:
            return await engine.run(resolution_id, dry_run=self.dry_run, fixtures=self.fixtures)
        finally:
            if self.progress:
                print(file=sys.stderr)


def _content(model: BaseModel) -> dict[str, str]:
    """A model's fields as JSON text (set or defaulted alike: an explicit default is no difference)."""
    return {key: encode(value) for key, value in model.model_dump(mode="python", by_alias=True).items()}


def template_differences(stored: Template, given: Template) -> list[str]:
    """What differs between two templates, readably: `step(s) changed: a, b`, `… added`, `… removed`, and
    `field(s): description, inputs` for the other fields. Empty when their contents are the same."""
    old_steps = {name: _content(step) for name, step in stored.steps.items()}
    new_steps = {name: _content(step) for name, step in given.steps.items()}
    found = [f"step(s) {what}: {', '.join(names)}" for what, names in (
        ("changed", [name for name in new_steps if name in old_steps and new_steps[name] != old_steps[name]]),
        ("added", [name for name in new_steps if name not in old_steps]),
        ("removed", [name for name in old_steps if name not in new_steps])) if names]
    old, new = _content(stored), _content(given)
    fields = [key for key in old.keys() | new.keys() if key != "steps" and old.get(key) != new.get(key)]
    if fields:
        found.append(f"field(s): {', '.join(sorted(fields))}")
    return found


async def _scheduled_retry(engine: Engine, resolution: Resolution) -> None:
    """Wait for the retry the run before scheduled (stored `next_retry`), as µTask's retry collector would."""
    retry = resolution.next_retry
    if retry is None:
        return
    after = retry + datetime.timedelta(microseconds=1)  # the collector picks `next_retry < now`
    if not retry_due(resolution.state, retry, resolution.last_start, after):
        return  # not a scheduled retry (a WAITING step waits for something else): run now, as µTask's run does
    delay = (after - engine.clock()).total_seconds()
    if delay > 0:
        print(f"utask-engine: resolution {resolution.id} is {resolution.state} with a retry scheduled at "
              f"{retry.isoformat()}: waiting {delay:.1f} s (--now runs it at once)", file=sys.stderr, flush=True)
        await asyncio.sleep(delay)


def _announce(resolution: Resolution, db: str) -> None:
    print(f"resolution {resolution.id} (task {resolution.task_id}) in {db}", file=sys.stderr, flush=True)


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

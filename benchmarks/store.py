"""Store speed: creating a 2,000-step resolution, incremental step updates, reloading; in one process.

    python benchmarks/store.py [--steps N] [--updates N] [--repeat N]

`update_steps` (one changed step per call: state, output, try_count, each with its audit row) is compared
with what µTask does — rewriting the whole resolution's steps as one JSON blob at each change — measured
in the same process, on the same file and through the same connection machinery (one transaction per
change, the blob encoded by the C json encoder, which favours the baseline). "grouped" issues the same
updates concurrently, as an engine running many steps at once does: the store commits them together;
"in one call" passes them all to a single `update_steps`.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.model.run import Resolution, StepRun, Task  # noqa: E402
from engine.model.template import Step  # noqa: E402
from engine.store import StepChange, Store  # noqa: E402
from engine.store.connection import Database  # noqa: E402
from engine.templating.gotypes import JSONNumber  # noqa: E402


def resolution(task_id: str, resolution_id: str, steps: int) -> Resolution:
    runs = {}
    for index in range(steps):
        definition = Step.model_validate({
            "description": f"step {index}",
            "dependencies": [f"s{index - 1}"] if index else [],
            "action": {"type": "echo", "configuration": {"output": {
                "id": f"{{{{.step.s{max(index - 1, 0)}.output.id}}}}", "n": JSONNumber(str(index))}}},
        })
        runs[f"s{index}"] = StepRun.from_definition(f"s{index}", definition)
    return Resolution(id=resolution_id, task_id=task_id, steps=runs)


def rewrite(conn: sqlite3.Connection, text: str) -> None:
    conn.execute("UPDATE blob SET steps = ? WHERE id = 'r'", (text,))


def change(index: int) -> StepChange:
    return StepChange.set(f"s{index}", state="DONE", try_count=1,
                          output={"id": f"value-{index}", "n": JSONNumber(str(index)), "at": JSONNumber("1619464078")})


async def best(repeat: int, action: Callable[[int], Awaitable[None]]) -> float:
    times = []
    for attempt in range(repeat):
        start = time.perf_counter()
        await action(attempt)
        times.append(time.perf_counter() - start)
    return min(times)


async def run(steps: int, updates: int, repeat: int, folder: str) -> None:
    path = os.path.join(folder, "bench.db")
    async with Store.open(path) as store:
        async def create(attempt: int) -> None:
            await store.create_task(Task(f"t{attempt}", "bench", "bench", {}), resolution(f"t{attempt}", f"r{attempt}",
                                                                                           steps))
        start = time.perf_counter()
        prepared = resolution("x", "y", steps)
        build = time.perf_counter() - start
        created = await best(repeat, create)

        updates = min(updates, steps)
        start = time.perf_counter()
        for index in range(updates):
            await store.update_steps("r0", [change(index)], "plugin succeeded")
        sequential = (time.perf_counter() - start) / updates

        start = time.perf_counter()
        await asyncio.gather(*(store.update_steps("r1", [change(index)], "plugin succeeded")
                               for index in range(updates)))
        grouped = (time.perf_counter() - start) / updates

        start = time.perf_counter()
        await store.update_steps("r2", [change(index) for index in range(updates)], "plugin succeeded")
        bulk = (time.perf_counter() - start) / updates

        async def reload(_: int) -> None:
            loaded = await store.load_resolution("r0")
            assert len(loaded.steps) == steps

        reloaded = await best(repeat, reload)

    # Baseline: the whole resolution's steps as one JSON document, rewritten at each change.
    db = await Database.open(path, 5.0)
    try:
        document: dict[str, dict[str, Any]] = {
            name: {"definition": run.definition.model_dump(mode="python", by_alias=True, exclude_unset=True),
                   "state": run.state, "output": None, "try_count": 0}
            for name, run in prepared.steps.items()}
        for item in document.values():
            item["definition"]["action"]["configuration"]["output"]["n"] = 0  # plain ints: json.dumps can write them
        await db.write(lambda conn: conn.execute("CREATE TABLE IF NOT EXISTS blob (id TEXT PRIMARY KEY, steps TEXT)"))
        first = json.dumps(document, separators=(",", ":"))
        await db.write(lambda conn: conn.execute("INSERT OR REPLACE INTO blob VALUES ('r', ?)", (first,)))
        blob_updates = max(updates // 10, 20)
        start = time.perf_counter()
        for index in range(blob_updates):
            document[f"s{index}"].update(state="DONE", try_count=1, output={"id": f"value-{index}", "n": index})
            text = json.dumps(document, separators=(",", ":"))
            await db.write(functools.partial(rewrite, text=text))
        blob = (time.perf_counter() - start) / blob_updates
        size = len(text)
    finally:
        await db.close()

    print(f"store benchmark: {steps} steps, {updates} updates, best of {repeat}, SQLite file in {folder}")
    print(f"  build the records in memory           {build * 1e3:9.1f} ms (not stored; for scale)")
    print(f"  create task + {steps}-step resolution  {created * 1e3:9.1f} ms ({created / steps * 1e6:.1f} µs/step)")
    print(f"  update_steps, one step per call       {sequential * 1e6:9.1f} µs/update (sequential awaits)")
    print(f"  update_steps, grouped                 {grouped * 1e6:9.1f} µs/update ({updates} concurrent calls)")
    print(f"  update_steps, {updates} changes in one call {bulk * 1e6:7.1f} µs/change")
    print(f"  baseline: rewrite the {size // 1024} KB blob    {blob * 1e6:9.1f} µs/update "
          f"({blob / sequential:.0f}× update_steps; {blob_updates} updates)")
    print(f"  reload the resolution                 {reloaded * 1e3:9.1f} ms ({reloaded / steps * 1e6:.1f} µs/step)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(arguments.steps, arguments.updates, arguments.repeat, folder))


if __name__ == "__main__":
    main()

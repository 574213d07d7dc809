"""Engine speed: generated echo templates run in memory and persisted to SQLite (`StoreRecorder`), in one process.

    python benchmarks/engine.py [--sizes 100,2000,10000] [--repeat N] [--shapes chain,wide,foreach]

Shapes: `chain` (each step depends on the previous one), `wide` (independent steps), `foreach` (one step
over N items). For each: the time of `Engine.run` (creation excluded) and steps/s, in memory
(`MemoryRecorder`) and with a store on a temporary file (every step change written incrementally with its
audit rows), and the store's overhead ratio (persisted time / in-memory time). The floor is measured in the
same process: N bare asyncio tasks plus N SQLite rows inserted in one transaction; "× floor" is the
persisted time over it. Best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.load.document import parse_document  # noqa: E402
from engine.load.functions import FunctionRegistry  # noqa: E402
from engine.model.template import Template  # noqa: E402
from engine.run.engine import Engine  # noqa: E402
from engine.run.store_recorder import StoreRecorder  # noqa: E402
from engine.store import Store  # noqa: E402
from engine.validate import validate_document  # noqa: E402


def template(shape: str, size: int) -> Template:
    lines = [f"name: bench-{shape}-{size}", "description: a benchmark", "title_format: a benchmark", "steps:"]
    if shape == "foreach":
        items = ",".join(str(i) for i in range(size))
        lines.append(f"  loop: {{foreach: '[{items}]', action: {{type: echo, configuration: "
                     "{output: {i: '{{.iterator}}'}}}}")
    else:
        for index in range(size):
            deps = f"dependencies: [s{index - 1}], " if shape == "chain" and index else ""
            lines.append(f"  s{index}: {{{deps}action: {{type: echo, configuration: {{output: {{n: '{index}'}}}}}}}}")
    result = validate_document(parse_document("\n".join(lines) + "\n", "bench.yaml"), FunctionRegistry())
    assert result.ok and result.template is not None, [d.message for d in result.errors][:3]
    return result.template


async def run_once(tpl: Template, db: str | None) -> float:
    if db is None:
        engine = Engine()
        _, resolution = await engine.create(tpl, {})
        start = time.perf_counter()
        await engine.run(resolution.id)
        elapsed = time.perf_counter() - start
    else:
        async with Store.open(db) as store:
            engine = Engine(recorder=StoreRecorder(store))
            _, resolution = await engine.create(tpl, {})
            start = time.perf_counter()
            await engine.run(resolution.id)
            elapsed = time.perf_counter() - start
    assert resolution.state == "DONE", resolution.state
    return elapsed


async def floor(size: int, folder: str) -> float:
    path = os.path.join(folder, "floor.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, state TEXT)")
    start = time.perf_counter()

    async def nothing() -> None:
        await asyncio.sleep(0)

    await asyncio.gather(*(nothing() for _ in range(size)))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t (name, state) VALUES (?, ?)", ((f"s{i}", "DONE") for i in range(size)))
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,2000,10000")
    parser.add_argument("--shapes", default="chain,wide,foreach")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"{'shape':8} {'steps':>6} {'memory s':>9} {'steps/s':>9} {'store s':>9} {'steps/s':>9} "
          f"{'overhead':>8} {'× floor':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shapes.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                if shape == "foreach" and size > 2000:
                    continue
                tpl = template(shape, size)
                memory = stored = bare = float("inf")
                for attempt in range(args.repeat):
                    gc.collect()
                    memory = min(memory, asyncio.run(run_once(tpl, None)))
                    gc.collect()
                    path = os.path.join(folder, f"{shape}{size}-{attempt}.db")
                    stored = min(stored, asyncio.run(run_once(tpl, path)))
                    bare = min(bare, asyncio.run(floor(size, folder)))
                    os.remove(os.path.join(folder, "floor.db"))
                print(f"{shape:8} {size:>6} {memory:>9.3f} {size / memory:>9.0f} {stored:>9.3f} {size / stored:>9.0f} "
                      f"{stored / memory:>7.2f}× {stored / bare:>7.1f}×", flush=True)


if __name__ == "__main__":
    main()

"""A process that writes to a store until it is killed (driven by test_store_kill.py).

Each iteration `n` is one transaction that changes steps s0–s2 (try_count = n, output n, state), replaces
the foreach child `c<n-1>` by `c<n>` (and s3's children_steps), and sets the resolution's run_count to n;
at the same time a few concurrent single-step writes bump s10–s14 (grouped into the same commits). Every
7th iteration also creates a task of 300 steps in one transaction. `n` is printed once committed.
"""

from __future__ import annotations

import asyncio
import random
import sys

from engine.model.run import StepRun
from engine.store import NotFoundError, StepChange, Store
from engine.templating.gotypes import JSONNumber
from tests.store.store_helpers import make_resolution, make_task, step_definition

GROUP = ("s0", "s1", "s2")
SIDE = tuple(f"s{index}" for index in range(10, 15))
BIG_STEPS = 300


async def main(path: str, seed: int) -> None:
    rng = random.Random(seed)
    async with Store.open(path) as store:
        try:
            resolution = await store.load_resolution("r")
        except NotFoundError:
            await store.create_task(make_task("t"), make_resolution("t", "r", steps=20))
            resolution = await store.load_resolution("r")
        n = resolution.steps["s0"].try_count
        print("ready", n, flush=True)
        while True:
            n += 1
            child = StepRun.from_definition(f"c{n}", step_definition(3))
            child.item = {"n": JSONNumber(str(n))}
            output = {"n": JSONNumber(str(n)), "pad": "x" * rng.randint(0, 20000)}
            main_write = store.apply(
                "r", f"iteration {n}", add=[child], remove=[f"c{n - 1}"] if n > 1 else [],
                steps=[StepChange.set(name, try_count=n, output=output, state=("DONE", "RUNNING")[n % 2])
                       for name in GROUP] + [StepChange.set("s3", children_steps=[child.name], state="EXPANDED")],
                resolution={"run_count": n})
            side_writes = [store.update_steps("r", [StepChange.set(name, try_count=n)], f"side {n}")
                           for name in rng.sample(SIDE, rng.randint(0, len(SIDE)))]
            await asyncio.gather(main_write, *side_writes)
            print(n, flush=True)
            if n % 7 == 0:
                await store.create_task(make_task(f"big{n}", template="big"),
                                        make_resolution(f"big{n}", f"rb{n}", steps=BIG_STEPS))
                print("big", n, flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))

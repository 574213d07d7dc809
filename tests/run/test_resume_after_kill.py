"""Kill and resume: `utask-engine run T --db F` SIGKILLed at random moments, then `--resume ID` until it ends.

Real processes, real SQLite files. A 45-step template (a chain of echo and `script` steps, a foreach) where
each script execution appends a line to a marker file, so re-executions are visible. After every kill the
file is read: the DONE steps then must never run again; steps left RUNNING are crash-recovered the µTask
way (§11.5): idempotent ones become TODO and run again, the others become CRASHED with the resolution
BLOCKED_TOCHECK (the CLI exits 1 and says so), and the next `--resume` (the manual re-run) executes them.
The final states, outputs and try counts equal those of an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ITERATIONS = 6
SCRIPTS = {5: False, 10: True, 15: False, 20: True, 25: False, 30: True, 35: False}  # index → idempotent



def idempotent(name: str) -> bool:
    """Only the scripts marked so; every other step (echo, foreach children) is not idempotent."""
    return name[1:].isdigit() and SCRIPTS.get(int(name[1:]), False)


MARK = """#!/bin/sh
echo "$2" >> "$1/$2"
sleep 0.08
echo '{"marked":"'"$2"'"}'
"""


def _template() -> str:
    lines = ["name: kill-resume", "description: steps to kill and resume", "title_format: kill and resume",
             "inputs:", "  - {name: dir}", "steps:"]
    previous = ""
    for index in range(40):
        name = f"s{index:02d}"
        deps = f"dependencies: [{previous}], " if previous else ""
        if index in SCRIPTS:
            idempotent = "true" if SCRIPTS[index] else "false"
            lines.append(f"  {name}: {{{deps}idempotent: {idempotent}, action: {{type: script, configuration: "
                         f"{{file_path: mark.sh, argv: ['{{{{.input.dir}}}}', '{name}']}}}}}}")
        else:
            lines.append(f"  {name}: {{{deps}action: {{type: echo, configuration: {{output: {{n: '{index}'}}}}}}}}")
        previous = name
    lines.append("  loop: {dependencies: [s20], foreach: '[1,2,3,4]', action: {type: echo, "
                 "configuration: {output: {i: '{{.iterator}}'}}}}")
    lines.append("  after: {dependencies: [loop, s39], action: {type: echo, configuration: {output: {end: 'yes'}}}}")
    return "\n".join(lines) + "\n"


@dataclass
class Setup:
    template: Path
    scripts: Path
    markers: Path
    db: Path
    log: list[str] = field(default_factory=list)

    def command(self, *extra: str) -> list[str]:
        return [sys.executable, "-m", "engine", "run", str(self.template), "--db", str(self.db),
                "--scripts-dir", str(self.scripts), "--format", "json", *extra]

    def start(self, *extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*extra), cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def markers_count(self) -> dict[str, int]:
        return {path.name: len(path.read_text().splitlines()) for path in self.markers.iterdir()}

    def resolution(self) -> tuple[str, str] | None:
        if not self.db.exists():
            return None
        with sqlite3.connect(self.db) as conn:
            row = conn.execute("SELECT id, state FROM resolutions").fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def step_states(self, resolution_id: str) -> dict[str, str]:
        with sqlite3.connect(self.db) as conn:
            rows = conn.execute("SELECT name, state FROM steps WHERE resolution_id = ?", (resolution_id,))
            return {str(name): str(state) for name, state in rows}


def _setup(root: Path, name: str) -> Setup:
    folder = root / name
    scripts, markers = folder / "scripts", folder / "markers"
    scripts.mkdir(parents=True)
    markers.mkdir()
    (scripts / "mark.sh").write_text(MARK)
    (scripts / "mark.sh").chmod(0o755)
    template = folder / "kill-resume.yaml"
    template.write_text(_template())
    return Setup(template, scripts, markers, folder / "run.db")


def _final(document: dict[str, Any]) -> dict[str, Any]:
    return {name: (step["state"], step["output"], step["children"], step["error"], step["tries"])
            for name, step in document["steps"].items()}


def _reference(root: Path) -> dict[str, Any]:
    setup = _setup(root, "reference")
    done = subprocess.run(setup.command("--input", f"dir={setup.markers}"), cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["state"] == "DONE"
    assert set(setup.markers_count().values()) == {1}
    return _final(document)


def _kill_after(process: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL after `delay` s unless it ended before; True when killed."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    return process.returncode == -signal.SIGKILL


def _iteration(setup: Setup, rng: random.Random, reference: dict[str, Any]) -> dict[str, int]:
    """Kill, resume, kill… until the run ends; returns counters of what happened."""
    stats = {"kills": 0, "fresh_starts": 0, "blocked_tochecks": 0, "idempotent_reruns": 0, "resumes": 0}
    crashed_allowance: dict[str, int] = {}  # step → extra executions allowed (found RUNNING at a kill)
    running_at_kill: set[str] = set()  # at the last kill
    done_before: set[str] = set()
    markers_at_kill: dict[str, int] = {}
    kills_left = rng.randint(2, 5)
    while True:
        found = setup.resolution()
        if found is None:  # killed before the resolution was written: start again
            stats["fresh_starts"] += 1
            process = setup.start("--input", f"dir={setup.markers}")
        else:
            stats["resumes"] += 1
            process = setup.start("--resume", found[0])
        # The first kill comes within 0.9 s (the run takes longer: start-up and 7 scripts of 80 ms), later ones
        # anywhere, the run may end first.
        delay = rng.random() * 0.9 if stats["kills"] == 0 else rng.choice([0.0, 0.4, 0.6]) + rng.random() * 0.9
        if kills_left > 0 and _kill_after(process, delay):
            kills_left -= 1
            stats["kills"] += 1
            counts = setup.markers_count()
            for name in done_before:  # DONE at the previous kill: never executed again
                assert counts.get(name, 0) == markers_at_kill.get(name, 0), (name, setup.log)
            found = setup.resolution()
            if found is not None:
                states = setup.step_states(found[0])
                done_before = {name for name, state in states.items() if state == "DONE"}
                running_at_kill = {name for name, state in states.items() if state == "RUNNING"}
                for name, state in states.items():
                    if state == "RUNNING":
                        crashed_allowance[name] = crashed_allowance.get(name, 0) + 1
                setup.log.append(f"killed: resolution {found[1]}, {len(done_before)} DONE, RUNNING "
                                 f"{sorted(n for n, s in states.items() if s == 'RUNNING')}")
            markers_at_kill = counts
            continue
        out, err = process.communicate(timeout=60)
        assert process.returncode in (0, 1), err
        document = json.loads(out)
        counts = setup.markers_count()
        for name in done_before:
            assert counts.get(name, 0) == markers_at_kill.get(name, 0), (name, setup.log)
        if process.returncode == 1:
            # Crash recovery blocked the resolution: exactly the non-idempotent steps left RUNNING are CRASHED.
            assert document["state"] == "BLOCKED_TOCHECK", (document["state"], err)
            assert "BLOCKED_TOCHECK" in err and "--resume" in err
            crashed = {name for name, step in document["steps"].items() if step["state"] == "CRASHED"}
            assert {name for name in running_at_kill if not idempotent(name)} <= crashed, (crashed, setup.log)
            assert crashed <= {name for name in crashed_allowance if not idempotent(name)}, (crashed, setup.log)
            assert not any(step["state"] == "RUNNING" for step in document["steps"].values())
            stats["blocked_tochecks"] += 1
            running_at_kill = set()
            done_before = {name for name, step in document["steps"].items() if step["state"] == "DONE"}
            markers_at_kill = counts
            continue
        assert document["state"] == "DONE"
        assert _final(document) == reference
        for name, count in counts.items():  # each script ran once, plus once per time it was caught RUNNING
            assert 1 <= count <= 1 + crashed_allowance.get(name, 0), (name, count, setup.log)
            if count > 1 and idempotent(name):
                stats["idempotent_reruns"] += 1
        assert set(counts) == {f"s{index:02d}" for index in SCRIPTS}
        with sqlite3.connect(setup.db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            reasons = {row[0] for row in conn.execute("SELECT DISTINCT reason FROM audit")}
        assert {"run", "result", "end of run"} <= reasons
        if stats["blocked_tochecks"] or crashed_allowance:
            assert "crash recovery" in reasons
        return stats


@pytest.mark.slow
def test_killed_runs_resume_to_the_same_final_states(tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    rng = random.Random(int(os.environ.get("KILL_SEED", "0")) or random.randrange(1 << 30))
    totals: dict[str, int] = {}
    for index in range(ITERATIONS):
        stats = _iteration(_setup(tmp_path, f"run{index}"), rng, reference)
        for key, value in stats.items():
            totals[key] = totals.get(key, 0) + value
    print(f"kill/resume totals over {ITERATIONS} iterations: {totals}")
    assert totals["kills"] >= ITERATIONS

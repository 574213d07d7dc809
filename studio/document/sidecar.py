"""`NAME.studio.json` beside `NAME.yaml`: studio-only data (node positions, dry-run fixtures), never in the template.

Fixtures are kept under the `fixtures` key (step name → {state, output, metadata, error, pinned_from}), the form
`utask-engine run --fixtures` reads; `Sidecar.fixtures` gives the readable ones, `set_fixture` changes one.

Reading is tolerant: a missing sidecar is an empty one, a corrupt one is reported and ignored (the
template opens anyway). Writing is atomic, like saving the template.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.document.files import Encoding, write_text_atomic

__all__ = ["FIXTURE_KEYS", "SIDECAR_VERSION", "Sidecar", "read_sidecar", "sidecar_path", "write_sidecar"]

SIDECAR_VERSION = 1
FIXTURE_KEYS = ("state", "output", "metadata", "error", "pinned_from")


@dataclass(slots=True)
class Sidecar:
    """What the studio keeps about a template; `problem` says why a sidecar on disk was ignored."""

    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # keys we do not know yet are kept as they are
    problem: str | None = None

    def rename(self, old: str, new: str) -> None:
        """A renamed step keeps its place on the canvas, and its fixture."""
        if old in self.positions:
            self.positions[new] = self.positions.pop(old)
        raw = self.extra.get("fixtures")
        if isinstance(raw, dict) and old in raw:
            raw[new] = raw.pop(old)

    @property
    def fixtures(self) -> dict[str, dict[str, Any]]:
        """Dry-run fixtures by step name (unreadable entries left out); a copy."""
        raw = self.extra.get("fixtures")
        if not isinstance(raw, Mapping):
            return {}
        return {str(name): {k: v for k, v in entry.items() if k in FIXTURE_KEYS}
                for name, entry in raw.items() if isinstance(entry, Mapping)}

    def set_fixture(self, step: str, fixture: Mapping[str, Any] | None) -> None:
        """Set (or with None, remove) the fixture of `step`."""
        raw = self.extra.get("fixtures")
        fixtures = dict(raw) if isinstance(raw, Mapping) else {}
        if fixture is None:
            fixtures.pop(step, None)
        else:
            fixtures[step] = {k: v for k, v in fixture.items() if k in FIXTURE_KEYS}
        if fixtures:
            self.extra["fixtures"] = fixtures
        else:
            self.extra.pop("fixtures", None)

    def to_json(self) -> dict[str, Any]:
        positions = {name: [x, y] for name, (x, y) in self.positions.items()}
        return {**self.extra, "version": SIDECAR_VERSION, "positions": positions}


def sidecar_path(template: str | Path) -> Path:
    path = Path(template)
    return path.with_name(path.stem + ".studio.json")


def read_sidecar(template: str | Path) -> Sidecar:
    """The sidecar of `template`; never raises for a missing or unreadable one."""
    path = sidecar_path(template)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Sidecar()
    except (OSError, UnicodeDecodeError) as exc:
        return Sidecar(problem=f"cannot read {path.name}: {exc}")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Sidecar(problem=f"{path.name} is not valid JSON (line {exc.lineno}): node positions were reset")
    if not isinstance(data, dict):
        return Sidecar(problem=f"{path.name} is not a JSON object: node positions were reset")
    return _from_json(data, path.name)


def _from_json(data: dict[str, Any], name: str) -> Sidecar:
    extra = {k: v for k, v in data.items() if k not in ("version", "positions")}
    raw_positions = data.get("positions", {})
    positions = _positions(raw_positions) if isinstance(raw_positions, Mapping) else {}
    skipped = (len(raw_positions) if isinstance(raw_positions, Mapping) else 1) - len(positions)
    problem = f"{name}: {skipped} unreadable node position(s) were ignored" if skipped else None
    return Sidecar(positions, extra, problem)


def _positions(raw: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for name, value in raw.items():
        if (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) and not isinstance(v, bool)
                                                                and math.isfinite(v) for v in value)):
            out[str(name)] = (float(value[0]), float(value[1]))
    return out


def write_sidecar(template: str | Path, sidecar: Sidecar) -> Path:
    path = sidecar_path(template)
    write_text_atomic(path, json.dumps(sidecar.to_json(), indent=2, sort_keys=False) + "\n", Encoding())
    return path

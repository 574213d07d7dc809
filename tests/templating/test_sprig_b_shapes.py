"""Sprig family B's nondeterministic functions (clock, randomness, crypto, environment, DNS) against the
shapes of conformance/templating/nondeterministic.jsonl, rendered through the engine."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from engine.templating import JSONNumber, TemplateError, Values, World
from engine.templating.funcs import dates
from engine.templating.funcs.crypto import optional_module
from engine.templating.printing import format_time

CORPUS = Path(__file__).resolve().parents[3] / "shared/conformance/templating/nondeterministic.jsonl"
if not CORPUS.exists():
    pytest.skip("the shared conformance corpus is not available", allow_module_level=True)

OURS = {"now", "ago", "date", "htmlDate", "dateInZone", "durationRound", "uuidv4", "randInt", "randBytes", "bcrypt",
        "htpasswd", "encryptAES", "genPrivateKey", "genCA", "env", "expandenv", "getHostByName"}
ENTRIES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
SHAPED = [e for e in ENTRIES if e["function"] in OURS and e["shape_regex"]]


def _values(**world: Any) -> Values:
    return Values(input={"n": JSONNumber("12"), "f": JSONNumber("1.5")}, world=World(**world))


@pytest.mark.parametrize("entry", SHAPED, ids=[f"{e['function']}:{e['tmpl']}" for e in SHAPED])
def test_shape(entry: dict[str, Any]) -> None:
    if entry["function"] in ("bcrypt", "htpasswd") and optional_module("bcrypt") is None:
        pytest.skip("the bcrypt package is not installed")
    output = _values().apply(entry["tmpl"])
    assert re.search(entry["shape_regex"], output), output


def test_now_prints_with_a_monotonic_reading() -> None:
    # time.Time's String() for `now` (printing.format_time plus the reading this module keeps).
    shape = next(e["shape_regex"] for e in ENTRIES if e["tmpl"] == "{{now}}")
    context: Any = _values().context
    now = dates.now(context)
    assert re.search(shape, format_time(now))


def test_environment_and_dns_are_sandboxed() -> None:
    assert _values().apply('{{env "HOME"}}|{{expandenv "home=$HOME"}}') == "|home="
    injected = _values(environ={"HOME": "/root"}, resolver=lambda name: ["127.0.0.1"])
    assert injected.apply('{{env "HOME"}}|{{expandenv "home=$HOME"}}|{{getHostByName "localhost"}}') == (
        "/root|home=/root|127.0.0.1")
    with pytest.raises(TemplateError, match="error calling getHostByName: invalid argument to Intn"):
        _values().apply('{{getHostByName "localhost"}}')

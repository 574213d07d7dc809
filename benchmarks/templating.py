"""Render speed of typical µTask values: our Go-template executor against Jinja2, in the same process.

    python benchmarks/templating.py

For each value it prints our cached render time (compiled template from the cache, executed on a µTask
root), Jinja2's render time for the equivalent template, and the ratio (goal: ours ≤ 0.15× Jinja2), then
our parse + compile time of each value (goal: ≤ 50 µs; the parse is `parser.py`'s), and the `Values.apply`
path the engine uses (cache lookup included). Every render runs under the default execution budget.
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jinja2  # noqa: E402

from engine.templating import CompiledTemplate, JSONNumber, Values, compile_template, parse  # noqa: E402
from engine.templating.function_table import functions_table  # noqa: E402
from engine.templating.functions_names import FUNCTION_NAMES  # noqa: E402

# (label, Go template, equivalent Jinja2 template)
CASES = [
    ("field access", "{{.step.getUser.output.id}}", "{{ step.getUser.output.id }}"),
    ("pipe through Sprig", "{{.input.name | upper}}", "{{ input.name | upper }}"),
    ("URL with two fields", "https://api.example.org/{{.input.region}}/users/{{.step.getUser.output.id}}",
     "https://api.example.org/{{ input.region }}/users/{{ step.getUser.output.id }}"),
    ("if/else", '{{if eq .input.mode "dry"}}simulate{{else}}run {{.input.name}}{{end}}',
     '{% if input.mode == "dry" %}simulate{% else %}run {{ input.name }}{% endif %}'),
    ("plain text", "echo hello world", "echo hello world"),
    # A loop: what the execution budget costs per iteration shows here.
    ("range over 10 items", "{{range .input.tags}}{{.}},{{end}}", "{% for t in input.tags %}{{ t }},{% endfor %}"),
]
FALLBACK_PIPE = ("pipe through printf", '{{printf "%s" .input.name}}', "{{ '%s' | format(input.name) }}")


def _values() -> Values:
    return Values(
        input={"name": "world", "region": "eu-west", "mode": "live", "tags": [f"tag{i}" for i in range(10)]},
        step={"getUser": {"output": {"id": JSONNumber("1619464078"), "name": "bob"}, "state": "DONE"}},
    )


def _best(function: object, runs: int) -> float:
    return min(timeit.repeat(function, number=runs, repeat=7)) / runs  # type: ignore[arg-type]


def main() -> None:
    values = _values()
    environment = jinja2.Environment(autoescape=False)
    cases = list(CASES)
    if "upper" not in _availablefunctions_table():
        cases[1] = FALLBACK_PIPE
        print("note: Sprig's `upper` is not registered yet; benchmarking printf instead\n")
    print(f"{'value':<22} {'ours':>9} {'jinja2':>9} {'ratio':>7}   {'Values.apply':>12}   {'parse + compile':>20}")
    for label, source, jinja_source in cases:
        _measure(label, source, environment.from_string(jinja_source), values)


def _measure(label: str, source: str, jinja: jinja2.Template, values: Values) -> None:
    root, context = values.root, values.context
    compiled = compile_template(source) if "{{" in source else None
    jinja_context = {"input": root["input"], "step": root["step"]}
    assert compiled is None or compiled.execute(root, context) == jinja.render(jinja_context), label
    runs = 200_000 if compiled is None else 50_000
    if compiled is None:
        ours = _best(lambda: values.apply(source), runs)
    else:
        ours = _best(lambda: compiled.execute(root, context), runs)
    theirs = _best(lambda: jinja.render(jinja_context), 20_000)
    applied = _best(lambda: values.apply(source), runs)
    parsing, compiling = _parse_compile(source)
    print(f"{label:<22} {ours * 1e6:7.2f}µs {theirs * 1e6:7.2f}µs {ours / theirs:6.3f}×   "
          f"{applied * 1e6:10.2f}µs   {parsing * 1e6:5.1f} + {compiling * 1e6:4.1f} = "
          f"{(parsing + compiling) * 1e6:5.1f}µs")


def _parse_compile(source: str) -> tuple[float, float]:
    """(parse, compile) times of one value, uncached."""
    tree = parse(source)
    functions = functions_table()
    parsing = _best(lambda: parse(source), 500)
    compiling = _best(lambda: CompiledTemplate(source, tree, functions) if "{{" in source else None, 500)
    return parsing, compiling


def _availablefunctions_table() -> set[str]:
    return set(functions_table()) & set(FUNCTION_NAMES)


if __name__ == "__main__":
    main()

"""A pure-Python Go text/template implementation matching Go 1.24 + Sprig v3.3.0 + µTask.

Parsing: `parse` turns a template string into a `Tree` of nodes (see `engine.templating.nodes`), raising
`TemplateError` with Go's exact message; `check_syntax` returns that error instead of raising.

Rendering:

* `render(template, context)`: render against plain JSON-like Python data used as the root (`.`).
  Python ints and floats become Go float64 (what plain JSON decoding gives Go: `{{eq .n 1}}` is an
  error, as in µTask for task inputs); pass `JSONNumber("12")` for µTask's exact-decimal numbers.
* `Values`: µTask's rendering context (root keys input, resolver_input, function_args, step, task,
  config, iterator, var, pre_hook), with `apply(template, item=…, step_name=…)` (µTask's Values.Apply:
  `.iterator`, `.step.this`), `render_object(obj)` (every string leaf of a step configuration),
  `clone()`; `Variable` for template variables (eval/evalCache), `World` for the injected environment,
  clock, randomness and DNS (sandboxed by default: empty environment, no DNS).
* `compile_template(source)`: the cached compiled template (`execute(root, context, budget)`).
* `Budget(seconds=…, steps=…, output=…)`: what one render may spend (default `DEFAULT_BUDGET`: 10 s,
  10 million range iterations and template calls, 64 Mi characters of output); `render(…, budget=…)`,
  `World(template_budget=…)` for `Values`. Going over it is a `TemplateError` like Go's exec errors.
* `load_json(text, numbers=…)`: JSON with numbers as `JSONNumber` (µTask's UseNumber) or float64.

Every error is a `TemplateError` carrying Go's message and the position in the template.
"""

from collections.abc import Mapping
from typing import Any

from engine.templating.budget import DEFAULT_BUDGET, Budget
from engine.templating.context import NO_ITEM, RenderContext, Values, Variable, World, from_plain, load_json
from engine.templating.errors import TemplateError
from engine.templating.executor import CompiledTemplate, compile_template, execute_source
from engine.templating.functions_names import FUNCTION_NAMES
from engine.templating.gotypes import NO_VALUE, JSONNumber
from engine.templating.nodes import Tree
from engine.templating.parser import check_syntax, parse

__all__ = [
    "DEFAULT_BUDGET",
    "FUNCTION_NAMES",
    "NO_ITEM",
    "NO_VALUE",
    "Budget",
    "CompiledTemplate",
    "JSONNumber",
    "RenderContext",
    "TemplateError",
    "Tree",
    "Values",
    "Variable",
    "World",
    "check_syntax",
    "compile_template",
    "load_json",
    "parse",
    "render",
]

def render(template: str, context: Mapping[str, Any], *, budget: Budget = DEFAULT_BUDGET) -> str:
    """Render `template` with `context` (a mapping of plain JSON-like data) as the root `.`.

    Ints and floats are Go float64 values; µTask's functions see an empty variable set and the sandboxed
    `World`. Raises TemplateError, also when the render goes over `budget`.
    """
    if "{{" not in template:
        return template
    try:
        root = from_plain(dict(context))
    except RecursionError:
        raise TemplateError("template: tmpl: value nested too deeply for this engine", kind="exec", line=None) from None
    return execute_source(template, root, Values.wrap(root).context, budget)

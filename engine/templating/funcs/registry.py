"""Template functions declared with their Go signatures.

Go's text/template checks and converts every argument against the function's parameter types before
the call (`wrong type for value; expected string; got json.Number`, `invalid value; expected string`
for a missing value, untyped constants converted…). So each Python implementation is registered with
the exact Go signature, and the executor does that checking generically; the Python function only ever
receives values of the declared types.

    @go_func("trunc(int, string) string")
    def trunc(length: int, text: str) -> str: ...

Conventions for implementations:
* parameters arrive already checked and converted: `string` → `str` (never JSONNumber), `int` → `int`,
  `interface {}` → any model value (see `gotypes`), including `None` and `NO_VALUE`;
  `...T` → a tuple of T;
* a function declared `… ,error` reports failure by raising `GoError(message)`; the executor turns it
  into `error calling NAME: message`;
* a Go panic (nil dereference, index out of range inside Sprig…) is raised as `GoPanic(message)` with
  Go's runtime message;
* return plain model values (`str`, `int`, `GoInt64`, `float`, `list`, `dict`, `GoTime`…).
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

__all__ = ["FUNCTIONS", "FunctionContext", "GoError", "GoFunction", "GoPanic", "Signature", "go_func",
           "parse_signature"]

F = TypeVar("F", bound=Callable[..., Any])


class FunctionContext(Protocol):
    """What a `needs_context` function receives first: the render's root and its injected world.

    Non-hermetic Sprig functions read the world only through here, so tests and dry runs control it:
    by default the environment is empty and host lookups find nothing.
    """

    root: dict[str, Any]  # the template's root map (`.`), for µTask's `field`
    environ: Mapping[str, str]  # what `env`/`expandenv` see
    random: random.Random  # rand*, shuffle, uuidv4…

    def now(self) -> datetime.datetime:
        """The current time, timezone-aware."""

    def lookup_host(self, name: str) -> list[str]:
        """IP addresses of a host name (`getHostByName`)."""

    def evaluate_variable(self, name: str, cached: bool) -> Any:
        """µTask's eval/evalCache of a template variable."""


class GoError(Exception):
    """The error a Go function returned (second return value)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GoPanic(Exception):
    """A panic inside a Go function (text/template recovers it into an error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Signature:
    """`abbrev(int, string) string` → params ("int", "string"), variadic None, returns ("string",)."""

    name: str
    params: tuple[str, ...]
    variadic: str | None  # element type of a trailing `...T`
    returns: tuple[str, ...]

    @property
    def returns_error(self) -> bool:
        return len(self.returns) == 2 and self.returns[1] == "error"


@dataclass(frozen=True, slots=True)
class GoFunction:
    signature: Signature
    implementation: Callable[..., Any]
    # Functions that need the render's context (µTask's field, eval…) get it as first argument.
    needs_context: bool = False


FUNCTIONS: dict[str, GoFunction] = {}

_SIGNATURE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\((.*)\)\s*(.*?)\s*$")


def parse_signature(text: str) -> Signature:
    """Parse `name(T1, ...T2) R1,error` as written in sprig-signatures.txt."""
    match = _SIGNATURE.match(text)
    if match is None:
        raise ValueError(f"not a Go signature: {text!r}")
    name, params_text, returns_text = match.groups()
    params = [p.strip() for p in _split_types(params_text)] if params_text.strip() else []
    variadic = None
    if params and params[-1].startswith("..."):
        variadic = params.pop()[3:]
    returns = tuple(r.strip() for r in _split_types(returns_text)) if returns_text else ()
    return Signature(name, tuple(params), variadic, returns)


def _split_types(text: str) -> list[str]:
    # Types never contain commas except inside brackets (none in Sprig), so a plain split is enough.
    return [part for part in text.split(",") if part.strip()]


def go_func(signature: str, *, needs_context: bool = False, names: tuple[str, ...] = (),
            replaces: bool = False) -> Callable[[F], F]:
    """Register `implementation` under the signature's name (and any alias in `names`); `replaces` lets
    µTask's functions take over Sprig's of the same name (fromJson, mustFromJson)."""
    parsed = parse_signature(signature)

    def register(implementation: F) -> F:
        for name in (parsed.name, *names):
            if name in FUNCTIONS and not replaces:
                raise ValueError(f"template function {name!r} registered twice")
            FUNCTIONS[name] = GoFunction(Signature(name, parsed.params, parsed.variadic, parsed.returns),
                                         implementation, needs_context)
        return implementation

    return register

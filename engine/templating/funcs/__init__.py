"""Every template function: Go's builtins live in the executor; Sprig's and µTask's are registered here.

Each module of this package registers its functions with `registry.go_func` when imported; importing the
package imports them all (µTask's module last, because it replaces two Sprig functions).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

from engine.templating.funcs.registry import (
    FUNCTIONS,
    FunctionContext,
    GoError,
    GoFunction,
    GoPanic,
    Signature,
    go_func,
)

__all__ = ["FUNCTIONS", "FunctionContext", "GoError", "GoFunction", "GoPanic", "Signature", "go_func", "load_all"]

_LAST = ("utask",)


def load_all() -> dict[str, GoFunction]:
    """Import every function module (once) and return the registry."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in ("registry", *_LAST))
    for name in (*names, *_LAST):
        if importlib.util.find_spec(f"{__name__}.{name}") is not None:
            importlib.import_module(f"{__name__}.{name}")
    return FUNCTIONS

"""The table of template functions the executor resolves names in (Sprig's and µTask's, see `funcs`).

Loaded once, on first use. If a function module fails to import, the others still load and that
module's functions are undefined at run time (Go's `"name" is not a defined function`), so one broken
module cannot take the whole engine down; the failures are kept in FUNCTION_LOAD_ERRORS.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Mapping

from engine.templating import funcs
from engine.templating.funcs.registry import GoFunction

__all__ = ["FUNCTION_LOAD_ERRORS", "functions_table"]

# Function modules that failed to import (name → error text); their functions are then undefined at run
# time ("%q is not a defined function"), so one broken module cannot take the whole engine down.
FUNCTION_LOAD_ERRORS: dict[str, str] = {}


@functools.cache
def functions_table() -> Mapping[str, GoFunction]:
    try:
        return funcs.load_all()
    except Exception:  # noqa: BLE001 - fall back to importing module by module, recording failures
        return _load_each()


def _load_each() -> Mapping[str, GoFunction]:
    names = sorted(m.name for m in pkgutil.iter_modules(funcs.__path__) if m.name not in ("registry", "utask"))
    for name in (*names, "utask"):
        try:
            importlib.import_module(f"{funcs.__name__}.{name}")
        except Exception as error:  # noqa: BLE001 - recorded, see FUNCTION_LOAD_ERRORS
            FUNCTION_LOAD_ERRORS[name] = f"{type(error).__name__}: {error}"
    return funcs.FUNCTIONS



"""Function files: loading a functions directory and what each function requires from its callers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostic, Severity
from engine.load.document import Document, read_document
from engine.load.models import build_function
from engine.model.template import FunctionDefinition

__all__ = ["FunctionRegistry", "LoadedFunction", "required_arguments", "string_leaves"]

# µTask declares an argument only for this exact simple form; `{{ .function_args.x | upper }}` declares nothing.
_ARGUMENT = re.compile(r"\{\{\s*\.function_args\.([a-zA-Z.]+)\s*\}\}")


@dataclass(slots=True)
class LoadedFunction:
    definition: FunctionDefinition
    document: Document
    arguments: tuple[str, ...]


@dataclass(slots=True)
class FunctionRegistry:
    """Functions by name, as a µTask server registers them from its functions directory."""

    functions: dict[str, LoadedFunction] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    directory: Path | None = None

    def get(self, name: str) -> LoadedFunction | None:
        return self.functions.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.functions

    def names(self) -> list[str]:
        return sorted(self.functions)

    @classmethod
    def from_directory(cls, directory: str | Path, *, replace_tabs: bool = False) -> FunctionRegistry:
        """Load every `*.yaml` below `directory` (hidden files skipped), like µTask at start-up."""
        registry = cls(directory=Path(directory))
        for path in sorted(_function_files(Path(directory))):
            registry.add_document(read_document(path, replace_tabs=replace_tabs))
        return registry

    def add_document(self, document: Document) -> LoadedFunction | None:
        definition = build_function(document)
        self.diagnostics.extend(document.diagnostics)
        if definition is None:
            return None
        name = definition.name
        if not name:
            self._report(document, "function-name-missing", "the function has no `name`",
                         "add `name: my::function` — steps use it as their action type", ("name",))
            return None
        if name in self.functions:
            first = self.functions[name].document.file
            self._report(document, "function-duplicate", f"function {name!r} is already defined in {first}",
                         "give each function a unique name", ("name",))
            return None
        config = definition.action.configuration if definition.action else None
        loaded = LoadedFunction(definition, document, required_arguments(config))
        self.functions[name] = loaded
        return loaded

    def _report(self, document: Document, code: str, message: str, hint: str, path: tuple[str, ...]) -> None:
        self.diagnostics.append(document.report(Severity.ERROR, code, message, hint, path=path))


def _function_files(directory: Path) -> Iterator[Path]:
    for path in directory.rglob("*.yaml"):
        relative = path.relative_to(directory)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            yield path


def required_arguments(configuration: Any) -> tuple[str, ...]:
    """Argument paths a function's configuration reads with `{{.function_args.X}}`, in first-seen order."""
    seen: dict[str, None] = {}
    for text in string_leaves(configuration):
        for match in _ARGUMENT.finditer(text):
            seen.setdefault(match.group(1), None)
    return tuple(seen)


def string_leaves(value: Any) -> Iterator[str]:
    """Every string value inside nested lists and mappings (keys excluded)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))

"""Which property paths a step's json_schema allows, by µTask's name-keyed table (spec §14.3).

The table maps a property *name* to the names it may contain, gathered through inline `properties` and
through `$ref`, `allOf`, `anyOf`, `oneOf`, `not`, `if`, `then`, `else`. Entries are keyed by name only, as
in µTask, so a name used at two places gets the union of both. The schema root is entered under the
reserved name `utaskRootKey`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ROOT_KEY", "SchemaPaths", "schema_paths"]

ROOT_KEY = "utaskRootKey"
_COMPOSITION = ("allOf", "anyOf", "oneOf")
_SINGLE = ("not", "if", "then", "else")


@dataclass(slots=True)
class SchemaPaths:
    table: dict[str, set[str]] = field(default_factory=dict)

    def accepts(self, parts: list[str]) -> bool:
        allowed = self.table.get(ROOT_KEY, set())
        for part in parts:
            if part not in allowed:
                return False
            allowed = self.table.get(part, set())
        return True


def schema_paths(schema: Any) -> SchemaPaths | None:
    """The path table of a schema, or None when there is nothing to lint against."""
    if not isinstance(schema, dict):
        return None
    builder = _TableBuilder(schema)
    builder.enter(ROOT_KEY, schema)
    return SchemaPaths(builder.table)


class _TableBuilder:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.table: dict[str, set[str]] = {}
        self.entered: set[tuple[str, int]] = set()

    def enter(self, name: str, schema: Any) -> None:
        """Add the properties reachable from `schema` under `name`, then recurse into each of them."""
        work = [(name, schema)]
        while work:
            current, node = work.pop()
            if (current, id(node)) in self.entered:
                continue
            self.entered.add((current, id(node)))
            properties = self._properties(node)
            self.table.setdefault(current, set()).update(properties)
            work.extend(properties.items())

    def _properties(self, schema: Any) -> dict[str, Any]:
        found: dict[str, Any] = {}
        seen: set[int] = set()
        stack = [schema]
        while stack:
            node = stack.pop()
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node.get("properties"), dict):
                for key, value in node["properties"].items():
                    found.setdefault(key, value)
            stack.extend(self._linked(node))
        return found

    def _linked(self, node: dict[str, Any]) -> list[Any]:
        linked: list[Any] = []
        if isinstance(node.get("$ref"), str):
            linked.append(self._resolve(node["$ref"]))
        for key in _COMPOSITION:
            if isinstance(node.get(key), list):
                linked.extend(node[key])
        linked.extend(node[key] for key in _SINGLE if key in node)
        return linked

    def _resolve(self, reference: str) -> Any:
        if not reference.startswith("#"):
            return None
        node: Any = self.root
        for token in reference[1:].split("/")[1:] if reference != "#" else []:
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or token not in node:
                return None
            node = node[token]
        return node

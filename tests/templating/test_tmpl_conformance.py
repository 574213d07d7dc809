"""The shared Go conformance corpus, parser side (see /work/shared/conformance/templating/README.md).

* every case whose expected result is a *parse* error: our message must equal Go's ``error`` exactly
  (level 3 of the README), and our line must match ``error_location``;
* every other case (expected output, or an exec error) must parse;
* for exec errors, some node of our tree must have exactly Go's ``error_location`` and ``error_context``
  (``Node.String()``), which is what the executor will print.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.templating import TemplateError, Tree, parse
from engine.templating import nodes as n

CORPUS = Path(__file__).resolve().parents[3] / "shared/conformance/templating/public.jsonl"
if not CORPUS.exists():
    pytest.skip("the shared conformance corpus is not available", allow_module_level=True)

CASES: list[dict[str, Any]] = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
PARSE_ERRORS = [c for c in CASES if c["expect"].get("error_kind") == "parse"]
PARSING = [c for c in CASES if c["expect"].get("error_kind") != "parse"]
EXEC_ERRORS = [c for c in CASES if c["expect"].get("error_kind") == "exec"]


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [c["id"] for c in cases]


def _our_parse_error(template: str) -> TemplateError | None:
    try:
        parse(template)
    except TemplateError as error:
        return error
    return None


@pytest.mark.parametrize("case", PARSE_ERRORS, ids=_ids(PARSE_ERRORS))
def test_parse_error_matches_go_exactly(case: dict[str, Any]) -> None:
    error = _our_parse_error(case["tmpl"])
    assert error is not None, f"Go: {case['expect']['error']}"
    assert error.message == case["expect"]["error"]
    assert f"tmpl:{error.line}" == case["expect"]["error_location"]


@pytest.mark.parametrize("case", PARSING, ids=_ids(PARSING))
def test_case_parses(case: dict[str, Any]) -> None:
    error = _our_parse_error(case["tmpl"])
    assert error is None, error.message if error else ""


def _walk(node: n.Node | None) -> Iterator[n.Node]:
    if node is None:
        return
    yield node
    for child in _children(node):
        yield from _walk(child)


def _children(node: n.Node) -> list[n.Node | None]:
    if isinstance(node, n.ListNode):
        return list(node.nodes)
    if isinstance(node, n.ActionNode):
        return [node.pipe]
    if isinstance(node, n.PipeNode):
        return [*node.decl, *node.cmds]
    if isinstance(node, n.CommandNode):
        return list(node.args)
    if isinstance(node, n.ChainNode):
        return [node.node]
    if isinstance(node, n.BranchNode):
        return [node.pipe, node.list, node.else_list]
    if isinstance(node, n.TemplateNode):
        return [node.pipe]
    return []


def _contexts(tree: Tree) -> set[tuple[str, str]]:
    return {tree.error_context(node) for t in tree.defines.values() for node in _walk(t.root)}


@pytest.mark.parametrize("case", EXEC_ERRORS, ids=_ids(EXEC_ERRORS))
def test_exec_error_node_exists_with_go_location_and_string(case: dict[str, Any]) -> None:
    expect = case["expect"]
    tree = parse(case["tmpl"])
    assert (expect["error_location"], expect["error_context"]) in _contexts(tree)


def test_parse_error_pass_rate_is_100_percent() -> None:
    passed = sum(1 for c in PARSE_ERRORS if (e := _our_parse_error(c["tmpl"])) and e.message == c["expect"]["error"])
    rate = passed / len(PARSE_ERRORS)
    assert rate == 1.0, f"parse-error fixtures: {passed}/{len(PARSE_ERRORS)} = {rate:.1%}"

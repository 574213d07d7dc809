"""The fragments we emit read back, with µTask's YAML 1.1 rules, as exactly the values we meant."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.load.yaml11 import parse_yaml
from studio.document.emit import entry_lines, flow_text, item_lines
from studio.document.text import TextStyle

SCALARS = st.one_of(st.text(), st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none(),
                    st.sampled_from(["yes", "No", "on", "~", "null", "0x1F", "1e3", "-", "- a", "a: b", "a #b", "'",
                                     "{{.input.x}}", "x\n", "x\n\n", "\nx", " x", "x ", "a\u2028b", "\x85"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                          max_size=3), max_leaves=8)


def _read(text: str) -> Any:
    return parse_yaml(text).data


@settings(max_examples=300, deadline=None)
@given(VALUES, st.sampled_from([TextStyle(), TextStyle(indent=4, list_offset=0), TextStyle(indent=3, list_offset=3)]))
def test_block_fragments_read_back(value: Any, style: TextStyle) -> None:
    assert _read("\n".join(entry_lines("key", value, 0, style)) + "\n") == {"key": value}
    assert _read("\n".join(item_lines(value, 2, style)) + "\n") == [value]


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_flow_fragments_read_back(value: Any) -> None:
    assert _read("key: " + flow_text(value) + "\n") == {"key": value}

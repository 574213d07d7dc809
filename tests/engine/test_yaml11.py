"""The YAML reader: go-yaml v2 scalar resolution, positions, merges, aliases, tags and limits."""

from __future__ import annotations

import math

import pytest
import yaml

from engine.load.resolve import format_float32_g, go_scalar_to_string, resolve_plain
from engine.load.yaml11 import Limits, YamlSyntaxError, parse_yaml


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True), ("Yes", True), ("y", True), ("Y", True), ("on", True), ("TRUE", True),
        ("no", False), ("n", False), ("OFF", False), ("False", False),
        ("~", None), ("null", None), ("NULL", None),
        ("12", 12), ("-7", -7), ("+5", 5), ("0755", 493), ("0x1F", 31), ("0o17", 15), ("0b101", 5),
        ("1_000", 1000), ("08", 8.0), ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0), ("-.5e3", -500.0),
        ("2024-01-02", "2024-01-02"),  # timestamps stay strings when decoded into untyped values
        ("1:20", "1:20"),  # no sexagesimal numbers in go-yaml v2
        ("yess", "yess"), ("abc", "abc"), ("-", "-"), (".", "."),
        ("18446744073709551615", 18446744073709551615),
    ],
)
def test_plain_scalars_resolve_like_go_yaml_v2(text: str, expected: object) -> None:
    value = resolve_plain(text)
    assert value == expected and type(value) is type(expected)


def test_special_floats() -> None:
    assert math.isnan(resolve_plain(".nan"))
    assert resolve_plain("-.inf") == -math.inf
    assert resolve_plain("99999999999999999999") == 1e20


@pytest.mark.parametrize(
    ("value", "expected"),
    [(404, "404"), (True, "true"), (False, "false"), (12345678.9, "1.2345679e+07"), (1.5, "1.5"),
     (1.0, "1"), (0.1, "0.1"), (1e-5, "1e-05"), (100000.0, "100000"), (math.inf, ".inf")],
)
def test_scalars_become_strings_like_sigs_yaml(value: object, expected: str) -> None:
    assert go_scalar_to_string(value) == expected


def test_float32_formatting_keeps_go_exponent_rule() -> None:
    assert format_float32_g(1234567.0) == "1.234567e+06"
    assert format_float32_g(999999.0) == "999999"


def test_quoted_and_block_scalars_stay_strings() -> None:
    data = parse_yaml("a: 'yes'\nb: \"12\"\nc: |\n  12\nd: !!str 13\n").data
    assert data == {"a": "yes", "b": "12", "c": "12\n", "d": "13"}


def test_positions_of_keys_and_values() -> None:
    parsed = parse_yaml("name: hello\nsteps:\n  one:\n    dependencies: [two, three]\n")
    source = parsed.source_map
    assert source.value_span(("name",)).line == 1 and source.value_span(("name",)).column == 7
    assert source.key_span(("steps", "one")).line == 3 and source.key_span(("steps", "one")).column == 3
    third = source.value_span(("steps", "one", "dependencies", 1))
    assert (third.line, third.column) == (4, 25)
    # A path without an entry of its own falls back to its nearest ancestor.
    assert source.value_span(("steps", "one", "missing", 3)).line == 4  # where steps.one's mapping starts


def test_non_string_keys_become_strings() -> None:
    assert parse_yaml("1: a\ntrue: b\n1.5: c\n").data == {"1": "a", "true": "b", "1.5": "c"}


def test_merge_keys_follow_document_order() -> None:
    data = parse_yaml("base: &b {p: 1, q: 2}\nuse:\n  q: 0\n  <<: *b\n  r: 3\n").data
    assert data["use"] == {"q": 2, "p": 1, "r": 3}


def test_boolean_looking_keys_become_true_false_with_a_warning() -> None:
    parsed = parse_yaml("y: 1\n'n': 2\non: 3\n")
    assert parsed.data == {"true": 3, "n": 2}
    assert [p.code for p in parsed.problems] == ["yaml-boolean-key", "yaml-boolean-key", "yaml-duplicate-key"]


def test_aliases_share_values_and_match_pyyaml() -> None:
    text = "a: &x {b: [1, 2]}\nc: *x\n"
    assert parse_yaml(text).data == yaml.safe_load(text)


def test_duplicate_keys_are_reported_and_last_wins() -> None:
    parsed = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert parsed.data == {"b": 2, "a": 3}
    (problem,) = parsed.problems
    assert problem.code == "yaml-duplicate-key" and problem.line == 3 and "line 1" in problem.message


def test_only_the_first_document_is_read() -> None:
    parsed = parse_yaml("a: 1\n---\nb: 2\n")
    assert parsed.data == {"a": 1}
    assert parsed.problems[0].code == "yaml-multiple-documents"


@pytest.mark.parametrize("text", ["a: !!python/object:os.system x\n", "a: !custom x\n", "a: !!python/name:os.system\n"])
def test_unsafe_or_unknown_tags_are_refused(text: str) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text)
    assert caught.value.code == "yaml-tag"


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml("\n".join(lines) + "\n")
    assert caught.value.code == "yaml-alias-bomb"


def test_depth_limit() -> None:
    text = "a: " + "[" * 150 + "]" * 150 + "\n"
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text, Limits(max_depth=100))
    assert caught.value.code == "yaml-too-deep"


def test_syntax_error_position_and_tab_hint() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml("steps:\n\tone: 1\n")
    assert (caught.value.line, caught.value.column) == (2, 1)
    assert "tabs" in caught.value.hint

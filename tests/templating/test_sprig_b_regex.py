"""Sprig family B, regular expressions: Go's RE2 syntax, errors and match iteration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.templating.funcs import regex as r
from engine.templating.funcs.regex_syntax import RegexSyntaxError, translate
from engine.templating.funcs.registry import GoError, GoPanic
from engine.templating.printing import sprint

CASES: list[tuple[Callable[..., Any], tuple[Any, ...], str]] = [
    (r.regex_match, ("(?i)^h", "Hello"), "true"),
    (r.regex_match, ("\\1", "aa"), "false"),
    (r.regex_match, ("^$", ""), "true"),
    (r.regex_replace_all_literal, ("a(x*)b", "-ab-axxb-", "${1}"), "-${1}-${1}-"),
    (r.regex_find_all, ("[0-9]+", "a1b22c333", -1), "[1 22 333]"),
    (r.regex_replace_all, ("(a)(b)?", "ab a", "[$2]"), "[b] []"),
    (r.regex_find, ("[0-9]+", "abc123def456"), "123"),
    (r.regex_find_all, ("x", "abc", -1), "[]"),
    (r.regex_match, ("(", "a"), "false"),
    (r.regex_replace_all_literal, (".", "a.b", "$"), "$$$"),
    (r.regex_match, ("^.$", "é"), "true"),
    (r.regex_match, ("a{1001}", "a"), "false"),
    (r.regex_find_all, ("a|", "baaa", -1), "[ a a a]"),
    (r.regex_split, (",", "a,b,c", 2), "[a b,c]"),
    (r.regex_find, ("(?m)^b$", "a\nb\nc"), "b"),
    (r.regex_match, ("b", "abc"), "true"),
    (r.regex_find, ("(?s)a.b", "a\nb"), "a\nb"),
    (r.regex_find_all, ("[0-9]+", "a1b22c333", 2), "[1 22]"),
    (r.regex_replace_all, ("a(x*)b", "-ab-axxb-", "${1}W"), "-W-xxW-"),
    (r.regex_replace_all, ("(?P<n>\\d)", "a1", "<$n>"), "a<1>"),
    (r.regex_replace_all, ("a(x*)b", "-ab-axxb-", "$1W"), "---"),
    (r.regex_split, ("", "abc", -1), "[a b c]"),
    (r.regex_match, ("^\\p{L}+$", "élan"), "true"),
    (r.regex_split, ("z+", "pizza", 1), "[pizza]"),
    (r.regex_find, ("x", "abc"), ""),
    (r.regex_match, ("^[a-z]+$", "Hello"), "false"),
    (r.regex_match, ("^[a-z]+$", "hello"), "true"),
    (r.regex_find, ("\\p{Greek}+", "abc αβγ"), "αβγ"),
    (r.regex_quote_meta, ("a.b*c",), "a\\.b\\*c"),
    # Go semantics where Python's re differs
    (r.regex_find, ("a$", "a\n"), ""),
    (r.regex_find, ("\\d+", "١٢3"), "3"),
    (r.regex_find, ("\\w+", "éa_1"), "a_1"),
    (r.regex_find, ("[[:alpha:]]+", "12abc3"), "abc"),
    (r.regex_find, ("(?i)[^a]", "Ab"), "b"),
    (r.regex_find, ("\\x{41}\\101\\Q.*\\E", "AA.*"), "AA.*"),
    (r.regex_find, ("(?U)a+", "aaa"), "a"),
    (r.regex_find, ("(?U)a+?", "aaa"), "aaa"),
    (r.regex_replace_all, ("a*", "baaac", "-"), "-b-c-"),
    (r.regex_replace_all, ("(?<word>\\w+)", "hi there", "${word}!"), "hi! there!"),
    (r.regex_replace_all, ("(a)", "a", "$$1"), "$1"),
    (r.regex_split, ("x*", "axbc", -1), "[a b c]"),
    (r.regex_split, ("a", "", -1), "[]"),
    (r.regex_find, ("\\bfoo\\b", "é foo"), "foo"),
    (r.regex_find_all, ("", "ab", 0), "[]"),
]


@pytest.mark.parametrize(("function", "args", "expected"), CASES)
def test_go_output(function: Callable[..., Any], args: tuple[Any, ...], expected: str) -> None:
    assert sprint(function(*args)) == expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(", "missing closing ): `(`"),
        ("a(?=b)", "invalid or unsupported Perl syntax: `(?=`"),
        ("a(?<!b)", "invalid named capture: `(?<!b)`"),  # Go 1.22+ reads `(?<` as a named group
        ("a**", "invalid nested repetition operator: `**`"),
        ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("*", "missing argument to repetition operator: `*`"),
        ("a|*", "missing argument to repetition operator: `*`"),
        ("[z-a]", "invalid character class range: `z-a`"),
        ("[a", "missing closing ]: `[a`"),
        ("\\C", "invalid escape sequence: `\\C`"),
        ("\\8", "invalid escape sequence: `\\8`"),
        ("\\1", "invalid escape sequence: `\\1`"),
        ("\\xZZ", "invalid escape sequence: `\\xZZ`"),
        ("(?P<1a-b>x)", "invalid named capture: `(?P<1a-b>`"),
        ("a)", "unexpected ): `a)`"),
        ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
        ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
        ("(a{10}){200}", "invalid repeat count: `{200}`"),
        ("x{1001}", "invalid repeat count: `{1001}`"),
        ("x{2,1}", "invalid repeat count: `{2,1}`"),
        ("\\", "trailing backslash at end of expression: ``"),
    ],
)
def test_syntax_errors_are_go_texts(pattern: str, message: str) -> None:
    with pytest.raises(RegexSyntaxError) as error:
        translate(pattern)
    assert str(error.value) == "error parsing regexp: " + message


def test_literal_braces_and_octal() -> None:
    assert r.regex_find("a{,2}", "a{,2}") == "a{,2}"
    assert r.regex_find("\\12", "x\ny") == "\n"
    assert r.regex_find("^*a", "a") == "a"


def test_must_variants_return_errors_and_others_panic() -> None:
    with pytest.raises(GoError, match=r"^error parsing regexp: missing closing \): `\(`$"):
        r.must_regex_replace_all("(", "a", "b")
    with pytest.raises(GoError, match="missing closing"):
        r.must_regex_find_all("(", "a", -1)
    with pytest.raises(GoError, match=r"invalid or unsupported Perl syntax: `\(\?=`"):
        r.must_regex_match("a(?=b)", "ab")
    with pytest.raises(GoPanic, match=r"^regexp: Compile\(`\(`\): error parsing regexp: missing closing \): `\(`$"):
        r.regex_find("(", "a")
    with pytest.raises(GoPanic, match=r'^regexp: Compile\("\(`"\)'):
        r.regex_split("(`", "a", -1)
    assert r.must_regex_split(",", "a,b", -1) == ["a", "b"]
    assert r.must_regex_find("b", "abc") == "b"
    assert r.must_regex_replace_all_literal("b", "abc", "$1") == "a$1c"

"""Go's regexp on google-re2 (`engine.gocompat.re2`): linear time, Go's matches, Go's errors.

The expected values below were produced by Go's regexp (go1.19.8, `FindAllStringSubmatchIndex`,
`ReplaceAllString`, …) on this machine; the ones marked "Python re" are where the earlier backtracking
translation gave a different answer.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.gocompat.re2 import GoRegexp, RE2Error, Subject, compile_go, compile_re2
from engine.templating.funcs import regex as r
from engine.templating.funcs.regex_syntax import RegexSyntaxError

ROOT = Path(__file__).resolve().parents[2]


def spans(pattern: str, text: str) -> list[list[tuple[int, int]]]:
    regex = compile_go(pattern)
    return [[match.span(i) for i in range(len(regex.names))] for match in r.find_all(regex, text, -1)]


# ------------------------------------------------------------------------------------------------ linear time

# Each of these takes exponential (or high polynomial) time in a backtracking engine: at 5,000 characters
# Python's `re` would not finish in any lifetime, so the subprocess finishing at all proves linear matching.
# The generous timeout only turns a regression into a failure instead of a hung test run.
_PATHOLOGICAL = r'''
import sys
sys.path.insert(0, sys.argv[1])
from engine.gocompat.re2 import compile_re2
from engine.templating.funcs import regex as r
from engine.templating.funcs.registry import GoError
from engine.templating.funcs.semver import check_constraint, parse_version

n = 5000
a = "a" * n
assert r.regex_match("(a+)+$", a + "b") is False
assert r.regex_match("^(a|aa)+$", a + "b") is False
assert r.regex_match("(x+x+)+y", "x" * n) is False
assert r.regex_match("(.*a){25}", a[:20] + "b" * n) is False
assert r.regex_match("^(\\w+\\s?)*$", "word " * (n // 5) + "!") is False
assert r.must_regex_match("(a*)*b", a) is False
assert r.regex_find("(a+)+$", a + "b") == ""
assert list(r.regex_find_all("(a|a?)+c", a, -1)) == []
assert r.regex_replace_all("(a+)+$", a + "b", "x") == a + "b"
assert r.regex_split("(a+)+b", a, -1) == [a]
assert compile_re2("(a+)+$").search(a + "b") is None                         # condition `regexp`
assert compile_re2("(?s)^.*START(.*)END.*$").search("START" + "x" * n) is None  # manual output delimiters
try:  # semverCompare's constraint check: exponential in the number of space-separated parts with `re`
    check_constraint("1   " * n + "!", parse_version("1.0.0"))
except GoError as error:
    assert str(error).startswith("improper constraint: 1   1"), error
else:
    raise AssertionError("an improper constraint was accepted")
print("ok")
'''


def test_pathological_patterns_run_in_linear_time() -> None:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(_PATHOLOGICAL), str(ROOT)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_long_texts_with_many_matches() -> None:
    text = "é1" * 20_000  # non-ASCII: the byte/character cursor must stay linear over 20,000 matches
    assert len(r.regex_find_all("[0-9]", text, -1)) == 20_000
    assert r.regex_replace_all("é", text, "e") == "e1" * 20_000
    assert len(r.regex_split("1", text, -1)) == 20_001


# ---------------------------------------------------------------------------------------- Go's semantics


@pytest.mark.parametrize(("pattern", "text", "expected"), [
    # Repeated groups that can match empty: Go keeps the last non-empty iteration (Python re: the empty one).
    ("(a|)+", "baaa", [[(0, 0), (0, 0)], [(1, 4), (3, 4)]]),
    ("(a*)*", "aa", [[(0, 2), (0, 2)]]),
    ("(a*)+", "b", [[(0, 0), (0, 0)], [(1, 1), (1, 1)]]),
    ("(?U)(?m)((?P<n>[ab]??(?i)(?i:A)*?)(?s))+?", "aéAKA",
     [[(0, 1), (0, 1), (0, 1)], [(2, 3), (2, 3), (2, 3)], [(4, 5), (4, 5), (4, 5)]]),
    ("(\\x{212A}??(?i))+(\\s+?)", "1bak\u212a \n", [[(4, 6), (4, 5), (5, 6)], [(6, 7), (6, 6), (6, 7)]]),
    # Leftmost-first, not leftmost-longest.
    ("(a|ab)(c|bcd)(d*)", "abcd", [[(0, 4), (0, 1), (1, 4), (4, 4)]]),
    # `\B` between two non-word characters, never inside a multi-byte one (RE2 C++ looks at bytes).
    ("\\B", "éé", [[(0, 0)], [(1, 1)], [(2, 2)]]),
    ("(?s:.[[:alpha:]]+){0,}(?i)\\B(?i:A)*?", "Aéb", []),
    ("\\x{FFFD}", "a\udcffb\ufffd", [[(1, 2)], [(3, 4)]]),  # an invalid byte is U+FFFD to Go
])
def test_submatches_follow_go(pattern: str, text: str, expected: list[list[tuple[int, int]]]) -> None:
    assert spans(pattern, text) == expected


@pytest.mark.parametrize(("function", "args", "expected"), [
    (r.regex_match, ("a$", "a\n"), False),            # `$` is the end of the text without (?m)
    (r.regex_match, ("(?m)a$", "a\n"), True),
    (r.regex_match, ("a\\z", "a\n"), False),
    (r.regex_find, ("(?U)a+", "aaa"), "a"),           # (?U) swaps greediness
    (r.regex_find, ("(?U)a+?", "aaa"), "aaa"),
    (r.regex_find_all, ("(?i)k+", "kK\u212a", -1), ["kK\u212a"]),  # simple case folding: Kelvin sign
    (r.regex_find_all, ("(?i)s", "sSſ", -1), ["s", "S", "ſ"]),
    (r.regex_find_all, ("\\b\\w+\\b", "héllo wörld", -1), ["h", "llo", "w", "rld"]),  # ASCII \w and \b
    (r.regex_find_all, ("\\pL+|\\d+", "日本語 x12 é", -1), ["日本語", "x", "12", "é"]),
    (r.regex_find_all, (".", "a\udcffb", -1), ["a", "\udcff", "b"]),  # an invalid byte is one character
    (r.regex_find_all, ("[^a]", "\udcffa", -1), ["\udcff"]),
    (r.regex_split, ("", "é€", -1), ["é", "€"]),
    (r.regex_replace_all, ("x*", "éa€", "-"), "-é-a-€-"),
    (r.regex_replace_all, ("(a|)+", "baaa", "<$1>"), "<>b<a>"),
    (r.regex_replace_all, ("(?P<a>x)|(?P<a>y)", "xy", "[${a}]"), "[x][y]"),  # first *matched* group so named
    (r.regex_replace_all, ("(?<w>\\w+)", "ab cd", "<$w>"), "<ab> <cd>"),
    (r.regex_replace_all, ("\\Q(?P<x>\\E(?P<y>z)", "(?P<x>z", "[$y]"), "[z]"),
    (r.regex_replace_all, ("[(?P<x>](?P<y>z)", "Pz", "[$y]"), "[z]"),
])
def test_functions_follow_go(function: object, args: tuple[object, ...], expected: object) -> None:
    assert callable(function)
    result = function(*args)
    assert (result if isinstance(result, (bool, str)) else list(result)) == expected


def test_search_from_a_position_keeps_the_context() -> None:
    assert compile_go("^a").search("ba", 1) is None
    assert compile_go("\\ba").search("ba", 1) is None
    found = compile_go("\\Ba").search("ba", 1)
    assert found is not None and found.span() == (1, 2)
    assert compile_go("a").search("a", 2) is None


def test_a_subject_is_reused_across_searches_and_positions() -> None:
    regex, subject = compile_go("(é)|(x)"), Subject("éxéx")
    found = [regex.search(subject, position) for position in (0, 1, 2, 3, 0)]
    assert [m.span() if m else None for m in found] == [(0, 1), (1, 2), (2, 3), (3, 4), (0, 1)]
    last = found[3]
    assert last is not None and last.group(1) is None and last.span(1) == (-1, -1) and last.group(2) == "x"


def test_compiled_patterns_run_on_re2() -> None:
    for pattern in ("(a+)+$", "\\pL{1000}", "(?P<a>x)(?P<a>y)", "(?<n>x)", "\\Q.*\\E"):
        regex = compile_go(pattern)
        assert isinstance(regex, GoRegexp) and regex.linear, pattern


# ------------------------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(("pattern", "message"), [
    ("a(?=b)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
    ("(?<=a)b", "error parsing regexp: invalid named capture: `(?<=a)b`"),  # Go ≥ 1.22 (named `(?<n>`)
    ("(x)\\1", "error parsing regexp: invalid escape sequence: `\\1`"),
    ("\\C", "error parsing regexp: invalid escape sequence: `\\C`"),  # RE2 C++ accepts it, Go does not
    ("\\Z", "error parsing regexp: invalid escape sequence: `\\Z`"),
    ("[a-", "error parsing regexp: missing closing ]: `[a-`"),
    ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
    ("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
])
def test_invalid_patterns_give_go_messages(pattern: str, message: str) -> None:
    with pytest.raises(RegexSyntaxError) as raised:
        compile_go(pattern)
    assert str(raised.value) == message
    with pytest.raises(RE2Error) as wrapped:
        compile_re2(pattern)
    assert str(wrapped.value) == message
    assert r.regex_match(pattern, "a") is False

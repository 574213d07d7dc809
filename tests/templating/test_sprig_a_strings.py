"""Sprig family A, strings: expected values are those the Go oracle gave in the shared corpus (and the
xstrings / goutils behaviours Sprig v3.3.0 relies on)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from engine.templating.funcs import FUNCTIONS, GoPanic, load_all
from engine.templating.gotypes import NO_VALUE, GoStringMap, GoStringSlice, JSONNumber

load_all()


@dataclass
class _Context:
    root: dict[str, Any] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=dict)
    random: random.Random = field(default_factory=lambda: random.Random(7))


def call(name: str, *args: Any) -> Any:
    function = FUNCTIONS[name]
    if function.needs_context:
        return function.implementation(_Context(), *args)
    return function.implementation(*args)


LIST = [JSONNumber("1"), "a", True, None, {"k": "v"}]


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("hello", (), "Hello!"),
        ("upper", ("héllo",), "HÉLLO"),
        ("upper", ("straße ŉ ǆ",), "STRAßE ŉ Ǆ"),  # simple case mapping: no SS
        ("lower", ("HÉLLO",), "héllo"),
        ("lower", ("ΟΔΟΣ İ",), "οδοσ i"),  # no final sigma, İ → i
        ("title", ("x",), "X"),
        ("title", ("hello wORLD o'neil snake_case",), "Hello WORLD O'Neil Snake_case"),
        ("untitle", ("Hello World",), "hello world"),
        ("untitle", ("ABC  Déf\tÉ",), "aBC  déf\té"),
        ("swapcase", ("Hello World",), "hELLO wORLD"),
        ("swapcase", ("éÉ",), "Éé"),
        ("swapcase", ("hello",), "HELLO"),  # a lower-case letter after a space becomes title case
        ("trim", ("  a b  ",), "a b"),
        ("trim", ("\t\na\n",), "a"),
        ("trim", ("\x1ca\u3000",), "\x1ca"),  # Go's IsSpace, not Python's isspace
        ("trimAll", ("ab", "abcba"), "c"),
        ("trimall", ("$", "$$x$"), "x"),
        ("trimAll", ("", "abc"), "abc"),
        ("trimPrefix", ("he", "hello"), "llo"),
        ("trimPrefix", ("x", "hello"), "hello"),
        ("trimSuffix", ("lo", "hello"), "hel"),
        ("contains", ("ell", "hello"), True),
        ("contains", ("", "hello"), True),
        ("hasPrefix", ("he", "hello"), True),
        ("hasPrefix", ("x", "hello"), False),
        ("hasSuffix", ("lo", "hello"), True),
        ("replace", ("", "-", "abc"), "-a-b-c-"),
        ("replace", (" ", "-", "a b  c"), "a-b--c"),
        ("replace", ("a", "", "banana"), "bnn"),
        ("repeat", (3, "ab"), "ababab"),
        ("repeat", (0, "ab"), ""),
        ("indent", (2, "a\nb"), "  a\n  b"),
        ("indent", (0, "a"), "a"),
        ("nindent", (2, "a\nb"), "\n  a\n  b"),
        ("plural", ("one", "many", 2), "many"),
        ("plural", ("one", "many", 1), "one"),
        ("plural", ("one", "many", -1), "many"),
        ("quote", ("it's",), '"it\'s"'),
        ("quote", ('a"b',), '"a\\"b"'),
        ("quote", ("a", "b"), '"a" "b"'),
        ("quote", (1, None, True), '"1" "true"'),
        ("quote", (LIST,), '"[1 a true <nil> map[k:v]]"'),
        ("quote", (NO_VALUE,), ""),
        ("quote", (), ""),
        ("squote", ("it's",), "'it's'"),
        ("squote", ("a", 1, None), "'a' '1'"),
        ("cat", ("a", "b", 1), "a b 1"),
        ("cat", (LIST, JSONNumber("12")), "[1 a true <nil> map[k:v]] 12"),
        ("cat", (None, "x", NO_VALUE), "x"),
        ("nospace", (" a b\tc\n",), "abc"),
        ("nospace", ("é",), "é"),
        ("nospace", ("é x",), "Ã©x"),  # goutils rebuilds the text byte by byte once a space is found
        ("initials", ("",), ""),
        ("initials", ("hello big world",), "hbw"),
        ("initials", ("élan vital",), "Ãv"),
        ("wrap", (5, "hello world foo"), "hello\nworld\nfoo"),
        ("wrap", (0, "a b"), "a\nb"),
        ("wrap", (3, "abcdef gh"), "abcdef\ngh"),  # long words are not cut
        ("wrapWith", (5, "\t", "hello world foo"), "hello\tworld\tfoo"),
        ("wrapWith", (3, "|", "abcdefg h"), "abc|def|g h"),
    ],
)
def test_string_functions(name: str, args: tuple[Any, ...], expected: Any) -> None:
    assert call(name, *args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((3, "hello"), "hel"),
        ((10, "hello"), "hello"),
        ((-10, "hello"), "hello"),
        ((0, "hello"), ""),
        ((-3, "hello"), "llo"),
        ((1, "é"), "\udcc3"),  # bytes: the first half of é
        ((-1, "aé"), "\udca9"),
    ],
)
def test_trunc_slices_bytes(args: tuple[Any, ...], expected: str) -> None:
    assert call("trunc", *args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0, 1, "abc"), "a"),
        ((1, 3, "hello"), "el"),
        ((0, 10, "hello"), "hello"),
        ((-1, 3, "hello"), "hel"),
        ((2, -1, "hello"), "llo"),
        ((0, 1, "é€"), "\udcc3"),
        ((1, 4, "é€"), "\udca9\udce2\udc82"),
    ],
)
def test_substr(args: tuple[Any, ...], expected: str) -> None:
    assert call("substr", *args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((3, 1, "hello"), "runtime error: slice bounds out of range [3:1]"),
        ((7, 9, "hello"), "runtime error: slice bounds out of range [7:5]"),
        ((-1, 9, "hello"), "runtime error: slice bounds out of range [:9] with length 5"),
        ((-1, -2, "hello"), "runtime error: slice bounds out of range [:-2]"),
    ],
)
def test_substr_panics_like_go(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(GoPanic) as raised:
        call("substr", *args)
    assert raised.value.message == message


def test_repeat_and_indent_panic_on_negative_counts() -> None:
    for name in ("repeat", "indent", "nindent"):
        with pytest.raises(GoPanic, match="^strings: negative Repeat count$"):
            call(name, -1, "a")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((3, "hello"), "hello"),
        ((20, "hello"), "hello"),
        ((5, "hello world"), "he..."),
        ((2, "abcdef"), "abcdef"),
        ((4, "éééé"), "\udcc3..."),
    ],
)
def test_abbrev(args: tuple[Any, ...], expected: str) -> None:
    assert call("abbrev", *args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0, 10, "1234567890abcdef"), "1234567..."),
        ((5, 10, "1234567890abcdef"), "...6789..."),
        ((10, 10, "1234567890abcdef"), "...0abcdef"),
        ((5, 6, "1234567890abcdef"), "1234567890abcdef"),  # offset needs a width of 7
        ((-3, 3, "abcdef"), "abcdef"),
    ],
)
def test_abbrevboth(args: tuple[Any, ...], expected: str) -> None:
    assert call("abbrevboth", *args) == expected


def test_split_family() -> None:
    assert call("split", ",", "a,b") == {"_0": "a", "_1": "b"}
    assert type(call("split", ",", "a,b")) is GoStringMap
    assert call("split", "", "abc") == {"_0": "a", "_1": "b", "_2": "c"}
    assert call("splitn", ",", 0, "a,b,c") == {}
    assert call("splitn", ",", 2, "a,b,c") == {"_0": "a", "_1": "b,c"}
    assert call("splitn", "", 2, "abc") == {"_0": "a", "_1": "bc"}
    assert call("splitList", "", "abc") == ["a", "b", "c"]
    assert call("splitList", ",", "") == [""]
    assert type(call("splitList", ",", "a")) is GoStringSlice


def test_join_uses_strval_and_drops_nils() -> None:
    assert call("join", ",", GoStringSlice(["x", "y"])) == "x,y"
    assert call("join", ",", LIST) == "1,a,true,map[k:v]"
    assert call("join", "-", [1, 2, None, "a"]) == "1-2-a"
    assert call("join", ",", 5) == "5"
    assert call("join", ",", "abc") == "abc"
    assert call("join", ",", None) == ""


def test_sort_alpha() -> None:
    assert call("sortAlpha", "x") == ["x"]
    assert call("sortAlpha", ["b", "a", 10, 2, "B"]) == ["10", "2", "B", "a", "b"]
    assert call("sortAlpha", None) == ["<nil>"]
    strings = GoStringSlice(["b", "a"])
    assert call("sortAlpha", strings) is strings  # Go sorts a []string in place
    assert strings == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "snake"),
    [
        ("FirstName", "first_name"),
        ("HTTPServer", "http_server"),
        ("some words", "some_words"),
        ("_camelCase", "_camel_case"),
        ("NoHTTPS", "no_https"),
        ("Wi_thF", "wi_th_f"),
        ("_AnotherTES_TCaseP", "_another_tes_t_case_p"),
        ("ALL", "all"),
        ("_HELLO_WORLD_", "_hello_world_"),
        ("HELLO____WORLD", "hello____world"),
        ("TW", "tw"),
        ("_C", "_c"),
        ("http2xx", "http_2xx"),
        ("HTTP2XX", "http2_xx"),
        ("HTTP20xOK", "http_20x_ok"),
        ("HTTP-20xStatus", "http_20x_status"),
        ("Duration2m3s", "duration_2m3s"),
        ("Bld4Floor3rd", "bld4_floor_3rd"),
        (" _-_ ", "_____"),
        ("a1b2c3d", "a_1b2c3d"),
        ("A//B%%2c", "a//b%%2c"),
        ("HTTP状态码404/502Error", "http_状态码404/502_error"),
        ("混合ABCWords与123数字456", "混合_abc_words_与123_数字456"),
        ("  sentence case  ", "__sentence_case__"),
        ("FROM CamelCase to snake/kebab-case", "from_camel_case_to_snake/kebab_case"),
        (
            "Abc\ufffdE\ufffdf\ufffdd\ufffd2\ufffd00z\ufffdZZ\ufffdZZ",
            "abc_\ufffde\ufffdf\ufffdd_\ufffd2\ufffd00z_\ufffdzz\ufffdzz",
        ),
        ("\ufffd\ufffd\ufffd", "\ufffd\ufffd\ufffd"),
        ("abc_123_def", "abc_123_def"),
        ("", ""),
    ],
)
def test_snake_and_kebab_case(text: str, snake: str) -> None:
    assert call("snakecase", text) == snake
    assert call("kebabcase", text) == snake.replace("_", "-")


@pytest.mark.parametrize(
    ("text", "camel"),
    [
        ("http_server", "HttpServer"),
        ("no_https", "NoHttps"),
        ("some words", "SomeWords"),
        ("_camel_case", "_CamelCase"),
        ("_complex__case_", "_Complex_Case_"),
        (" complex -case ", " Complex Case "),
        ("GOLANG_IS_GREAT", "GOLANGISGREAT"),
        ("a", "A"),
        ("好", "好"),
        ("FROM CamelCase to snake/kebab-case", "FROMCamelCaseToSnake/kebabCase"),
        ("_", "__"),  # xstrings v1.4.0 repeats a lone connector
        ("", ""),
    ],
)
def test_camelcase(text: str, camel: str) -> None:
    assert call("camelcase", text) == camel


def test_shuffle_permutes_runes_with_the_injected_random() -> None:
    shuffled = call("shuffle", "abcdef")
    assert sorted(shuffled) == list("abcdef")
    assert call("shuffle", "abcdef") == shuffled  # same seed, same result
    assert call("shuffle", "") == ""


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("randAlpha", r"[A-Za-z]{8}"),
        ("randAlphaNum", r"[A-Za-z0-9]{8}"),
        ("randNumeric", r"[0-9]{8}"),
        ("randAscii", r"[\x20-\x7e]{8}"),
    ],
)
def test_random_strings(name: str, shape: str) -> None:
    assert re.fullmatch(shape, call(name, 8))
    assert call(name, 0) == ""
    assert call(name, -1) == ""

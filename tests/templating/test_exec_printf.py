"""Go's fmt through printf: verbs, flags, width and precision, and fmt's inline error reports."""

from __future__ import annotations

import pytest

from engine.templating.gofmt import go_sprint, go_sprintln
from engine.templating.gofmt_printf import go_sprintf
from engine.templating.gotypes import GoInt64, GoUint8, JSONNumber
from tests.templating.exec_support import render


@pytest.mark.parametrize(
    ("format_text", "args", "expected"),
    [
        ("%d|%5d|%-5d|%05d|%+d|% d", [42, 42, 42, 42, 42, 42], "42|   42|42   |00042|+42| 42"),
        ("%x %X %#x %o %O %b %#o", [255, 255, 255, 8, 8, 5, 8], "ff FF 0xff 10 0o10 101 010"),
        ("%c %q %U %#U", [65, 65, 0x1F600, 65], "A 'A' U+1F600 U+0041 'A'"),
        ("%f %.2f %8.3f %-8.2f| %08.3f", [1.5, 3.14159, 3.14159, 3.14159, -3.14159],
         "1.500000 3.14    3.142 3.14    | -003.142"),
        ("%e %E %g %G %v", [1234.5678, 1e-7, 1e21, 1e-7, 1e6], "1.234568e+03 1.000000E-07 1e+21 1E-07 1e+06"),
        ("%x %.1x", [3.5, 1.999], "0x1.cp+01 0x1.0p+01"),
        ("%.0f %.0f", [2.5, 3.5], "2 4"),
        ("%s %q %x % x %#q %.3s", ["hi", "a\"b", "hi", "hi", "ab", "abcdef"], 'hi "a\\"b" 6869 68 69 `ab` abc'),
        ("%t %5t|", [True, True], "true  true|"),
        ("%v %+v %#v", [[1.0, "a"], {"a": 1}, "s"], '[1 a] map[a:1] "s"'),
        ("%T %T %T %T %T", [GoInt64(1), {}, [], JSONNumber("1"), None], "int64 map[string]interface {} "
         "[]interface {} json.Number <nil>"),
        ("%[2]s %[1]s", ["a", "b"], "b a"),
        ("%.*f|%*d", [2, 3.14159, 4, 7], "3.14|   7"),
        ("%%", [], "%"),
    ],
)
def test_sprintf(format_text: str, args: list[object], expected: str) -> None:
    assert go_sprintf(format_text, args) == expected


@pytest.mark.parametrize(
    ("format_text", "args", "expected"),
    [
        ("%s", [3], "%!s(int=3)"),
        ("%d", [JSONNumber("12")], "%!d(json.Number=12)"),
        ("%.1f", [JSONNumber("1.5")], "%!f(json.Number=1)"),  # the precision still applies inside
        ("%d", [1.5], "%!d(float64=1.5)"),
        ("%t", [1], "%!t(int=1)"),
        ("%s", [None], "%!s(<nil>)"),
        ("%v", [], "%!v(MISSING)"),
        ("%s %s", ["a"], "a %!s(MISSING)"),
        ("a", [1, "x"], "a%!(EXTRA int=1, string=x)"),
        ("%[3]s", ["a"], "%!s(BADINDEX)"),
        ("%", [], "%!(NOVERB)"),
        ("%z", [1], "%!z(int=1)"),
        ("%s", [[1.0, "a", True, None]], "[%!s(float64=1) a %!s(bool=true) <nil>]"),
        ("%d", [[GoUint8(1)]], "[1]"),
    ],
)
def test_sprintf_error_reports(format_text: str, args: list[object], expected: str) -> None:
    assert go_sprintf(format_text, args) == expected


def test_sprint_spacing() -> None:
    assert go_sprint([1, 2]) == "1 2"
    assert go_sprint(["a", "b"]) == "ab"
    assert go_sprint([1, "a", 2]) == "1a2"
    assert go_sprint([None, None]) == "<nil> <nil>"
    assert go_sprintln(["a", 1]) == "a 1\n"


def test_printf_in_templates() -> None:
    assert render('{{printf "%s-%d" .input.name 3}}') == "world-3"
    assert render('{{"x" | printf "%s-%s" "a"}}') == "a-x"
    assert render('{{printf "%T" .input.m}}') == "map[string]interface {}"
    assert render('{{printf "%v" .input.nul}}') == "<nil>"

"""Sprig family A, lists: values and error texts as the Go oracle gave them in the shared corpus."""

from __future__ import annotations

from typing import Any

import pytest

from engine.templating.funcs import FUNCTIONS, GoError, GoPanic, load_all
from engine.templating.funcs.govalues import GoIntSlice
from engine.templating.gotypes import NO_VALUE, GoListOfLists, GoStringSlice, GoUint8, JSONNumber, go_type_name

load_all()

NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"


def call(name: str, *args: Any) -> Any:
    return FUNCTIONS[name].implementation(*args)


def n(text: str) -> JSONNumber:
    return JSONNumber(text)


STRS = ["b", "a", "c"]
NUMS = [n("3"), n("1"), n("2")]
LIST = [n("1"), "a", True, None, {"k": "v"}]


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("list", (1, 2, 3), [1, 2, 3]),
        ("list", (), []),
        ("list", (NO_VALUE, None, 1), [None, None, 1]),
        ("tuple", (1, "a", None), [1, "a", None]),
        ("first", ([1, 2],), 1),
        ("first", ([],), None),
        ("mustFirst", ([],), None),
        ("first", (LIST,), n("1")),
        ("first", (GoStringSlice(["x"]),), "x"),
        ("last", (STRS,), "c"),
        ("last", ([],), None),
        ("mustLast", ([],), None),
        ("rest", (STRS,), ["a", "c"]),
        ("rest", ([],), []),
        ("initial", (STRS,), ["b", "a"]),
        ("mustInitial", ([],), []),
        ("append", (STRS, "d"), ["b", "a", "c", "d"]),
        ("push", (STRS, "d"), ["b", "a", "c", "d"]),
        ("append", (LIST, 9), [*LIST, 9]),
        ("prepend", (STRS, "z"), ["z", "b", "a", "c"]),
        ("concat", ([1], [2, 3], STRS), [1, 2, 3, "b", "a", "c"]),
        ("concat", (), []),
        ("reverse", (STRS,), ["c", "a", "b"]),
        ("reverse", (LIST,), LIST[::-1]),
        ("reverse", ([],), []),
        ("reverse", (GoStringSlice(["a", "b"]),), ["b", "a"]),
        ("uniq", (NUMS,), NUMS),
        ("uniq", (LIST,), LIST),
        ("uniq", ([1, 1, "1", 2, 2, None, None],), [1, "1", 2, None]),
        ("mustUniq", ([1, 1],), [1]),
        ("without", ([1, 2, 3, 2], 2), [1, 3]),
        ("without", (STRS, "a", "c"), ["b"]),
        ("without", (LIST, None), [n("1"), "a", True, {"k": "v"}]),
        ("without", (GoStringSlice(["a", "b"]), "a"), ["b"]),
        ("has", (3, NUMS), False),  # an int is not a json.Number
        ("has", ("a", STRS), True),
        ("has", (None, [None]), True),
        ("has", (1, None), False),
        ("has", (1, NO_VALUE), False),
        ("has", (1, [1, 2]), True),
        ("has", ("1", [1, 2]), False),
        ("has", ({"k": "v"}, LIST), True),
        ("compact", ([1, "", None, 0, False, "a", []],), [1, "a"]),
        ("compact", (LIST,), [n("1"), "a", True, {"k": "v"}]),
        ("compact", ([n("0"), 0.0],), [n("0")]),
        ("slice", ([1, 2, 3, 4], 1, 3), [2, 3]),
        ("slice", ([1, 2, 3, 4], 2), [3, 4]),
        ("slice", (LIST,), LIST),
        ("slice", ([1, 2, 3], "1"), [2, 3]),
        ("slice", ([1, 2, 3], 1, 2), [2]),
        ("slice", ([],), None),
        ("mustSlice", (LIST, 1, 2), ["a"]),
        ("chunk", (2, STRS), [["b", "a"], ["c"]]),
        ("chunk", (2, [1, 2, 3, 4, 5]), [[1, 2], [3, 4], [5]]),
        ("chunk", (3, []), []),
        ("chunk", (-2, [1]), [[1]]),  # Sprig's float arithmetic lets this corner case through
        ("chunk", (-2, [1, 2, 3]), []),
        ("mustChunk", (2, [1, 2, 3]), [[1, 2], [3]]),
    ],
)
def test_list_functions(name: str, args: tuple[Any, ...], expected: Any) -> None:
    assert call(name, *args) == expected


def test_results_keep_go_types() -> None:
    assert go_type_name(call("chunk", 2, [1, 2, 3])) == "[][]interface {}"
    assert type(call("chunk", 2, [1, 2, 3])) is GoListOfLists
    assert go_type_name(call("rest", GoStringSlice(["a", "b"]))) == "[]interface {}"
    assert type(call("slice", GoStringSlice(["a", "b", "c"]), 1)) is GoStringSlice
    assert type(call("slice", GoIntSlice([0, 1, 2]), 1)) is GoIntSlice
    assert call("first", b"hi") == GoUint8(104) and type(call("first", b"hi")) is GoUint8


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("last", ("hello",), "Cannot find last on type string"),
        ("first", ("hello",), "Cannot find first on type string"),
        ("first", (n("1"),), "Cannot find first on type string"),
        ("first", ({"a": "b"},), "Cannot find first on type map"),
        ("rest", (1,), "Cannot find rest on type int"),
        ("initial", ("s",), "Cannot find initial on type string"),
        ("reverse", ("abc",), "Cannot find reverse on type string"),
        ("mustReverse", (1,), "Cannot find reverse on type int"),
        ("mustWithout", (1, 1), "Cannot find without on type int"),
        ("mustCompact", ("x",), "Cannot compact on type string"),
        ("mustPrepend", (1, 1), "Cannot prepend on type int"),
        ("mustPush", (1.5, 1), "Cannot push on type float64"),
        ("mustUniq", (1,), "Cannot find uniq on type int"),
        ("mustLast", (1,), "Cannot find last on type int"),
        ("mustHas", (1, True), "Cannot find has on type bool"),
        ("mustChunk", (2, "x"), "Cannot chunk type string"),
        ("mustSlice", ("hello", 1, 2), "list should be type of slice or array but string"),
    ],
)
def test_list_errors(name: str, args: tuple[Any, ...], message: str) -> None:
    must = name.startswith("must")
    with pytest.raises(GoError if must else GoPanic) as raised:
        call(name, *args)
    assert raised.value.message == message
    if not must:  # the must twin returns the same text as an error
        twin = "must" + name[0].upper() + name[1:]
        with pytest.raises(GoError) as returned:
            call(twin, *args)
        assert returned.value.message == message


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("append", (None, 1), NIL_DEREFERENCE),
        ("mustFirst", (NO_VALUE,), NIL_DEREFERENCE),
        ("slice", (None, 1), NIL_DEREFERENCE),
        ("concat", ([1], None), NIL_DEREFERENCE),
        ("concat", ([1], 2), "Cannot concat type int as list"),
        ("slice", ({"a": 1}, 1), "list should be type of slice or array but map"),
        ("slice", ([1, 2, 3], -1), "reflect.Value.Slice: slice index out of bounds"),
        ("mustSlice", ([1, 2, 3, 4, 5], 4, 2), "reflect.Value.Slice: slice index out of bounds"),
        ("chunk", (0, [1]), "runtime error: makeslice: len out of range"),
        ("mustChunk", (0, []), "runtime error: makeslice: len out of range"),
        ("chunk", (-1, [1]), "runtime error: makeslice: len out of range"),
        ("chunk", (-2, [1, 2, 3, 4, 5]), "runtime error: makeslice: len out of range"),
    ],
)
def test_list_panics(name: str, args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(GoPanic) as raised:
        call(name, *args)
    assert raised.value.message == message


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("until", (5,), [0, 1, 2, 3, 4]),
        ("until", (-3,), [0, -1, -2]),
        ("until", (0,), []),
        ("untilStep", (0, 10, 3), [0, 3, 6, 9]),
        ("untilStep", (10, 0, -3), [10, 7, 4, 1]),
        ("untilStep", (0, 10, -1), []),
        ("untilStep", (0, 10, 0), []),
        ("seq", (), ""),
        ("seq", (5,), "1 2 3 4 5"),
        ("seq", (-2,), "1 0 -1 -2"),
        ("seq", (1, 3), "1 2 3"),
        ("seq", (3, 1), "3 2 1"),
        ("seq", (0, 2, 10), "0 2 4 6 8 10"),
        ("seq", (10, -3, 1), "10 7 4 1"),
        ("seq", (10, 3, 1), ""),
        ("seq", (1, 2, 3, 4), ""),
    ],
)
def test_sequences(name: str, args: tuple[Any, ...], expected: Any) -> None:
    result = call(name, *args)
    assert result == expected
    if name != "seq":
        assert go_type_name(result) == "[]int"


def test_absurd_sequences_are_refused() -> None:
    with pytest.raises(GoPanic, match="out of memory"):
        call("until", 1 << 40)

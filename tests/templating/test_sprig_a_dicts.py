"""Sprig family A, dicts (including mergo's merge rules): values and texts from the Go oracle's corpus."""

from __future__ import annotations

from typing import Any

import pytest

from engine.templating.funcs import FUNCTIONS, GoPanic, load_all
from engine.templating.gotypes import NO_VALUE, GoStringMap, GoStringSlice, JSONNumber
from engine.templating.printing import sprint

load_all()


def call(name: str, *args: Any) -> Any:
    return FUNCTIONS[name].implementation(*args)


def n(text: str) -> JSONNumber:
    return JSONNumber(text)


def sample() -> dict[str, Any]:
    return {"a": n("1"), "b": n("2"), "c": {"d": [n("1"), n("2")]}}


def test_dict() -> None:
    assert call("dict", "a", 1, "b", "x") == {"a": 1, "b": "x"}
    assert sprint(call("dict", True, 1, None, 2)) == "map[<nil>:2 true:1]"
    assert call("dict", 1, 2) == {"1": 2}
    assert call("dict", "a", NO_VALUE) == {"a": None}
    assert call("dict", "a", 1, "odd") == {"a": 1, "odd": ""}
    assert call("dict") == {}


def test_get_set_unset_has_key() -> None:
    data = sample()
    assert call("get", data, "a") == n("1")
    assert call("get", data, "zz") == ""
    assert call("get", {"a": None}, "a") is None
    assert call("get", None, "a") == ""
    assert call("set", data, "z", 9) is data and data["z"] == 9
    assert call("unset", data, "a") is data and "a" not in data
    assert call("unset", data, "nope") is data
    assert call("unset", None, "a") == {}
    assert call("hasKey", data, "b") and not call("hasKey", data, "zz")
    assert call("hasKey", {"a": None}, "a")
    assert not call("hasKey", None, "a")
    with pytest.raises(GoPanic, match="^assignment to entry in nil map$"):
        call("set", None, "k", 1)


def test_pluck_pick_omit_keys_values() -> None:
    assert call("pluck", "a", {"a": 1}, {"a": 2}, {"b": 3}) == [1, 2]
    assert call("pluck", "a", None, {"a": None}) == [None]
    assert call("pick", {"a": 1, "b": 2}, "b", "zz") == {"b": 2}
    assert call("omit", sample(), "a", "zz") == {"b": n("2"), "c": {"d": [n("1"), n("2")]}}
    assert call("keys", {"b": 1, "a": 2}, {"c": 3}) == ["a", "b", "c"]
    assert type(call("keys")) is GoStringSlice
    assert call("keys", sample(), sample()) == ["a", "b", "c", "a", "b", "c"]
    assert call("keys", {}) == []
    assert call("values", {"b": 1, "a": 2}) == [2, 1]
    assert call("values", None) == []


def test_dig() -> None:
    nested = {"a": {"b": {"c": 1}}, "n": None}
    assert call("dig", "a", "b", "c", "def", nested) == 1
    assert call("dig", "a", "x", "def", nested) == "def"
    assert call("dig", "a", "def", {"a": None}) is None
    assert call("dig", "c", "x", "none", sample()) == "none"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("zz", sample()), "dig needs at least three arguments"),
        (("a", "d", "x"), "interface conversion: interface {} is string, not map[string]interface {}"),
        (("a", "d", None), "interface conversion: interface {} is nil, not map[string]interface {}"),
        (
            ("a", "d", GoStringMap()),
            "interface conversion: interface {} is map[string]string, not map[string]interface {}",
        ),
        ((n("1"), "d", {}), "interface conversion: interface {} is json.Number, not string"),
        (("n", "x", "d", {"n": None}), "interface conversion: interface {} is nil, not map[string]interface {}"),
        (("a", "x", "d", {"a": "s"}), "interface conversion: interface {} is string, not map[string]interface {}"),
    ],
)
def test_dig_panics(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(GoPanic) as raised:
        call("dig", *args)
    assert raised.value.message == message


def test_deep_copy() -> None:
    data = sample()
    copied = call("deepCopy", data)
    assert copied == data and copied is not data and copied["c"]["d"] is not data["c"]["d"]
    assert call("mustDeepCopy", [n("1"), None]) == [n("1"), None]
    assert type(call("deepCopy", GoStringSlice(["a"]))) is GoStringSlice
    with pytest.raises(GoPanic, match="zero Value"):
        call("deepCopy", None)


@pytest.mark.parametrize("name", ["merge", "mustMerge"])
def test_merge_keeps_non_empty_destination_values(name: str) -> None:
    assert call(name, {"a": 1}, {"b": 2}) == {"a": 1, "b": 2}
    assert call(name, {"a": 1}, {"a": 2, "b": 2}) == {"a": 1, "b": 2}
    assert call(name, {"a": ""}, {"a": "x"}) == {"a": "x"}
    assert call(name, {}, sample()) == sample()
    assert call(name, {"a": None}, {"a": [1]}) == {"a": [1]}
    assert call(name, {"a": "keep"}, {"a": None}) == {"a": "keep"}
    assert call(name, {"a": {"x": 1}}, {"a": {"x": 3, "y": 2}}) == {"a": {"x": 1, "y": 2}}
    assert call(name, {"a": "s"}, {"a": {"x": 1}}) == {"a": "s"}
    assert call(name, {"k": 1, "a": [1]}, {"a": [2, 3]}) == {"k": 1, "a": [1]}
    assert call(name, {"k": 1, "a": []}, {"a": [2, 3]}) == {"k": 1, "a": [2, 3]}
    assert call(name, None, {"a": 1}, {"b": 2}) == {"a": 1, "b": 2}
    assert call(name, None, None) == {}


def test_merge_changes_the_destination_in_place() -> None:
    data = sample()
    assert call("merge", data, {"b": n("3"), "q": n("4")}) is data
    assert sprint(data) == "map[a:1 b:2 c:map[d:[1 2]] q:4]"
    inner = {"x": 1}
    call("merge", {"a": inner}, {"a": {"y": 2}})
    assert inner == {"x": 1, "y": 2}


@pytest.mark.parametrize("name", ["mergeOverwrite", "mustMergeOverwrite"])
def test_merge_overwrite(name: str) -> None:
    assert call(name, {"a": 1}, {"a": 2, "b": 2}) == {"a": 2, "b": 2}
    assert call(name, {"a": "y"}, {"a": ""}) == {"a": ""}
    assert call(name, {"a": {"x": 1}}, {"a": {"x": 3, "y": 2}}) == {"a": {"x": 3, "y": 2}}
    assert call(name, {"a": 1}, {"a": None}) == {"a": None}
    assert call(name, {"a": "s"}, {"a": {"x": 1}}) == {"a": {"x": 1}}
    assert call(name, {"k": 1, "a": [1]}, {"a": [2, 3]}) == {"k": 1, "a": [2, 3]}


def test_merge_into_a_string_map_panics_like_reflect() -> None:
    with pytest.raises(GoPanic, match="value of type interface {} is not assignable to type string"):
        call("merge", {"s": GoStringMap({"_0": "a"})}, {"s": {"_1": "b"}})

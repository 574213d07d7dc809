"""Sprig family B, encoding: base64/base32 and JSON (gojson), with the Go outputs of the corpus."""

from __future__ import annotations

import pytest

from engine.templating import gojson
from engine.templating.funcs import encoding as e
from engine.templating.funcs.registry import GoError, GoPanic
from engine.templating.gotypes import NO_VALUE, GoStringMap, GoStringSlice, JSONNumber

STD_INPUT = {
    "Upper": "U", "big": JSONNumber("1619464078"), "csv": "a,b,c", "dotted.key": "dv", "empty": "",
    "emptylist": [], "emptymap": {}, "exp": JSONNumber("1e3"), "f": JSONNumber("1.5"), "fa": False,
    "false_str": "false", "html": "<a href='x'>&</a>", "huge": JSONNumber("12345678901234567890"), "id": "42",
    "json_str": '{"a":1,"b":[1,2],"c":{"d":null}}', "list": [JSONNumber("1"), "a", True, None, {"k": "v"}],
    "m": {"a": JSONNumber("1"), "b": JSONNumber("2"), "c": {"d": [JSONNumber("1"), JSONNumber("2")]}},
    "multiline": "l1\nl2", "my-key": "dash", "n": JSONNumber("12"), "name": "world", "neg": JSONNumber("-3"),
    "nul": None, "nums": [JSONNumber("3"), JSONNumber("1"), JSONNumber("2")], "s": "hello",
    "spaces": "  pad  ", "strs": ["b", "a", "c"], "t": True, "trailing": JSONNumber("1.50"), "uni": "é€",
    "zero": JSONNumber("0"), "zero_str": "0",
}
STD_JSON = (
    '{"Upper":"U","big":1619464078,"csv":"a,b,c","dotted.key":"dv","empty":"","emptylist":[],"emptymap":{},'
    '"exp":1e3,"f":1.5,"fa":false,"false_str":"false","html":"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e",'
    '"huge":12345678901234567890,"id":"42","json_str":"{\\"a\\":1,\\"b\\":[1,2],\\"c\\":{\\"d\\":null}}",'
    '"list":[1,"a",true,null,{"k":"v"}],"m":{"a":1,"b":2,"c":{"d":[1,2]}},"multiline":"l1\\nl2","my-key":"dash",'
    '"n":12,"name":"world","neg":-3,"nul":null,"nums":[3,1,2],"s":"hello","spaces":"  pad  ","strs":["b","a","c"],'
    '"t":true,"trailing":1.50,"uni":"é€","zero":0,"zero_str":"0"}'
)


def test_base64_and_base32() -> None:
    assert e.b64enc("hello") == "aGVsbG8="
    assert e.b64enc("é€") == "w6nigqw="
    assert e.b64enc("ab?>") == "YWI/Pg=="
    assert e.b64enc("") == e.b64dec("") == ""
    assert e.b64dec(e.b64enc("hi")) == "hi"
    assert e.b64dec("aGVsbG8") == "illegal base64 data at input byte 4"
    assert e.b64dec("/w==").encode("utf-8", "surrogateescape") == b"\xff"
    assert e.b32enc("hello") == "NBSWY3DP"
    assert e.b32dec("NBSWY3DP") == "hello"
    assert e.b32dec("nbswy3dp") == e.b32dec("???") == "illegal base32 data at input byte 0"
    assert e.b32dec("74======").encode("utf-8", "surrogateescape") == b"\xff"


@pytest.mark.parametrize(
    ("text", "padded", "message"),
    [("aGk", True, "illegal base64 data at input byte 0"), ("aGk=x", True, "illegal base64 data at input byte 4"),
     ("a===", True, "illegal base64 data at input byte 1"), ("aGk=", False, "illegal base64 data at input byte 3"),
     ("aG=", True, "illegal base64 data at input byte 3")],
)
def test_base64_error_offsets(text: str, padded: bool, message: str) -> None:
    with pytest.raises(e.CorruptInput, match=message):
        e.go_b64decode(text.encode(), padded=padded)


def test_base64_skips_newlines_and_decodes_unpadded() -> None:
    assert e.go_b64decode(b"aGVs\nbG8=\r\n") == b"hello"
    assert e.go_b64decode(b"aGk", padded=False) == b"hi"


def test_to_json_like_encoding_json() -> None:
    assert e.to_json(STD_INPUT) == STD_JSON
    assert e.to_raw_json({"html": "<a href='x'>&</a>"}) == '{"html":"<a href=\'x\'>&</a>"}'
    assert e.to_json(1e21) == "1e+21"
    assert e.to_json(0.0000001) == "1e-7"
    assert e.to_json(1.0) == e.to_json(1) == "1"
    assert e.to_json(None) == e.to_json(NO_VALUE) == "null"
    assert e.to_json("\udcff") == '"\\ufffd"'
    assert e.to_json("é€😀") == '"é€😀"'
    assert e.to_json([None, "x", 1.5, {}]) == '[null,"x",1.5,{}]'
    assert e.to_json({"b": 1, "a": 2, "A": 3, "_": 4}) == '{"A":3,"_":4,"a":2,"b":1}'
    assert e.to_json(True) == "true"
    assert e.to_json([]) == "[]"
    assert e.to_json(GoStringSlice(["a"])) == '["a"]'
    assert e.to_json(GoStringMap({"1": "a"})) == '{"1":"a"}'
    assert e.to_raw_json("a<b>&c") == '"a<b>&c"'
    assert e.to_json("\b\f\x01\u2028\x7f") == '"\\b\\f\\u0001\\u2028\x7f"'


def test_float64_numbers_like_encoding_json() -> None:
    values = {"bigf": 12345678912345.0, "e20": 1e20, "e21": 1e21, "exp": 1000.0, "frac": 123456.7,
              "huge": 12345678901234567890.0, "negzero": -0.0, "sci": 1e-7, "small": 0.0001,
              "third": 0.3333333333333333, "tiny": 0.00001, "million": 1e6}
    assert e.to_json(values) == (
        '{"bigf":12345678912345,"e20":100000000000000000000,"e21":1e+21,"exp":1000,"frac":123456.7,'
        '"huge":12345678901234567000,"million":1000000,"negzero":-0,"sci":1e-7,"small":0.0001,'
        '"third":0.3333333333333333,"tiny":0.00001}'
    )
    assert gojson.format_float(1.2345678901234568e29) == "1.2345678901234568e+29"
    assert gojson.format_float(0.000001) == "0.000001"


def test_pretty_json() -> None:
    assert e.to_pretty_json([]) == "[]"
    assert e.to_pretty_json("s") == '"s"'
    assert e.must_to_pretty_json(GoStringSlice(["b", "a", "c"])) == '[\n  "b",\n  "a",\n  "c"\n]'
    nested = {"a": {"b": [1, {"c": None}]}}
    assert e.to_pretty_json(nested) == (
        '{\n  "a": {\n    "b": [\n      1,\n      {\n        "c": null\n      }\n    ]\n  }\n}'
    )
    assert e.to_pretty_json({"a": 1.5, "b": JSONNumber("1619464078")}) == '{\n  "a": 1.5,\n  "b": 1619464078\n}'


def test_json_errors() -> None:
    assert e.to_json(float("nan")) == e.to_pretty_json(float("inf")) == ""
    with pytest.raises(GoError, match=r"^json: unsupported value: \+Inf$"):
        e.must_to_json([float("inf")])
    with pytest.raises(GoPanic, match="^json: unsupported value: NaN$"):
        e.to_raw_json(float("nan"))
    with pytest.raises(GoError, match="^json: unsupported type: complex128$"):
        e.must_to_raw_json(1j)
    with pytest.raises(GoError, match='^json: invalid number literal "1x"$'):
        e.must_to_json(JSONNumber("1x"))
    cyclic: dict[str, object] = {}
    cyclic["self"] = cyclic
    with pytest.raises(GoError, match="encountered a cycle via map"):
        e.must_to_json(cyclic)


def test_sprig_from_json() -> None:
    assert e.from_json('{"z":1,"a":{"c":2,"b":1}}') == {"z": 1.0, "a": {"c": 2.0, "b": 1.0}}
    assert e.from_json("bad") is None
    assert e.must_from_json('{"b":666}') == {"b": 666.0}
    with pytest.raises(GoError, match="^unexpected end of JSON input$"):
        e.must_from_json("{")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "unexpected end of JSON input"),
        ("[1,2", "unexpected end of JSON input"),
        ("nul", "invalid character ' ' in literal null (expecting 'l')"),
        ("nulx", "invalid character 'x' in literal null (expecting 'l')"),
        ("no", "invalid character 'o' in literal null (expecting 'u')"),
        ("1 2", "invalid character '2' after top-level value"),
        ("[1] [2]", "invalid character '[' after top-level value"),
        ('{"a":tru}', "invalid character '}' in literal true (expecting 'e')"),
        ("x", "invalid character 'x' looking for beginning of value"),
        ('"\\x"', "invalid character 'x' in string escape code"),
        ("01", "invalid character '1' after top-level value"),
        ("\u0001", "invalid character '\\x01' looking for beginning of value"),
        ("[1,]", "invalid character ']' looking for beginning of value"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ('{"a":1 "b"}', "invalid character '\"' after object key:value pair"),
        ("[1 2]", "invalid character '2' after array element"),
        ("{1}", "invalid character '1' looking for beginning of object key string"),
        ("{} x", "invalid character 'x' after top-level value"),
        ("1.", "invalid character ' ' after decimal point in numeric literal"),
        ("1e+", "invalid character ' ' in exponent of numeric literal"),
        ("-x", "invalid character 'x' in numeric literal"),
        ('"a\tb"', "invalid character '\\t' in string literal"),
        ('"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"),
        ("é", "invalid character 'Ã' looking for beginning of value"),
        ("'", "invalid character '\\'' looking for beginning of value"),
        ("1e400", "json: cannot unmarshal number 1e400 into Go value of type float64"),
    ],
)
def test_unmarshal_errors_are_go_texts(text: str, message: str) -> None:
    with pytest.raises(gojson.UnmarshalError) as error:
        gojson.unmarshal(text, use_number=False)
    assert str(error.value) == message


def test_unmarshal_values() -> None:
    assert gojson.unmarshal('  {"a" : 1}  ', use_number=False) == {"a": 1.0}
    assert gojson.unmarshal('{"a":1,"a":2}', use_number=False) == {"a": 2.0}
    assert gojson.unmarshal('"\\ud800x"', use_number=False) == "\ufffdx"
    assert gojson.unmarshal('"\\u00e9"', use_number=False) == "é"
    numbers = gojson.unmarshal("[1.50, 1e3, -0, 12345678901234567890]", use_number=True)
    assert numbers == ["1.50", "1e3", "-0", "12345678901234567890"]
    assert all(type(n) is JSONNumber for n in numbers)
    assert gojson.unmarshal("9007199254740993", use_number=False) == 9007199254740992.0
    assert gojson.decode('{"a":1e400,"b":2}', use_number=False) == (
        {"a": None, "b": 2.0}, "json: cannot unmarshal number 1e400 into Go value of type float64")
    assert gojson.unmarshal('"a\udcffb"', use_number=False) == "a\ufffdb"

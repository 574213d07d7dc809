"""Sprig family A is registered under every Sprig name with exactly Sprig v3.3.0's Go signature (as listed in
the spec's sprig-signatures.txt): strings, lists, dicts, defaults and flow control, conversions, reflection."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.templating.funcs import FUNCTIONS, load_all
from engine.templating.funcs.registry import parse_signature

load_all()

FAMILY_A = [
    "abbrev(int, string) string",
    "abbrevboth(int, int, string) string",
    "all(...interface {}) bool",
    "any(...interface {}) bool",
    "append(interface {}, interface {}) []interface {}",
    "atoi(string) int",
    "camelcase(string) string",
    "cat(...interface {}) string",
    "chunk(int, interface {}) [][]interface {}",
    "coalesce(...interface {}) interface {}",
    "compact(interface {}) []interface {}",
    "concat(...interface {}) interface {}",
    "contains(string, string) bool",
    "deepCopy(interface {}) interface {}",
    "deepEqual(interface {}, interface {}) bool",
    "default(interface {}, ...interface {}) interface {}",
    "dict(...interface {}) map[string]interface {}",
    "dig(...interface {}) interface {},error",
    "empty(interface {}) bool",
    "fail(string) string,error",
    "first(interface {}) interface {}",
    "float64(interface {}) float64",
    "get(map[string]interface {}, string) interface {}",
    "has(interface {}, interface {}) bool",
    "hasKey(map[string]interface {}, string) bool",
    "hasPrefix(string, string) bool",
    "hasSuffix(string, string) bool",
    "hello() string",
    "indent(int, string) string",
    "initial(interface {}) []interface {}",
    "initials(string) string",
    "int(interface {}) int",
    "int64(interface {}) int64",
    "join(string, interface {}) string",
    "kebabcase(string) string",
    "keys(...map[string]interface {}) []string",
    "kindIs(string, interface {}) bool",
    "kindOf(interface {}) string",
    "last(interface {}) interface {}",
    "list(...interface {}) []interface {}",
    "lower(string) string",
    "merge(map[string]interface {}, ...map[string]interface {}) interface {}",
    "mergeOverwrite(map[string]interface {}, ...map[string]interface {}) interface {}",
    "mustAppend(interface {}, interface {}) []interface {},error",
    "mustChunk(int, interface {}) [][]interface {},error",
    "mustCompact(interface {}) []interface {},error",
    "mustDeepCopy(interface {}) interface {},error",
    "mustFirst(interface {}) interface {},error",
    "mustHas(interface {}, interface {}) bool,error",
    "mustInitial(interface {}) []interface {},error",
    "mustLast(interface {}) interface {},error",
    "mustMerge(map[string]interface {}, ...map[string]interface {}) interface {},error",
    "mustMergeOverwrite(map[string]interface {}, ...map[string]interface {}) interface {},error",
    "mustPrepend(interface {}, interface {}) []interface {},error",
    "mustPush(interface {}, interface {}) []interface {},error",
    "mustRest(interface {}) []interface {},error",
    "mustReverse(interface {}) []interface {},error",
    "mustSlice(interface {}, ...interface {}) interface {},error",
    "mustUniq(interface {}) []interface {},error",
    "mustWithout(interface {}, ...interface {}) []interface {},error",
    "nindent(int, string) string",
    "nospace(string) string",
    "omit(map[string]interface {}, ...string) map[string]interface {}",
    "pick(map[string]interface {}, ...string) map[string]interface {}",
    "pluck(string, ...map[string]interface {}) []interface {}",
    "plural(string, string, int) string",
    "prepend(interface {}, interface {}) []interface {}",
    "push(interface {}, interface {}) []interface {}",
    "quote(...interface {}) string",
    "randAlpha(int) string",
    "randAlphaNum(int) string",
    "randAscii(int) string",
    "randNumeric(int) string",
    "repeat(int, string) string",
    "replace(string, string, string) string",
    "rest(interface {}) []interface {}",
    "reverse(interface {}) []interface {}",
    "seq(...int) string",
    "set(map[string]interface {}, string, interface {}) map[string]interface {}",
    "shuffle(string) string",
    "slice(interface {}, ...interface {}) interface {}",
    "snakecase(string) string",
    "sortAlpha(interface {}) []string",
    "split(string, string) map[string]string",
    "splitList(string, string) []string",
    "splitn(string, int, string) map[string]string",
    "squote(...interface {}) string",
    "substr(int, int, string) string",
    "swapcase(string) string",
    "ternary(interface {}, interface {}, bool) interface {}",
    "title(string) string",
    "toDecimal(interface {}) int64",
    "toString(interface {}) string",
    "toStrings(interface {}) []string",
    "trim(string) string",
    "trimAll(string, string) string",
    "trimPrefix(string, string) string",
    "trimSuffix(string, string) string",
    "trimall(string, string) string",
    "trunc(int, string) string",
    "tuple(...interface {}) []interface {}",
    "typeIs(string, interface {}) bool",
    "typeIsLike(string, interface {}) bool",
    "typeOf(interface {}) string",
    "uniq(interface {}) []interface {}",
    "unset(map[string]interface {}, string) map[string]interface {}",
    "until(int) []int",
    "untilStep(int, int, int) []int",
    "untitle(string) string",
    "upper(string) string",
    "values(map[string]interface {}) []interface {}",
    "without(interface {}, ...interface {}) []interface {}",
    "wrap(int, string) string",
    "wrapWith(int, string, string) string",
]

SIGNATURES_FILE = Path(__file__).resolve().parents[3] / "shared/spec/sprig-signatures.txt"


@pytest.mark.parametrize("line", FAMILY_A)
def test_registered_with_the_exact_go_signature(line: str) -> None:
    expected = parse_signature(line)
    assert expected.name in FUNCTIONS, f"{expected.name} is not registered"
    assert FUNCTIONS[expected.name].signature == expected


def test_family_matches_the_spec_list() -> None:
    if not SIGNATURES_FILE.exists():
        pytest.skip("the shared spec is not available")
    spec = {line.strip() for line in SIGNATURES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert set(FAMILY_A) <= spec

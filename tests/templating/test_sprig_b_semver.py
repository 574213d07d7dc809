"""Sprig family B, semver: Masterminds/semver v3.3.1 versions, methods and constraints."""

from __future__ import annotations

from typing import Any

import pytest

from engine.templating import gojson
from engine.templating.funcs import semver as s
from engine.templating.funcs.registry import GoError
from engine.templating.gotypes import GoUint64, go_kind, go_type_name
from engine.templating.printing import sprint


def call(receiver: s.SemverVersion, name: str, *args: Any) -> Any:
    return receiver.methods[name].implementation(receiver, *args)


def test_versions_print_and_type_like_go() -> None:
    version = s.semver("1.2.3")
    assert sprint(version) == "1.2.3" and sprint([version]) == "[1.2.3]"
    assert go_type_name(version) == "*semver.Version" and go_kind(version) == "ptr"
    assert gojson.marshal(version) == '"1.2.3"'
    assert sprint(s.semver("v1")) == "1.0.0"
    assert call(s.semver("v1.2"), "String") == "1.2.0"
    assert call(s.semver("v1.2"), "Original") == "v1.2"


def test_methods() -> None:
    major = call(s.semver("1.2.3"), "Major")
    assert major == 1 and type(major) is GoUint64
    assert call(s.semver("1.2.3"), "Patch") == 3
    assert call(s.semver("1.2.3"), "Compare", s.semver("1.2.4")) == -1
    assert call(s.semver("1.2.3-10"), "Compare", s.semver("1.2.3-9")) == 1
    assert call(s.semver("1.2.3-alpha"), "Compare", s.semver("1.2.3-alpha.1")) == -1
    assert call(s.semver("1.2.3-alpha.beta"), "Compare", s.semver("1.2.3-alpha.1")) == 1
    assert call(s.semver("1.2.3"), "GreaterThan", s.semver("1.2.3-rc1")) is True
    assert call(s.semver("1.2.3"), "Equal", s.semver("v1.2.3")) is True
    assert call(s.semver("1.2.3+a"), "Equal", s.semver("1.2.3+b")) is True
    assert call(s.semver("1.2.3-beta.1+b5"), "Metadata") == "b5"
    assert call(s.semver("1.2.3-beta.1+b5"), "Prerelease") == "beta.1"
    patched = call(s.semver("1.2.3-rc1"), "IncPatch")
    assert sprint(patched) == "1.2.3" and go_type_name(patched) == "semver.Version"
    assert "Original" not in patched.methods  # a pointer method: not callable on the value Go returns
    assert sprint(call(s.semver("1.2.3"), "IncMinor")) == "1.3.0"
    assert sprint(call(s.semver("v1.2.3-x"), "IncMajor")) == "2.0.0"
    assert sprint(call(s.semver("1.2.3"), "SetPrerelease", "rc.1")) == "1.2.3-rc.1"
    with pytest.raises(GoError, match="^Version segment starts with 0$"):
        call(s.semver("1.2.3"), "SetPrerelease", "01")
    with pytest.raises(GoError, match="^Invalid Metadata string$"):
        call(s.semver("1.2.3"), "SetMetadata", "a..b")


@pytest.mark.parametrize("text", ["01.2.3", "1.2.3.4", "bad", "", "1.2.03", "1.2.3-01"])
def test_invalid_versions(text: str) -> None:
    with pytest.raises(GoError, match="^Invalid Semantic Version$"):
        s.semver(text)


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        ("1.2.3 || 2.x", "2.1.0", True), ("^0.0.3", "0.0.4", False), ("=1.2.3", "v1.2.3", True),
        (">1.0.0", "1.0.1-beta", False), ("^1.2.0", "2.0.0", False), (">= 1.2, < 2.0", "1.5.0", True),
        ("1.2 - 1.4", "1.4.5", True), ("1.2 - 1.4", "1.5.0", False), ("^1.2.0", "1.3.0", True),
        ("1.x", "1.9.9", True), ("*", "1.0.0-alpha", False), ("^0.2.3", "0.3.0", False), ("~1.2", "1.3.0", False),
        ("!=1.2.3", "1.2.4", True), (">=1.0.0-alpha", "1.0.0-beta", True), ("~1.2.3", "1.2.9", True),
        ("~1.2.3", "1.3.0", False), (">1.x", "2.0.0", True), (">1.x", "1.9.0", False), ("<=1.2", "1.2.9", True),
        ("^0.2", "0.2.9", True), ("^0", "0.9.0", True), ("^0", "1.0.0", False), ("~>1.2", "1.2.5", True),
        ("=>1.0 =<2.0", "2.0.0", True), (">=1.0.0 <2.0.0 || >3", "4.0.0", True), (">3", "3.0.1", False),
        ("!=1.x", "1.5.0", False),
    ],
)
def test_constraints(constraint: str, version: str, expected: bool) -> None:
    assert s.semver_compare(constraint, version) is expected


def test_constraint_errors() -> None:
    with pytest.raises(GoError, match="^improper constraint: bad$"):
        s.semver_compare("bad", "1.0.0")
    with pytest.raises(GoError, match="^Invalid Semantic Version$"):
        s.semver_compare(">1", "bad")
    with pytest.raises(GoError, match="^improper constraint: $"):
        s.semver_compare("", "1.0.0")

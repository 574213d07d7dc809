"""Sprig's `semver` and `semverCompare`, with Masterminds/semver v3.3.1's parsing and constraint language.

`semver` returns a `SemverVersion` (Go's *semver.Version): it prints as `1.2.3-rc.1+b5`, marshals to JSON
as that string, and has Go's methods (`.Major` → uint64, `.Prerelease`, `.Compare`, `.IncPatch`…, see
`SemverVersion.methods`). Versions may omit minor and patch and start with `v` (`v1.2` is 1.2.0), but not
have leading zeros. Constraints: `=`, `!=`, `>`, `<`, `>=`, `<=`, `~` / `~>` (same minor), `^` (same
major, or minor/patch below 1.0), `x`/`*` wildcards, `1.2 - 1.4` ranges, `,` or spaces for AND, `||` for OR.
A prerelease version only satisfies an AND group that mentions a prerelease.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from engine.gocompat.re2 import compile_go
from engine.templating.funcs.registry import GoError, GoFunction, GoPanic, go_func, parse_signature
from engine.templating.gotypes import GoObject, GoUint64

__all__ = ["SemverVersion", "SemverVersionValue", "check_constraint", "parse_version"]

INVALID = "Invalid Semantic Version"
_IDENT = r"(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
_VERSION = re.compile(
    r"v?(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\Z"
)
_ALLOWED = re.compile(r"[0-9A-Za-z-]+\Z")


@dataclass(frozen=True, slots=True)
class _Version:
    major: int
    minor: int
    patch: int
    pre: str
    metadata: str
    original: str

    def text(self) -> str:
        out = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            out += "-" + self.pre
        if self.metadata:
            out += "+" + self.metadata
        return out


def parse_version(text: str) -> _Version:
    """semver.NewVersion; GoError with the library's message."""
    match = _VERSION.match(text)
    if match is None:
        raise GoError(INVALID)
    numbers = []
    for segment in match.group(1, 2, 3):
        value = int(segment or "0")
        if value >= 1 << 64:
            raise GoError(f'Error parsing version segment: strconv.ParseUint: parsing "{segment}": value out of range')
        numbers.append(value)
    return _Version(numbers[0], numbers[1], numbers[2], match.group(4) or "", match.group(5) or "", text)


def _compare_part(a: str, b: str) -> int:
    if a == b:
        return 0
    if not a or not b:
        return -1 if not a else 1
    a_num, b_num = a.isdigit() and a.isascii(), b.isdigit() and b.isascii()
    if a_num and b_num:
        return 1 if int(a) > int(b) else -1
    if a_num != b_num:
        return -1 if a_num else 1
    return 1 if a > b else -1


def compare(v: _Version, o: _Version) -> int:
    """Version.Compare: -1, 0 or 1 (metadata ignored; a prerelease sorts before its release)."""
    for a, b in ((v.major, o.major), (v.minor, o.minor), (v.patch, o.patch)):
        if a != b:
            return -1 if a < b else 1
    if not v.pre or not o.pre:
        return 0 if v.pre == o.pre else (1 if not v.pre else -1)
    left, right = v.pre.split("."), o.pre.split(".")
    for index in range(max(len(left), len(right))):
        result = _compare_part(left[index] if index < len(left) else "", right[index] if index < len(right) else "")
        if result:
            return result
    return 0


# ------------------------------------------------------------------------------------------- constraints

_SPACE = r"[\t\n\f\r ]"
_CV = (r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
       r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?")
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
_ONE = re.compile(rf"{_SPACE}*({_OPS}){_SPACE}*({_CV}){_SPACE}*\Z")
_RANGE = re.compile(rf"{_SPACE}*({_CV}){_SPACE}+-{_SPACE}+({_CV}){_SPACE}*")
_FIND = re.compile(rf"({_OPS}){_SPACE}*({_CV})")
# Go syntax on RE2 (linear time): with Python's `re`, `"1   " * 12 + "!"` took seconds, doubling with each "1   ".
_VALID = compile_go(rf"^({_SPACE}*({_OPS}){_SPACE}*({_CV}){_SPACE}*)((?:{_SPACE}+|,{_SPACE}*)({_OPS}){_SPACE}*({_CV})"
                    rf"{_SPACE}*)*$")


@dataclass(frozen=True, slots=True)
class _Constraint:
    op: str
    version: _Version
    dirty: bool = False
    minor_dirty: bool = False
    patch_dirty: bool = False


def _is_x(text: str) -> bool:
    return text in ("x", "X", "*")


def _parse_constraint(text: str) -> _Constraint:
    match = _ONE.match(text)
    if match is None:
        raise GoError(f"improper constraint: {text}")
    op, major, minor, patch, pre = match.group(1, 3, 4, 5, 6)
    minor, patch, pre = minor or "", patch or "", pre or ""
    flags = {}
    if _is_x(major):
        version, flags = f"0.0.0{pre}", {"dirty": True}
    elif not minor or _is_x(minor[1:]):
        version, flags = f"{major}.0.0{pre}", {"dirty": True, "minor_dirty": True}
    elif not patch or _is_x(patch[1:]):
        version, flags = f"{major}{minor}.0{pre}", {"dirty": True, "patch_dirty": True}
    else:
        version = f"{major}{minor}{patch}{pre}"
    try:
        parsed = parse_version(version)
    except GoError:
        raise GoError("constraint Parser Error") from None
    return _Constraint(op, parsed, **flags)


def _parse_constraints(text: str) -> list[list[_Constraint]]:
    for match in list(_RANGE.finditer(text)):
        text = text.replace(match.group(0), f">= {match.group(1)}, <= {match.group(11)} ", 1)
    groups = []
    for segment in text.split("||"):
        if _VALID.search(segment) is None:
            raise GoError(f"improper constraint: {segment}")
        found = [m.group(0) for m in _FIND.finditer(segment)] or [segment]
        groups.append([_parse_constraint(item) for item in found])
    return groups


def _tilde(v: _Version, c: _Constraint) -> bool:
    con = c.version
    if compare(v, con) < 0:
        return False
    if con.major == con.minor == con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    return v.major == con.major and (v.minor == con.minor or c.minor_dirty)


def _caret(v: _Version, c: _Constraint) -> bool:
    con = c.version
    if compare(v, con) < 0:
        return False
    if con.major > 0 or c.minor_dirty:
        return v.major == con.major
    if v.major > 0:
        return False
    if con.minor > 0 or c.patch_dirty:
        return v.minor == con.minor
    if v.minor > 0:
        return False
    return v.patch == con.patch


def _greater(v: _Version, c: _Constraint) -> bool:
    con = c.version
    if not c.dirty or v.major != con.major:
        return compare(v, con) > 0 if not c.dirty else v.major > con.major
    if c.minor_dirty:
        return False
    if c.patch_dirty:
        return v.minor > con.minor
    return compare(v, con) > 0


def _less_equal(v: _Version, c: _Constraint) -> bool:
    con = c.version
    if not c.dirty:
        return compare(v, con) <= 0
    if v.major > con.major:
        return False
    return not (v.major == con.major and v.minor > con.minor and not c.minor_dirty)


def _not_equal(v: _Version, c: _Constraint) -> bool:
    con = c.version
    if c.dirty:
        if con.major != v.major:
            return True
        if con.minor != v.minor and not c.minor_dirty:
            return True
        if c.minor_dirty:
            return False
        if con.patch != v.patch and not c.patch_dirty:
            return True
        if c.patch_dirty:
            return bool(v.pre or con.pre) and compare(replace(v, major=0, minor=0, patch=0),
                                                        replace(con, major=0, minor=0, patch=0)) != 0
    return compare(v, con) != 0


_CHECKS: dict[str, Callable[[_Version, _Constraint], bool]] = {
    "": lambda v, c: _tilde(v, c) if c.dirty else compare(v, c.version) == 0,
    "!=": _not_equal, ">": _greater, "<": lambda v, c: compare(v, c.version) < 0,
    ">=": lambda v, c: compare(v, c.version) >= 0, "<=": _less_equal, "~": _tilde, "^": _caret,
}
_CHECKS.update({"=": _CHECKS[""], "=>": _CHECKS[">="], "=<": _CHECKS["<="], "~>": _CHECKS["~"]})


def check_constraint(constraint: str, version: _Version) -> bool:
    """semver.NewConstraint(constraint).Check(version); GoError for a bad constraint."""
    return _check(_parse_constraints(constraint), version)


def _check(groups: list[list[_Constraint]], version: _Version) -> bool:
    for group in groups:
        include_pre = any(c.version.pre for c in group)
        if all((include_pre or not version.pre) and _CHECKS[c.op](version, c) for c in group):
            return True
    return False


# ------------------------------------------------------------------------------------------ Go objects

def _method(signature: str, implementation: Callable[..., Any]) -> GoFunction:
    return GoFunction(parse_signature(signature), implementation)


def _other(value: Any) -> _Version:
    if not isinstance(value, SemverVersion):
        raise GoPanic("runtime error: invalid memory address or nil pointer dereference")
    return value.version


def _increment(v: _Version, part: str) -> _Version:
    if part == "patch":
        bumped = replace(v, pre="", metadata="", patch=v.patch if v.pre else v.patch + 1)
    elif part == "minor":
        bumped = replace(v, pre="", metadata="", patch=0, minor=v.minor + 1)
    else:
        bumped = replace(v, pre="", metadata="", patch=0, minor=0, major=v.major + 1)
    return replace(bumped, original=_v_prefix(v) + bumped.text())


def _v_prefix(v: _Version) -> str:
    return "v" if v.original.startswith("v") else ""


def _set_part(v: _Version, part: str, text: str) -> SemverVersionValue:
    for piece in text.split(".") if text else ():
        if not piece or not _ALLOWED.match(piece):
            raise GoError("Invalid Prerelease string" if part == "pre" else "Invalid Metadata string")
        if part == "pre" and piece.isdigit() and len(piece) > 1 and piece[0] == "0":
            raise GoError("Version segment starts with 0")
    changed = replace(v, pre=text) if part == "pre" else replace(v, metadata=text)
    return SemverVersionValue(replace(changed, original=_v_prefix(v) + changed.text()))


_VALUE_METHODS = {
    "String": _method("String() string", lambda s: s.version.text()),
    "Major": _method("Major() uint64", lambda s: GoUint64(s.version.major)),
    "Minor": _method("Minor() uint64", lambda s: GoUint64(s.version.minor)),
    "Patch": _method("Patch() uint64", lambda s: GoUint64(s.version.patch)),
    "Prerelease": _method("Prerelease() string", lambda s: s.version.pre),
    "Metadata": _method("Metadata() string", lambda s: s.version.metadata),
    "IncPatch": _method("IncPatch() semver.Version", lambda s: SemverVersionValue(_increment(s.version, "patch"))),
    "IncMinor": _method("IncMinor() semver.Version", lambda s: SemverVersionValue(_increment(s.version, "minor"))),
    "IncMajor": _method("IncMajor() semver.Version", lambda s: SemverVersionValue(_increment(s.version, "major"))),
    "SetPrerelease": _method("SetPrerelease(string) semver.Version,error", lambda s, p: _set_part(s.version, "pre", p)),
    "SetMetadata": _method("SetMetadata(string) semver.Version,error", lambda s, m: _set_part(s.version, "meta", m)),
    "MarshalJSON": _method("MarshalJSON() []uint8,error", lambda s: s.marshal_json().encode()),
    "MarshalText": _method("MarshalText() []uint8,error", lambda s: s.version.text().encode()),
}
_POINTER_METHODS = {
    **_VALUE_METHODS,
    "Original": _method("Original() string", lambda s: s.version.original),
    "Compare": _method("Compare(*semver.Version) int", lambda s, o: compare(s.version, _other(o))),
    "Equal": _method("Equal(*semver.Version) bool", lambda s, o: compare(s.version, _other(o)) == 0),
    "LessThan": _method("LessThan(*semver.Version) bool", lambda s, o: compare(s.version, _other(o)) < 0),
    "LessThanEqual": _method("LessThanEqual(*semver.Version) bool", lambda s, o: compare(s.version, _other(o)) <= 0),
    "GreaterThan": _method("GreaterThan(*semver.Version) bool", lambda s, o: compare(s.version, _other(o)) > 0),
    "GreaterThanEqual": _method("GreaterThanEqual(*semver.Version) bool",
                                lambda s, o: compare(s.version, _other(o)) >= 0),
}


class SemverVersion(GoObject):
    """*semver.Version (what `semver` returns); no exported fields, only methods."""

    go_type: ClassVar[str] = "*semver.Version"
    go_kind: ClassVar[str] = "ptr"
    methods: ClassVar[dict[str, Any]] = _POINTER_METHODS
    unexported: ClassVar[frozenset[str]] = frozenset(("major", "minor", "patch", "pre", "metadata", "original"))

    def __init__(self, version: _Version) -> None:
        self.version = version

    def go_string(self) -> str:
        return self.version.text()

    def marshal_json(self) -> str:
        return '"' + self.version.text() + '"'


class SemverVersionValue(SemverVersion):
    """semver.Version (what IncPatch… return): a struct value, so only the value-receiver methods."""

    go_type: ClassVar[str] = "semver.Version"
    go_kind: ClassVar[str] = "struct"
    methods: ClassVar[dict[str, Any]] = _VALUE_METHODS


@go_func("semver(string) *semver.Version,error")
def semver(text: str) -> SemverVersion:
    return SemverVersion(parse_version(text))


@go_func("semverCompare(string, string) bool,error")
def semver_compare(constraint: str, version: str) -> bool:
    groups = _parse_constraints(constraint)  # the constraint is parsed (and may fail) first
    return _check(groups, parse_version(version))

"""Sprig's `urlParse` and `urlJoin`, on Go's net/url parsing and URL.String().

`urlParse` returns a map with the keys fragment, host, hostname, opaque, path, query, scheme and userinfo
(decoded like Go: `path` and `fragment` unescaped, `query` raw). An unparsable URL panics with Go's
`unable to parse url: parse "…": …`. `urlJoin` builds a URL back from such a map (every value must be a
string, else Go's panic text) and escapes it like Go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.templating.funcs.registry import GoPanic, go_func
from engine.templating.gojson import go_bytes, go_string
from engine.templating.gotypes import NO_VALUE, go_kind
from engine.templating.literals import go_quote

__all__ = ["GoURL", "escape", "parse_url"]

_HEX = "0123456789ABCDEF"
_UNRESERVED = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
_HOST_EXTRA = frozenset(b"!$&'()*+,;=:[]<>\"")
_USERINFO_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:~!$&'()*+,;=%@")


class URLError(ValueError):
    """A net/url parse error; `str()` is Go's message."""


def _should_escape(byte: int, mode: str) -> bool:
    """net/url's shouldEscape for the modes "path", "userinfo", "host", "zone", "fragment"."""
    if byte in _UNRESERVED:
        return False
    if mode in ("host", "zone") and byte in _HOST_EXTRA:
        return False
    if byte in b"$&+,/:;=?@":
        if mode == "path":
            return byte == 0x3F
        if mode == "userinfo":
            return byte in b"@/?:"
        if mode == "fragment":
            return False
    if mode == "fragment" and byte in b"!()*":
        return False
    return True


def escape(text: str, mode: str) -> str:
    """net/url's escape(s, mode): %XX for every byte that should be escaped."""
    out: list[str] = []
    for byte in go_bytes(text):
        if _should_escape(byte, mode):
            out.append("%" + _HEX[byte >> 4] + _HEX[byte & 15])
        else:
            out.append(chr(byte))
    return "".join(out)


def _unescape(text: str, mode: str) -> str:
    data = go_bytes(text)
    out = bytearray()
    index = 0
    while index < len(data):
        byte = data[index]
        if byte == 0x25:  # %
            chunk = data[index:index + 3]
            if len(chunk) < 3 or not all(c in b"0123456789abcdefABCDEF" for c in chunk[1:]):
                raise URLError(f"invalid URL escape {go_quote(go_string(chunk))}")
            value = int(chunk[1:].decode(), 16)
            if mode == "host" and value < 0x80 and chunk != b"%25":
                raise URLError(f"invalid URL escape {go_quote(go_string(chunk))}")
            if mode == "zone" and chunk != b"%25" and value != 0x20 and _should_escape(value, "host"):
                raise URLError(f"invalid URL escape {go_quote(go_string(chunk))}")
            out.append(value)
            index += 3
            continue
        if mode in ("host", "zone") and byte < 0x80 and _should_escape(byte, mode):
            raise URLError(f"invalid character {go_quote(chr(byte))} in host name")
        out.append(byte)
        index += 1
    return go_string(bytes(out))


@dataclass(slots=True)
class GoURL:
    scheme: str = ""
    opaque: str = ""
    user: tuple[str, str | None] | None = None  # (username, password or None)
    host: str = ""
    path: str = ""
    raw_query: str = ""
    fragment: str = ""
    force_query: bool = False
    omit_host: bool = False

    def userinfo(self) -> str:
        if self.user is None:
            return ""
        name, password = self.user
        text = escape(name, "userinfo")
        return text + (":" + escape(password, "userinfo") if password is not None else "")

    def hostname(self) -> str:
        host = self.host
        colon = host.rfind(":")
        if colon >= 0 and _valid_port(host[colon:]):
            host = host[:colon]
        return host[1:-1] if host.startswith("[") and host.endswith("]") else host

    def string(self) -> str:
        """URL.String()."""
        out = self.scheme + ":" if self.scheme else ""
        if self.opaque:
            out += self.opaque
        else:
            if (self.scheme or self.host or self.user is not None) and not (
                    self.omit_host and not self.host and self.user is None):
                if self.host or self.path or self.user is not None:
                    out += "//"
                if self.user is not None:
                    out += self.userinfo() + "@"
                if self.host:
                    out += escape(self.host, "host")
            path = "*" if self.path == "*" else escape(self.path, "path")
            if path and not path.startswith("/") and self.host:
                out += "/"
            if not out and ":" in path.split("/", 1)[0]:
                out += "./"
            out += path
        if self.force_query or self.raw_query:
            out += "?" + self.raw_query
        if self.fragment:
            out += "#" + escape(self.fragment, "fragment")
        return out


def _valid_port(port: str) -> bool:
    return port == "" or (port.startswith(":") and all("0" <= c <= "9" for c in port[1:]))


def _scheme(raw: str) -> tuple[str, str]:
    for index, char in enumerate(raw):
        if char.isascii() and char.isalpha():
            continue
        if char.isascii() and (char.isdigit() or char in "+-."):
            if index == 0:
                return "", raw
            continue
        if char == ":":
            if index == 0:
                raise URLError("missing protocol scheme")
            return raw[:index], raw[index + 1:]
        return "", raw
    return "", raw


def _parse_host(host: str) -> str:
    if host.startswith("["):
        close = host.rfind("]")
        if close < 0:
            raise URLError("missing ']' in host")
        port = host[close + 1:]
        if not _valid_port(port):
            raise URLError(f"invalid port {go_quote(port)} after host")
        zone = host[:close].find("%25")
        if zone >= 0:
            return _unescape(host[:zone], "host") + _unescape(host[zone:close], "zone") + _unescape(host[close:],
                                                                                                  "host")
    else:
        colon = host.rfind(":")
        if colon >= 0 and not _valid_port(host[colon:]):
            raise URLError(f"invalid port {go_quote(host[colon:])} after host")
    return _unescape(host, "host")


def _parse_authority(authority: str) -> tuple[tuple[str, str | None] | None, str]:
    at = authority.rfind("@")
    host = _parse_host(authority[at + 1:] if at >= 0 else authority)
    if at < 0:
        return None, host
    userinfo = authority[:at]
    if any(c not in _USERINFO_OK for c in userinfo):
        raise URLError("net/url: invalid userinfo")
    name, colon, password = userinfo.partition(":")
    return (_unescape(name, "userinfo"), _unescape(password, "userinfo") if colon else None), host


def parse_url(raw: str) -> GoURL:
    """url.Parse; URLError with Go's whole message (`parse "…": …`)."""
    rest, hash_mark, fragment = raw.partition("#")
    try:
        url = _parse(rest)
    except URLError as error:
        raise URLError(f"parse {go_quote(rest)}: {error}") from None
    if hash_mark:
        try:
            url.fragment = _unescape(fragment, "fragment")
        except URLError as error:
            raise URLError(f"parse {go_quote(raw)}: {error}") from None
    return url


def _parse(raw: str) -> GoURL:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise URLError("net/url: invalid control character in URL")
    url = GoURL()
    if raw == "*":
        url.path = "*"
        return url
    url.scheme, rest = _scheme(raw)
    url.scheme = url.scheme.lower()
    if rest.endswith("?") and rest.count("?") == 1:
        url.force_query, rest = True, rest[:-1]
    else:
        rest, _, url.raw_query = rest.partition("?")
    if not rest.startswith("/"):
        if url.scheme:
            url.opaque = rest
            return url
        if ":" in rest.split("/", 1)[0]:
            raise URLError("first path segment in URL cannot contain colon")
    if (url.scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        url.user, url.host = _parse_authority(authority)
        rest = slash + path
    elif url.scheme and rest.startswith("/"):
        url.omit_host = True
    url.path = _unescape(rest, "path")
    return url


@go_func("urlParse(string) map[string]interface {}")
def url_parse(text: str) -> dict[str, Any]:
    try:
        url = parse_url(text)
    except URLError as error:
        raise GoPanic(f"unable to parse url: {error}") from None
    return {"scheme": url.scheme, "host": url.host, "hostname": url.hostname(), "path": url.path,
            "query": url.raw_query, "opaque": url.opaque, "fragment": url.fragment, "userinfo": url.userinfo()}


def _string_entry(parts: dict[str, Any], key: str) -> str:
    if key not in parts:
        return ""
    value = parts[key]
    if value is None or value is NO_VALUE:
        raise GoPanic("runtime error: invalid memory address or nil pointer dereference")
    kind = go_kind(value)
    if kind != "string":
        raise GoPanic(f"unable to parse {key} key, must be of type string, but {kind} found")
    return str(value)


@go_func("urlJoin(map[string]interface {}) string")
def url_join(parts: dict[str, Any]) -> str:
    url = GoURL(scheme=_string_entry(parts, "scheme"), host=_string_entry(parts, "host"),
                path=_string_entry(parts, "path"), raw_query=_string_entry(parts, "query"),
                opaque=_string_entry(parts, "opaque"), fragment=_string_entry(parts, "fragment"))
    userinfo = _string_entry(parts, "userinfo")
    if userinfo:
        try:
            url.user = parse_url(f"proto://{userinfo}@host").user
        except URLError as error:
            raise GoPanic(f"unable to parse userinfo in dict: {error}") from None
    return url.string()

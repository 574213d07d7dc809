"""Sprig family B: URLs, file paths, the sandboxed environment and DNS, UUIDs."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from engine.templating.funcs import env, network, paths, urls, uuids
from engine.templating.funcs.registry import GoPanic
from engine.templating.printing import sprint

PATHS = ["/", "a/b/", "", ".hidden", "c:\\dir\\f.txt", "/a/b/c.txt", "noext", "../x/./y//z.tar.gz", "/a/../../b"]
EXPECTED = {  # path: (base, dir, clean, ext, isAbs) as Go prints them
    "/": ("/", "/", "/", "", "true"),
    "a/b/": ("b", "a/b", "a/b", "", "false"),
    "": (".", ".", ".", "", "false"),
    ".hidden": (".hidden", ".", ".hidden", ".hidden", "false"),
    "c:\\dir\\f.txt": ("c:\\dir\\f.txt", ".", "c:\\dir\\f.txt", ".txt", "false"),
    "/a/b/c.txt": ("c.txt", "/a/b", "/a/b/c.txt", ".txt", "true"),
    "noext": ("noext", ".", "noext", "", "false"),
    "../x/./y//z.tar.gz": ("z.tar.gz", "../x/y", "../x/y/z.tar.gz", ".gz", "false"),
    "/a/../../b": ("b", "/", "/b", "", "true"),
}


@pytest.mark.parametrize("path", PATHS)
def test_paths(path: str) -> None:
    got = (paths.go_base(path), paths.go_dir(path), paths.go_clean(path), paths.go_ext(path),
           sprint(paths.go_is_abs(path)))
    assert got == EXPECTED[path]
    assert paths.go_clean("//a//b/../c/.") == "/a/c"


def test_url_parse() -> None:
    assert urls.url_parse("https://host.com:8080/p")["host"] == "host.com:8080"
    assert urls.url_parse("https://host.com:8080/p")["hostname"] == "host.com"
    assert sprint(urls.url_parse("mailto:a@b.c")) == (
        "map[fragment: host: hostname: opaque:a@b.c path: query: scheme:mailto userinfo:]")
    parsed = urls.url_parse("HTTP://us%20er:p%40ss@[::1]:80/a%20b?x=1&y=%20#fr%20ag")
    assert parsed == {"scheme": "http", "host": "[::1]:80", "hostname": "::1", "path": "/a b",
                      "query": "x=1&y=%20", "opaque": "", "fragment": "fr ag", "userinfo": "us%20er:p%40ss"}


@pytest.mark.parametrize(
    ("url", "message"),
    [("http://[::1", 'parse "http://[::1": missing \']\' in host'),
     ("http://h:port/", 'parse "http://h:port/": invalid port ":port" after host'),
     ("%zz", 'parse "%zz": invalid URL escape "%zz"'), (":x", 'parse ":x": missing protocol scheme'),
     ("a b:c", 'parse "a b:c": first path segment in URL cannot contain colon'),
     ("http://h/#%zz", 'parse "http://h/#%zz": invalid URL escape "%zz"'),
     ("http://a b.com/", 'parse "http://a b.com/": invalid character " " in host name')],
)
def test_url_parse_panics(url: str, message: str) -> None:
    with pytest.raises(GoPanic) as error:
        urls.url_parse(url)
    assert error.value.message == "unable to parse url: " + message


def test_url_join() -> None:
    parts = {"scheme": "http", "host": "h", "path": "p", "fragment": "f", "userinfo": "u:p"}
    assert urls.url_join(parts) == "http://u:p@h/p#f"
    assert urls.url_join({"scheme": "https", "host": "ex.com", "path": "/a b", "query": "q=1",
                          "fragment": "x y"}) == "https://ex.com/a%20b?q=1#x%20y"
    assert urls.url_join({"path": "a:b"}) == "./a:b"
    assert urls.url_join({"scheme": "mailto", "opaque": "a@b.c"}) == "mailto:a@b.c"
    with pytest.raises(GoPanic, match="^unable to parse host key, must be of type string, but int found$"):
        urls.url_join({"host": 1})
    with pytest.raises(GoPanic, match="nil pointer dereference"):
        urls.url_join({"host": None})


class _World:
    def __init__(self, environ: dict[str, str], hosts: dict[str, list[str]]) -> None:
        self.environ = environ
        self.hosts = hosts
        self.random = random.Random(5)

    def lookup_host(self, name: str) -> list[str]:
        return self.hosts.get(name, [])


def test_environment_is_injected_and_empty_by_default() -> None:
    empty: Any = _World({}, {})
    assert env.env(empty, "HOME") == ""
    assert env.expandenv(empty, "home=$HOME") == "home="
    world: Any = _World({"HOME": "/root", "A": "x"}, {})
    assert env.env(world, "HOME") == "/root"
    assert env.expandenv(world, "home=$HOME ${A}b $ a$ ${}x ${A $1") == "home=/root xb $ a$ x A "


def test_get_host_by_name_uses_the_injected_resolver() -> None:
    world: Any = _World({}, {"localhost": ["127.0.0.1"], "multi": ["10.0.0.1", "10.0.0.2"]})
    assert network.get_host_by_name(world, "localhost") == "127.0.0.1"
    assert network.get_host_by_name(world, "multi") in ("10.0.0.1", "10.0.0.2")
    with pytest.raises(GoPanic, match="^invalid argument to Intn$"):
        network.get_host_by_name(world, "nowhere")


def test_uuidv4_shape() -> None:
    world: Any = _World({}, {})
    shape = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(shape.match(uuids.uuidv4(world)) for _ in range(500))
    assert uuids.uuid4_text(0) == "00000000-0000-4000-8000-000000000000"

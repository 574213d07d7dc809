"""Sprig's path functions: base, dir, clean, ext, isAbs (Go's `path`) and osBase, osDir, osClean, osExt,
osIsAbs (Go's `path/filepath`). µTask runs on Linux, where both packages use `/` only, so the two families
are the same functions here (a Windows path such as `c:\\dir\\f.txt` is a single element)."""

from __future__ import annotations

from engine.templating.funcs.registry import go_func

__all__ = ["go_base", "go_clean", "go_dir", "go_ext", "go_is_abs"]


def go_clean(path: str) -> str:
    """path.Clean: single slashes, no `.` elements, `..` resolved lexically, "." for an empty result."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for element in path.split("/"):
        if element in ("", "."):
            continue
        if element == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(element)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_base(path: str) -> str:
    """path.Base: the last element, trailing slashes removed; "." for "", "/" for only slashes."""
    if not path:
        return "."
    path = path.rstrip("/")
    if not path:
        return "/"
    return path[path.rfind("/") + 1:]


def go_dir(path: str) -> str:
    """path.Dir: everything but the last element, cleaned."""
    return go_clean(path[: path.rfind("/") + 1])


def go_ext(path: str) -> str:
    """path.Ext: the suffix from the last dot of the last element."""
    for index in range(len(path) - 1, -1, -1):
        if path[index] == "/":
            break
        if path[index] == ".":
            return path[index:]
    return ""


def go_is_abs(path: str) -> bool:
    return path.startswith("/")


go_func("base(string) string")(go_base)
go_func("dir(string) string")(go_dir)
go_func("clean(string) string")(go_clean)
go_func("ext(string) string")(go_ext)
go_func("isAbs(string) bool")(go_is_abs)
go_func("osBase(string) string")(go_base)
go_func("osDir(string) string")(go_dir)
go_func("osClean(string) string")(go_clean)
go_func("osExt(string) string")(go_ext)
go_func("osIsAbs(string) bool")(go_is_abs)

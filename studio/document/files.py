"""Exact file I/O: read a template keeping its encoding and BOM, write it back atomically.

The text we hold is the decoded file minus its BOM; line breaks (LF, CRLF, none at the end) and tabs stay
in the text itself, so writing it back with the same encoding and BOM gives the very same bytes.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Encoding", "FileError", "read_text", "recovery_path", "write_text_atomic"]


class FileError(OSError):
    """A file we cannot open as a template (not text, not UTF-8/16)."""


@dataclass(frozen=True, slots=True)
class Encoding:
    codec: str = "utf-8"
    bom: bytes = b""


def read_text(path: str | Path) -> tuple[str, Encoding]:
    """The text of a file and how it was encoded."""
    raw = Path(path).read_bytes()
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _decode(raw[len(bom):], codec, path), Encoding(codec, bom)
    return _decode(raw, "utf-8", path), Encoding()


def _decode(raw: bytes, codec: str, path: str | Path) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise FileError(f"{path} is not {codec} text (byte {exc.start}): cannot open it as a template") from None


def write_text_atomic(path: str | Path, text: str, encoding: Encoding = Encoding()) -> None:
    """Write through a temporary file in the same directory, fsync it, then rename it over `path`:
    a crash leaves either the old file or the new one, never half of one. The file's mode is kept."""
    target = Path(path)
    data = encoding.bom + text.encode(encoding.codec)
    mode = _mode_of(target)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(target.parent)


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:  # a new file: what open() would give it under the current umask
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def recovery_path(path: str | Path) -> Path:
    """`NAME.studio.recovery` beside `NAME.yaml`: where autosave writes unsaved work."""
    target = Path(path)
    return target.with_name(target.stem + ".studio.recovery")

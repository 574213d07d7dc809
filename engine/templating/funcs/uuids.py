"""Sprig's `uuidv4`: a random RFC 4122 version 4 UUID as a lower-case string.

Go draws it from crypto/rand; here the bits come from the render's `ctx.random` so tests and dry runs can
make it reproducible (inject a `random.SystemRandom` for unpredictable values).
"""

from __future__ import annotations

from engine.templating.funcs.registry import FunctionContext, go_func

__all__ = ["uuid4_text"]


def uuid4_text(bits: int) -> str:
    """The canonical text of the version 4 UUID made from 128 random bits."""
    value = (bits & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@go_func("uuidv4() string", needs_context=True)
def uuidv4(ctx: FunctionContext) -> str:
    return uuid4_text(ctx.random.getrandbits(128))

"""Small re-implementations of Go standard-library behaviour µTask relies on."""

from engine.gocompat.duration import parse_duration
from engine.gocompat.re2 import RE2Error, compile_re2

__all__ = ["RE2Error", "compile_re2", "parse_duration"]

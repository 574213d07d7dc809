"""The primitive layouts of Go's fmt (its internal `fmt` type): padding, integers, floats, strings, bytes."""

from __future__ import annotations

from engine.templating.fmtnum import format_float
from engine.templating.literals import go_is_print, go_quote

__all__ = ["Flags", "fmt_bytes", "fmt_float", "fmt_integer", "fmt_string", "pad"]

_MAX_RUNE = 0x10FFFF


class Flags:
    """One directive's flags, width and precision (None when absent)."""

    __slots__ = ("plus", "minus", "sharp", "space", "zero", "sharp_v", "plus_v", "width", "precision")

    def __init__(self) -> None:
        self.plus = self.minus = self.sharp = self.space = self.zero = False
        self.sharp_v = self.plus_v = False
        self.width: int | None = None
        self.precision: int | None = None

    def set_flag(self, char: str) -> None:
        if char == "#":
            self.sharp = True
        elif char == "0":
            self.zero = True
        elif char == "+":
            self.plus = True
        elif char == "-":
            self.minus = True
        else:
            self.space = True


def _padding(flags: Flags, count: int) -> str:
    if count <= 0:
        return ""
    return ("0" if flags.zero and not flags.minus else " ") * count


def pad(out: list[str], flags: Flags, text: str) -> None:
    """Go's fmt.pad/padString: honour the width (counted in runes) on the left, or right with '-'."""
    if not flags.width:
        out.append(text)
        return
    filler = _padding(flags, flags.width - len(text))
    out.append(text + filler if flags.minus else filler + text)


def fmt_integer(out: list[str], flags: Flags, value: int, verb: str, sharp: bool | None = None) -> None:
    """%d %b %o %O %x %X %c %q %U on an integer."""
    if verb == "c":
        pad(out, flags, _rune(value))
        return
    if verb == "q":
        _quote_rune(out, flags, value)
        return
    if verb == "U":
        _unicode(out, flags, value)
        return
    sharp = flags.sharp if sharp is None else sharp
    negative, magnitude = value < 0, abs(value)
    base = {"d": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}[verb]
    precision = 0
    if flags.precision is not None:
        precision = flags.precision
        if precision == 0 and magnitude == 0:  # "%.0d" of zero prints nothing but padding
            saved, flags.zero = flags.zero, False
            out.append(_padding(flags, flags.width or 0))
            flags.zero = saved
            return
    elif flags.zero and not flags.minus and flags.width is not None:
        precision = flags.width - (1 if negative or flags.plus or flags.space else 0)
    digits = _digits(magnitude, base, verb == "X").rjust(precision, "0")
    digits = _base_prefix(digits, base, verb, sharp)
    if negative:
        digits = "-" + digits
    elif flags.plus:
        digits = "+" + digits
    elif flags.space:
        digits = " " + digits
    saved, flags.zero = flags.zero, False  # zero padding was done above, as precision
    pad(out, flags, digits)
    flags.zero = saved


def _digits(magnitude: int, base: int, upper: bool) -> str:
    if base == 10:
        return str(magnitude)
    text = {2: format(magnitude, "b"), 8: format(magnitude, "o"), 16: format(magnitude, "x")}[base]
    return text.upper() if upper else text


def _base_prefix(digits: str, base: int, verb: str, sharp: bool) -> str:
    if sharp:
        if base == 2:
            digits = "0b" + digits
        elif base == 8 and not digits.startswith("0"):
            digits = "0" + digits
        elif base == 16:
            digits = ("0X" if verb == "X" else "0x") + digits
    if verb == "O":
        digits = "0o" + digits
    return digits


def _rune(value: int) -> str:
    if value < 0 or value > _MAX_RUNE or 0xD800 <= value <= 0xDFFF:
        return "\ufffd"
    return chr(value)


def _quote_rune(out: list[str], flags: Flags, value: int) -> None:
    char = _rune(value)
    if flags.sharp and go_is_print(char):
        pad(out, flags, "'" + char + "'")
        return
    quoted = go_quote(char)[1:-1]
    if flags.plus and not quoted.isascii():
        quoted = _ascii_escape(char)
    if char == "'":
        quoted = "\\'"
    elif char == '"':
        quoted = '"'
    pad(out, flags, "'" + quoted + "'")


def _unicode(out: list[str], flags: Flags, value: int) -> None:
    text = f"U+{value:04X}" if value >= 0 else f"U+{value & 0xFFFFFFFFFFFFFFFF:04X}"
    if flags.precision is not None and flags.precision > 4:
        text = "U+" + text[2:].rjust(flags.precision, "0")
    if flags.sharp and 0 <= value <= _MAX_RUNE and go_is_print(chr(value)):
        text += " '" + chr(value) + "'"
    saved, flags.zero = flags.zero, False
    pad(out, flags, text)
    flags.zero = saved


def _ascii_escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def fmt_float(out: list[str], flags: Flags, value: float, verb: str) -> None:
    """%v %g %G %e %E %f %F %x %X %b on a float64, with sign, space and zero-padding rules."""
    layout = {"v": "g", "F": "f"}.get(verb, verb)
    default_precision = 6 if layout in "feE" else -1
    precision = flags.precision if flags.precision is not None else default_precision
    text = format_float(value, layout, precision)
    if flags.sharp and layout in "gG" and precision != 0:
        text = _keep_point(text)
    if text[0] not in "+-":
        text = "+" + text
    if flags.space and text[0] == "+" and not flags.plus:
        text = " " + text[1:]
    if text[1] in "IN":  # infinities and NaN are never zero padded, NaN only signed on request
        if text[1] == "N" and not flags.space and not flags.plus:
            text = text[1:]
        saved, flags.zero = flags.zero, False
        pad(out, flags, text)
        flags.zero = saved
        return
    if flags.plus or text[0] != "+":
        if flags.zero and not flags.minus and flags.width is not None and flags.width > len(text):
            out.append(text[0] + "0" * (flags.width - len(text)) + text[1:])
            return
        pad(out, flags, text)
        return
    pad(out, flags, text[1:])


def _keep_point(text: str) -> str:
    # %#g keeps a decimal point (Go also keeps trailing zeros; that finer rule is not reproduced).
    mantissa, sep, exponent = text.partition("e")
    if "." not in mantissa and mantissa.lstrip("+-").isdigit():
        mantissa += "."
    return mantissa + sep + exponent


def fmt_string(out: list[str], flags: Flags, value: str, verb: str) -> None:
    """%v %s %x %X %q on a string (verbs already checked by the caller)."""
    if verb == "s" or (verb == "v" and not flags.sharp_v):
        pad(out, flags, value if flags.precision is None else value[: flags.precision])
    elif verb in "xX":
        data = value.encode("utf-8", "surrogateescape") if not value.isascii() else value.encode("ascii")
        _hex_bytes(out, flags, data, verb)
    else:  # q, or v with the # flag
        _quote_string(out, flags, value)


def _quote_string(out: list[str], flags: Flags, value: str) -> None:
    if flags.precision is not None:
        value = value[: flags.precision]
    if flags.sharp and _can_backquote(value):
        pad(out, flags, "`" + value + "`")
        return
    quoted = go_quote(value)
    if flags.plus:
        quoted = "".join(_ascii_escape(c) if ord(c) > 0x7E else c for c in quoted)
    pad(out, flags, quoted)


def _can_backquote(value: str) -> bool:
    """strconv.CanBackquote: single line, no backquote, no control characters but tab, valid UTF-8."""
    for char in value:
        code = ord(char)
        if char == "`" or char == "\ufeff" or 0xD800 <= code <= 0xDFFF:
            return False
        if (code < 0x20 and char != "\t") or code == 0x7F:
            return False
    return True


def fmt_bytes(out: list[str], flags: Flags, value: bytes, verb: str) -> None:
    """%s %q %x %X on a []byte."""
    if verb in "xX":
        _hex_bytes(out, flags, value, verb)
    else:
        fmt_string(out, flags, value.decode("utf-8", "surrogateescape"), verb)


def _hex_bytes(out: list[str], flags: Flags, data: bytes, verb: str) -> None:
    """Go's fmtSbx: two hex digits per byte, optional 0x prefixes and separating spaces."""
    if flags.precision is not None:
        data = data[: flags.precision]
    if not data:
        if flags.width:
            out.append(_padding(flags, flags.width))
        return
    prefix = ("0X" if verb == "X" else "0x") if flags.sharp else ""
    digits = [f"{b:02X}" if verb == "X" else f"{b:02x}" for b in data]
    if flags.space:
        text = " ".join(prefix + d for d in digits)
    else:
        text = prefix + "".join(digits)
    width = flags.width or 0
    filler = " " * (width - len(text)) if width > len(text) else ""
    out.append(text + filler if flags.minus else filler + text)

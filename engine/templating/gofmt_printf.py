"""Go's fmt.Sprintf over the template value model: the format-string walk (doPrintf).

Directives are parsed like Go's: flags, an optional `[n]` argument index, `*` or numeric width and
precision; misuse is reported inline as Go does (`%!v(MISSING)`, `%!(EXTRA int=1)`, `%!s(BADINDEX)`,
`%!(NOVERB)`, `%!(BADWIDTH)`, `%!(BADPREC)`). Each operand is then formatted by `gofmt.Printer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.templating.fmtflags import Flags
from engine.templating.gofmt import Printer
from engine.templating.gotypes import NO_VALUE, go_type_name

__all__ = ["go_sprintf"]


def go_sprintf(format_text: str, args: Sequence[Any]) -> str:
    """fmt.Sprintf."""
    return _Formatter(format_text, args).run()


class _Formatter:
    """Go's doPrintf: walks the format, consuming operands, reporting misuse inline."""

    __slots__ = ("text", "args", "out", "arg_num", "reordered", "good_arg_num")

    def __init__(self, text: str, args: Sequence[Any]) -> None:
        self.text = text
        self.args = args
        self.out: list[str] = []
        self.arg_num = 0
        self.reordered = False
        self.good_arg_num = True

    def run(self) -> str:
        text, end, i = self.text, len(self.text), 0
        while i < end:
            percent = text.find("%", i)
            if percent < 0:
                self.out.append(text[i:])
                break
            self.out.append(text[i:percent])
            i = self.directive(percent + 1)
        self.extra()
        return "".join(self.out)

    def directive(self, i: int) -> int:
        """One %-directive starting after the percent sign; returns the index after it."""
        text, end = self.text, len(self.text)
        flags = Flags()
        self.good_arg_num = True
        while i < end and text[i] in "#0+- ":
            flags.set_flag(text[i])
            i += 1
        i, after_index = self.arg_number(i)
        i, after_index = self.width(flags, i, after_index)
        i, after_index = self.precision(flags, i, after_index)
        if not after_index:
            i, after_index = self.arg_number(i)
        if i >= end:
            self.out.append("%!(NOVERB)")
            return i
        verb = text[i]
        i += 1
        if verb == "%":
            self.out.append("%")
        elif not self.good_arg_num:
            self.out.append(f"%!{verb}(BADINDEX)")
        elif self.arg_num >= len(self.args):
            self.out.append(f"%!{verb}(MISSING)")
        else:
            if verb == "v":
                flags.sharp_v, flags.sharp = flags.sharp, False
                flags.plus_v, flags.plus = flags.plus, False
            Printer(self.out, flags).print_arg(self.args[self.arg_num], verb)
            self.arg_num += 1
        return i

    def width(self, flags: Flags, i: int, after_index: bool) -> tuple[int, bool]:
        text = self.text
        if i < len(text) and text[i] == "*":
            value = self.int_from_arg()
            if value is None:
                self.out.append("%!(BADWIDTH)")
            else:
                flags.width = abs(value)
                if value < 0:
                    flags.minus, flags.zero = True, False
            return i + 1, False
        number, i = _parse_number(text, i)
        if number is not None:
            flags.width = number
            if after_index:
                self.good_arg_num = False
        return i, after_index

    def precision(self, flags: Flags, i: int, after_index: bool) -> tuple[int, bool]:
        text = self.text
        if not (i + 1 < len(text) and text[i] == "."):
            return i, after_index
        i += 1
        if after_index:
            self.good_arg_num = False
        i, after_index = self.arg_number(i)
        if i < len(text) and text[i] == "*":
            value = self.int_from_arg()
            if value is None or value < 0:
                if value is None:
                    self.out.append("%!(BADPREC)")
                flags.precision = None
            else:
                flags.precision = value
            return i + 1, False
        number, i = _parse_number(text, i)
        flags.precision = number if number is not None else 0
        return i, after_index

    def arg_number(self, i: int) -> tuple[int, bool]:
        """An explicit `[n]` argument index (Go's argNumber)."""
        text = self.text
        if i >= len(text) or text[i] != "[":
            return i, False
        self.reordered = True
        close = text.find("]", i + 1)
        if close < 0 or i + 3 > len(text):
            self.good_arg_num = False
            return i + 1, False
        number, after = _parse_number(text, i + 1)
        if number is None or after != close:
            self.good_arg_num = False
            return close + 1, False
        if 0 <= number - 1 < len(self.args):
            self.arg_num = number - 1
            return close + 1, True
        self.good_arg_num = False
        return close + 1, True

    def int_from_arg(self) -> int | None:
        """A `*` width or precision operand (Go's intFromArg)."""
        if self.arg_num >= len(self.args):
            return None
        value = self.args[self.arg_num]
        self.arg_num += 1
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 1_000_000:
            return None
        return int(value)

    def extra(self) -> None:
        if self.reordered or self.arg_num >= len(self.args):
            return
        self.out.append("%!(EXTRA ")
        for index, arg in enumerate(self.args[self.arg_num :]):
            if index:
                self.out.append(", ")
            if arg is None or arg is NO_VALUE:
                self.out.append("<nil>")
            else:
                self.out.append(go_type_name(arg) + "=")
                Printer(self.out, Flags()).print_arg(arg, "v")
        self.out.append(")")


def _parse_number(text: str, i: int) -> tuple[int | None, int]:
    """Go's parsenum: decimal digits at i (None when there are none or the number is absurdly large)."""
    start = i
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    if i == start:
        return None, i
    value = int(text[start:i])
    return (value, i) if value <= 1_000_000 else (None, i)

"""µTask's scriptutil, shared by `script` and `ssh`: output modes, result parsing, unrecoverable exit codes."""

from __future__ import annotations

import re
from typing import Any

from engine.gocompat import RE2Error, compile_re2
from engine.run.actions._gojson import JSONError, go_quote, loads
from engine.run.actions.base import ActionError, ClientError, ConfigError

__all__ = ["AUTO_RESULT", "DISABLED", "MANUAL_DELIMITERS", "MANUAL_LASTLINE", "exit_code_error",
           "parse_output", "result_object", "validate_exit_codes", "validate_output_mode"]

AUTO_RESULT = "auto-result"
DISABLED = "disabled"
MANUAL_DELIMITERS = "manual-delimiters"
MANUAL_LASTLINE = "manual-lastline"

_EXIT_CODES = re.compile(r"(\d+)(?:-(\d+))?\Z", re.ASCII)


def validate_exit_codes(codes: list[str] | None) -> None:
    for value in codes or []:
        match = _EXIT_CODES.match(value)
        if not match:
            raise ConfigError(f"invalid value {go_quote(value)} for exit_codes_unrecoverable, should be an integer, "
                              "or a range of integer (e.g: 123, or 120-130)")
        start, end = match.group(1), match.group(2)
        if end is not None:
            if int(end) <= int(start):
                raise ConfigError(f"exit_codes_unrecoverable value {go_quote(value)} should have end exit_code "
                                  "superior to start exit_code")
            if int(start) == 0:
                raise ConfigError("exit_codes_unrecoverable cannot map exit code 0 (non-sense)")


def delimiters_regexp(start: str, end: str) -> re.Pattern[str]:
    return compile_re2("(?s)^.*" + start + "(.*)" + end + ".*$")


def validate_output_mode(mode: str, delimiters: list[str] | None, allowed: tuple[str, ...],
                         default: str) -> str:
    """µTask's output_mode / output_manual_delimiters checks; returns the effective mode."""
    if mode == "":
        mode = default
    elif mode not in allowed:
        raise ConfigError(f"invalid value {go_quote(mode)} for output_mode, allowed values are: "
                          + ", ".join(allowed))
    if delimiters is not None and mode != MANUAL_DELIMITERS:
        raise ConfigError(f'invalid parameter "output_manual_delimiters", output_mode is configured to '
                          f"{go_quote(mode)}")
    if mode == MANUAL_DELIMITERS and (delimiters is None or len(delimiters) != 2):
        raise ConfigError("wrong number of output_manual_delimiters, 2 expected, found "
                          f"{len(delimiters) if delimiters is not None else 0}")
    if delimiters is not None:
        try:
            delimiters_regexp(delimiters[0], delimiters[1])
        except (RE2Error, re.error) as exc:
            raise ConfigError(f"unable to compile output_manual_delimiters regexp: {exc}") from None
    return mode


def _last_line(text: str) -> tuple[str, int]:
    index = text.rfind("\n")
    if index == -1:
        return text, index
    return text[index:].strip(), index


def parse_output(text: str, mode: str, delimiters: list[str] | None) -> str:
    """The text holding the JSON result ("" when there is none)."""
    if mode == MANUAL_DELIMITERS:
        assert delimiters is not None
        try:
            pattern = delimiters_regexp(delimiters[0], delimiters[1])
        except (RE2Error, re.error) as exc:
            raise ActionError(f"unable to compile output_manual_delimiters regexp: {exc}") from None
        match = pattern.search(text)
        return match.group(1) if match else ""
    if mode in (AUTO_RESULT, MANUAL_LASTLINE):
        line, index = _last_line(text)
        if line == "" and index != -1:
            line, _ = _last_line(text[:index])
        return line
    return ""


def result_object(line: str) -> tuple[dict[str, Any], str | None]:
    """json.Unmarshal(line, &map[string]interface{}): (object, error text or None). Numbers are float64."""
    if not line:
        return {}, None
    try:
        value = loads(line, exact=False)
    except JSONError as exc:
        return {}, str(exc)
    if value is None:
        return {}, None
    if not isinstance(value, dict):
        kind = "array" if isinstance(value, list) else "number" if isinstance(value, float) else \
            "bool" if isinstance(value, bool) else "string"
        return {}, f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    return value, None


def exit_code_error(exit_code: int, unrecoverable: list[str] | None, cause: str, output: Any,
                    metadata: Any) -> ActionError:
    """µTask's FormatErrorExitCode: CLIENT_ERROR for a listed code (`Client error: exit code: N: <cause>`),
    SERVER_ERROR otherwise (`exit code: N`)."""
    for value in unrecoverable or []:
        match = _EXIT_CODES.match(value)
        if not match:
            return ActionError("exit_codes_unrecoverable value doesnt match regex, fatal error",
                               output=output, metadata=metadata)
        start, end = match.group(1), match.group(2)
        listed = start == str(exit_code) or (end is not None and int(start) <= exit_code <= int(end))
        if listed:
            suffix = f": {cause}" if cause else ""
            return ClientError(f"Client error: exit code: {exit_code}{suffix}", output=output, metadata=metadata)
    return ActionError(f"exit code: {exit_code}", output=output, metadata=metadata)

"""The `ssh` plugin (µTask v0.2): runs a script on a remote host.

Spec: utask-plugins.md §4. asyncssh is not installed in this project, so `execute` fails with
`ssh: asyncssh is not installed` (SERVER_ERROR) and dry runs / the inspector use `describe`, which shows the
exact remote command and the script sent on stdin (auto-result prelude included).

Host keys: µTask accepts any host key (`InsecureIgnoreHostKey`). We verify by default: the configuration
may carry `known_hosts` (OpenSSH known_hosts text) and only `insecure_ignore_host_key: "true"` restores
µTask's behaviour. Both keys are extensions (schemas/actions/ssh.json does not list them yet).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any, ClassVar

from engine.gocompat import parse_duration
from engine.run.actions._common import MASK, go_parse_bool
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import go_quote
from engine.run.actions._scriptutil import (
    AUTO_RESULT,
    DISABLED,
    MANUAL_DELIMITERS,
    MANUAL_LASTLINE,
    validate_exit_codes,
    validate_output_mode,
)
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ConfigError

__all__ = ["SshAction", "remote_command"]

CONFIG = Struct("ConfigSSH", (
    F("user", "string"), F("target", "string"), F("hops", "string_list"), F("script", "string"),
    F("output_mode", "string"), F("result", "string_map"), F("output_manual_delimiters", "string_list"),
    F("ssh_key", "string"), F("ssh_key_passphrase", "string"), F("exit_codes_unrecoverable", "string_list"),
    F("timeout", "string"),
    # extensions (not in µTask): host key verification
    F("known_hosts", "string"), F("insecure_ignore_host_key", "string"),
))
MAX_HOPS = 10
CONNECT_TIMEOUT = 10.0
DEFAULT_TIMEOUT = 300.0
_MODES = (AUTO_RESULT, DISABLED, MANUAL_DELIMITERS, MANUAL_LASTLINE)


def asyncssh_available() -> bool:
    return importlib.util.find_spec("asyncssh") is not None


def _auto_result_prelude(result: Mapping[str, str]) -> str:
    """The bash function and trap µTask prepends in auto-result mode (keys sorted: Go's order is random)."""
    pieces = [f"""'"{key.replace('"', '')}":"'"{value.replace('"', '')}"'"'""" for key, value in sorted(result.items())]
    payload = "'{'" + ",".join(pieces) + "'}'"
    return ("\nfunction printResultJSON {\n"
            f"echo -n {payload} | sed --posix -z 's/\\n/\\\\n/g'\n"
            "}\ntrap printResultJSON EXIT\n")


def remote_command(cfg: Mapping[str, Any]) -> tuple[str, str, str]:
    """(host to dial, command run there, text sent on stdin) as µTask builds them."""
    script = cfg["script"]
    if (cfg["output_mode"] or AUTO_RESULT) == AUTO_RESULT:
        script = _auto_result_prelude(cfg["result"] or {}) + script
    hops = list(cfg["hops"] or [])
    if hops:
        return hops[0], " -- ".join([*hops[1:], cfg["target"]]), script
    return cfg["target"], script, script


def _with_port(host: str) -> str:
    if host.startswith("[") and "]:" in host:
        return host
    if host.count(":") == 1:
        return host
    if ":" in host:
        return f"[{host}]:22"
    return f"{host}:22"


class SshAction(Action):
    name: ClassVar[str] = "ssh"
    version: ClassVar[str] = "0.2"
    side_effects: ClassVar[bool] = True

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        if not cfg["user"]:
            raise ConfigError("missing ssh username")
        if not cfg["target"]:
            raise ConfigError("missing ssh target")
        if not cfg["ssh_key"]:
            raise ConfigError("missing ssh key")
        if len(cfg["hops"] or []) > MAX_HOPS:
            raise ConfigError(f"ssh too many hops (max {MAX_HOPS})")
        timeout = cfg["timeout"]
        if timeout:
            try:
                seconds = parse_duration(timeout)
            except ValueError as exc:
                raise ConfigError(f"can't parse timeout field {go_quote(timeout)}: {exc}") from None
            if seconds < 0:
                raise ConfigError("timeout must be positive")
        mode = validate_output_mode(cfg["output_mode"], cfg["output_manual_delimiters"], _MODES, AUTO_RESULT)
        if cfg["result"] and mode != AUTO_RESULT:
            raise ConfigError(f'invalid parameter "result", output_mode is configured to {go_quote(mode)}')
        validate_exit_codes(cfg["exit_codes_unrecoverable"])
        flag = cfg["insecure_ignore_host_key"]
        if flag and "{{" not in flag:
            try:
                go_parse_bool(flag)
            except ValueError as exc:
                raise ConfigError(f"can't parse insecure_ignore_host_key field {go_quote(flag)}: {exc}") from None

    def resources(self, configuration: Mapping[str, Any]) -> list[str]:
        try:
            cfg = decode(configuration, CONFIG)
        except ConfigError:
            return []
        return ["socket", f"url:{cfg['target']}", *(f"url:{hop}" for hop in cfg["hops"] or [])]

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        host, command, stdin = remote_command(cfg)
        insecure = cfg["insecure_ignore_host_key"]
        try:
            ignore = go_parse_bool(insecure) if insecure else False
        except ValueError:
            ignore = False
        return {"action": self.name, "user": cfg["user"], "connect_to": _with_port(host),
                "hops": cfg["hops"] or [], "target": cfg["target"], "command": command, "stdin": stdin,
                "ssh_key": MASK, "timeout": cfg["timeout"] or "5m", "output_mode": cfg["output_mode"] or AUTO_RESULT,
                "host_key_verification": not ignore}

    async def execute(self, request: ActionRequest) -> ActionResult:
        decode_or_fail(request.configuration, CONFIG)
        if not asyncssh_available():
            raise ActionError("ssh: asyncssh is not installed")
        raise ActionError("ssh: running commands through asyncssh is not implemented yet")

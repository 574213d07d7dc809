"""The `ssh` plugin (µTask v0.2): runs a script on a remote host through asyncssh.

Spec: utask-plugins.md §4. Public-key authentication only (`ssh_key`, optional `ssh_key_passphrase`; no agent,
no ~/.ssh/config, no default identities are consulted). Without hops the session opens on `target`
(`host[:port]`, port 22) and runs `script` as the remote command, the script also being fed on stdin. With
hops the session opens on `hops[0]` and runs `hops[1] -- … -- target` there, the script on stdin only: this is
µTask's "bastion" convention (the jump host interprets its command line as the next hops), not OpenSSH's
ProxyJump. stdout and stderr are combined (they travel as two SSH streams, so their interleaving is not
guaranteed, as in µTask). `dry runs` / the inspector use `describe`.

Connection: 10 s for TCP connect + handshake + authentication (Go's 10 s covers the TCP connect only). The
session is limited by `timeout` (Go duration, default 5m; "0" means no limit): on expiry the remote process
is sent SIGKILL, the connection is closed and the step fails with `ssh session has not terminated before
timeout` (no output, no metadata), as in µTask.

Host keys: µTask accepts any host key (`InsecureIgnoreHostKey`). We verify by default: the configuration
may carry `known_hosts` (OpenSSH known_hosts text); without it the engine user's ~/.ssh/known_hosts is used
(a missing file means no key is trusted). Only `insecure_ignore_host_key: "true"` restores µTask's
behaviour. Both keys are extensions, declared in schemas/actions/ssh.json. A refused host key is a
SERVER_ERROR whose message says how to fix it.

Errors → states: unparsable key (or wrong/missing passphrase) → CLIENT_ERROR `ssh plugin: private key: …`;
invalid host:port → CLIENT_ERROR; dial, handshake, authentication, session errors and timeout →
SERVER_ERROR; exit codes and output parsing as in `script` (shared `_scriptutil`). A command killed by a
signal exits with 128 + the signal number, like golang.org/x/crypto/ssh. The key is never logged or echoed.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import socket
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
    exit_code_error,
    parse_output,
    result_object,
    validate_exit_codes,
    validate_output_mode,
)
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ClientError, ConfigError

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
# golang.org/x/crypto/ssh's signal numbers (exit code 128 + n when the remote command died of a signal)
_GO_SIGNALS = {"ABRT": 6, "ALRM": 14, "FPE": 8, "HUP": 1, "ILL": 4, "INT": 2, "KILL": 9, "PIPE": 13, "QUIT": 3,
               "SEGV": 11, "TERM": 15, "USR1": 10, "USR2": 12}


# asyncssh logs the remote command (the whole script, which may embed secrets) at INFO: keep it quiet.
logging.getLogger("asyncssh").setLevel(logging.WARNING)


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
    if host.startswith("[") and host.endswith("]"):
        return f"{host}:22"
    if host.count(":") == 1:
        return host
    if ":" in host:
        return f"[{host}]:22"
    return f"{host}:22"


def _split_host_port(text: str) -> tuple[str, int]:
    """(host, port) of `host`, `host:port`, `[v6]:port` (port 22 when omitted); ClientError when invalid."""
    full = _with_port(text)
    if full.startswith("["):
        end = full.find("]:")
        host, port = full[1:end], full[end + 2:]
    else:
        host, _, port = full.rpartition(":")
    if not host or not port.isascii() or not port.isdigit() or int(port) > 65535:
        raise ClientError(f"ssh plugin: invalid host:port {go_quote(text)}")
    return host, int(port)


def _join_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _private_key(asyncssh: Any, text: str, passphrase: str) -> Any:
    """The client key; a parse failure is the requester's problem (CLIENT_ERROR). Never echoes the key."""
    try:
        return asyncssh.import_private_key(text.encode("utf-8", "surrogateescape"), passphrase or None)
    except (asyncssh.KeyImportError, asyncssh.KeyEncryptionError, ValueError, TypeError) as exc:
        raise ClientError(f"ssh plugin: private key: {_key_error_text(exc)}") from None


def _key_error_text(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return "invalid key" if "-----" in text or len(text) > 200 else text


def _known_hosts(asyncssh: Any, text: str, flag: str) -> Any:
    """asyncssh's `known_hosts` argument: None disables verification (µTask's behaviour, only on request),
    an imported list when the configuration gives one, () for the default (~/.ssh/known_hosts; when that
    file is missing, every host key is refused)."""
    if flag:
        try:
            if go_parse_bool(flag):
                return None
        except ValueError as exc:
            raise ClientError(f"can't parse insecure_ignore_host_key field {go_quote(flag)}: {exc}") from None
    if text:
        try:
            return asyncssh.import_known_hosts(text)
        except (ValueError, asyncssh.KeyImportError) as exc:
            raise ClientError(f"ssh plugin: known_hosts: {exc}") from None
    return ()


def _os_error_text(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"lookup: {exc.strerror or exc}"
    if exc.errno:
        text = os.strerror(exc.errno)
        return f"connect: {text[:1].lower()}{text[1:]}"
    return str(exc)


def _exit_status(status: int | None, signal_info: tuple[str, bool, str, str] | None) -> tuple[int, str]:
    """(exit code, Go's ssh.Waitmsg text). A signal without status is 128 + the signal number, as in Go."""
    if signal_info is not None and (status is None or status < 0):
        code = 128 + _GO_SIGNALS.get(signal_info[0], 0)
    else:
        code = status or 0
    text = f"Process exited with status {code}"
    if signal_info is not None:
        if signal_info[0]:
            text += f" from signal {signal_info[0]}"
        if signal_info[2]:
            text += f". Reason: {signal_info[2]}"
    return code, text


async def _run_session(asyncssh: Any, connection: Any, command: str, stdin: str,
                       timeout: float) -> tuple[int | None, tuple[str, bool, str, str] | None, str]:
    """Run `command` with `stdin` fed then closed, stdout and stderr combined (Go's CombinedOutput).
    Returns (exit status or None, exit signal or None, output). On timeout: SIGKILL, then ActionError."""
    chunks: list[bytes] = []
    process: Any = None
    feeder: asyncio.Task[None] | None = None

    async def feed() -> None:
        with contextlib.suppress(OSError, asyncssh.Error):
            if stdin:
                process.stdin.write(stdin.encode("utf-8", "surrogateescape"))
                await process.stdin.drain()
            process.stdin.write_eof()

    try:
        async with asyncio.timeout(timeout if timeout > 0 else None):
            try:
                process = await connection.create_process(command, stderr=asyncssh.STDOUT, encoding=None)
            except asyncssh.Error as exc:
                raise ActionError(f"ssh: session: {exc.reason}") from None
            feeder = asyncio.ensure_future(feed())
            while data := await process.stdout.read(65536):
                chunks.append(data)
            await process.wait_closed()
    except TimeoutError:
        if process is not None:
            with contextlib.suppress(OSError, asyncssh.Error):
                process.send_signal("KILL")
            process.close()
        raise ActionError("ssh session has not terminated before timeout") from None
    finally:
        if feeder is not None:
            if not feeder.done():
                feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await feeder
    return process.exit_status, process.exit_signal, b"".join(chunks).decode("utf-8", "replace")


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
        cfg = decode_or_fail(request.configuration, CONFIG)
        if not asyncssh_available():
            raise ActionError("ssh: asyncssh is not installed")
        import asyncssh

        mode = cfg["output_mode"] or AUTO_RESULT
        timeout = DEFAULT_TIMEOUT
        if cfg["timeout"]:
            try:
                timeout = parse_duration(cfg["timeout"])
            except ValueError as exc:
                raise ActionError(f"can't parse timeout field {go_quote(cfg['timeout'])}: {exc}") from None
        # off the event loop: decrypting a passphrase-protected OpenSSH key runs bcrypt's KDF
        key = await asyncio.to_thread(_private_key, asyncssh, cfg["ssh_key"], cfg["ssh_key_passphrase"])
        dial, command, stdin = remote_command(cfg)
        host, port = _split_host_port(dial)
        known_hosts = _known_hosts(asyncssh, cfg["known_hosts"], cfg["insecure_ignore_host_key"])
        address = _join_host_port(host, port)
        try:
            connection = await asyncssh.connect(
                host, port, username=cfg["user"], client_keys=[key], passphrase=None, known_hosts=known_hosts,
                config=None, agent_path=None, agent_identities=None, preferred_auth="publickey",
                host_based_auth=False, kbdint_auth=False, password_auth=False, gss_auth=False,
                connect_timeout=CONNECT_TIMEOUT)
        except asyncssh.HostKeyNotVerifiable as exc:
            raise ActionError(f"ssh: handshake failed: host key verification failed for {address}: {exc.reason} "
                              "(give the host's public key in known_hosts, e.g. the output of "
                              f"`ssh-keyscan -p {port} {host}`, or set insecure_ignore_host_key: \"true\" to accept "
                              "any host key like µTask)") from None
        except asyncssh.PermissionDenied as exc:
            raise ActionError(f"ssh: handshake failed: unable to authenticate as {go_quote(cfg['user'])}: "
                              f"{exc.reason}") from None
        except asyncssh.Error as exc:
            raise ActionError(f"ssh: handshake failed: {exc.reason}") from None
        except TimeoutError:
            raise ActionError(f"dial tcp {address}: i/o timeout") from None
        except OSError as exc:
            raise ActionError(f"dial tcp {address}: {_os_error_text(exc)}") from None
        async with connection:
            status, signal_info, output = await _run_session(asyncssh, connection, command, stdin, timeout)
        metadata = {"output": output, "exit_code": "0", "exit_signal": "", "exit_msg": ""}
        if status is None and signal_info is None:
            raise ActionError("wait: remote command exited without exit status or exit signal",
                              metadata=metadata)
        exit_code, cause = _exit_status(status, signal_info)
        if signal_info is not None:
            metadata["exit_signal"], metadata["exit_msg"] = signal_info[0], signal_info[2]
        metadata["exit_code"] = str(exit_code)
        try:
            line = parse_output(output, mode, cfg["output_manual_delimiters"])
        except ActionError as exc:
            raise ActionError(exc.message, metadata=metadata) from None
        result, json_error = result_object(line)
        if json_error is not None and exit_code == 0:
            raise ActionError(json_error, metadata=metadata)
        if exit_code != 0:
            raise exit_code_error(exit_code, cfg["exit_codes_unrecoverable"], cause, result, metadata)
        return ActionResult(output=result, metadata=metadata)

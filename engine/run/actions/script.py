"""The `script` plugin (µTask v0.2): runs an executable from the scripts folder.

Spec: utask-plugins.md §3. The program is started with `asyncio.create_subprocess_exec` (never a shell) as
`./<file_path> argv...` in the scripts folder, stdout and stderr combined into one pipe, `stdin` fed to it.

Differences from µTask, deliberate:
* `file_path` may not leave the scripts folder (`../x` or an absolute path is refused at load and at run);
* the process runs in its own session and the whole process group is killed on timeout, so a background
  grandchild holding the output pipe cannot hang the step (Go would wait for it);
* `validate` checks the file against the folder given to the constructor (default: env `SCRIPTS`, else
  `./scripts`, like µTask's `--scripts-path`), `execute` against `request.services.scripts_dir`.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import signal
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from engine.gocompat import parse_duration
from engine.gocompat.fmt import format_duration
from engine.run.actions._common import MASK, is_secret_name
from engine.run.actions._config import F, Struct, decode, decode_or_fail, go_format_s
from engine.run.actions._gojson import go_quote
from engine.run.actions._scriptutil import (
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

__all__ = ["ScriptAction", "default_scripts_dir"]

CONFIG = Struct("Config", (
    F("file_path", "string"), F("argv", "string_list"), F("timeout", "string"), F("stdin", "string"),
    F("output_mode", "string"), F("output_manual_delimiters", "string_list"),
    F("exit_codes_unrecoverable", "string_list"), F("environment", "any_map"),
))
DEFAULT_TIMEOUT = 120.0
_MODES = (DISABLED, MANUAL_DELIMITERS, MANUAL_LASTLINE)
_KILL_GRACE = 2.0
_SIGNAL_NAMES = {signal.SIGKILL: "killed", signal.SIGTERM: "terminated", signal.SIGINT: "interrupt",
                 signal.SIGHUP: "hangup", signal.SIGSEGV: "segmentation fault", signal.SIGABRT: "aborted",
                 signal.SIGPIPE: "broken pipe", signal.SIGQUIT: "quit", signal.SIGUSR1: "user defined signal 1",
                 signal.SIGUSR2: "user defined signal 2", signal.SIGALRM: "alarm clock", signal.SIGBUS: "bus error",
                 signal.SIGFPE: "floating point exception", signal.SIGILL: "illegal instruction",
                 signal.SIGTRAP: "trace/breakpoint trap"}


def _kill_group(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


async def _settle(process: asyncio.subprocess.Process, reader: asyncio.Future[None]) -> None:
    """After a kill: reap the process and read what is left in the pipe (briefly: a grandchild that left
    the process group may still hold it open)."""
    await process.wait()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(reader), _KILL_GRACE)
    if not reader.done():
        _close_transport(process)


def _close_transport(process: asyncio.subprocess.Process) -> None:
    transport = getattr(process, "_transport", None)  # no public way to drop a pipe someone else holds open
    if transport is not None:
        transport.close()


def default_scripts_dir() -> str:
    return os.environ.get("SCRIPTS") or "./scripts"


def _script_path(folder: str, file_path: str) -> str:
    """filepath.Join(folder, file_path), refusing paths that leave the folder."""
    joined = os.path.normpath(os.path.join(folder, file_path))
    root = os.path.normpath(folder)
    if os.path.isabs(file_path) or os.path.commonpath([os.path.abspath(root), os.path.abspath(joined)]) != \
            os.path.abspath(root):
        raise ConfigError(f"{go_quote(joined)} is outside the scripts folder {go_quote(root)}")
    return joined


def _go_errno_text(exc: OSError) -> str:
    text = os.strerror(exc.errno) if exc.errno else str(exc)
    return text[:1].lower() + text[1:]


def process_state_text(returncode: int) -> str:
    """os.ProcessState.String()."""
    if returncode >= 0:
        return f"exit status {returncode}"
    number = -returncode
    try:
        name = _SIGNAL_NAMES.get(signal.Signals(number), f"signal {number}")
    except ValueError:
        name = f"signal {number}"
    return f"signal: {name}"


class ScriptAction(Action):
    name: ClassVar[str] = "script"
    version: ClassVar[str] = "0.2"
    side_effects: ClassVar[bool] = True

    def __init__(self, scripts_dir: str | None = None) -> None:
        self.scripts_dir = scripts_dir

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        if not cfg["file_path"]:
            raise ConfigError("file is missing")
        path = _script_path(self.scripts_dir or default_scripts_dir(), cfg["file_path"])
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise ConfigError(f"can't stat {go_quote(path)}: stat {path}: {_go_errno_text(exc)}") from None
        if not mode & 0o111:
            raise ConfigError(f"{go_quote(path)} is not executable")
        timeout = cfg["timeout"]
        if timeout:
            if timeout.startswith("-"):
                raise ConfigError("timeout must be positive")
            try:
                parse_duration(timeout)
            except ValueError as exc:
                raise ConfigError(f"can't parse timeout field {go_quote(timeout)}: {exc}") from None
        validate_output_mode(cfg["output_mode"], cfg["output_manual_delimiters"], _MODES, MANUAL_LASTLINE)
        validate_exit_codes(cfg["exit_codes_unrecoverable"])

    def resources(self, configuration: Mapping[str, Any]) -> list[str]:
        try:
            cfg = decode(configuration, CONFIG)
        except ConfigError:
            return []
        return ["fork", f"script:{cfg['file_path']}"]

    def context(self, step_name: str) -> dict[str, Any] | None:
        return {"task_id": "{{ .task.task_id }}", "resolution_id": "{{ .task.resolution_id }}"}

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        environment = {str(k): (MASK if is_secret_name(str(k)) else go_format_s(v))
                       for k, v in (cfg["environment"] or {}).items()}
        return {"action": self.name, "command": [f"./{cfg['file_path']}", *(cfg["argv"] or [])],
                "working_directory": request.services.scripts_dir, "environment": environment,
                "stdin": cfg["stdin"], "timeout": cfg["timeout"] or "2m",
                "output_mode": cfg["output_mode"] or MANUAL_LASTLINE}

    def _environment(self, request: ActionRequest, cfg: Mapping[str, Any]) -> dict[str, str]:
        context = request.context or {}
        env = dict(os.environ)
        env["UTASK_TASK_ID"] = str(context.get("task_id") or request.task_id)
        env["UTASK_RESOLUTION_ID"] = str(context.get("resolution_id") or request.resolution_id)
        env["UTASK_STEP_NAME"] = request.step_name
        for key, value in (cfg["environment"] or {}).items():
            env[str(key)] = go_format_s(value)
        return env

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        mode = cfg["output_mode"] or MANUAL_LASTLINE
        timeout = DEFAULT_TIMEOUT
        if cfg["timeout"]:
            try:
                timeout = parse_duration(cfg["timeout"])
            except ValueError as exc:
                raise ActionError(f"can't parse timeout field {go_quote(cfg['timeout'])}: {exc}") from None
        folder = request.services.scripts_dir
        try:
            path = _script_path(folder, cfg["file_path"])
        except ConfigError as exc:
            raise ClientError(str(exc)) from None
        program = f"./{cfg['file_path']}"
        started = time.perf_counter_ns()
        returncode, output, error_text = await _run(program, path, cfg["argv"] or [], folder,
                                                    self._environment(request, cfg),
                                                    cfg["stdin"].encode("utf-8", "surrogateescape"), timeout)
        elapsed = time.perf_counter_ns() - started
        exit_code = 1 if returncode is None else (returncode if returncode >= 0 else -1)
        metadata = {"exit_code": str(exit_code),
                    "process_state": "<nil>" if returncode is None else process_state_text(returncode),
                    "output": output, "execution_time": format_duration(elapsed), "error": error_text}
        try:
            line = parse_output(output, mode, cfg["output_manual_delimiters"])
        except ActionError as exc:
            raise ActionError(exc.message, metadata=metadata) from None
        result, json_error = result_object(line)
        if json_error is not None and exit_code == 0:
            raise ActionError(json_error, metadata=metadata)
        if exit_code != 0:
            raise exit_code_error(exit_code, cfg["exit_codes_unrecoverable"], error_text, result, metadata)
        return ActionResult(output=result, metadata=metadata)


async def _run(program: str, path: str, argv: list[str], folder: str, env: dict[str, str], stdin: bytes,
               timeout: float) -> tuple[int | None, str, str]:
    """(return code or None if it could not start, combined output, Go's error text)."""
    try:
        process = await asyncio.create_subprocess_exec(
            program, *argv, executable=os.path.abspath(path), cwd=folder, env=env, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, start_new_session=True)
    except OSError as exc:
        if exc.errno == errno.ENOENT and not os.path.isdir(folder):
            return None, "", f"chdir {folder}: {_go_errno_text(exc)}"
        return None, "", f"fork/exec {program}: {_go_errno_text(exc)}"
    chunks: list[bytes] = []
    assert process.stdout is not None and process.stdin is not None
    stdout, stdin_pipe = process.stdout, process.stdin

    async def pump() -> None:
        while data := await stdout.read(65536):
            chunks.append(data)

    async def feed() -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if stdin:
                stdin_pipe.write(stdin)
                await stdin_pipe.drain()
        stdin_pipe.close()

    reader, writer = asyncio.ensure_future(pump()), asyncio.ensure_future(feed())
    try:
        async with asyncio.timeout(timeout if timeout > 0 else None):
            await process.wait()
            await reader
    except TimeoutError:
        _kill_group(process)
        await _settle(process, reader)
    except BaseException:  # cancelled by the engine: the script must not outlive the step
        _kill_group(process)
        with contextlib.suppress(BaseException):
            await _settle(process, reader)
        raise
    finally:
        for task in (reader, writer):
            if not task.done():
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    returncode = process.returncode if process.returncode is not None else -int(signal.SIGKILL)
    output = b"".join(chunks).decode("utf-8", "replace")
    error_text = "" if returncode == 0 else process_state_text(returncode)
    return returncode, output, error_text

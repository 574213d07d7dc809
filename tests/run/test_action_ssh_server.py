"""ssh: the plugin against real asyncssh servers on 127.0.0.1.

The target server authorizes one generated client key and runs what it receives for real: an `exec`
request as `bash -c <command>`, a `shell` request as `bash` reading the script from stdin, stdin forwarded,
stdout/stderr sent back, the exit status (or the signal) returned. The auto-result bash trap therefore runs
for real (bash and GNU sed are needed on this machine).

The bastion server implements µTask's hop semantics fully (no shortcut): its command is
`next -- … -- target`; it connects onward to `next` with its own key and runs the rest of the chain there
(or opens a shell on the last host), forwarding stdin, output and the exit status.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

asyncssh = pytest.importorskip("asyncssh")

from engine.run.actions.base import ActionError, ActionResult, ClientError  # noqa: E402
from engine.run.actions.ssh import SshAction  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or shutil.which("sed") is None,
                                reason="needs bash and sed")

CLIENT_KEY = asyncssh.generate_private_key("ssh-ed25519")
BASTION_KEY = asyncssh.generate_private_key("ssh-ed25519")  # the bastion's own key towards the next hop
HOST_KEY = asyncssh.generate_private_key("ssh-ed25519")
BASTION_HOST_KEY = asyncssh.generate_private_key("ssh-ed25519")
OTHER_KEY = asyncssh.generate_private_key("ssh-ed25519")


def authorized(*keys: Any) -> Any:
    return asyncssh.import_authorized_keys("".join(key.export_public_key().decode() for key in keys))


@dataclass
class Server:
    server: Any
    host_key: Any
    port: int
    seen: list[dict[str, Any]] = field(default_factory=list)
    processes: list[asyncio.subprocess.Process] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def known_hosts_line(self) -> str:
        return f"[127.0.0.1]:{self.port} {self.host_key.export_public_key().decode()}"


async def _run_bash(server: Server, process: Any) -> None:
    command = process.command
    record: dict[str, Any] = {"user": process.get_extra_info("username"), "command": command, "signals": []}
    server.seen.append(record)
    argv = ["bash"] if command is None else ["bash", "-c", command]
    proc = await asyncio.create_subprocess_exec(*argv, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                                                start_new_session=True)
    server.processes.append(proc)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    child_in, child_out, child_err = proc.stdin, proc.stdout, proc.stderr

    def kill() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    async def forward_stdin() -> None:
        """stdin to the child until EOF; then, like sshd, watch for a signal request (asyncssh queues it
        on the stdin stream) or a hang-up, which kill the child."""
        eof = False
        try:
            while True:
                try:
                    data = await process.stdin.read(65536)
                except asyncssh.SignalReceived as exc:
                    record["signals"].append(exc.signal)
                    kill()
                    return
                if eof:
                    if process.channel.is_closing():
                        kill()
                        return
                    await asyncio.sleep(0.05)
                elif not data:
                    eof = True
                    child_in.close()
                else:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        child_in.write(data)
                        await child_in.drain()
        except (OSError, asyncssh.Error):
            kill()
        finally:
            child_in.close()

    async def forward(source: asyncio.StreamReader, target: Any) -> None:
        while data := await source.read(65536):
            with contextlib.suppress(asyncssh.Error, OSError):
                target.write(data)

    feeder = asyncio.ensure_future(forward_stdin())
    await asyncio.gather(forward(child_out, process.stdout), forward(child_err, process.stderr))
    returncode = await proc.wait()
    if not feeder.done():
        feeder.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await feeder
    record["returncode"] = returncode
    with contextlib.suppress(asyncssh.Error, OSError):
        if returncode < 0:
            process.exit_with_signal(signal.Signals(-returncode).name.removeprefix("SIG"), False, "killed")
        else:
            process.exit(returncode)


async def _run_bastion(server: Server, process: Any) -> None:
    command = process.command or ""
    server.seen.append({"user": process.get_extra_info("username"), "command": command})
    hops = command.split(" -- ")
    host, _, port = hops[0].rpartition(":")
    script = await process.stdin.read()
    try:
        async with asyncssh.connect(host, int(port), username=process.get_extra_info("username"),
                                    client_keys=[BASTION_KEY], known_hosts=None, config=None, agent_path=None,
                                    agent_identities=None) as onward:
            remote = " -- ".join(hops[1:]) or None
            completed = await onward.run(remote, input=script, encoding=None)
    except (OSError, asyncssh.Error) as exc:
        process.stderr.write(f"bastion: {exc}\n".encode())
        process.exit(255)
        return
    process.stdout.write(completed.stdout or b"")
    process.stderr.write(completed.stderr or b"")
    process.exit(completed.exit_status if completed.exit_status is not None else 255)


async def start(handler: Callable[[Server, Any], Awaitable[None]], host_key: Any, clients: Any) -> Server:
    holder: dict[str, Server] = {}

    async def on_process(process: Any) -> None:
        await handler(holder["server"], process)

    server = await asyncssh.create_server(asyncssh.SSHServer, "127.0.0.1", 0, server_host_keys=[host_key],
                                          authorized_client_keys=clients, process_factory=on_process,
                                          encoding=None, config=None)
    holder["server"] = Server(server, host_key, int(server.sockets[0].getsockname()[1]))
    return holder["server"]


async def stop(*servers: Server) -> None:
    for server in servers:
        server.server.close()
        await server.server.wait_closed()
        for proc in server.processes:
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()


def config_for(server: Server, **extra: Any) -> dict[str, Any]:
    return {"user": "deploy", "target": server.address, "ssh_key": CLIENT_KEY.export_private_key().decode(),
            "known_hosts": server.known_hosts_line(), **extra}


Scenario = Callable[[Server], Awaitable[Any]]


def with_target(scenario: Scenario) -> Any:
    async def main() -> Any:
        server = await start(_run_bash, HOST_KEY, authorized(CLIENT_KEY, BASTION_KEY))
        try:
            return await scenario(server)
        finally:
            await stop(server)

    return asyncio.run(main())


def run_on_target(make_request: Any, **extra: Any) -> tuple[ActionResult | ActionError, Server]:
    """Execute against a fresh target server; returns the result or the raised error, and the server."""
    holder: dict[str, Server] = {}

    async def scenario(server: Server) -> ActionResult | ActionError:
        holder["server"] = server
        configuration = config_for(server, **extra)
        try:
            return await SshAction().execute(make_request(configuration))
        except ActionError as exc:
            return exc

    outcome = with_target(scenario)
    return outcome, holder["server"]


# ------------------------------------------------------------------------------------------------ output modes

def test_auto_result_runs_the_bash_trap_for_real(make_request):
    script = 'PID=4242\nNAME="two words"\necho hello'
    outcome, server = run_on_target(make_request, script=script,
                                    result={"pid": "$PID", "name": "$NAME", "multi": "$(printf 'a\\nb')"})
    assert isinstance(outcome, ActionResult), outcome
    assert outcome.output == {"pid": "4242", "name": "two words", "multi": "a\nb"}
    assert outcome.metadata["exit_code"] == "0" and outcome.metadata["exit_signal"] == ""
    assert outcome.metadata["exit_msg"] == ""
    assert outcome.metadata["output"] == 'hello\n{"multi":"a\\nb","name":"two words","pid":"4242"}'
    # without hops the script is the remote command itself (prelude included)
    [seen] = server.seen
    assert seen["user"] == "deploy"
    assert seen["command"].startswith("\nfunction printResultJSON {") and seen["command"].endswith(script)


def test_stdout_and_stderr_are_combined(make_request):
    # two SSH streams: their relative order is not guaranteed (as with µTask), their union is
    outcome, _ = run_on_target(make_request, output_mode="disabled", script="echo out\necho err >&2")
    assert isinstance(outcome, ActionResult)
    assert sorted(outcome.metadata["output"].splitlines()) == ["err", "out"]


def test_auto_result_without_result_gives_empty_object(make_request):
    outcome, _ = run_on_target(make_request, script="true")
    assert isinstance(outcome, ActionResult) and outcome.output == {}
    assert outcome.metadata["output"] == "{}"


def test_script_is_also_sent_on_stdin(make_request):
    outcome, _ = run_on_target(make_request, output_mode="manual-lastline",
                               script='cat > /dev/null; echo \'{"ok": true, "n": 2}\'')
    assert isinstance(outcome, ActionResult) and outcome.output == {"ok": True, "n": 2.0}
    outcome, _ = run_on_target(make_request, output_mode="manual-lastline",
                               script="head -c 4 | sed 's/.*/{\"first\":\"&\"}/'; echo")
    assert isinstance(outcome, ActionResult) and outcome.output == {"first": "head"}


def test_manual_lastline(make_request):
    outcome, _ = run_on_target(make_request, output_mode="manual-lastline",
                               script="echo line one\necho '{\"a\": {\"b\": [1, \"x\"]}}'\n")
    assert isinstance(outcome, ActionResult)
    assert outcome.output == {"a": {"b": [1.0, "x"]}}
    assert outcome.metadata == {"output": 'line one\n{"a": {"b": [1, "x"]}}\n', "exit_code": "0",
                                "exit_signal": "", "exit_msg": ""}


def test_manual_lastline_not_an_object_is_a_server_error(make_request):
    outcome, _ = run_on_target(make_request, output_mode="manual-lastline", script="echo oops")
    assert type(outcome) is ActionError
    assert outcome.message == "invalid character 'o' looking for beginning of value"
    assert outcome.metadata["output"] == "oops\n"


def test_manual_delimiters(make_request):
    outcome, _ = run_on_target(make_request, output_mode="manual-delimiters",
                               output_manual_delimiters=["=== RESULT ===", "=== END ==="],
                               script="echo before\necho '=== RESULT ==='\necho '{\"x\": \"y\"}'\n"
                                      "echo '=== END ==='\necho after")
    assert isinstance(outcome, ActionResult) and outcome.output == {"x": "y"}


def test_disabled(make_request):
    outcome, _ = run_on_target(make_request, output_mode="disabled", script="echo '{\"ignored\": 1}'")
    assert isinstance(outcome, ActionResult) and outcome.output == {}
    assert outcome.metadata["output"] == '{"ignored": 1}\n'


# ------------------------------------------------------------------------------------------------ exit codes

def test_non_zero_exit_is_a_server_error_with_output(make_request):
    outcome, _ = run_on_target(make_request, script="A=1\nexit 3", result={"a": "$A"})
    assert type(outcome) is ActionError
    assert outcome.message == "exit code: 3"
    assert outcome.output == {"a": "1"}  # parsed on a best-effort basis, the trap still ran
    assert outcome.metadata["exit_code"] == "3"


def test_unrecoverable_exit_code_is_a_client_error(make_request):
    outcome, _ = run_on_target(make_request, script="exit 12", output_mode="disabled",
                               exit_codes_unrecoverable=["3", "10-20"])
    assert isinstance(outcome, ClientError)
    assert outcome.message == "Client error: exit code: 12: Process exited with status 12"
    assert outcome.metadata == {"output": "", "exit_code": "12", "exit_signal": "", "exit_msg": ""}


def test_remote_command_killed_by_signal(make_request):
    outcome, _ = run_on_target(make_request, script="kill -TERM $$", output_mode="disabled",
                               exit_codes_unrecoverable=["143"])
    assert isinstance(outcome, ClientError)
    assert outcome.message == "Client error: exit code: 143: Process exited with status 143 from signal TERM. " \
                              "Reason: killed"
    assert outcome.metadata["exit_signal"] == "TERM" and outcome.metadata["exit_msg"] == "killed"


def test_timeout_kills_the_session(make_request):
    holder: dict[str, Server] = {}

    async def scenario(server: Server) -> tuple[ActionError, float]:
        holder["server"] = server
        started = time.monotonic()
        with pytest.raises(ActionError) as caught:
            await SshAction().execute(make_request(config_for(server, script="sleep 30", timeout="1s")))
        elapsed = time.monotonic() - started
        for _ in range(100):  # the server handles the signal request asynchronously
            if server.seen and "returncode" in server.seen[0]:
                break
            await asyncio.sleep(0.05)
        return caught.value, elapsed

    error, elapsed = with_target(scenario)
    assert 1 <= elapsed < 10
    assert type(error) is ActionError
    assert error.message == "ssh session has not terminated before timeout"
    assert error.output is None and error.metadata is None
    [seen] = holder["server"].seen
    assert seen["signals"] == ["KILL"]
    assert seen["returncode"] == -signal.SIGKILL


# ------------------------------------------------------------------------------------------------ keys

def test_bad_private_key_is_a_client_error(make_request):
    outcome, server = run_on_target(make_request, ssh_key="-----BEGIN OPENSSH PRIVATE KEY-----\nnope\n")
    assert isinstance(outcome, ClientError)
    assert outcome.message.startswith("ssh plugin: private key: ")
    assert "nope" not in outcome.message
    assert server.seen == []


def test_passphrase_protected_key(make_request):
    protected = CLIENT_KEY.export_private_key("openssh", passphrase="s3cret").decode()
    outcome, _ = run_on_target(make_request, ssh_key=protected, ssh_key_passphrase="s3cret",
                               output_mode="disabled", script="true")
    assert isinstance(outcome, ActionResult)
    outcome, _ = run_on_target(make_request, ssh_key=protected, ssh_key_passphrase="wrong")
    assert isinstance(outcome, ClientError) and outcome.message.startswith("ssh plugin: private key: ")
    assert "s3cret" not in outcome.message
    outcome, _ = run_on_target(make_request, ssh_key=protected)
    assert isinstance(outcome, ClientError)
    assert outcome.message == "ssh plugin: private key: Passphrase must be specified to import encrypted " \
                              "private keys"


def test_unauthorized_key_is_a_server_error(make_request):
    outcome, server = run_on_target(make_request, ssh_key=OTHER_KEY.export_private_key().decode())
    assert type(outcome) is ActionError
    assert outcome.message.startswith('ssh: handshake failed: unable to authenticate as "deploy": ')
    assert server.seen == []


# ------------------------------------------------------------------------------------------------ host keys

def test_unknown_host_key_is_refused_by_default(make_request, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ssh/known_hosts: every host key is unknown
    outcome, server = run_on_target(make_request, known_hosts="")
    assert type(outcome) is ActionError
    assert outcome.message.startswith(f"ssh: handshake failed: host key verification failed for {server.address}:")
    assert 'insecure_ignore_host_key: "true"' in outcome.message and "known_hosts" in outcome.message
    assert server.seen == []


def test_default_uses_the_users_known_hosts(make_request, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".ssh").mkdir()

    async def scenario(server: Server) -> ActionResult:
        (tmp_path / ".ssh" / "known_hosts").write_text(server.known_hosts_line() + "\n")
        return await SshAction().execute(make_request(config_for(server, known_hosts="", output_mode="disabled")))

    assert with_target(scenario).output == {}


def test_wrong_known_hosts_is_refused(make_request):
    other = f"[127.0.0.1]:1 {HOST_KEY.export_public_key().decode()}"
    outcome, _ = run_on_target(make_request, known_hosts=other)
    assert type(outcome) is ActionError and "host key verification failed" in outcome.message
    wrong_key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()

    async def scenario(server: Server) -> ActionError:
        configuration = config_for(server, known_hosts=f"[127.0.0.1]:{server.port} {wrong_key}")
        with pytest.raises(ActionError) as caught:
            await SshAction().execute(make_request(configuration))
        return caught.value

    assert "host key verification failed" in with_target(scenario).message


def test_known_hosts_accepts(make_request):
    outcome, _ = run_on_target(make_request, output_mode="disabled", script="true")
    assert isinstance(outcome, ActionResult)


def test_insecure_ignore_host_key(make_request, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    outcome, _ = run_on_target(make_request, known_hosts="", insecure_ignore_host_key="true",
                               output_mode="disabled", script="true")
    assert isinstance(outcome, ActionResult)
    outcome, _ = run_on_target(make_request, known_hosts="", insecure_ignore_host_key="false")
    assert type(outcome) is ActionError and "host key verification failed" in outcome.message
    outcome, _ = run_on_target(make_request, insecure_ignore_host_key="maybe")
    assert isinstance(outcome, ClientError)


# ------------------------------------------------------------------------------------------------ network

def test_connection_refused_and_bad_target(make_request):
    async def scenario(server: Server) -> list[ActionError]:
        errors = []
        for target in (f"127.0.0.1:{_free_port()}", "127.0.0.1:notaport", "127.0.0.1:70000"):
            with pytest.raises(ActionError) as caught:
                await SshAction().execute(make_request(config_for(server, target=target)))
            errors.append(caught.value)
        return errors

    refused, not_a_port, too_big = with_target(scenario)
    assert type(refused) is ActionError and refused.message.startswith("dial tcp 127.0.0.1:")
    assert refused.message.endswith(": connect: connection refused")
    assert isinstance(not_a_port, ClientError) and not_a_port.message == \
        'ssh plugin: invalid host:port "127.0.0.1:notaport"'
    assert isinstance(too_big, ClientError)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------------------------ hops

def _through_bastion(make_request: Any, hops_count: int, **extra: Any) -> tuple[Any, Server, Server]:
    holder: dict[str, Server] = {}

    async def main() -> Any:
        target = await start(_run_bash, HOST_KEY, authorized(BASTION_KEY))  # only the bastion may log in
        bastion = await start(_run_bastion, BASTION_HOST_KEY, authorized(CLIENT_KEY, BASTION_KEY))
        holder.update(target=target, bastion=bastion)
        try:
            configuration = {"user": "deploy", "target": target.address,
                             "hops": [bastion.address] * hops_count,
                             "ssh_key": CLIENT_KEY.export_private_key().decode(),
                             "known_hosts": bastion.known_hosts_line(), **extra}
            try:
                return await SshAction().execute(make_request(configuration))
            except ActionError as exc:
                return exc
        finally:
            await stop(bastion, target)

    outcome = asyncio.run(main())
    return outcome, holder["bastion"], holder["target"]


def test_one_hop_through_a_bastion(make_request):
    outcome, bastion, target = _through_bastion(make_request, 1, script="X=$((6 * 7))", result={"x": "$X"})
    assert isinstance(outcome, ActionResult), outcome
    assert outcome.output == {"x": "42"}
    # the bastion receives only the chain; the script travels on stdin and the target runs it in a shell
    assert [seen["command"] for seen in bastion.seen] == [target.address]
    assert [seen["command"] for seen in target.seen] == [None]


def test_two_hops_chain(make_request):
    outcome, bastion, target = _through_bastion(make_request, 2, output_mode="manual-lastline",
                                                script="echo '{\"via\": \"two\"}'\nexit 4",
                                                exit_codes_unrecoverable=["4"])
    assert isinstance(outcome, ClientError), outcome
    assert outcome.message == "Client error: exit code: 4: Process exited with status 4"
    assert outcome.output == {"via": "two"}
    assert [seen["command"] for seen in bastion.seen] == [f"{bastion.address} -- {target.address}",
                                                          target.address]


def test_hop_host_key_is_verified(make_request):
    outcome, bastion, _ = _through_bastion(make_request, 1, known_hosts="* " + HOST_KEY.export_public_key().decode())
    assert type(outcome) is ActionError and "host key verification failed" in outcome.message
    assert bastion.seen == []


# ------------------------------------------------------------------------------------------------ packaging

def test_execute_without_asyncssh_is_a_server_error(make_request, monkeypatch):
    monkeypatch.setattr("engine.run.actions.ssh.asyncssh_available", lambda: False)
    with pytest.raises(ActionError, match="^ssh: asyncssh is not installed$") as caught:
        asyncio.run(SshAction().execute(make_request({"user": "u", "target": "h", "ssh_key": "k"})))
    assert type(caught.value) is ActionError


def test_silent_server_hits_the_connection_timeout(make_request, monkeypatch):
    monkeypatch.setattr("engine.run.actions.ssh.CONNECT_TIMEOUT", 0.5)

    async def main() -> tuple[ActionError, int]:
        writers: list[asyncio.StreamWriter] = []

        async def mute(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writers.append(writer)  # accepts the TCP connection, never speaks SSH

        server = await asyncio.start_server(mute, "127.0.0.1", 0)
        port = int(server.sockets[0].getsockname()[1])
        try:
            configuration = {"user": "u", "target": f"127.0.0.1:{port}", "insecure_ignore_host_key": "true",
                             "ssh_key": CLIENT_KEY.export_private_key().decode()}
            with pytest.raises(ActionError) as caught:
                await SshAction().execute(make_request(configuration))
        finally:
            for writer in writers:
                writer.close()
            server.close()
            await server.wait_closed()
        return caught.value, port

    error, port = asyncio.run(main())
    assert type(error) is ActionError and error.message == f"dial tcp 127.0.0.1:{port}: i/o timeout"

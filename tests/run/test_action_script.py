"""script: real executables in a temporary scripts folder."""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path

import pytest

from engine.run.actions.base import ActionError, ClientError, ConfigError
from engine.run.actions.script import ScriptAction


def write_script(folder: str, name: str, body: str, mode: int = 0o755) -> Path:
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(mode)
    return path


@pytest.fixture
def script(services) -> ScriptAction:
    return ScriptAction(scripts_dir=services.scripts_dir)


def run(action, request):
    return asyncio.run(action.execute(request))


def test_hello_world_like_utask(services, make_request, script):
    write_script(services.scripts_dir, "scripts_tests/hello-world.sh",
                 'echo "Hello world script"\n'
                 'echo "{\\"dumb_string\\":\\"Hello $1!\\",\\"random_object\\":{\\"foo\\":\\"bar\\"}}"\n')
    config = {"file_path": "./scripts_tests/hello-world.sh", "argv": ["world"], "timeout_seconds": "25"}
    script.validate(config)
    result = run(script, make_request(config))
    assert result.output == {"dumb_string": "Hello world!", "random_object": {"foo": "bar"}}
    metadata = dict(result.metadata)
    assert re.fullmatch(r"[0-9.]+(ns|µs|ms|s)", metadata.pop("execution_time"))
    assert metadata == {"exit_code": "0", "process_state": "exit status 0", "error": "",
                        "output": 'Hello world script\n{"dumb_string":"Hello world!","random_object":{"foo":"bar"}}\n'}


def test_environment_and_utask_variables(services, make_request, script):
    write_script(services.scripts_dir, "env.sh",
                 'printf \'{"task":"%s","res":"%s","step":"%s","a":"%s","n":"%s","b":"%s"}\\n\' '
                 '"$UTASK_TASK_ID" "$UTASK_RESOLUTION_ID" "$UTASK_STEP_NAME" "$STATIC" "$NUM" "$FLAG"\n')
    config = {"file_path": "env.sh", "environment": {"STATIC": "foo", "NUM": 12, "FLAG": True}}
    result = run(script, make_request(config, context={"task_id": "ctx-task", "resolution_id": "ctx-res"}))
    assert result.output == {"task": "ctx-task", "res": "ctx-res", "step": "stepOne", "a": "foo", "n": "12",
                             "b": "%!s(bool=true)"}
    # without a rendered context, the request's own ids are used
    assert run(script, make_request(config)).output["task"] == "t-parent"


def test_stdin_and_argv(services, make_request, script):
    write_script(services.scripts_dir, "cat.sh", 'read line\necho "{\\"in\\":\\"$line\\",\\"argc\\":$#}"\n')
    result = run(script, make_request({"file_path": "cat.sh", "stdin": "piped\n", "argv": ["a", "b c"]}))
    assert result.output == {"in": "piped", "argc": 2.0}


def test_stderr_is_combined_and_can_break_lastline(services, make_request, script):
    write_script(services.scripts_dir, "noisy.sh", 'echo \'{"ok": true}\'\necho "warning" >&2\n')
    with pytest.raises(ActionError) as caught:
        run(script, make_request({"file_path": "noisy.sh"}))
    assert caught.value.message == "invalid character 'w' looking for beginning of value"
    assert caught.value.metadata["output"] == '{"ok": true}\nwarning\n'
    assert caught.value.output is None


def test_last_line_must_be_an_object(services, make_request, script):
    write_script(services.scripts_dir, "array.sh", "echo '[1, 2]'\n")
    with pytest.raises(ActionError, match=r"^json: cannot unmarshal array into Go value of type map\[string\]"):
        run(script, make_request({"file_path": "array.sh"}))


def test_no_output_gives_empty_object(services, make_request, script):
    write_script(services.scripts_dir, "quiet.sh", "true\n")
    assert run(script, make_request({"file_path": "quiet.sh"})).output == {}


def test_delimiters_and_disabled(services, make_request, script):
    write_script(services.scripts_dir, "delim.sh", 'echo "noise"\necho "<<<{\\"a\\": 1}>>>"\necho "tail"\n')
    config = {"file_path": "delim.sh", "output_mode": "manual-delimiters", "output_manual_delimiters": ["<<<", ">>>"]}
    assert run(script, make_request(config)).output == {"a": 1.0}
    assert run(script, make_request({"file_path": "delim.sh", "output_mode": "disabled"})).output == {}


@pytest.mark.parametrize(("codes", "cls", "message"), [
    (None, ActionError, "exit code: 3"),
    (["3"], ClientError, "Client error: exit code: 3: exit status 3"),
    (["1-5"], ClientError, "Client error: exit code: 3: exit status 3"),
    (["4-9"], ActionError, "exit code: 3"),
])
def test_exit_codes(services, make_request, script, codes, cls, message):
    write_script(services.scripts_dir, "fail.sh", "echo '{\"partial\": \"yes\"}'\nexit 3\n")
    config = {"file_path": "fail.sh", "exit_codes_unrecoverable": codes}
    with pytest.raises(ActionError) as caught:
        run(script, make_request(config))
    assert type(caught.value) is cls
    assert caught.value.message == message
    assert caught.value.output == {"partial": "yes"}
    assert caught.value.metadata["exit_code"] == "3"
    assert caught.value.metadata["process_state"] == "exit status 3"
    assert caught.value.metadata["error"] == "exit status 3"


def test_timeout_kills_the_process_group(services, make_request, script):
    marker = Path(services.scripts_dir) / "survived"
    write_script(services.scripts_dir, "slow.sh", f'echo started\n(sleep 5; touch "{marker}") &\nsleep 5\n')
    began = time.monotonic()
    with pytest.raises(ActionError) as caught:
        run(script, make_request({"file_path": "slow.sh", "timeout": "300ms", "exit_codes_unrecoverable": ["1-200"]}))
    assert time.monotonic() - began < 4
    assert type(caught.value) is ActionError
    assert caught.value.message == "exit code: -1"
    assert caught.value.metadata["process_state"] == "signal: killed"
    assert caught.value.metadata["error"] == "signal: killed"
    assert caught.value.metadata["output"] == "started\n"
    time.sleep(0.2)
    assert not marker.exists()


def test_failure_to_start_is_exit_code_one(services, make_request, script):
    write_script(services.scripts_dir, "noexec.sh", "echo hi\n", mode=0o644)
    with pytest.raises(ClientError) as caught:
        run(script, make_request({"file_path": "noexec.sh", "exit_codes_unrecoverable": ["1"]}))
    assert caught.value.message == "Client error: exit code: 1: fork/exec ./noexec.sh: permission denied"
    assert caught.value.metadata["process_state"] == "<nil>"
    with pytest.raises(ActionError, match="^exit code: 1$"):
        run(script, make_request({"file_path": "missing.sh"}))


def test_path_may_not_leave_the_scripts_folder(services, make_request, script):
    with pytest.raises(ConfigError, match="is outside the scripts folder"):
        script.validate({"file_path": "../escape.sh"})
    with pytest.raises(ClientError, match="is outside the scripts folder"):
        run(script, make_request({"file_path": "/bin/true"}))


def test_validate_messages(services, script):
    folder = services.scripts_dir
    write_script(folder, "ok.sh", "true\n")
    write_script(folder, "plain.sh", "true\n", mode=0o644)
    missing = os.path.join(folder, "nope.sh")
    cases = [
        ({}, "file is missing"),
        ({"file_path": "nope.sh"}, f'can\'t stat "{missing}": stat {missing}: no such file or directory'),
        ({"file_path": "plain.sh"}, f'"{os.path.join(folder, "plain.sh")}" is not executable'),
        ({"file_path": "ok.sh", "timeout": "-1s"}, "timeout must be positive"),
        ({"file_path": "ok.sh", "timeout": "1 minute"}, 'can\'t parse timeout field "1 minute": time: unknown unit '
                                                        '" minute" in duration "1 minute"'),
        ({"file_path": "ok.sh", "output_mode": "auto-result"},
         'invalid value "auto-result" for output_mode, allowed values are: disabled, manual-delimiters, '
         "manual-lastline"),
        ({"file_path": "ok.sh", "output_manual_delimiters": ["a", "b"]},
         'invalid parameter "output_manual_delimiters", output_mode is configured to "manual-lastline"'),
        ({"file_path": "ok.sh", "output_mode": "manual-delimiters", "output_manual_delimiters": ["a"]},
         "wrong number of output_manual_delimiters, 2 expected, found 1"),
        ({"file_path": "ok.sh", "output_mode": "manual-delimiters"},
         "wrong number of output_manual_delimiters, 2 expected, found 0"),
        ({"file_path": "ok.sh", "exit_codes_unrecoverable": ["x"]},
         'invalid value "x" for exit_codes_unrecoverable, should be an integer, or a range of integer '
         "(e.g: 123, or 120-130)"),
        ({"file_path": "ok.sh", "exit_codes_unrecoverable": ["5-2"]},
         'exit_codes_unrecoverable value "5-2" should have end exit_code superior to start exit_code'),
        ({"file_path": "ok.sh", "exit_codes_unrecoverable": ["0-2"]},
         "exit_codes_unrecoverable cannot map exit code 0 (non-sense)"),
    ]
    for config, message in cases:
        with pytest.raises(ConfigError) as caught:
            script.validate(config)
        assert str(caught.value) == message, config
    script.validate({"file_path": "ok.sh", "output_mode": "manual-delimiters", "output_manual_delimiters": ["<", ">"],
                     "timeout": "10s", "exit_codes_unrecoverable": ["2", "10-20"]})


def test_resources_context_and_describe(services, make_request, script):
    marker = Path(services.scripts_dir) / "ran"
    write_script(services.scripts_dir, "side.sh", f'touch "{marker}"\n')
    config = {"file_path": "side.sh", "argv": ["x"], "environment": {"API_TOKEN": "s3cret", "MODE": "fast"}}
    assert script.resources(config) == ["fork", "script:side.sh"]
    assert script.context("s") == {"task_id": "{{ .task.task_id }}", "resolution_id": "{{ .task.resolution_id }}"}
    described = script.describe(make_request(config))
    assert described["command"] == ["./side.sh", "x"]
    assert described["environment"] == {"API_TOKEN": "***", "MODE": "fast"}
    assert not marker.exists()


def test_cancelled_step_kills_the_script(services, make_request, script):
    pid_file = Path(services.scripts_dir) / "pid"
    write_script(services.scripts_dir, "long.sh", f'echo $$ > "{pid_file}"\nsleep 30\n')

    async def cancel_soon():
        task = asyncio.ensure_future(script.execute(make_request({"file_path": "long.sh"})))
        for _ in range(100):
            if pid_file.exists() and pid_file.read_text().strip():
                break
            await asyncio.sleep(0.02)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_soon())
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the script survived the cancellation")

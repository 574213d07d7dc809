"""tag, cache, ping, ssh, apiovh, the registry, and consistency with schemas/actions/."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
from pathlib import Path

import pytest

import schemas
from engine.run.actions.apiovh import ApiOvhAction, signature
from engine.run.actions.base import Action, ActionError, ClientError, ConfigError
from engine.run.actions.cache import CacheAction, CacheStore
from engine.run.actions.ping import PingAction, statistics
from engine.run.actions.registry import BUILTIN_ACTIONS, get_action
from engine.run.actions.ssh import SshAction
from engine.run.actions.tag import TagAction


def run(action, request):
    return asyncio.run(action.execute(request))


# ------------------------------------------------------------------------------------------------ tag

def test_tag_returns_tags_and_nothing_else(make_request):
    result = run(TagAction(), make_request({"tags": {"stage": "done", "old": "", "gone": None}}))
    assert result.tags == {"stage": "done", "old": "", "gone": ""}
    assert result.output is None and result.metadata is None
    with pytest.raises(ConfigError, match='^tag name "_utask_parent_task_id" not allowed$'):
        TagAction().validate({"tags": {"_utask_parent_task_id": "x"}})
    assert TagAction().describe(make_request({"tags": {"a": "1", "b": ""}})) == {
        "action": "tag", "set": {"a": "1"}, "delete": ["b"]}


# ------------------------------------------------------------------------------------------------ cache

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_set_get_delete_and_ttl(make_request):
    clock = Clock()
    cache = CacheAction(CacheStore(clock))
    value = {"serial": 2024010101, "name": "x", "ratio": 0.5}
    assert run(cache, make_request({"action": "set", "key": "k", "value": value, "ttl": 60})).output == {
        "key": "k", "cached": True}
    got = run(cache, make_request({"action": "get", "key": "k"})).output
    assert got == {"key": "k", "hit": True, "value": {"serial": 2024010101.0, "name": "x", "ratio": 0.5}}
    assert type(got["value"]["serial"]) is float  # µTask reads values back with a plain json.Unmarshal
    clock.now += 61
    assert run(cache, make_request({"action": "get", "key": "k"})).output == {"key": "k", "hit": False, "value": None}
    run(cache, make_request({"action": "set", "key": "forever", "value": None}))
    clock.now += 10**9
    assert run(cache, make_request({"action": "get", "key": "forever"})).output["hit"] is True
    assert run(cache, make_request({"action": "delete", "key": "forever"})).output == {"key": "forever",
                                                                                        "deleted": True}
    assert run(cache, make_request({"action": "delete", "key": "forever"})).output["deleted"] is True
    assert run(cache, make_request({"action": "get", "key": "forever"})).output["hit"] is False


def test_cache_purge_and_errors(make_request):
    clock = Clock()
    store = CacheStore(clock)
    store.set("a", "1", 5)
    store.set("b", "2", 0)
    clock.now += 6
    assert store.purge_expired() == 1 and store.get("b") == "2"
    cache = CacheAction(store)
    with pytest.raises(ActionError, match="failed to unmarshal configuration: json: cannot unmarshal string into "
                                          "Go struct field Config.ttl of type int64"):
        run(cache, make_request({"action": "set", "key": "k", "ttl": "3600"}))
    with pytest.raises(ClientError, match='^invalid action "GET"$'):
        run(cache, make_request({"action": "GET", "key": "k"}))
    with pytest.raises(ConfigError, match='^missing required parameter "key"$'):
        cache.validate({"action": "get"})
    with pytest.raises(ConfigError, match='^invalid action "list": expected "set", "get", or "delete"$'):
        cache.validate({"action": "list", "key": "k"})
    assert cache.describe(make_request({"action": "set", "key": "k", "value": 1})) == {
        "action": "cache", "operation": "set", "key": "k", "value": 1, "ttl_seconds": 0}
    assert store.get("k") is None


# ------------------------------------------------------------------------------------------------ ping

def test_ping_statistics_shape():
    assert statistics(2, [1_000_000, 3_000_000], "127.0.0.1") == {
        "packets_received": 2, "packets_sent": 2, "packet_loss": 0.0, "ip_addr": "127.0.0.1",
        "rtts": [1_000_000, 3_000_000], "min_rtt": 1_000_000, "max_rtt": 3_000_000, "avg_rtt": 2_000_000,
        "std_dev_rtt": 1_000_000}
    empty = statistics(0, [], "::1")
    assert empty["packet_loss"] == 0.0 and empty["rtts"] is None and empty["avg_rtt"] == 0


def test_ping_loopback(make_request):
    result = None
    try:
        result = run(PingAction(("dgram", "raw")), make_request({"hostname": "127.0.0.1", "count": "1"}))
    except ActionError as exc:
        pytest.skip(f"no ICMP socket available here: {exc}")
    assert result.output["packets_sent"] == 1 and result.output["packets_received"] == 1
    assert result.output["ip_addr"] == "127.0.0.1" and result.output["packet_loss"] == 0.0
    assert isinstance(result.output["avg_rtt"], int) and result.output["avg_rtt"] > 0
    assert result.metadata == {"hostname": "127.0.0.1", "count": "1"}


def test_ping_through_the_system_binary(make_request, tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "ping"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data."\n'
                    'echo "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.050 ms"\n'
                    'echo "64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.150 ms"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    result = run(PingAction(("binary",)), make_request({"hostname": "127.0.0.1", "count": "3"}))
    assert result.output["packets_sent"] == 3 and result.output["rtts"] == [50_000, 150_000]
    assert result.output["packet_loss"] == pytest.approx(100 / 3)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(ActionError, match="^can't initiate ping: no way to send ICMP echo requests"):
        run(PingAction(("binary",)), make_request({"hostname": "127.0.0.1"}))


def test_ping_validate_resources_describe(make_request):
    ping = PingAction()
    with pytest.raises(ConfigError, match="^hostname is missing$"):
        ping.validate({})
    with pytest.raises(ConfigError, match='^can\'t parse count field "-1": strconv.ParseUint: parsing "-1": '
                                          "invalid syntax$"):
        ping.validate({"hostname": "h", "count": "-1"})
    assert ping.resources({"hostname": "example.com"}) == ["socket", "url:example.com"]
    assert ping.describe(make_request({"hostname": "h", "count": "0"}))["count"] == 1
    with pytest.raises(ActionError, match="^can't initiate ping: lookup nonexistent.invalid: no such host$"):
        run(ping, make_request({"hostname": "nonexistent.invalid"}))


# ------------------------------------------------------------------------------------------------ ssh

def test_ssh_validate_resources_describe(make_request):
    ssh = SshAction()
    base = {"user": "deploy", "target": "db:2222", "ssh_key": "KEY", "hops": ["bastion", "inner"]}
    ssh.validate(base)
    for config, message in [
        ({"user": ""}, "missing ssh username"), ({"target": ""}, "missing ssh target"),
        ({"ssh_key": ""}, "missing ssh key"), ({"hops": ["h"] * 11}, "ssh too many hops (max 10)"),
        ({"timeout": "x"}, 'can\'t parse timeout field "x": time: invalid duration "x"'),
        ({"timeout": "-1s"}, "timeout must be positive"),
        ({"output_mode": "manual-lastline", "result": {"a": "$A"}},
         'invalid parameter "result", output_mode is configured to "manual-lastline"'),
        ({"output_mode": "bogus"}, 'invalid value "bogus" for output_mode, allowed values are: auto-result, '
                                   "disabled, manual-delimiters, manual-lastline"),
        ({"insecure_ignore_host_key": "perhaps"}, 'can\'t parse insecure_ignore_host_key field "perhaps": '
                                                  'strconv.ParseBool: parsing "perhaps": invalid syntax'),
    ]:
        with pytest.raises(ConfigError) as caught:
            ssh.validate({**base, **config})
        assert str(caught.value) == message
    assert ssh.resources(base) == ["socket", "url:db:2222", "url:bastion", "url:inner"]
    described = ssh.describe(make_request({**base, "script": "echo hi", "result": {"pid": "$PID"},
                                           "ssh_key": "-----BEGIN KEY-----secret"}))
    assert described["connect_to"] == "bastion:22" and described["command"] == "inner -- db:2222"
    assert described["stdin"].endswith("trap printResultJSON EXIT\necho hi")
    assert """'{''"pid":"'"$PID"'"''}'""" in described["stdin"]
    assert described["ssh_key"] == "***" and "secret" not in repr(described)
    assert described["host_key_verification"] is True
    direct = ssh.describe(make_request({"user": "u", "target": "h", "ssh_key": "k", "script": "ls",
                                        "output_mode": "disabled", "insecure_ignore_host_key": "true"}))
    assert direct["command"] == "ls" and direct["connect_to"] == "h:22" and direct["host_key_verification"] is False


# ------------------------------------------------------------------------------------------------ apiovh

def test_apiovh_signed_request(http_server, make_request):
    http_server.route("/1.0/auth/time", body="1700000000", headers=[("Content-Type", "application/json")])
    http_server.route("/1.0/me", body='{"nichandle": "ab123-ovh", "n": 10.50}',
                      headers=[("Content-Type", "application/json"), ("X-Ovh-Queryid", "EU.ext-1")])
    item = json.dumps({"endpoint": http_server.url + "/1.0", "appKey": "AK", "appSecret": "AS",
                       "consumerKey": "CK"})
    action = ApiOvhAction(credentials={"ovh-test": item}.get)
    config = {"credentials": "ovh-test", "method": "POST", "path": "/me", "body": '{"b": 1, "a": "<x>"}'}
    action.validate(config)
    result = run(action, make_request(config))
    assert result.output == {"nichandle": "ab123-ovh", "n": "10.50"}
    assert result.metadata["HTTPHeaders"]["X-Ovh-Queryid"] == "EU.ext-1"
    time_request, sent = http_server.requests
    assert time_request.path == "/1.0/auth/time" and time_request.header("X-Ovh-Signature") is None
    body = '{"a":"\\u003cx\\u003e","b":1}'
    assert sent.body == body.encode()
    assert sent.header("X-Ovh-Application") == "AK" and sent.header("X-Ovh-Consumer") == "CK"
    assert sent.header("X-Ovh-Timestamp") == "1700000000"
    assert sent.header("Content-Type") == "application/json;charset=utf-8"
    target = http_server.url + "/1.0/me"
    expected = "$1$" + hashlib.sha1(f"AS+CK+POST+{target}+{body}+1700000000".encode()).hexdigest()
    assert sent.header("X-Ovh-Signature") == expected == signature("AS", "CK", "POST", target, body, 1700000000)


def test_apiovh_errors_validate_resources_describe(http_server, make_request):
    http_server.route("/1.0/auth/time", body="1700000000")
    http_server.route("/1.0/nope", status=403, body='{"message": "denied"}',
                      headers=[("Content-Type", "application/json")])
    items = {"local": json.dumps({"endpoint": http_server.url + "/1.0", "appKey": "AK", "appSecret": "AS",
                                  "consumerKey": "CK"}),
             "eu": json.dumps({"clientId": "id", "clientSecret": "s3cret"}),
             "half": json.dumps({"appKey": "AK", "consumerKey": "CK"})}
    action = ApiOvhAction(credentials=items.get)
    with pytest.raises(ClientError, match='^Client error: failed api request: 403: {"message": "denied"}$'):
        run(action, make_request({"credentials": "local", "method": "GET", "path": "/nope"}))
    with pytest.raises(ConfigError, match='^unknown method for gw runner: "PATCH"$'):
        action.validate({"credentials": "local", "method": "PATCH", "path": "/"})
    with pytest.raises(ConfigError, match='configstore: get "missing": no item found$'):
        action.validate({"credentials": "missing", "method": "GET", "path": "/"})
    with pytest.raises(ConfigError, match="both application_key and application_secret must be given$"):
        action.validate({"credentials": "half", "method": "GET", "path": "/"})
    action.validate({"credentials": "{{.input.account}}", "method": "GET", "path": "/"})
    assert action.resources({"credentials": "eu", "method": "GET", "path": "/"}) == ["socket", "url:eu.api.ovh.com"]
    assert action.resources({"credentials": "local", "method": "GET", "path": "/"}) == ["socket"]
    before = len(http_server.requests)
    described = action.describe(make_request({"credentials": "eu", "method": "GET", "path": "/v2/x"}))
    assert described["url"] == "https://eu.api.ovh.com/v2/x"
    assert described["headers"]["Authorization"] == "***" and "s3cret" not in repr(described)
    described = action.describe(make_request({"credentials": "local", "method": "GET", "path": "/me"}))
    assert described["headers"]["X-Ovh-Signature"] == "***"
    assert len(http_server.requests) == before


# ------------------------------------------------------------------------------------------------ registry

def test_registry_matches_the_schemas():
    assert sorted(BUILTIN_ACTIONS) == schemas.action_types()
    for name, action in BUILTIN_ACTIONS.items():
        schema = schemas.load_schema(f"actions/{name}")
        assert isinstance(action, Action) and get_action(name) is action
        assert action.name == name == schema["x-utask-plugin"]
        assert action.version == schema["x-utask-plugin-version"]
        assert action.side_effects is schema["x-utask-side-effects"], name
    with pytest.raises(KeyError):
        get_action("nope")


SKIP_EXAMPLES = {"script", "apiovh"}  # need a file on disk / a configuration store


@pytest.mark.parametrize("name", sorted(BUILTIN_ACTIONS))
def test_schema_examples_pass_validate_and_describe(name, make_request):
    action = BUILTIN_ACTIONS[name]
    for example in schemas.load_schema(f"actions/{name}").get("examples", []):
        if name not in SKIP_EXAMPLES:
            action.validate(example)
        described = action.describe(make_request(example))
        assert described["action"] == name
        action.resources(example)


def test_script_example_with_files(tmp_path: Path, make_request):
    from engine.run.actions.script import ScriptAction

    folder = tmp_path / "s"
    action = ScriptAction(scripts_dir=str(folder))
    for example in schemas.load_schema("actions/script")["examples"]:
        path = folder / example["file_path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        os.chmod(path, 0o755)
        action.validate(example)


def test_describe_of_every_plugin_performs_no_io(make_request, services, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("describe() opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name, action in BUILTIN_ACTIONS.items():
        for example in schemas.load_schema(f"actions/{name}").get("examples", []):
            action.describe(make_request(example))
    assert services.calls == [] and services.created == []

"""notify: webhook deliveries received by a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import json
import logging

import pytest

from engine.run.actions.base import ConfigError
from engine.run.actions.notify import NotifyAction, backends_from_config


def _action(server, **extra):
    return NotifyAction(backends_from_config({
        "hook": {"type": "webhook", "config": {"webhook_url": server.url + "/hook",
                                               "headers": {"x-team": "sre"}, "username": "u", "password": "p",
                                               **extra}},
        "chat": {"type": "slack", "config": {"webhook_url": server.url + "/slack"}},
    }))


def test_webhook_receives_the_message(http_server, make_request):
    http_server.route("/hook", body="ok")
    action = _action(http_server)
    result = asyncio.run(action.execute(make_request({"message": "deploy <done>", "fields": {"env": "prod"},
                                                      "backends": ["hook"]})))
    assert result.output is None and result.metadata is None
    (received,) = http_server.requests
    assert received.method == "POST" and received.path == "/hook"
    assert received.body == b'{"env":"prod","message":"deploy \\u003cdone\\u003e","notification_type":""}'
    assert json.loads(received.body)["message"] == "deploy <done>"
    assert received.header("X-Team") == "sre"
    assert received.header("Authorization") == "Basic " + base64.b64encode(b"u:p").decode()
    assert received.header("Content-Type") is None


def test_all_backends_when_none_listed_and_failures_only_logged(http_server, make_request, caplog):
    http_server.route("/hook", status=500, body="down")
    with caplog.at_level(logging.WARNING, logger="engine.run.actions.notify"):
        asyncio.run(_action(http_server).execute(make_request({"message": "m"})))
    assert [r.path for r in http_server.requests] == ["/hook"]  # the slack backend is not supported: skipped
    assert "status code 500" in caplog.text and "chat" in caplog.text
    assert "p" not in [arg for record in caplog.records for arg in (record.args or ())]


def test_validate_backend_names(http_server):
    action = _action(http_server)
    action.validate({"message": "m", "backends": ["hook"]})
    with pytest.raises(ConfigError, match="^can't find backend name: zzz. Available backends: chat, hook$"):
        action.validate({"backends": ["zzz"]})
    with pytest.raises(ConfigError, match="^registered notify senders list is empty$"):
        NotifyAction({}).validate({"backends": ["a"]})
    NotifyAction().validate({"backends": ["anything"]})  # no notify configuration known: nothing to check


def test_describe_sends_nothing(http_server, make_request):
    http_server.route("/hook", body="ok")
    described = _action(http_server).describe(make_request({"message": "m", "backends": ["hook"]}))
    (delivery,) = described["deliveries"]
    assert delivery["url"] == http_server.url + "/hook"
    assert delivery["headers"]["Authorization"] == "***"
    assert http_server.requests == []

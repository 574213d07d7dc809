"""email: a small SMTP server written here, served with asyncio on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import ssl
from dataclasses import dataclass, field

import pytest

from engine.run.actions import email as email_module
from engine.run.actions.base import ActionError, ConfigError
from engine.run.actions.email import EmailAction, detect_content_type

action = EmailAction()


@dataclass
class Mailbox:
    commands: list[str] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    mail_from: list[str] = field(default_factory=list)
    rcpt: list[str] = field(default_factory=list)
    data: list[bytes] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)


async def _smtp_session(reader, writer, box: Mailbox, tls: ssl.SSLContext | None) -> None:
    secure = False

    async def say(text: str) -> None:
        writer.write(text.encode() + b"\r\n")
        await writer.drain()

    await say("220 127.0.0.1 test SMTP")
    while line := await reader.readline():
        command = line.decode().rstrip("\r\n")
        upper = command.upper()
        box.commands.append(command.split(" ")[0].upper())
        if upper.startswith("EHLO"):
            extensions = ["250-127.0.0.1", "250-AUTH PLAIN LOGIN"]
            if tls is not None and not secure:
                extensions.append("250-STARTTLS")
            await say("\r\n".join([*extensions, "250 8BITMIME"]))
        elif upper == "STARTTLS" and tls is not None:
            await say("220 go ahead")
            await writer.start_tls(tls)
            secure = True
        elif upper.startswith("AUTH PLAIN"):
            box.auth.append(base64.b64decode(command.split(" ", 2)[2]).decode())
            box.tls.append(secure)
            await say("235 accepted")
        elif upper.startswith("MAIL FROM:"):
            box.mail_from.append(command[10:])
            await say("250 ok")
        elif upper.startswith("RCPT TO:"):
            box.rcpt.append(command[8:])
            await say("250 ok")
        elif upper == "DATA":
            await say("354 go")
            lines = []
            while (part := await reader.readline()) != b".\r\n":
                lines.append(part)
            box.data.append(b"".join(lines))
            await say("250 queued")
        elif upper == "QUIT":
            await say("221 bye")
            break
        else:
            await say("250 ok")
    writer.close()
    await writer.wait_closed()


async def _with_server(box: Mailbox, coroutine_factory, tls: ssl.SSLContext | None = None):
    server = await asyncio.start_server(lambda r, w: _smtp_session(r, w, box, tls), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        return await coroutine_factory(port)
    finally:
        server.close()
        await server.wait_closed()


def _config(port, **extra):
    return {"smtp_hostname": "127.0.0.1", "smtp_port": str(port), "from_address": "bot@example.com",
            "from_name": "µTask Bot", "to": ["a@example.com", "b@example.com"], "subject": "Déploiement",
            "body": "<html><body>done</body></html>", **extra}


def test_mail_is_delivered(make_request):
    box = Mailbox()
    result = asyncio.run(_with_server(box, lambda port: action.execute(make_request(_config(port)))))
    assert result.output == {"from_address": "bot@example.com", "from_name": "µTask Bot",
                             "to": ["a@example.com", "b@example.com"], "subject": "Déploiement",
                             "body": "<html><body>done</body></html>"}
    assert result.metadata is None
    assert box.mail_from == ["<bot@example.com>"]
    assert box.rcpt == ["<a@example.com>", "<b@example.com>"]
    (data,) = box.data
    assert b"Content-Type: text/html; charset=\"utf-8\"" in data
    assert b"To: a@example.com, b@example.com" in data
    assert b"Subject: =?utf-8?" in data
    assert box.auth == []


def test_auth_plain_to_localhost(make_request):
    box = Mailbox()
    config = _config(0, smtp_username="u", smtp_password="pw", from_name="")
    result = asyncio.run(_with_server(box, lambda port: action.execute(make_request({**config,
                                                                                     "smtp_port": str(port)}))))
    assert "from_name" not in result.output
    assert box.auth == ["\0u\0pw"] and box.tls == [False]


def test_credentials_never_sent_in_clear_to_a_remote_host(make_request, monkeypatch):
    monkeypatch.setattr(email_module, "_LOCALHOST", frozenset())
    box = Mailbox()
    config = _config(0, smtp_username="u", smtp_password="pw")
    with pytest.raises(ActionError, match="^can't send email: unencrypted connection$"):
        asyncio.run(_with_server(box, lambda port: action.execute(make_request({**config, "smtp_port": str(port)}))))
    assert box.auth == [] and box.data == []


def test_starttls_verification(make_request, tls_material):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_material.cert_file, tls_material.key_file)
    box = Mailbox()
    config = _config(0, smtp_username="u", smtp_password="pw")

    def send(skip):
        return lambda port: action.execute(make_request({**config, "smtp_port": str(port),
                                                         "smtp_skip_tls_verify": skip}))

    with pytest.raises(ActionError, match="^can't send email: .*CERTIFICATE_VERIFY_FAILED"):
        asyncio.run(_with_server(box, send("false"), tls=context))
    assert box.auth == []
    asyncio.run(_with_server(box, send("true"), tls=context))
    assert "STARTTLS" in box.commands and box.tls == [True] and len(box.data) == 1


def test_connection_refused_is_a_server_error(make_request):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ActionError, match="^can't send email: "):
        asyncio.run(action.execute(make_request(_config(port))))


@pytest.mark.parametrize(("config", "message"), [
    ({"smtp_port": ""}, "smtp_port is missing"),
    ({"smtp_port": "70000"}, 'can\'t parse smtp_port field "70000": strconv.ParseUint: parsing "70000": value out '
                             "of range"),
    ({"smtp_port": "{{.config.port}}"}, 'can\'t parse smtp_port field "{{.config.port}}": strconv.ParseUint: '
                                        'parsing "{{.config.port}}": invalid syntax'),
    ({"smtp_hostname": ""}, "smtp_hostname is missing"),
    ({"smtp_skip_tls_verify": "maybe"}, 'can\'t parse smtp_skip_tls_verify field "maybe": strconv.ParseBool: '
                                        'parsing "maybe": invalid syntax'),
    ({"from_address": ""}, "from_address is missing"),
    ({"to": []}, "to is missing"),
    ({"subject": ""}, "subject is missing"),
    ({"body": ""}, "body is missing"),
])
def test_validate_messages(config, message):
    with pytest.raises(ConfigError) as caught:
        action.validate({**_config(25), **config})
    assert str(caught.value) == message


def test_content_type_detection():
    assert detect_content_type("  <!DOCTYPE html><p>x") == "text/html; charset=utf-8"
    assert detect_content_type("<p>hello</p>") == "text/html; charset=utf-8"
    assert detect_content_type("<?xml version='1.0'?><a/>") == "text/xml; charset=utf-8"
    assert detect_content_type("<pre>not html") == "text/plain; charset=utf-8"
    assert detect_content_type("hello") == "text/plain; charset=utf-8"


def test_resources_and_describe(make_request):
    box = Mailbox()
    config = _config(2525, smtp_username="u", smtp_password="hunter2")
    assert action.resources(config) == ["socket", "url:127.0.0.1"]
    described = action.describe(make_request(config))
    assert described["smtp_password"] == "***" and "hunter2" not in repr(described)
    assert described["content_type"] == "text/html; charset=utf-8"
    assert box.data == []

"""The `email` plugin (µTask v0.2): sends one mail over SMTP.

Spec: utask-plugins.md §9. Sent with the standard library's smtplib in a worker thread (aiosmtplib is not
installed), the way gopkg.in/mail.v2 does: implicit TLS on port 465, STARTTLS whenever the server offers
it, authentication only when a user name is set and the server offers AUTH, 10 s connection timeout.
Like Go's smtp.PlainAuth, credentials are never sent in clear text to anything but localhost: without TLS
the send fails with `unencrypted connection`. The body's content type is sniffed like Go's
http.DetectContentType (HTML, XML or plain text).
"""

from __future__ import annotations

import asyncio
import re
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any, ClassVar

from engine.run.actions._common import MASK, go_parse_bool, go_parse_uint
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import go_quote
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ConfigError

__all__ = ["EmailAction", "detect_content_type"]

CONFIG = Struct("Config", (
    F("smtp_username", "string"), F("smtp_password", "string"), F("smtp_port", "string"),
    F("smtp_hostname", "string"), F("smtp_skip_tls_verify", "string"), F("from_address", "string"),
    F("from_name", "string"), F("to", "string_list"), F("subject", "string"), F("body", "string"),
))
CONNECT_TIMEOUT = 10.0
_LOCALHOST = frozenset({"localhost", "127.0.0.1", "::1"})
_HTML_TAGS = ("<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A",
              "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--")
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def detect_content_type(body: str) -> str:
    """The text types of net/http's DetectContentType (the sniffing µTask applies to the mail body)."""
    head = body[:512].lstrip("\t\n\x0c\r ")
    upper = head.upper()
    for tag in _HTML_TAGS:
        if upper.startswith(tag) and len(head) > len(tag) and head[len(tag)] in " >":
            return "text/html; charset=utf-8"
    if head.startswith("<?xml"):
        return "text/xml; charset=utf-8"
    if _BINARY.search(body[:512]):
        return "application/octet-stream"
    return "text/plain; charset=utf-8"


def _build_message(cfg: Mapping[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((cfg["from_name"], cfg["from_address"])) if cfg["from_name"] else cfg["from_address"]
    message["To"] = ", ".join(cfg["to"] or [])
    message["Subject"] = cfg["subject"]
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid()
    content_type = detect_content_type(cfg["body"])
    maintype, _, rest = content_type.partition("/")
    subtype = rest.split(";", 1)[0]
    if maintype == "text":
        message.set_content(cfg["body"], subtype=subtype, charset="utf-8", cte="quoted-printable")
    else:
        message.set_content(cfg["body"].encode("utf-8", "surrogateescape"), maintype=maintype, subtype=subtype)
    return message


def _tls_context(skip_verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if skip_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _send(cfg: Mapping[str, Any], port: int, skip_verify: bool, message: EmailMessage) -> None:
    host = cfg["smtp_hostname"]
    context = _tls_context(skip_verify)
    client: smtplib.SMTP
    if port == 465:
        client = smtplib.SMTP_SSL(host, port, timeout=CONNECT_TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=CONNECT_TIMEOUT)
    with client:
        client.ehlo_or_helo_if_needed()
        encrypted = port == 465
        if not encrypted and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
            encrypted = True
        if cfg["smtp_username"] and client.has_extn("auth"):
            offers_cram = "CRAM-MD5" in client.esmtp_features.get("auth", "").upper()
            if not encrypted and host not in _LOCALHOST and not offers_cram:
                raise smtplib.SMTPException("unencrypted connection")
            client.login(cfg["smtp_username"], cfg["smtp_password"])
        client.send_message(message, from_addr=cfg["from_address"], to_addrs=list(cfg["to"] or []))


def _runtime_settings(cfg: Mapping[str, Any]) -> tuple[int, bool]:
    try:
        port = go_parse_uint(cfg["smtp_port"], 16)
        skip = go_parse_bool(cfg["smtp_skip_tls_verify"]) if cfg["smtp_skip_tls_verify"] else False
    except ValueError as exc:
        raise ActionError(f"can't send email: {exc}") from None
    return port, skip


class EmailAction(Action):
    name: ClassVar[str] = "email"
    version: ClassVar[str] = "0.2"
    side_effects: ClassVar[bool] = True

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        if not cfg["smtp_port"]:
            raise ConfigError("smtp_port is missing")
        try:
            go_parse_uint(cfg["smtp_port"], 16)
        except ValueError as exc:
            raise ConfigError(f"can't parse smtp_port field {go_quote(cfg['smtp_port'])}: {exc}") from None
        if not cfg["smtp_hostname"]:
            raise ConfigError("smtp_hostname is missing")
        flag = cfg["smtp_skip_tls_verify"]
        if flag:
            try:
                go_parse_bool(flag)
            except ValueError as exc:
                raise ConfigError(f"can't parse smtp_skip_tls_verify field {go_quote(flag)}: {exc}") from None
        for key, message in (("from_address", "from_address is missing"), ("to", "to is missing"),
                             ("subject", "subject is missing"), ("body", "body is missing")):
            if not cfg[key]:
                raise ConfigError(message)

    def resources(self, configuration: Mapping[str, Any]) -> list[str]:
        try:
            cfg = decode(configuration, CONFIG)
        except ConfigError:
            return []
        return ["socket", f"url:{cfg['smtp_hostname']}"]

    @staticmethod
    def _parameters(cfg: Mapping[str, Any]) -> dict[str, Any]:
        output: dict[str, Any] = {"from_address": cfg["from_address"]}
        if cfg["from_name"]:
            output["from_name"] = cfg["from_name"]
        output.update(to=list(cfg["to"] or []), subject=cfg["subject"], body=cfg["body"])
        return output

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            cfg = decode(request.configuration, CONFIG)
        except ConfigError as exc:
            return {"action": self.name, "error": str(exc)}
        return {"action": self.name, "smtp_hostname": cfg["smtp_hostname"], "smtp_port": cfg["smtp_port"],
                "smtp_username": cfg["smtp_username"], "smtp_password": MASK if cfg["smtp_password"] else "",
                "tls": "implicit" if cfg["smtp_port"] == "465" else "starttls when offered",
                "content_type": detect_content_type(cfg["body"]), **self._parameters(cfg)}

    async def execute(self, request: ActionRequest) -> ActionResult:
        cfg = decode_or_fail(request.configuration, CONFIG)
        port, skip_verify = _runtime_settings(cfg)
        message = _build_message(cfg)
        try:
            await asyncio.to_thread(_send, cfg, port, skip_verify, message)
        except (smtplib.SMTPException, OSError, ssl.SSLError, ValueError) as exc:
            raise ActionError(f"can't send email: {_error_text(exc)}") from None
        return ActionResult(output=self._parameters(cfg))


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {detail}"
    return str(exc) or type(exc).__name__

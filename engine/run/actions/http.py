"""The `http` plugin (µTask v1.0): one HTTP request, the response body as output.

Spec: utask-plugins.md §2. Differences from µTask, all deliberate:
* the request is sent by httpx (HTTP/1.1 only; µTask's Go transport may negotiate HTTP/2);
* the default `User-Agent` is `utask-studio` instead of Go's `Go-http-client/1.1`;
* a method is sent upper-cased (httpx does so), which only matters for a templated lower-case method.
Everything else follows µTask: `url` or `host`+`path`, the query string re-encoded and sorted by key as Go's
url.Values.Encode does, headers *set* (a later duplicate name wins), the same Content-Type sniffing, string
booleans, a timeout covering the whole exchange, TLS verification on unless `insecure_skip_verify`, gzip
decoded transparently only when the template did not ask for an encoding itself.
"""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import quote, unquote_plus, urlsplit

import httpx

from engine.gocompat import parse_duration
from engine.run.actions._common import MASK, go_parse_bool, is_secret_name
from engine.run.actions._config import F, Struct, decode, decode_or_fail
from engine.run.actions._gojson import JSONError, loads
from engine.run.actions._httputil import (
    canonical_header_key,
    env_proxy,
    make_ssl_context,
    transport_error_text,
    unmarshal_response,
    url_host,
)
from engine.run.actions._xmlsniff import looks_like_xml
from engine.run.actions.base import Action, ActionError, ActionRequest, ActionResult, ConfigError

__all__ = ["HttpAction", "PreparedRequest", "prepare_request"]

_PARAM = Struct("parameter", (F("name", "string"), F("value", "string")))
_USER_PASSWORD = Struct("authBasic", (F("user", "string"), F("password", "string")))
_MTLS = Struct("mTLS", (F("client_cert", "string"), F("client_key", "string")))
_AUTH = Struct("auth", (
    F("basic", "object", "*pluginhttp.authBasic", _USER_PASSWORD),
    F("digest", "object", "*pluginhttp.authDigest", _USER_PASSWORD),
    F("bearer", "string_ptr", "*string"),
    F("mutual_tls", "object", "*pluginhttp.mTLS", _MTLS),
))
CONFIG = Struct("HTTPConfig", (
    F("url", "string"), F("host", "string"), F("path", "string"), F("method", "string"), F("body", "string"),
    F("headers", "object_list", "[]pluginhttp.parameter", _PARAM),
    F("timeout", "string"),
    F("auth", "object", "pluginhttp.auth", _AUTH),
    F("follow_redirect", "string"),
    F("query_parameters", "object_list", "[]pluginhttp.parameter", _PARAM),
    F("trim_prefix", "string"), F("insecure_skip_verify", "string"), F("root_ca", "string"),
))

TIMEOUT_DEFAULT = "30s"
MAX_REDIRECTS = 10
USER_AGENT = "utask-studio"
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def _auth(cfg: Mapping[str, Any]) -> dict[str, Any]:
    auth = cfg["auth"]
    return auth if isinstance(auth, dict) else {"basic": None, "digest": None, "bearer": None, "mutual_tls": None}


def _query_escape(text: str) -> str:
    """url.QueryEscape."""
    return quote(text, safe="-_.~").replace("%20", "+")


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _parse_query(raw: str) -> list[tuple[str, str]]:
    """url.ParseQuery, keeping what Go keeps (pairs with `;` or a bad escape are dropped)."""
    pairs = []
    for part in raw.split("&"):
        if not part or ";" in part:
            continue
        key, _, value = part.partition("=")
        if _BAD_ESCAPE.search(key) or _BAD_ESCAPE.search(value):
            continue
        pairs.append((unquote_plus(key), unquote_plus(value)))
    return pairs


def _encode_query(pairs: list[tuple[str, str]]) -> str:
    """url.Values.Encode: keys sorted, values of one key in order."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return "&".join(f"{_query_escape(key)}={_query_escape(value)}"
                    for key in sorted(grouped) for value in grouped[key])


@dataclass(slots=True)
class PreparedRequest:
    method: str
    url: str
    headers: dict[str, str]  # canonical name → value, in insertion order
    body: bytes
    timeout: float | None
    follow_redirect: bool
    insecure_skip_verify: bool
    root_ca: str = ""
    trim_prefix: str = ""
    client_cert: str = ""
    client_key: str = field(default="", repr=False)
    digest: tuple[str, str] | None = field(default=None, repr=False)


def _target(cfg: Mapping[str, Any]) -> str:
    if cfg["url"]:
        return str(cfg["url"])
    host, path = urlsplit(cfg["host"]), urlsplit(cfg["path"])
    path_part = path.path
    if path_part and not path_part.startswith("/") and host.netloc:
        path_part = "/" + path_part
    target = f"{host.scheme}://{host.netloc}{path_part}" if host.scheme else f"//{host.netloc}{path_part}"
    return target + (f"?{path.query}" if path.query else "")


def _with_query(target: str, extra: list[tuple[str, str]]) -> str:
    parts = urlsplit(target)
    query = _encode_query([*_parse_query(parts.query), *extra])
    base = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else f"{parts.netloc}{parts.path}"
    return base + (f"?{query}" if query else "")


def _sniff_content_type(body: bytes) -> str | None:
    text = body.decode("utf-8", "replace")
    try:
        loads(text, exact=True, first_value=True)
        return "application/json"
    except JSONError:
        pass
    return "application/xml" if looks_like_xml(body) else None


def prepare_request(cfg: Mapping[str, Any]) -> PreparedRequest:
    """The request µTask would send for a decoded configuration; ActionError for run-time config errors."""
    body = str(cfg["body"]).encode("utf-8", "surrogateescape")
    try:
        target = _target(cfg)
    except ValueError as exc:
        raise ActionError(f"failed to parse host: {exc}") from None
    try:
        url = _with_query(target, [(p["name"], p["value"]) for p in cfg["query_parameters"] or []])
    except ValueError as exc:
        raise ActionError(f"failed to create HTTP request: {exc}") from None
    headers: dict[str, str] = {}
    auth = _auth(cfg)
    if auth["bearer"] is not None:
        headers["Authorization"] = "Bearer " + auth["bearer"]
    elif auth["basic"] is not None:
        pair = f"{auth['basic']['user']}:{auth['basic']['password']}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    for header in cfg["headers"] or []:
        headers[canonical_header_key(header["name"])] = header["value"]
    if body and not headers.get("Content-Type"):
        sniffed = _sniff_content_type(body)
        if sniffed:
            headers["Content-Type"] = sniffed
    timeout_text = cfg["timeout"] or TIMEOUT_DEFAULT
    try:
        timeout = parse_duration(timeout_text)
    except ValueError as exc:
        raise ActionError(f"failed to parse timeout: {exc}") from None
    flags = {}
    for key in ("follow_redirect", "insecure_skip_verify"):
        try:
            flags[key] = go_parse_bool(cfg[key]) if cfg[key] else False
        except ValueError as exc:
            raise ActionError(f"failed to parse {key}: {exc}") from None
    mtls = auth["mutual_tls"] or {}
    digest = auth["digest"]
    return PreparedRequest(
        method=cfg["method"], url=url, headers=headers, body=body, timeout=timeout if timeout > 0 else None,
        follow_redirect=flags["follow_redirect"], insecure_skip_verify=flags["insecure_skip_verify"],
        root_ca=cfg["root_ca"], trim_prefix=cfg["trim_prefix"], client_cert=mtls.get("client_cert", ""),
        client_key=mtls.get("client_key", ""),
        digest=(digest["user"], digest["password"]) if digest is not None else None)


class HttpAction(Action):
    name: ClassVar[str] = "http"
    version: ClassVar[str] = "1.0"
    side_effects: ClassVar[bool] = True

    def validate(self, configuration: Mapping[str, Any]) -> None:
        cfg = decode(configuration, CONFIG)
        method = cfg["method"]
        if not method.startswith("{{") and not method.endswith("}}") and method not in _METHODS:
            raise ConfigError(f"unknown method for HTTP runner: {method}")
        if cfg["url"] and (cfg["host"] or cfg["path"]):
            raise ConfigError("URL field conflicts with Host+Path")
        if not cfg["host"] and not cfg["url"]:
            raise ConfigError("missing either URL or Host")
        for key, label in (("headers", "header"), ("query_parameters", "query parameter")):
            for parameter in cfg[key] or []:
                if not parameter["name"]:
                    raise ConfigError(f"missing {label} name (with value '{parameter['value']}')")
        auth = _auth(cfg)
        if sum(auth[kind] is not None for kind in ("basic", "bearer", "digest")) > 1:
            raise ConfigError("basic|digest|bearer authentications are mutually exclusive")
        for kind in ("basic", "digest"):
            pair = auth[kind]
            if pair is not None and (not pair["user"] or not pair["password"]):
                raise ConfigError(f"missing either user or password for {kind} auth")
        if auth["bearer"] is not None and not auth["bearer"]:
            raise ConfigError("missing bearer token value")
        mtls = auth["mutual_tls"]
        if mtls is not None and (not mtls["client_cert"] or not mtls["client_key"]):
            raise ConfigError("missing either client_cert or client_key for mTLS")

    def resources(self, configuration: Mapping[str, Any]) -> list[str]:
        try:
            cfg = decode(configuration, CONFIG)
        except ConfigError:
            return []
        host = url_host(cfg["url"] if not cfg["host"] else cfg["host"])
        return ["socket", f"url:{host}"] if host else ["socket"]

    def describe(self, request: ActionRequest) -> dict[str, Any]:
        try:
            prepared = prepare_request(decode(request.configuration, CONFIG))
        except (ConfigError, ActionError) as exc:
            return {"action": self.name, "error": str(exc)}
        headers = {name: (MASK if is_secret_name(name) else value) for name, value in prepared.headers.items()}
        described: dict[str, Any] = {
            "action": self.name, "method": prepared.method, "url": prepared.url, "headers": headers,
            "body": prepared.body.decode("utf-8", "replace"), "timeout_seconds": prepared.timeout,
            "follow_redirect": prepared.follow_redirect, "tls_verify": not prepared.insecure_skip_verify,
        }
        if prepared.digest is not None:
            described["auth"] = {"digest": {"user": prepared.digest[0], "password": MASK}}
        if prepared.client_cert:
            described["mutual_tls"] = {"client_cert": prepared.client_cert, "client_key": MASK}
        if prepared.root_ca:
            described["root_ca"] = prepared.root_ca
        return described

    async def execute(self, request: ActionRequest) -> ActionResult:
        prepared = prepare_request(decode_or_fail(request.configuration, CONFIG))
        output, metadata = await send(prepared)
        return ActionResult(output=output, metadata=metadata)


async def send(prepared: PreparedRequest) -> tuple[Any, dict[str, Any]]:
    """Send a prepared request and apply µTask's response handling."""
    try:
        context = make_ssl_context(insecure=prepared.insecure_skip_verify, root_ca=prepared.root_ca,
                                   client_cert=prepared.client_cert, client_key=prepared.client_key)
    except ValueError as exc:
        raise ActionError(str(exc)) from None
    auth = httpx.DigestAuth(*prepared.digest) if prepared.digest is not None else None
    user_encoding = "Accept-Encoding" in prepared.headers
    async with httpx.AsyncClient(verify=context, follow_redirects=prepared.follow_redirect,
                                 max_redirects=MAX_REDIRECTS, timeout=None, trust_env=False,
                                 proxy=env_proxy(prepared.url)) as client:
        try:
            outgoing = client.build_request(prepared.method, prepared.url, content=prepared.body or None)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
            raise ActionError(f"failed to create HTTP request: {exc}") from None
        outgoing.headers.pop("Accept", None)
        outgoing.headers["User-Agent"] = USER_AGENT
        if not user_encoding:
            outgoing.headers["Accept-Encoding"] = "gzip"
        for name, value in prepared.headers.items():
            outgoing.headers[name] = value
        return await _exchange(client, outgoing, prepared, auth, user_encoding)


async def _exchange(client: httpx.AsyncClient, outgoing: httpx.Request, prepared: PreparedRequest,
                    auth: httpx.Auth | None, user_encoding: bool) -> tuple[Any, dict[str, Any]]:
    headers_received = False
    try:
        async with asyncio.timeout(prepared.timeout):
            response = await client.send(outgoing, auth=auth, stream=True)
            headers_received = True
            try:
                if user_encoding:
                    body = b"".join([chunk async for chunk in response.aiter_raw()])
                else:
                    body = await response.aread()
            finally:
                await response.aclose()
    except TimeoutError:
        if headers_received:
            raise ActionError("can't read body: context deadline exceeded (Client.Timeout or context "
                              "cancellation while reading body)") from None
        reason = transport_error_text(prepared.method, prepared.url, TimeoutError())
        raise ActionError(f"can't do HTTP request: {reason}") from None
    except Exception as exc:  # httpx errors, and what escapes it (bad ports, exception groups…)
        if headers_received:
            raise ActionError(f"can't read body: {exc}") from None
        reason = transport_error_text(prepared.method, prepared.url, exc)
        raise ActionError(f"can't do HTTP request: {reason}") from None
    dropped: tuple[str, ...] = ()
    if not user_encoding and response.headers.get("Content-Encoding", "").lower() == "gzip":
        dropped = ("Content-Encoding", "Content-Length")
    raw = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw]
    return unmarshal_response(response.status_code, raw, trim_prefix(body, prepared.trim_prefix), dropped)


def trim_prefix(body: bytes, prefix: str) -> bytes:
    data = prefix.encode("utf-8", "surrogateescape")
    return body[len(data):] if data and body.startswith(data) else body

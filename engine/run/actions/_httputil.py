"""What `http`, `apiovh` and `notify` share: µTask's `httputil.UnmarshalResponse`, Go's header and cookie
handling, Go-like transport error texts and TLS contexts."""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
import tempfile
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import httpx

from engine.run.actions._gojson import JSONError, go_quote, loads
from engine.run.actions.base import ActionError, ClientError

__all__ = ["canonical_header_key", "env_proxy", "go_method_op", "make_ssl_context", "parse_cookies",
           "transport_error_text", "unmarshal_response", "url_host"]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_HOST_CHARS = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:\[\]<>\"%]*\Z")


def canonical_header_key(name: str) -> str:
    """textproto.CanonicalMIMEHeaderKey: `x-request-id` → `X-Request-Id`; invalid names are left as is."""
    if not _TOKEN.match(name):
        return name
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def url_host(raw: str) -> str:
    """`url.Parse(raw).Host`, or "" when Go would fail to parse it or find no host."""
    try:
        parts = urlsplit(raw)
    except ValueError:
        return ""
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.rpartition("@")[2]
    if not _HOST_CHARS.match(host):
        return ""
    return host


def env_proxy(url: str) -> str | None:
    """The proxy Go's ProxyFromEnvironment would use for `url` (HTTP(S)_PROXY / NO_PROXY; never for loopback).

    Clients are built with trust_env=False (no .netrc credentials, no other environment settings), so the
    proxy is the only thing taken from the environment, as in Go."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    proxy = getproxies().get(parts.scheme)
    if not proxy or proxy_bypass(host):
        return None
    return proxy


def go_method_op(method: str) -> str:
    """The `Op` of Go's url.Error: the method with only its first letter upper case (`Get`, `Post`)."""
    return method[:1].upper() + method[1:].lower()


_COOKIE_VALUE_OK = re.compile(r'[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e ,]*\Z')


def parse_cookies(set_cookie_values: Iterable[str]) -> dict[str, str]:
    """name → value of the valid `Set-Cookie` headers (net/http's readSetCookies; last one wins)."""
    cookies: dict[str, str] = {}
    for line in set_cookie_values:
        first = line.split(";", 1)[0].strip()
        name, sep, value = first.partition("=")
        name = name.strip()
        if not sep or not _TOKEN.match(name):
            continue
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1]
        if not _COOKIE_VALUE_OK.match(value):
            continue
        cookies[name] = value
    return cookies


def unmarshal_response(status: int, raw_headers: Iterable[tuple[str, str]], body: bytes,
                       drop_headers: Iterable[str] = ()) -> tuple[Any, dict[str, Any]]:
    """µTask's UnmarshalResponse: (output, metadata) or an ActionError carrying them."""
    headers: dict[str, str] = {}
    set_cookies: list[str] = []
    dropped = {canonical_header_key(name) for name in drop_headers}
    for name, value in raw_headers:
        key = canonical_header_key(name)
        if key == "Set-Cookie":
            set_cookies.append(value)
        if key not in dropped:
            headers.setdefault(key, value)
    metadata: dict[str, Any] = {"HTTPStatus": status, "HTTPHeaders": headers,
                                "HTTPCookies": parse_cookies(set_cookies)}
    text = body.decode("utf-8", "replace")
    media_type = headers.get("Content-Type", "").split(";", 1)[0]
    output: Any
    if media_type == "application/json" and body:
        try:
            output = loads(text, exact=True, first_value=True)
        except JSONError as exc:
            raise ActionError(f"can't unmarshal body: {exc}", metadata=metadata) from None
    else:
        output = text
    if status < 200 or status > 299:
        message = f"failed api request: {status}: {text}"
        if 399 < status < 500:
            raise ClientError(f"Client error: {message}", output=output, metadata=metadata)
        raise ActionError(message, output=output, metadata=metadata)
    return output, metadata


def transport_error_text(method: str, url: str, exc: BaseException) -> str:
    """A Go-like `url.Error` text: `Get "http://…": dial tcp 127.0.0.1:1: connect: connection refused`."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TooManyRedirects):
        reason = "stopped after 10 redirects"
    elif isinstance(exc, httpx.ConnectError) and _refused(exc):
        reason = f"dial tcp {url_host(url) or url}: connect: connection refused"
    elif isinstance(exc, httpx.UnsupportedProtocol):
        reason = f"unsupported protocol scheme {go_quote(urlsplit(url).scheme)}"
    elif isinstance(exc, TimeoutError | httpx.TimeoutException):
        reason = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
    return f"{go_method_op(method)} {go_quote(url)}: {reason}"


def _refused(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError) or "refused" in str(current).lower():
            return True
        if isinstance(current, BaseExceptionGroup):
            if any(_refused(inner) for inner in current.exceptions):
                return True
        current = current.__cause__ or current.__context__
    return False


_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def make_ssl_context(*, insecure: bool = False, root_ca: str = "", client_cert: str = "",
                     client_key: str = "") -> ssl.SSLContext:
    """A client TLS context: system roots (+ `root_ca`), verification on unless `insecure`, optional client
    certificate. Raises ValueError with µTask's messages for bad material."""
    context = ssl.create_default_context()
    if not context.cert_store_stats().get("x509_ca"):
        import certifi

        context.load_verify_locations(cafile=certifi.where())
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if client_cert or client_key:
        _load_client_pair(context, client_cert, client_key)
    if root_ca:
        added = 0
        for block in _PEM_BLOCK.findall(root_ca):
            try:
                context.load_verify_locations(cadata=block)
                added += 1
            except (ssl.SSLError, ValueError):
                continue
        if not added:
            raise ValueError("failed to craft a new http transport: WithTLSRootCA: failed to add a certificate "
                             "to the cert pool")
    return context


def _load_client_pair(context: ssl.SSLContext, cert: str, key: str) -> None:
    # The ssl module only loads a client certificate from files: write both to a private temporary folder
    # that is removed at once.
    with tempfile.TemporaryDirectory(prefix="utask-mtls-") as folder:
        os.chmod(folder, 0o700)
        cert_path, key_path = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
        for path, text in ((cert_path, cert), (key_path, key)):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
        try:
            context.load_cert_chain(cert_path, key_path)
        except (ssl.SSLError, OSError) as exc:
            raise ValueError(f"failed to parse x509 mTLS certificate or key: {exc}") from None

"""Fixtures for the action plugin tests: a fake EngineServices, requests, and real servers on 127.0.0.1."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from engine.run.actions.base import ActionRequest


class FakeServices:
    """The engine boundary, faked: tasks in a dict, callbacks in a dict, a fixed clock."""

    def __init__(self, scripts_dir: str = ".") -> None:
        self.scripts_dir = scripts_dir
        self.now: Callable[[], datetime.datetime] = lambda: datetime.datetime(2026, 1, 2, 3, 4, 5,
                                                                               tzinfo=datetime.UTC)
        self.tasks: dict[str, dict[str, Any]] = {}
        self.created: list[dict[str, Any]] = []
        self.callbacks: dict[str, Any] = {}
        self.calls: list[str] = []
        self.create_error: Exception | None = None
        self.templates = {"child", "batched"}

    async def create_task(self, template: str, inputs: Mapping[str, Any], *, parent_task_id: str,
                          tags: Mapping[str, str], delay: float | None) -> str:
        self.calls.append("create_task")
        if self.create_error is not None:
            raise self.create_error
        if template not in self.templates:
            raise KeyError(template)
        task_id = f"task-{len(self.created) + 1}"
        self.created.append({"id": task_id, "template": template, "inputs": dict(inputs),
                             "parent_task_id": parent_task_id, "tags": dict(tags), "delay": delay})
        self.tasks[task_id] = {"id": task_id, "state": "TODO", "result": {}, "resolver_username": None,
                               "requester_username": "alice", "resolution_id": "res-" + task_id}
        return task_id

    async def task_summary(self, task_id: str) -> dict[str, Any]:
        self.calls.append("task_summary")
        return dict(self.tasks[task_id])

    def callback_url(self, callback_id: str, secret: str) -> str:
        self.calls.append("callback_url")
        return f"http://127.0.0.1:8081/unsecured/callback/{callback_id}?t={secret}"

    def callback_body(self, callback_id: str) -> Any:
        self.calls.append("callback_body")
        if callback_id not in self.callbacks:
            raise KeyError(callback_id)
        return self.callbacks[callback_id]


@pytest.fixture
def services(tmp_path: Path) -> FakeServices:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    return FakeServices(str(scripts))


@pytest.fixture
def make_request(services: FakeServices) -> Callable[..., ActionRequest]:
    def _make(configuration: dict[str, Any], *, context: dict[str, Any] | None = None, step: str = "stepOne",
              previous_output: Any = None, svc: Any = None) -> ActionRequest:
        return ActionRequest(step_name=step, configuration=configuration, context=context, task_id="t-parent",
                             resolution_id="r-1", services=svc or services, previous_output=previous_output)

    return _make


# ------------------------------------------------------------------------------------------------ HTTP server

@dataclass
class Recorded:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0


Route = Callable[[Recorded], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[Recorded] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that give up (timeouts, refused certificates) are expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        recorded = Recorded(self.command, self.path, list(self.headers.items()), body)
        self.server.requests.append(recorded)
        route = self.server.routes.get(urlsplit(self.path).path)
        reply = route(recorded) if route else Reply(404, b"no route")
        if reply.delay:
            threading.Event().wait(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class HttpServer:
    def __init__(self, server: _Server, scheme: str) -> None:
        self._server = server
        self.port = server.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.requests = server.requests
        self.routes = server.routes

    @staticmethod
    def reply(status: int = 200, body: bytes = b"", headers: list[tuple[str, str]] | None = None) -> Reply:
        return Reply(status, body, list(headers or []))

    def route(self, path: str, status: int = 200, body: bytes | str = b"",
              headers: list[tuple[str, str]] | None = None, delay: float = 0.0) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = lambda _request: Reply(status, data, list(headers or []), delay)


def _serve(context: ssl.SSLContext | None) -> Iterator[HttpServer]:
    server = _Server()
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield HttpServer(server, "https" if context else "http")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def http_server() -> Iterator[HttpServer]:
    yield from _serve(None)


@dataclass
class TlsMaterial:
    cert_pem: str
    key_pem: str
    cert_file: Path
    key_file: Path


@pytest.fixture
def tls_material(tmp_path: Path) -> TlsMaterial:
    """A self-signed certificate for 127.0.0.1 (needs the `cryptography` package)."""
    crypto = pytest.importorskip("cryptography", reason="cryptography is not installed: cannot make a certificate")
    del crypto
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_text(cert_pem)
    key_file.write_text(key_pem)
    return TlsMaterial(cert_pem, key_pem, cert_file, key_file)


@pytest.fixture
def https_server(tls_material: TlsMaterial) -> Iterator[HttpServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_material.cert_file, tls_material.key_file)
    yield from _serve(context)

"""Fixtures for the fetcher tests: a real threaded HTTP server on 127.0.0.1 and a guard against outside connects."""

from __future__ import annotations

import contextlib
import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from server.service.config import Config

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    """One request the local server received."""

    path: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    """A threaded HTTP(S) server on 127.0.0.1 whose answers the test sets per path."""

    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    httpd: http.server.ThreadingHTTPServer | None = None
    scheme: str = "http"

    @property
    def port(self) -> int:
        assert self.httpd is not None
        return self.httpd.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def page(self, path: str, body: bytes | str, content_type: str | None = "text/html; charset=utf-8",
             status: int = 200, headers: dict[str, str] | None = None, length: bool = True) -> None:
        """Serve ``body`` at ``path`` with the given status and headers (no Content-Type when None)."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def handle(h: http.server.BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            if content_type is not None:
                h.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                h.send_header(name, value)
            if length:
                h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)

        self.route(path, handle)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.page(path, b"", content_type=None, status=status, headers={"Location": location})


def _make_handler(server: LocalServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            server.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            handler = server.routes.get(self.path.split("?", 1)[0])
            if handler is None:
                self.send_error(404, "Not Found")
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def _serve(server: LocalServer, context: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(server))
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.handle_error = lambda request, address: None  # resets and broken pipes are what some tests do
    if context is not None:
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        server.scheme = "https"
    server.httpd = httpd
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def site() -> Iterator[LocalServer]:
    """A fresh local HTTP server on 127.0.0.1 for one test."""
    yield from _serve(LocalServer())


@dataclass(frozen=True)
class Cert:
    """A self-signed certificate for ``news.test`` and the files that hold it."""

    cert: Path
    key: Path


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> Cert:
    """A throwaway self-signed certificate for the name ``news.test`` (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=news.test",
         "-addext", "subjectAltName=DNS:news.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return Cert(cert, key)


@pytest.fixture
def tls_site(cert: Cert) -> Iterator[LocalServer]:
    """A local HTTPS server on 127.0.0.1 presenting the ``news.test`` certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert.cert, cert.key)
    yield from _serve(LocalServer(), context)


@pytest.fixture
def client_tls(cert: Cert) -> ssl.SSLContext:
    """A client TLS context that trusts only the test certificate (hostname checking on)."""
    return ssl.create_default_context(cafile=str(cert.cert))


@pytest.fixture
def config() -> Config:
    """Settings for fetching from the local server: private network allowed, small limits."""
    return Config(allow_private_network=True, fetch_timeout=5.0, max_page_bytes=1_000_000)


class Resolver:
    """A resolver that answers from a table (a list of answers per name is used up call by call) and logs calls."""

    def __init__(self, table: dict[str, list[str] | list[list[str]]]) -> None:
        self.table = table
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        answer = self.table.get(host)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if answer and isinstance(answer[0], list):
            return list(answer.pop(0) if len(answer) > 1 else answer[0])  # type: ignore[arg-type]
        return list(answer)  # type: ignore[arg-type]


@pytest.fixture
def resolver_factory() -> Callable[[dict], Resolver]:
    """Build a :class:`Resolver` from a table."""
    return Resolver


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any test whose code tries to connect outside 127.0.0.0/8, and refuse that connection."""
    attempts: list[str] = []
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        try:
            ok = ipaddress.ip_address(str(host).split("%", 1)[0]) in ipaddress.ip_network("127.0.0.0/8")
        except ValueError:
            ok = False
        if not ok:
            attempts.append(str(host))
            raise ConnectionRefusedError(f"test guard: no connections outside 127.0.0.0/8 ({host})")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts
    assert not attempts, f"the code tried to connect outside 127.0.0.0/8: {attempts}"


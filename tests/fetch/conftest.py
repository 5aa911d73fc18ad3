"""Fixtures for the fetcher tests: tests/support's page server (HTTP and HTTPS) and a guard against outside connects."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from server.service.config import Config
from tests.support.pages import PageServer
from tests.support.requires import missing


@pytest.fixture
def site() -> Iterator[PageServer]:
    """A fresh local HTTP server on 127.0.0.1 for one test."""
    with PageServer() as server:
        yield server


@dataclass(frozen=True)
class Cert:
    """A self-signed certificate for ``news.test`` and the files that hold it."""

    cert: Path
    key: Path


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> Cert:
    """A throwaway self-signed certificate for the name ``news.test`` (made with the openssl command)."""
    if shutil.which("openssl") is None:
        missing("the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=news.test",
         "-addext", "subjectAltName=DNS:news.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return Cert(cert, key)


@pytest.fixture
def tls_site(cert: Cert) -> Iterator[PageServer]:
    """A local HTTPS server on 127.0.0.1 presenting the ``news.test`` certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert.cert, cert.key)
    with PageServer(tls=context) as server:
        yield server


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


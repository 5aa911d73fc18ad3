"""Real servers for the API tests: `pith serve` subprocesses, a local page server, a real redis-server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


class PithProcess:
    """`pith serve` in a subprocess on a free loopback port, with its own data directory."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, workers: int = 1) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PITH_", "TELEGRAM_"))},
            "PITH_ALLOW_PRIVATE_NETWORK": "1",
            "PITH_DATA_DIR": str(data_dir),
            "PITH_RATE_LIMIT": "0",
            "PITH_FETCH_TIMEOUT": "3",
            "PITH_LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        self.workers = workers
        self.log = data_dir / "server.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> PithProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers)],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            _wait_port(self.port, self.proc)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"pith serve did not start: {exc}\n{self.log.read_text()[-3000:]}") from None
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> int | None:
        """SIGTERM (graceful), then the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `pith …` with this server's environment."""
        return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="session")
def pith_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Start extra servers; all are stopped at the end of the session."""
    started: list[PithProcess] = []

    def make(name: str, env: dict[str, str] | None = None, workers: int = 1) -> PithProcess:
        server = PithProcess(tmp_path_factory.mktemp(name), env, workers).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def pith(pith_factory) -> PithProcess:
    """The main server: no token, no rate limit, SQLite cache, two workers, a small body limit."""
    return pith_factory("main", {"PITH_MAX_BODY_BYTES": "1000000"}, workers=2)


@pytest.fixture(scope="session")
def client(pith: PithProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=pith.url, timeout=30) as c:
        yield c


class PageServer:
    """A loopback web server with pages for the fetcher, counting how often each path is asked for."""

    def __init__(self, pages: dict[str, tuple[int, str, bytes, float]]) -> None:
        self.pages = pages
        self.hits: Counter[str] = Counter()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                outer.hits[path] += 1
                status, ctype, body, delay = outer.pages.get(path, (404, "text/html", b"<h1>404</h1>", 0.0))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def article_html(samples_dir: Path) -> bytes:
    """An HTML news page of the project's own samples."""
    pages = sorted(samples_dir.glob("*.html"))
    if not pages:
        pytest.skip("no HTML sample page in server/samples yet")
    return pages[0].read_bytes()


@pytest.fixture(scope="session")
def page_server(article_html: bytes) -> Iterator[PageServer]:
    pages = {
        "/article.html": (200, "text/html; charset=utf-8", article_html, 0.0),
        "/cached.html": (200, "text/html; charset=utf-8", article_html, 0.0),
        "/redis.html": (200, "text/html; charset=utf-8", article_html, 0.0),
        "/broken": (500, "text/html", b"<h1>Server error</h1>", 0.0),
        "/gone": (404, "text/html", b"<h1>Not found</h1>", 0.0),
        "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200), 0.0),
        "/slow": (200, "text/html", article_html, 8.0),
    }
    server = PageServer(pages)
    yield server
    server.close()


class RedisProcess:
    """A real redis-server on a free loopback port, without persistence."""

    def __init__(self, workdir: Path) -> None:
        if not Path(REDIS_SERVER).exists():
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port, self.proc, timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    """A redis-server of a single test's own, which the test may stop."""
    server = RedisProcess(tmp_path_factory.mktemp("redis-own"))
    yield server
    server.stop()


def load_json(response: httpx.Response) -> dict:
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    return json.loads(response.content)


@pytest.fixture(scope="session")
def openapi_doc(client: httpx.Client) -> dict:
    """The server's own OpenAPI document."""
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return load_json(response)


@pytest.fixture(scope="session")
def conforms(openapi_doc: dict):
    """``conforms(name, instance)``: validate against ``#/components/schemas/<name>`` of the document."""
    from jsonschema import Draft202012Validator

    def check(name: str, instance: object) -> None:
        schema = {"$ref": f"#/components/schemas/{name}", "components": openapi_doc["components"]}
        Draft202012Validator(schema).validate(instance)

    return check


def assert_verbatim(digest: dict) -> None:
    """Every item with offsets is exactly the text it points at (SPEC §1)."""
    text = digest["text"]
    for item in digest["summary"]:
        assert text[item["start"]:item["end"]] == item["text"]
    for fact in digest["facts"]:
        assert text[fact["start"]:fact["end"]] == fact["text"]
        for fig in fact["figures"]:
            assert text[fig["start"]:fig["end"]] == fig["text"]
    for quote in digest["quotes"]:
        parts = [text[s:e] for s, e in quote["spans"]]
        assert all(parts)
        assert " … ".join(parts) == quote["text"] or quote["text"] == parts[0]


@pytest.fixture(scope="session")
def verbatim():
    """The SPEC §1 offset check as a fixture (test modules cannot import the conftest)."""
    return assert_verbatim


@pytest.fixture(scope="session")
def as_json():
    """Parse a response that must be JSON."""
    return load_json


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening."""
    return free_port()

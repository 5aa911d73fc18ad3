"""Real servers for the API tests: `pith serve` subprocesses, a local page server, a real redis-server
(the first two are tests/support's)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.pages import PageServer, Route
from tests.support.pith import PithServer, free_port, wait_port
from tests.support.requires import missing

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="session")
def pith_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Start extra servers; all are stopped at the end of the session."""
    started: list[PithServer] = []

    def make(name: str, env: dict[str, str] | None = None, workers: int = 1) -> PithServer:
        server = PithServer(tmp_path_factory.mktemp(name), env, workers).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def pith(pith_factory) -> PithServer:
    """The main server: no token, no rate limit, SQLite cache, two workers, a small body limit."""
    return pith_factory("main", {"PITH_MAX_BODY_BYTES": "1000000"}, workers=2)


@pytest.fixture(scope="session")
def client(pith: PithServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=pith.url, timeout=30) as c:
        yield c


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
    with PageServer({path: Route(*answer) for path, answer in pages.items()}) as server:
        yield server


class RedisProcess:
    """A real redis-server on a free loopback port, without persistence."""

    def __init__(self, workdir: Path) -> None:
        if not Path(REDIS_SERVER).exists():
            missing("redis-server (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.proc, timeout=10)

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

"""The one page server of the tests and benchmarks: a threaded HTTP(S) server on 127.0.0.1 with routes per path."""

from __future__ import annotations

import contextlib
import mimetypes
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Handler = Callable[[BaseHTTPRequestHandler], None]
_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


@dataclass
class Route:
    """A fixed answer: status, Content-Type (none when ``None``), body, a delay before answering, extra headers."""

    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    body: bytes = b""
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True  # send Content-Length

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        if self.delay:
            time.sleep(self.delay)
        h.send_response(self.status)
        if self.content_type is not None:
            h.send_header("Content-Type", self.content_type)
        for name, value in self.headers.items():
            h.send_header(name, value)
        if self.length:
            h.send_header("Content-Length", str(len(self.body)))
        h.end_headers()
        h.wfile.write(self.body)


NOT_FOUND = Route(404, "text/html; charset=utf-8", b"<html><body><h1>Not found</h1></body></html>")


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class PageServer:
    """Pages on 127.0.0.1: ``routes`` maps a path (query ignored) to a :class:`Route` or a handler function;
    other paths are served from the files under ``root`` when given, else 404. ``hits`` counts requests per
    path and ``seen`` keeps each request's headers. Pass ``tls`` (a server context) for HTTPS."""

    def __init__(self, routes: dict[str, Route | Handler] | None = None, *, root: Path | None = None,
                 tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route | Handler] = dict(routes or {})
        self.root = root
        self.hits: Counter[str] = Counter()
        self.seen: list[Seen] = []
        self.scheme = "https" if tls else "http"
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.handle_error = lambda request, address: None  # resets and broken pipes are what some tests do
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, handler: Route | Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def page(self, path: str, body: bytes | str, content_type: str | None = "text/html; charset=utf-8",
             status: int = 200, headers: dict[str, str] | None = None, length: bool = True,
             delay: float = 0.0) -> str:
        """Serve ``body`` at ``path``; returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        return self.route(path, Route(status, content_type, data, delay, dict(headers or {}), length))

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.page(path, b"", content_type=None, status=status, headers={"Location": location})

    def add(self, name: str, content: str | bytes) -> str:
        """Serve ``content`` as ``/name`` with the Content-Type its suffix implies; returns its URL."""
        suffix = Path(name).suffix.lower()
        ctype = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return self.page(f"/{name}", content, content_type=ctype)

    def _file(self, path: str) -> Route | None:
        if self.root is None:
            return None
        file = (self.root / path.lstrip("/")).resolve()
        if not file.is_relative_to(self.root.resolve()) or not file.is_file():
            return None
        ctype = _TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return Route(200, ctype, file.read_bytes())

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> PageServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _handler(server: PageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server.hits[path] += 1
            server.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            answer = server.routes.get(path) or server._file(path) or NOT_FOUND
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                answer.answer(self) if isinstance(answer, Route) else answer(self)

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler

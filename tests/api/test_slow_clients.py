"""Slow and stalled clients cannot lock others out of `pith serve`; gunicorn's own errors are JSON too."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest

from server.web.worker import HEADER_TIMEOUT, IDLE_TIMEOUT

# Liveness bounds (about ten times the measured figures, as the issue asks): /healthz answers in about
# 0.1 s on an idle server.
HEALTH_WITHIN = 2.0
STALLED = 24
UPLOAD_BYTES = 8_000_000
UPLOAD_SECONDS = 12.0  # longer than every timeout of this server: headers, idle reads, the digest budget
DIGEST_BUDGET = 11.0


@pytest.fixture(scope="module")
def server(pith_factory):
    """A default-sized server: one worker, the default body limit."""
    return pith_factory("slowclients", {"PITH_DIGEST_TIMEOUT": str(DIGEST_BUDGET), "PITH_CACHE_TTL": "0"},
                        workers=1)


def _connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def _health_is_prompt(server) -> None:
    with httpx.Client(base_url=server.url, timeout=HEALTH_WITHIN) as c:
        start = time.monotonic()
        assert c.get("/healthz").status_code == 200
        assert time.monotonic() - start < HEALTH_WITHIN


def _closed_by_server(sock: socket.socket, within: float) -> bytes | None:
    """What the server sent before closing the connection, or None if it is still open after ``within`` s."""
    sock.settimeout(within)
    got = b""
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except TimeoutError:
        return None
    except OSError:
        pass
    return got


def _response(raw: bytes) -> tuple[int, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_stalled_connections_do_not_lock_out_healthz(server):
    half = [_connect(server) for _ in range(STALLED // 2)]
    silent = [_connect(server) for _ in range(STALLED - STALLED // 2)]
    for sock in half:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # headers never finished
    try:
        for _ in range(5):
            _health_is_prompt(server)
            time.sleep(0.3)
        # A request's headers must be complete within HEADER_TIMEOUT: the server hangs up on the stalled ones.
        for sock in half:
            assert _closed_by_server(sock, HEADER_TIMEOUT + 5) is not None
        _health_is_prompt(server)
    finally:
        for sock in half + silent:
            sock.close()


def test_dripping_headers_are_cut_off(server):
    sock = _connect(server)
    start = time.monotonic()
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        with pytest.raises(OSError):
            while time.monotonic() - start < HEADER_TIMEOUT + 10:
                sock.sendall(b"X-Drip: 1\r\n")  # a byte-trickle of headers that never ends
                _health_is_prompt(server)
                time.sleep(1.0)
        assert time.monotonic() - start < HEADER_TIMEOUT + 10
    finally:
        sock.close()


def test_a_dripping_body_does_not_block_others_and_a_stalled_one_is_dropped(server):
    sock = _connect(server)
    try:
        sock.sendall(b"POST /api/v1/digest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n{\"text\": \"")
        for _ in range(6):  # slow but alive: one byte a second
            sock.sendall(b"a")
            _health_is_prompt(server)
            time.sleep(1.0)
        # Then nothing: after IDLE_TIMEOUT the server gives up on this body with a JSON 400 (or hangs up).
        raw = _closed_by_server(sock, IDLE_TIMEOUT + 5)
        assert raw is not None, "the server kept a stalled upload open"
        if raw:
            status, body = _response(raw)
            assert status == 400 and body["error"]["code"] == "bad_request"
        _health_is_prompt(server)
    finally:
        sock.close()


def test_a_slow_steady_8_mb_upload_succeeds(server, article_html):
    html = article_html.decode("utf-8")
    padding = UPLOAD_BYTES - len(html) - 100
    page = html.replace("</head>", "<script>var pad = \"" + "x" * padding + "\";</script></head>", 1)
    body = json.dumps({"html": page}).encode("utf-8")
    assert len(body) >= UPLOAD_BYTES
    steps = 60
    chunk = -(-len(body) // steps)
    sock = _connect(server)
    try:
        sock.sendall(b"POST /api/v1/digest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        start = time.monotonic()
        for i in range(steps):
            sock.sendall(body[i * chunk:(i + 1) * chunk])
            time.sleep(UPLOAD_SECONDS / steps)
        assert time.monotonic() - start > max(HEADER_TIMEOUT, IDLE_TIMEOUT, DIGEST_BUDGET)
        raw = _closed_by_server(sock, 60)
        assert raw
        status, digest = _response(raw)
        assert status == 200, digest
        assert digest["title"] and digest["quotes"]
    finally:
        sock.close()


@pytest.mark.parametrize(("kind", "status"), [("line", 414), ("header", 431)])
def test_oversized_request_line_and_headers_are_json_too_large(server, as_json, kind, status):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        if kind == "line":
            response = c.get("/healthz?q=" + "a" * 60_000)
        else:
            response = c.get("/healthz", headers={"X-Big": "a" * 100_000})
    assert response.status_code == status
    body = as_json(response)
    assert body["error"]["code"] == "too_large"
    assert body["error"]["message"]


def test_a_malformed_request_line_is_json_400(server):
    sock = _connect(server)
    try:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        raw = _closed_by_server(sock, 10)
        assert raw
        status, body = _response(raw)
        assert status == 400 and body["error"]["code"] == "bad_request"
    finally:
        sock.close()


def test_parallel_health_checks_with_stalled_clients(server):
    """Many clients at once while stalled connections are open: every health check is prompt."""
    stalled = [_connect(server) for _ in range(STALLED)]
    for sock in stalled:
        sock.sendall(b"POST /api/v1/digest HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    failures: list[BaseException] = []

    def check() -> None:
        try:
            _health_is_prompt(server)
        except BaseException as exc:  # collected for the main thread
            failures.append(exc)

    try:
        threads = [threading.Thread(target=check) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures, failures
    finally:
        for sock in stalled:
            sock.close()

"""`pith serve`: gunicorn settings, graceful SIGTERM, access log, log level, and `--dev`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from server.service.config import Config
from server.web.serve import cpu_count, gunicorn_options

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_options_follow_the_config():
    config = Config(log_level="DEBUG", fetch_timeout=15)
    options = gunicorn_options(config, "0.0.0.0", 8123, 3)
    assert options["bind"] == "0.0.0.0:8123"
    assert options["workers"] == 3
    assert options["loglevel"] == "debug"
    assert options["accesslog"] == "-"
    assert options["timeout"] > config.fetch_timeout  # a slow fetch must not get its worker killed
    assert gunicorn_options(config, "::1", 80, 1)["bind"] == "[::1]:80"


def test_workers_default_to_the_cpus_we_may_use():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert cpu_count() == expected


def test_sigterm_finishes_the_request_in_flight_then_exits_0(pith_factory, page_server):
    server = pith_factory("graceful")
    results: dict[str, int] = {}

    def slow_request() -> None:  # the page server answers /slow after 8 s; the fetch gives up after 3 s
        with httpx.Client(base_url=server.url, timeout=30) as c:
            results["status"] = c.get("/api/v1/digest", params={"url": page_server.base + "/slow"}).status_code

    before = page_server.hits["/slow"]
    thread = threading.Thread(target=slow_request)
    thread.start()
    deadline = time.monotonic() + 20
    while page_server.hits["/slow"] == before and time.monotonic() < deadline:  # the fetch is under way
        time.sleep(0.05)
    assert server.proc is not None
    server.proc.send_signal(signal.SIGTERM)
    thread.join(timeout=30)
    assert server.proc.wait(timeout=30) == 0
    assert results.get("status") == 504  # answered, not cut off


def test_access_log_lists_requests(pith, client):
    client.get("/healthz", headers={"User-Agent": "access-log-probe"})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if '"GET /healthz HTTP/1.1" 200' in pith.log.read_text() and "access-log-probe" in pith.log.read_text():
            break
        time.sleep(0.1)
    else:
        raise AssertionError("no access log line for the request")


def test_log_level_debug_is_honoured(pith_factory):
    server = pith_factory("debuglog", {"PITH_LOG_LEVEL": "DEBUG"})
    with httpx.Client(base_url=server.url, timeout=30) as c:
        assert c.get("/healthz").status_code == 200
    assert "[DEBUG]" in server.log.read_text()


def test_dev_mode_serves_with_the_reloader(tmp_path, closed_port):
    env = {**os.environ, "PITH_DATA_DIR": str(tmp_path), "PITH_RATE_LIMIT": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "server", "serve", "--dev", "--port", str(closed_port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{closed_port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("the development server did not start") from None
                time.sleep(0.2)
        assert response.status_code == 200
        assert "gunicorn" not in response.headers.get("server", "").lower()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out = proc.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert "reloader" in out.lower()


def test_a_taken_port_is_reported_plainly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PITH_DATA_DIR": str(tmp_path), "PITH_RATE_LIMIT": "0"}
        result = subprocess.run([sys.executable, "-m", "server", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stderr
    assert "Pith on" not in result.stderr

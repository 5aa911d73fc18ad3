"""Load bench of `pith serve`: (a) one client fresh, (b) 32 clients fresh, (c) 32 clients cached.

Starts `pith serve` (rate limit off, its own data dir, loopback only) and a loopback page server, then drives
the API from this process with keep-alive HTTP clients. Prints requests/s, latency percentiles, errors and
the server's RSS (master + workers) at the start and end of each run.

    python bench/load.py [--a 20] [--b 60] [--c 20] [--workers N] [--page FILE.html]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT.parent / "shared" / "fixtures" / "stargate-de.html"
SAMPLE = ROOT / "server" / "samples" / "article-de.html"
CACHED_URLS = 20
MakeRequest = Callable[[int], tuple[str, str, bytes | None]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_tree(pid: int, field: str = "Rss:") -> int:
    """Resident memory in bytes of ``pid`` and all its descendants (from /proc); ``Pss:`` counts pages
    shared by the preforked workers once instead of once per process."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


class Client:
    """One keep-alive HTTP/1.1 connection (asyncio); a request on a connection the server closed
    meanwhile (idle timeout, worker recycled) is retried once on a new one, as browsers and urllib3 do."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.reconnects = 0

    async def request(self, method: str, path: str, body: bytes | None = None) -> int:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        data = (head + "\r\n").encode() + (body or b"")
        for attempt in (1, 2):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                assert self.reader is not None and self.writer is not None
                self.writer.write(data)
                await self.writer.drain()
                status_line = await self.reader.readuntil(b"\r\n")
                headers = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
                length = int(headers.split("content-length:")[1].split("\r\n")[0]) \
                    if "content-length:" in headers else 0
                await self.reader.readexactly(length)
                if "connection: close" in headers:
                    await self.close()
                return int(status_line.split()[1])
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                await self.close()
                if fresh or attempt == 2:
                    raise OSError("connection lost") from exc
                self.reconnects += 1
        raise RuntimeError("unreachable")

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    reconnects: int = 0


async def _drive(port: int, clients: int, seconds: float, make_request: MakeRequest) -> tuple[Result, float]:
    result = Result()
    loop = asyncio.get_running_loop()
    stop = loop.time() + seconds
    counter = iter(range(10**9))

    async def one_client() -> None:
        client = Client(port)
        while loop.time() < stop:
            method, path, body = make_request(next(counter))
            t0 = time.perf_counter()
            try:
                status = await asyncio.wait_for(client.request(method, path, body), timeout=120)
            except (TimeoutError, OSError, ValueError):
                status = 0
                await client.close()
            result.latencies.append(time.perf_counter() - t0)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status != 200:
                result.errors += 1
        result.reconnects += client.reconnects
        await client.close()

    t0 = time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    return result, time.monotonic() - t0


def drive(port: int, clients: int, seconds: float, make_request: MakeRequest) -> tuple[Result, float]:
    """``clients`` connections send requests back to back for ``seconds``; returns the results and wall time.

    One thread and an event loop: 32 client threads would measure their own GIL contention."""
    return asyncio.run(_drive(port, clients, seconds, make_request))


def get(port: int, method: str, path: str, body: bytes | None = None) -> int:
    async def once() -> int:
        client = Client(port)
        try:
            return await client.request(method, path, body)
        finally:
            await client.close()

    return asyncio.run(once())


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(name: str, result: Result, wall: float, rss: tuple[int, int], pss: tuple[int, int]) -> dict:
    n = len(result.latencies)
    row = {
        "run": name, "requests": n, "req_per_s": n / wall if wall else 0.0,
        "p50_ms": pct(result.latencies, 50) * 1000, "p95_ms": pct(result.latencies, 95) * 1000,
        "p99_ms": pct(result.latencies, 99) * 1000,
        "mean_ms": (statistics.fmean(result.latencies) * 1000) if n else float("nan"),
        "errors": result.errors, "statuses": result.statuses, "reconnects": result.reconnects,
        "rss_start_mb": rss[0] / 2**20, "rss_end_mb": rss[1] / 2**20,
        "rss_growth_pct": (rss[1] - rss[0]) / rss[0] * 100 if rss[0] else float("nan"),
        "pss_start_mb": pss[0] / 2**20, "pss_end_mb": pss[1] / 2**20,
    }
    print(f"{name:<34} {n:>6} req {row['req_per_s']:>7.1f} req/s  p50 {row['p50_ms']:>6.1f}  "
          f"p95 {row['p95_ms']:>6.1f}  p99 {row['p99_ms']:>6.1f} ms  errors {result.errors}  "
          f"RSS {row['rss_start_mb']:.0f}→{row['rss_end_mb']:.0f} MB ({row['rss_growth_pct']:+.1f} %, "
          f"PSS {row['pss_start_mb']:.0f}→{row['pss_end_mb']:.0f} MB)"
          + (f"  reconnects {result.reconnects}" if result.reconnects else ""), flush=True)
    return row


def page_server(html: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: object) -> None:
            return None

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", type=float, default=20, help="seconds of run (a), one client, fresh digests")
    parser.add_argument("--b", type=float, default=60, help="seconds of run (b), 32 clients, fresh digests")
    parser.add_argument("--c", type=float, default=20, help="seconds of run (c), 32 clients, cached digests")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None, help="pith serve --workers (default: its own)")
    parser.add_argument("--page", type=Path, default=FIXTURE if FIXTURE.exists() else SAMPLE)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    html = args.page.read_text(encoding="utf-8")
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="pith-bench-")
    env = {**os.environ, "PITH_RATE_LIMIT": "0", "PITH_DATA_DIR": data_dir, "PITH_ALLOW_PRIVATE_NETWORK": "1",
           "PITH_LOG_LEVEL": "WARNING", "PITH_CACHE_URL": ""}
    cmd = [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    log = open(Path(data_dir) / "server.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    pages = page_server(args.page.read_bytes())
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "GET", "/healthz") == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print("pith serve did not start:", (Path(data_dir) / "server.log").read_text()[-2000:])
                return 1
            time.sleep(0.1)

        def fresh(n: int) -> tuple[str, str, bytes]:
            # a different comment each time: the content hash differs, so the cache misses
            page = html.replace("</body>", f"<!-- bench {n} {time.time_ns()} --></body>", 1)
            return "POST", "/api/v1/digest", json.dumps({"html": page}).encode()

        urls = [f"http://127.0.0.1:{pages.server_address[1]}/article-{i}.html" for i in range(CACHED_URLS)]

        def cached(n: int) -> tuple[str, str, bytes | None]:
            from urllib.parse import quote

            return "GET", "/api/v1/digest?url=" + quote(urls[n % len(urls)], safe=""), None

        print(f"page {args.page.name} ({len(html)} chars); server pid {server.pid}; "
              f"{os.cpu_count()} CPUs; load generator in pid {os.getpid()}", flush=True)
        # warm-up at full concurrency: models loaded, every worker thread has digested (steady-state memory)
        drive(port, args.clients, 6, fresh)
        rows = []
        for name, clients, seconds, maker in (("(a) 1 client, fresh digests", 1, args.a, fresh),
                                              (f"(b) {args.clients} clients, fresh digests", args.clients, args.b,
                                               fresh),
                                              (f"(c) {args.clients} clients, cached digests", args.clients, args.c,
                                               cached)):
            if maker is cached:
                for i in range(len(urls)):
                    get(port, *cached(i))
            start, pss_start = rss_tree(server.pid), rss_tree(server.pid, "Pss:")
            result, wall = drive(port, clients, seconds, maker)
            rows.append(report(name, result, wall, (start, rss_tree(server.pid)),
                               (pss_start, rss_tree(server.pid, "Pss:"))))
        ratio = rows[1]["req_per_s"] / rows[0]["req_per_s"] if rows[0]["req_per_s"] else float("nan")
        print(f"throughput (b)/(a): {ratio:.2f}x", flush=True)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2))
    finally:
        pages.shutdown()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=40)
            print(f"pith serve stopped on SIGTERM with status {code}")
        except subprocess.TimeoutExpired:
            server.kill()
            print("pith serve did not stop on SIGTERM within 40 s")
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

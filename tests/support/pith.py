"""The one `pith serve` launcher of the tests: a real server in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PITH = [sys.executable, "-m", "server"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen[Any], timeout: float = 30.0) -> None:
    """Until something listens on ``port``; raises when ``proc`` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


class PithServer:
    """``pith serve`` with its own data directory, private networks allowed, no rate limit, quiet log; the
    environment starts from this process's without any ``PITH_``/``TELEGRAM_`` variable, then ``env``."""

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
        self.token = self.env.get("PITH_API_TOKEN")
        self.workers = workers
        self.log = data_dir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self.proc

    def start(self, timeout: float = 60.0) -> PithServer:
        """Start and wait until the port accepts connections (gunicorn binds it before its workers are up, and
        the kernel queues requests until they are; /healthz is not asked, as it would open the cache early)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*PITH, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_port(self.port, self.proc, timeout)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"pith serve did not start: {exc}\n{self.log.read_text(errors='replace')[-3000:]}") \
                from None
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
        return self.proc.returncode

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``pith …`` with this server's environment."""
        return subprocess.run([*PITH, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def __enter__(self) -> PithServer:
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

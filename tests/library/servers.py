"""Helpers of the library tests: `pith serve` in a subprocess, and invented news texts with quotes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`pith serve` on a free loopback port with its own data directory."""

    def __init__(self, data_dir: Path, env: dict[str, str], workers: int = 1) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        data_dir.mkdir(parents=True, exist_ok=True)
        full_env = {**{k: v for k, v in os.environ.items() if not k.startswith(("PITH_", "TELEGRAM_"))},
                    "PITH_DATA_DIR": str(data_dir), "PITH_RATE_LIMIT": "0", "PITH_LOG_LEVEL": "WARNING", **env}
        self.log = (data_dir / "server.log").open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port",
                                      str(self.port), "--workers", str(workers)],
                                     cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, (data_dir / "server.log").read_text()[-2000:]
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("pith serve did not start")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def article(topic: str, speaker: str = "Jan Muster", n: int = 0) -> str:
    """An invented German news text with a quote of ``speaker`` about ``topic``."""
    return (f"Neue Debatte um {topic} Nummer {n}\n\n"
            f"Die Stadt Beispielhausen streitet seit Wochen über {topic}. "
            f"Der Gemeinderat hat am Montag zum {n + 1}. Mal beraten.\n\n"
            f"„Wir brauchen endlich eine Lösung für {topic}“, sagte {speaker} am Dienstag in Beispielhausen. "
            f"Die Kosten liegen bei 12 Millionen Franken, wie die Verwaltung mitteilte.\n\n"
            f"Der Entscheid fällt im Frühling. Bis dahin sollen weitere Gespräche stattfinden, hiess es.")

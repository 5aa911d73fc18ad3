"""Helpers of the library tests: a started `pith serve`, and invented news texts with quotes."""

from __future__ import annotations

from pathlib import Path

from tests.support.pith import PithServer


def start_server(data_dir: Path, env: dict[str, str], workers: int = 1) -> PithServer:
    """`pith serve` on a free loopback port with its own data directory, started (the tests' one launcher)."""
    return PithServer(data_dir, env, workers).start()


def article(topic: str, speaker: str = "Jan Muster", n: int = 0) -> str:
    """An invented German news text with a quote of ``speaker`` about ``topic``."""
    return (f"Neue Debatte um {topic} Nummer {n}\n\n"
            f"Die Stadt Beispielhausen streitet seit Wochen über {topic}. "
            f"Der Gemeinderat hat am Montag zum {n + 1}. Mal beraten.\n\n"
            f"„Wir brauchen endlich eine Lösung für {topic}“, sagte {speaker} am Dienstag in Beispielhausen. "
            f"Die Kosten liegen bei 12 Millionen Franken, wie die Verwaltung mitteilte.\n\n"
            f"Der Entscheid fällt im Frühling. Bis dahin sollen weitere Gespräche stattfinden, hiess es.")

"""`pith library clear|repair|export` as a user runs it (a subprocess with PITH_DATA_DIR)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from server.library import Library
from server.library.sqlite import FILENAME, SQLiteBackend

ROOT = Path(__file__).resolve().parents[2]


def pith(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PITH_")}, "PITH_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "server", "library", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def fill(data_dir: Path) -> None:
    lib = Library(SQLiteBackend(data_dir / FILENAME))
    for owner in ("web", "tg:5"):
        for i in range(3):
            lib.keep(owner, {"url": f"https://news.example/{i}", "title": "T", "language": "de", "text": "x",
                             "quotes": [{"text": f"Satz {i}", "spans": [[0, 1]], "speaker": "Jan Muster"}]})
    lib.close()


def test_export_clear_and_repair(tmp_path: Path) -> None:
    fill(tmp_path)
    exported = pith(tmp_path, "export")
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(lines) == 6 and {x["owner"] for x in lines} == {"web", "tg:5"}
    assert lines[0]["digest"]["quotes"][0]["text"] == "Satz 0" and lines[0]["kept_at"].endswith("Z")
    out = tmp_path / "saved.jsonl"
    assert pith(tmp_path, "export", "-o", str(out)).returncode == 0 and len(out.read_text().splitlines()) == 6
    repaired = pith(tmp_path, "repair")
    assert repaired.returncode == 0 and "6 readable pages" in repaired.stdout
    assert list(tmp_path.glob(f"{FILENAME}.damaged-*"))  # the old file is kept
    cleared = pith(tmp_path, "clear", "--owner", "tg:5")
    assert cleared.returncode == 0 and "3" in cleared.stdout
    assert Library(SQLiteBackend(tmp_path / FILENAME)).count() == (3, 3)
    assert pith(tmp_path, "clear").returncode == 0
    assert Library(SQLiteBackend(tmp_path / FILENAME)).count() == (0, 0)


def test_repair_without_a_library(tmp_path: Path) -> None:
    result = pith(tmp_path, "repair")
    assert result.returncode == 1 and "no library" in result.stderr

"""`pith digest` on sources that are not pages: a directory is a bad request, not a missing file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_directory_is_a_bad_request(tmp_path):
    folder = tmp_path / "somedir"
    folder.mkdir()
    result = subprocess.run([sys.executable, "-m", "server", "digest", "--format", "json", f"{folder}/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["error"]["code"] == "bad_request"
    assert line["error"]["message"].startswith(f"{folder}/ is a directory")
    text = subprocess.run([sys.executable, "-m", "server", "digest", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert text.returncode == 1 and "is a directory" in text.stderr

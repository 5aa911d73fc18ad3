"""Firefox, checked statically (Debian has no geckodriver): Mozilla's ``web-ext lint`` finds no errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.requires import missing

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
# scripts/test installs web-ext (npm) into the virtual environment, so the test itself needs no network.
WEB_EXT = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "web-ext"


def test_web_ext_lint_reports_no_errors(tmp_path: Path) -> None:
    if not WEB_EXT.exists():
        missing(f"web-ext at {WEB_EXT} (npm)")
    done = subprocess.run(
        [str(WEB_EXT), "lint", "--source-dir", str(EXTENSION), "--output", "json"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={**os.environ, "npm_config_update_notifier": "false"},
    )
    start = done.stdout.find("{")
    assert start >= 0, f"web-ext gave no report (exit {done.returncode}): {done.stderr[-2000:]}"
    report = json.loads(done.stdout[start:])
    assert report["summary"]["errors"] == 0, report["errors"]
    assert report["errors"] == []
    for warning in report["warnings"]:
        print(f"web-ext warning {warning['code']}: {warning['message']}")
    # The only expected warning: Firefox ignores "background.service_worker" and uses "background.scripts".
    assert {w["code"] for w in report["warnings"]} <= {"MANIFEST_FIELD_UNSUPPORTED"}

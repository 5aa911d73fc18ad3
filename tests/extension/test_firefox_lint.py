"""Firefox, checked statically (Debian has no geckodriver): Mozilla's ``web-ext lint`` finds no errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
WEB_EXT = "web-ext@8.10.0"  # pinned: after the first run npx takes it from its cache (--prefer-offline)


def test_web_ext_lint_reports_no_errors(tmp_path: Path) -> None:
    npx = shutil.which("npx")
    if npx is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("npx (Node.js/npm) is missing and CI=true requires it (apt-get install -y nodejs npm)")
        pytest.skip("npx is missing: install Node.js and npm to lint the extension for Firefox")
    done = subprocess.run(
        [npx, "--yes", "--prefer-offline", WEB_EXT, "lint", "--source-dir", str(EXTENSION), "--output", "json"],
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

"""Shared test fixtures: where the shared material and the project's own sample pages are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "server" / "samples"
SHARED = Path(os.environ.get("PITH_SHARED_DIR", ROOT.parent / "shared"))


def _need_shared() -> Path:
    if SHARED.is_dir():
        return SHARED
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"../shared is missing at {SHARED}, and CI=true requires it")
    pytest.skip(f"../shared is not here ({SHARED}): it exists only in CI and in developer checkouts")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (skips when absent, fails under ``CI=true``)."""
    return _need_shared()


@pytest.fixture(scope="session")
def fixtures_dir(shared_dir: Path) -> Path:
    """``../shared/fixtures`` with the stargate-de reference page."""
    return shared_dir / "fixtures"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The project's own sample pages (always present)."""
    return SAMPLES

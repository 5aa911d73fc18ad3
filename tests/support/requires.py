"""A system tool the tests need: missing on a developer's machine it skips; under CI=true it fails."""

from __future__ import annotations

import os

import pytest


def missing(what: str) -> None:
    """Skip the test because ``what`` is not installed, or fail it when ``CI=true`` (scripts/test installs it)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is not installed, and CI=true requires it: scripts/test installs it")
    pytest.skip(f"{what} is not installed: scripts/test installs it")

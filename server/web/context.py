"""The running app's configuration and cache, for the blueprints (kept apart from the factory: no import circle)."""

from __future__ import annotations

from flask import current_app

from server.service.cache import Cache
from server.service.config import Config


def pith_config() -> Config:
    """The running app's :class:`Config`."""
    return current_app.extensions["pith"]["config"]


def pith_cache() -> Cache:
    """The running app's digest cache."""
    return current_app.extensions["pith"]["cache"]

"""Per-language knowledge as data: ``langdata/<lang>/<topic>.json``; adding a language is adding files."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(lang: str | None, topic: str) -> dict[str, Any]:
    """The ``topic`` table for ``lang`` (e.g. ``load("de", "quotes")``); ``{}`` when there is none."""
    if not lang or not lang.isalpha():
        return {}
    path = resources.files(__package__).joinpath(lang, f"{topic}.json")
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def languages(topic: str) -> list[str]:
    """Languages that have a ``topic`` table."""
    root = resources.files(__package__)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.joinpath(f"{topic}.json").is_file())

"""The bot's interface text in English and German (``messages.json``), chosen by the user's language_code."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LANG = "en"


@cache
def _catalog() -> dict[str, dict[str, Any]]:
    return json.loads(resources.files("bot").joinpath("messages.json").read_text(encoding="utf-8"))


def languages() -> tuple[str, ...]:
    """The interface languages there is text for."""
    return tuple(_catalog())


def ui_language(language_code: str | None) -> str:
    """``de`` for ``de``, ``de-CH`` …; English for anything without its own text."""
    base = (language_code or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in _catalog() else DEFAULT_LANG


class Messages:
    """The interface text of one language; ``m("key", name=value)`` fills ``{name}`` placeholders."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in _catalog() else DEFAULT_LANG
        self._text = _catalog()[self.lang]

    def __call__(self, key: str, **values: object) -> str:
        text = self._text[key]
        return text.format(**values) if values else text

    def error(self, key: str, **values: object) -> str:
        """The friendly reason for an error code (SPEC §3) or one of its variants."""
        errors = self._text["errors"]
        text = errors.get(key, errors["internal"])
        return text.format(**values) if values else text


def messages_for(language_code: str | None) -> Messages:
    """The interface text for a Telegram user's ``language_code``."""
    return Messages(ui_language(language_code))

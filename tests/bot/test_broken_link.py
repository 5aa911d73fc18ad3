"""A message that is almost a link gets a plain answer that the link does not look right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.links import broken_link


@pytest.mark.parametrize("text", ["htps://x", "http:/example.org/a", "https//example.org/a", "ftp://example.org"])
def test_almost_links_are_recognised(text: str) -> None:
    assert broken_link(text) == text


@pytest.mark.parametrize("text", ["https://example.org/a", "example.org/a", "hello", "Der Bericht: gut", "",
                                  "htps://x and more words"])
def test_links_and_texts_are_not_broken_links(text: str) -> None:
    assert broken_link(text) is None


def test_the_reply_exists_in_every_language() -> None:
    messages = json.loads((Path(__file__).resolve().parents[2] / "bot" / "messages.json").read_text("utf-8"))
    for lang, text in messages.items():
        assert "{link}" in text["bad_link"], lang

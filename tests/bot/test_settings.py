"""Reading the bot's settings: the webhook listen address and path."""

from __future__ import annotations

import pytest

from bot.main import StartupError, parse_listen, webhook_path


def test_listen_addresses() -> None:
    assert parse_listen("127.0.0.1:8081") == ("127.0.0.1", 8081)
    assert parse_listen("0.0.0.0:88") == ("0.0.0.0", 88)
    assert parse_listen("[::1]:8443") == ("::1", 8443)
    assert parse_listen("9000") == ("127.0.0.1", 9000)
    assert parse_listen(":9001") == ("127.0.0.1", 9001)
    for bad in ("localhost", "host:0", "host:65536", "host:port", ""):
        with pytest.raises(StartupError):
            parse_listen(bad)


def test_webhook_path_is_the_urls_path() -> None:
    assert webhook_path("https://bot.example.org/telegram/3f9c/") == "telegram/3f9c"
    assert webhook_path("https://bot.example.org") == ""
    for bad in ("bot.example.org/hook", "ftp://bot.example.org/hook", "https:///hook"):
        with pytest.raises(StartupError):
            webhook_path(bad)

"""Fixtures for the bot tests: the Bot API stand-in, a local page server, the running bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.main import build_application, serve
from server.service.config import Config
from tests.support.pages import PageServer, Route
from tests.support.telegram_standin import BotAPIStandIn, parse_telegram_html

SLOW_SECONDS = 4.0


@pytest.fixture(scope="session")
def telegram_html() -> Callable[[str], Any]:
    """Parse a message as Telegram's HTML mode does (``.error``, ``.text``, ``.links``, ``.bold``)."""
    return parse_telegram_html


@pytest.fixture(scope="session")
def pages(samples_dir: Path) -> Iterator[PageServer]:
    """The project's sample pages under /samples/…, a slow page, a PDF, and 404 for anything else."""
    html = "text/html; charset=utf-8"
    routes = {f"/samples/{p.name}": Route(200, html, p.read_bytes()) for p in sorted(samples_dir.glob("*.html"))}
    assert routes, f"no sample pages in {samples_dir}"
    first = next(iter(routes.values()))
    routes["/slow/article.html"] = Route(200, html, first.body, delay=SLOW_SECONDS)
    routes["/files/report.pdf"] = Route(200, "application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 2000)
    with PageServer(routes) as server:
        yield server


@pytest.fixture
def stargate_url(pages: PageServer, fixtures_dir: Path) -> str:
    """The shared fixture page, served by the page server (skips when ../shared is absent)."""
    body = (fixtures_dir / "stargate-de.html").read_bytes()
    pages.routes["/news/stargate-de.html"] = Route(200, "text/html; charset=utf-8", body)
    return pages.url("/news/stargate-de.html")


@pytest.fixture
def standin() -> Iterator[Any]:
    api = BotAPIStandIn().start()
    yield api
    api.stop()


@pytest.fixture
def bot_config(standin: Any, tmp_path: Path) -> Config:
    """Settings for a bot that talks to the stand-in and may fetch from 127.0.0.1."""
    return Config(telegram_bot_token=standin.token, telegram_api_base_url=standin.base_url,
                  allow_private_network=True, data_dir=tmp_path / "data", fetch_timeout=20.0)


@dataclass
class RunningBot:
    app: Any
    task: asyncio.Task
    stop: asyncio.Event
    errors: list[BaseException]


@pytest.fixture
async def start_bot(standin: Any) -> AsyncIterator[Callable[..., Any]]:
    """``await start_bot(config, **build_kwargs)`` runs the real bot (serve()) until the test ends.

    Any exception that reaches the bot's error handler fails the test.
    """
    running: list[RunningBot] = []

    async def start(config: Config, **kwargs: Any) -> RunningBot:
        errors: list[BaseException] = []
        app = build_application(config, error_hook=errors.append, **kwargs)
        stop = asyncio.Event()
        task = asyncio.create_task(serve(config, app=app, stop=stop, handle_signals=False))
        bot = RunningBot(app, task, stop, errors)
        running.append(bot)
        ready = "setWebhook" if config.bot_webhook_url else "getUpdates"

        def started() -> bool:
            if task.done():
                task.result()  # raises the startup error
                raise AssertionError("the bot stopped right after starting")
            return bool(standin.recorded(ready)) and app.running

        await standin.wait_for(started, timeout=30, what=f"the bot to call {ready}")
        return bot

    yield start
    for bot in running:
        bot.stop.set()
        await asyncio.wait_for(bot.task, timeout=60)
    for bot in running:
        assert not bot.errors, f"handler errors: {bot.errors!r}"

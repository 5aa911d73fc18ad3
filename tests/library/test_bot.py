"""The bot's library commands against the Bot API stand-in: /who, /quotes, /forget, and chat isolation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Messages
from bot.library import render_results
from bot.main import build_application, serve
from bot.render import split_html
from server.service.config import Config
from tests.support.telegram import message_update
from tests.support.telegram_standin import BotAPIStandIn, parse_telegram_html

GROUP = -100555
ADMIN, MEMBER = 71, 72


class StandIn(BotAPIStandIn):
    """The stand-in, plus getChatMember: ADMIN owns every group, anyone else is a member."""

    def api_getChatMember(self, params: dict[str, Any]) -> Any:
        user = {"id": int(params["user_id"]), "is_bot": False, "first_name": "U"}
        if int(params["user_id"]) == ADMIN:
            return {"status": "creator", "user": user, "is_anonymous": False}
        return {"status": "member", "user": user}


@pytest.fixture
def standin() -> Iterator[StandIn]:
    api = StandIn().start()
    yield api
    api.stop()


@pytest.fixture
def library_on() -> bool:
    return True


@pytest.fixture
async def bot(standin: StandIn, tmp_path: Path, library_on: bool) -> AsyncIterator[Any]:
    config = Config(telegram_bot_token=standin.token, telegram_api_base_url=standin.base_url,
                    data_dir=tmp_path / "data", library=library_on)
    errors: list[BaseException] = []
    app = build_application(config, error_hook=errors.append)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, app=app, stop=stop, handle_signals=False))
    await standin.wait_for(lambda: bool(standin.recorded("getUpdates")) and app.running, timeout=30,
                           what="the bot to poll")
    yield app
    stop.set()
    await asyncio.wait_for(task, timeout=60)
    assert not errors, errors


def article(topic: str, speaker: str) -> str:
    """An invented German news text (over 500 characters, so a pasted copy is digested) quoting ``speaker``."""
    return (f"Neue Debatte um {topic}\n\n"
            f"Die Stadt Beispielhausen streitet seit Wochen über {topic}. Der Gemeinderat hat am Montag beraten, "
            f"wie es weitergehen soll, und eine Kommission eingesetzt.\n\n"
            f"„Wir brauchen endlich eine Lösung für {topic}“, sagte {speaker} am Dienstag in Beispielhausen. "
            f"Die Kosten liegen bei 12 Millionen Franken, wie die Verwaltung mitteilte.\n\n"
            f"Der Entscheid fällt im Frühling. Bis dahin sollen weitere Gespräche mit den Anwohnern und den "
            f"Gewerbetreibenden stattfinden, hiess es am Rande der Sitzung im Stadthaus.")


async def say(standin: StandIn, text: str, **kw: Any) -> list[str]:
    """Send a message and wait for the bot's replies to it; their visible text."""
    update = message_update(text, **kw)
    standin.push(update)
    mid = update["message"]["message_id"]

    def answers() -> list[Any]:
        return [c for c in standin.sent() if (c.params.get("reply_parameters") or {}).get("message_id") == mid]

    await standin.wait_for(lambda: bool(answers()), timeout=120, what=f"a reply to {text[:30]!r}")
    await asyncio.sleep(0.3)  # a long reply may come in several messages
    return [parse_telegram_html(c.params["text"]).text for c in answers()]


async def test_each_chat_sees_only_its_own_library(bot: Any, standin: StandIn) -> None:
    await say(standin, article("die Steuerreform", "Jan Muster"), chat_id=1001)
    await say(standin, article("den Veloweg", "Eva Beispiel"), chat_id=1002)
    [mine] = await say(standin, "/who Muster", chat_id=1001)
    assert "Wir brauchen endlich eine Lösung für die Steuerreform" in mine and "Jan Muster" in mine
    [theirs] = await say(standin, "/who Muster", chat_id=1002)
    assert "Steuerreform" not in theirs and "Muster" in theirs  # "nothing for Muster"
    [found] = await say(standin, "/quotes Steuer*", chat_id=1001)
    assert "Steuerreform" in found
    [none] = await say(standin, "/quotes Steuer*", chat_id=1002)
    assert "Lösung" not in none
    [usage] = await say(standin, "/who", chat_id=1001)
    assert "/who" in usage


async def test_forget_in_groups_is_for_administrators(bot: Any, standin: StandIn) -> None:
    await say(standin, "/digest@pith_test_bot " + article("das Hallenbad", "Jan Muster"), chat_id=GROUP,
              user_id=MEMBER, chat_type="supergroup")
    [refused] = await say(standin, "/forget", chat_id=GROUP, user_id=MEMBER, chat_type="supergroup")
    assert "administrators" in refused
    [still] = await say(standin, "/quotes Hallenbad", chat_id=GROUP, user_id=MEMBER, chat_type="supergroup")
    assert "Lösung für das Hallenbad" in still
    [done] = await say(standin, "/forget", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
    assert "1" in done
    [gone] = await say(standin, "/quotes Hallenbad", chat_id=GROUP, user_id=MEMBER, chat_type="supergroup")
    assert "Lösung" not in gone


async def test_forget_in_a_private_chat(bot: Any, standin: StandIn) -> None:
    await say(standin, article("die Schule", "Anna Muster"), chat_id=1003)
    await say(standin, "/forget", chat_id=1003)
    [gone] = await say(standin, "/who Anna Muster", chat_id=1003)
    assert "Lösung" not in gone


@pytest.mark.parametrize("library_on", [False])
async def test_commands_say_when_the_library_is_off(bot: Any, standin: StandIn, tmp_path: Path) -> None:
    await say(standin, article("die Schule", "Anna Muster"), chat_id=1004)
    [off] = await say(standin, "/who Muster", chat_id=1004)
    assert "off" in off
    assert not (tmp_path / "data" / "library.sqlite3").exists()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_long_results_split_under_telegrams_limit(lang: str) -> None:
    items = [{"text": f"Satz {i} <&> " + "sehr lang " * 90, "speaker": "Jan <Muster>", "speaker_type": "person",
              "page": {"id": i, "url": f"https://news.example/{i}?a=1&b=2", "title": "Titel & mehr", "site": None,
                       "date": None}, "kept_at": "2026-01-10T00:00:00Z", "spans": [[0, 1]], "index": 0}
             for i in range(10)]
    markup = render_results(items, True, Messages(lang), "q", "sehr <lang>")
    chunks = split_html(markup)
    assert len(chunks) > 1
    for chunk in chunks:
        parsed = parse_telegram_html(chunk)
        assert parsed.error is None and len(parsed.text.encode("utf-16-le")) // 2 <= 4096
    assert all(f"Satz {i} <&>" in "".join(parse_telegram_html(c).text for c in chunks) for i in range(10))


def test_no_results_is_a_sentence() -> None:
    text: Callable[[str], str] = lambda lang: render_results([], False, Messages(lang), "speaker", "Niemand")  # noqa: E731
    assert "Niemand" in text("en") and "Niemand" in text("de")

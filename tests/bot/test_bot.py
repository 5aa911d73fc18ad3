"""The real bot (the PTB Application built by bot.main) against the Bot API stand-in, with pages on 127.0.0.1."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import re
from pathlib import Path
from typing import Any

from bot.ratelimit import UserRateLimiter
from tests.support.pages import Route
from tests.support.telegram import message_update, telegram_entities
from tests.support.telegram_standin import BOT_ID

QUOTE = "Die haben in Wirklichkeit das Geld nicht"


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def replies(standin: Any, message_id: int) -> list[Any]:
    return [c for c in standin.sent() if (c.params.get("reply_parameters") or {}).get("message_id") == message_id]


async def ask(standin: Any, update: dict[str, Any], n: int = 1, timeout: float = 120) -> list[Any]:
    """Queue ``update`` and wait for ``n`` replies to its message."""
    standin.push(update)
    return await replies_for(standin, update, n, timeout)


async def replies_for(standin: Any, update: dict[str, Any], n: int = 1, timeout: float = 120) -> list[Any]:
    """Wait for ``n`` replies to the message of an update already queued."""
    msg = next(iter(update.values()))
    await standin.wait_for(lambda: len(replies(standin, msg["message_id"])) >= n, timeout=timeout,
                           what=f"{n} replies to message {msg['message_id']}")
    return replies(standin, msg["message_id"])


def check_message(call: Any, telegram_html: Any) -> Any:
    """A reply as Telegram would show it: HTML that parses, ≤ 4096 UTF-16 units, no link preview."""
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    parsed = telegram_html(call.params["text"])
    assert parsed.error is None, parsed.error
    assert 0 < u16(parsed.text) <= 4096
    return parsed


def page_text(path: Path) -> str:
    """The visible words of a page, whitespace squashed (to check that replies quote the page verbatim)."""
    raw = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


async def test_fixture_link_gets_digest_with_quote_and_speaker(standin: Any, bot_config: Any, start_bot: Any,
                                                               stargate_url: str, telegram_html: Any) -> None:
    await start_bot(bot_config)
    text = f"📰🇨🇭 schau mal: {stargate_url}"
    update = message_update(text, lang="de")
    assert update["message"]["entities"][0]["offset"] == u16("📰🇨🇭 schau mal: ") != text.index("http")
    [reply] = await ask(standin, update)
    parsed = check_message(reply, telegram_html)
    assert f"«{QUOTE}» — Elon Musk" in parsed.text
    assert "Musk fährt Trump bei KI-Plan in die Parade" in parsed.bold
    assert parsed.links == [stargate_url]
    assert "Zitate" in parsed.text  # German interface for language_code de
    assert reply.params["chat_id"] == 4242
    typing = [c for c in standin.recorded("sendChatAction") if c.params.get("chat_id") == 4242]
    assert typing and typing[0].params["action"] == "typing" and typing[0].at <= reply.at


async def test_three_links_three_replies_in_order_and_a_note_for_the_rest(
        standin: Any, bot_config: Any, start_bot: Any, pages: Any, samples_dir: Path, telegram_html: Any) -> None:
    await start_bot(bot_config)
    names = sorted(p.name for p in samples_dir.glob("*.html"))[:2]
    urls = [pages.url(f"/samples/{n}") for n in names] + [pages.url("/gone/page.html"),
                                                          pages.url("/samples/never-reached.html")]
    update = message_update("Three for you:\n" + "\n".join(urls), chat_id=5151, lang="en")
    standin.push(update)
    await standin.wait_for(lambda: len(standin.sent(5151)) >= 4, what="four messages")
    first, second, third, note = (check_message(c, telegram_html) for c in standin.sent(5151)[:4])
    for parsed, name, url in ((first, names[0], urls[0]), (second, names[1], urls[1])):
        assert parsed.links == [url]
        summary = parsed.text.split("\n\n")[1]
        assert summary[:40] in page_text(samples_dir / name)
    assert "does not exist" in third.text and "404" in third.text
    assert "up to 3 links" in note.text
    assert pages.hits["/samples/never-reached.html"] == 0
    assert not standin.sent(5151)[4:]


async def test_a_404_link_gets_one_short_friendly_reply(standin: Any, bot_config: Any, start_bot: Any,
                                                        pages: Any, telegram_html: Any) -> None:
    await start_bot(bot_config)
    url = pages.url("/no/such/article.html")
    [reply] = await ask(standin, message_update(url, chat_id=6161, lang="de"))
    parsed = check_message(reply, telegram_html)
    assert "Seite gibt es nicht" in parsed.text and "404" in parsed.text and len(parsed.text) < 200
    assert parsed.links == [url]
    [pdf] = await ask(standin, message_update(pages.url("/files/report.pdf"), chat_id=6363))
    assert "not a web page" in check_message(pdf, telegram_html).text
    await asyncio.sleep(0.5)
    assert len(standin.sent(6161)) == 1


async def test_a_blocked_address_is_explained(standin: Any, bot_config: Any, start_bot: Any, pages: Any,
                                              telegram_html: Any) -> None:
    await start_bot(dataclasses.replace(bot_config, allow_private_network=False))
    [blocked] = await ask(standin, message_update(pages.url("/blocked/article.html"), chat_id=6262))
    assert "not allowed" in check_message(blocked, telegram_html).text
    assert pages.hits["/blocked/article.html"] == 0  # refused before any connection


def _pasted_article(samples_dir: Path) -> str:
    raw = (samples_dir / "article-en.html").read_text(encoding="utf-8")
    paras = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"(?s)<p[^>]*>(.*?)</p>", raw)]
    body = [p for p in paras[1:11] if p]
    return "\n\n".join(body)


async def test_pasted_text_is_digested_and_a_short_text_gets_the_help(
        standin: Any, bot_config: Any, start_bot: Any, samples_dir: Path, telegram_html: Any) -> None:
    await start_bot(bot_config)
    pasted = _pasted_article(samples_dir)
    assert 500 <= len(pasted) < 4096
    [reply] = await ask(standin, message_update(pasted, chat_id=7171))
    parsed = check_message(reply, telegram_html)
    summary = parsed.text.split("\n\n")[1]
    assert summary[:40] in re.sub(r"\s+", " ", pasted)
    assert not parsed.links  # a text has no original to link to
    [help_reply] = await ask(standin, message_update("hello, what can you do?", chat_id=7171))
    assert "Example" in check_message(help_reply, telegram_html).text


async def test_start_in_german_and_english_and_commands_in_both(standin: Any, bot_config: Any,
                                                                start_bot: Any, telegram_html: Any) -> None:
    await start_bot(bot_config)
    [de] = await ask(standin, message_update("/start", chat_id=8181, lang="de"))
    [en] = await ask(standin, message_update("/start", chat_id=8282, lang="en-GB"))
    [other] = await ask(standin, message_update("/help", chat_id=8383, lang="fr"))
    de_text, en_text = check_message(de, telegram_html).text, check_message(en, telegram_html).text
    assert "Beispiel" in de_text and "Link" in de_text
    assert "Example" in en_text and "link" in en_text
    assert check_message(other, telegram_html).text == en_text
    commands = {c.params.get("language_code"): c.params["commands"] for c in standin.recorded("setMyCommands")}
    assert set(commands) == {None, "de"}
    for listed in commands.values():
        assert [c["command"] for c in listed] == ["start", "help", "digest", "who", "quotes", "forget"]
    assert commands["de"] != commands[None]


async def test_groups_only_when_addressed(standin: Any, bot_config: Any, start_bot: Any, pages: Any,
                                          samples_dir: Path, telegram_html: Any) -> None:
    await start_bot(bot_config)
    group = -100777
    name = sorted(p.name for p in samples_dir.glob("*.html"))[0]
    url = pages.url(f"/samples/{name}")
    quiet = message_update(f"look at this {url}", chat_id=group, user_id=11, chat_type="supergroup")
    standin.push(quiet)
    other_bot = message_update(f"/digest@other_bot {url}", chat_id=group, user_id=11, chat_type="supergroup")
    standin.push(other_bot)
    [reply] = await ask(standin, message_update(f"/digest@pith_test_bot {url}", chat_id=group, user_id=11,
                                                chat_type="supergroup"))
    assert check_message(reply, telegram_html).links == [url]
    [mentioned] = await ask(standin, message_update(f"@pith_test_bot {url}", chat_id=group, user_id=12,
                                                    chat_type="supergroup"))
    assert check_message(mentioned, telegram_html).links == [url]
    bot_msg = {"message_id": 99, "date": 0, "chat": {"id": group, "type": "supergroup", "title": "T"},
               "from": {"id": BOT_ID, "is_bot": True, "first_name": "Pith"}, "text": "earlier"}
    [answered] = await ask(standin, message_update(url, chat_id=group, user_id=13, chat_type="supergroup",
                                                   reply_to=bot_msg))
    assert check_message(answered, telegram_html).links == [url]
    from_bot = message_update(f"/digest {url}", chat_id=group, user_id=15, chat_type="supergroup")
    from_bot["message"]["from"]["is_bot"] = True
    standin.push(from_bot)
    [usage] = await ask(standin, message_update("/digest", chat_id=group, user_id=14, chat_type="supergroup"))
    assert "/digest" in check_message(usage, telegram_html).text
    await asyncio.sleep(1.0)
    for unasked in (quiet, other_bot, from_bot):
        assert not replies(standin, unasked["message"]["message_id"])
    assert len(standin.sent(group)) == 4


async def test_digest_command_answering_a_message_with_a_link(standin: Any, bot_config: Any, start_bot: Any,
                                                              pages: Any, telegram_html: Any) -> None:
    await start_bot(bot_config)
    url = pages.url("/samples/article-de.html")
    original = message_update(f"Spannend: {url}", chat_id=-300, user_id=21, chat_type="group")["message"]
    [reply] = await ask(standin, message_update("/digest", chat_id=-300, user_id=22, chat_type="group",
                                                lang="de", reply_to=original))
    assert check_message(reply, telegram_html).links == [url]


async def test_captions_forwards_and_channel_posts_count_edits_and_junk_do_not(
        standin: Any, bot_config: Any, start_bot: Any, pages: Any, telegram_html: Any) -> None:
    await start_bot(bot_config)
    url = pages.url("/samples/article-en.html")
    [captioned] = await ask(standin, message_update(f"photo of the day 📷 {url}", chat_id=9191, caption=True))
    assert check_message(captioned, telegram_html).links == [url]
    [forwarded] = await ask(standin, message_update(f"fwd: {url}", chat_id=9191, forward=True))
    assert check_message(forwarded, telegram_html).links == [url]
    text_link = message_update("read this", chat_id=9191,
                               entities=[{"type": "text_link", "offset": 5, "length": 4, "url": url}])
    assert check_message((await ask(standin, text_link))[0], telegram_html).links == [url]
    [posted] = await ask(standin, message_update(f"New: {url}", chat_id=-100555, chat_type="channel",
                                                 kind="channel_post"))
    assert check_message(posted, telegram_html).links == [url]
    edited = message_update(f"edited {url}", chat_id=9292, kind="edited_message")
    standin.push(edited)
    standin.push({"some_future_update": {"x": 1}})
    standin.push({"message": {"message_id": 5, "chat": "not a chat"}})
    standin.push({"message": {"message_id": 6, "date": 0, "chat": {"id": 9292, "type": "private"},
                              "text": "x" * 20, "entities": [{"type": "url", "offset": "a", "length": None}]}})
    [after] = await ask(standin, message_update("/help", chat_id=9292))
    assert "Example" in check_message(after, telegram_html).text
    await asyncio.sleep(0.5)
    # the help for the odd message that still had text, and the help for /help; nothing for the edit
    assert len(standin.sent(9292)) == 2
    assert all("Example" in c.params["text"] for c in standin.sent(9292))
    assert not replies(standin, edited["edited_message"]["message_id"])


async def test_per_user_rate_limit_is_friendly_and_per_user(standin: Any, bot_config: Any, start_bot: Any,
                                                            pages: Any, telegram_html: Any) -> None:
    await start_bot(bot_config, limiter=UserRateLimiter(2, 600.0))
    for i in range(2):
        await ask(standin, message_update(pages.url(f"/limited/{i}"), chat_id=1212))
    [slow_down] = await ask(standin, message_update(pages.url("/limited/2"), chat_id=1212))
    assert "try again in" in check_message(slow_down, telegram_html).text
    silent = message_update(pages.url("/limited/3"), chat_id=1212)
    standin.push(silent)
    [other] = await ask(standin, message_update(pages.url("/limited/4"), chat_id=1313))
    assert "404" in check_message(other, telegram_html).text
    await asyncio.sleep(0.5)
    assert not replies(standin, silent["message"]["message_id"])  # warned once, not at every message
    assert pages.hits["/limited/2"] == pages.hits["/limited/3"] == 0


async def test_allow_list(standin: Any, bot_config: Any, start_bot: Any, telegram_html: Any) -> None:
    await start_bot(dataclasses.replace(bot_config, bot_allowed_users=(111,)))
    [allowed] = await ask(standin, message_update("/start", chat_id=111))
    assert "Example" in check_message(allowed, telegram_html).text
    [refused] = await ask(standin, message_update("/start", chat_id=222))
    assert "private" in check_message(refused, telegram_html).text
    group = message_update("/digest https://a.example/x", chat_id=-1, user_id=222, chat_type="group")
    standin.push(group)
    await asyncio.sleep(1.0)
    assert not standin.sent(-1)


async def test_a_slow_page_does_not_hold_up_other_users(standin: Any, bot_config: Any, start_bot: Any,
                                                        pages: Any) -> None:
    await start_bot(bot_config)
    slow = message_update(pages.url("/slow/article.html"), chat_id=3131)
    standin.push(slow)
    await standin.wait_for(lambda: pages.hits["/slow/article.html"] >= 1, what="the slow page to be asked for")
    [quick] = await ask(standin, message_update("/start", chat_id=3232))
    [slow_reply] = await replies_for(standin, slow)
    assert quick.at < slow_reply.at


async def test_same_link_twice_is_fetched_once(standin: Any, bot_config: Any, start_bot: Any, pages: Any,
                                               samples_dir: Path, telegram_html: Any) -> None:
    pages.routes["/cached/article.html"] = Route(200, "text/html; charset=utf-8",
                                                 (samples_dir / "article-en.html").read_bytes())
    await start_bot(bot_config)
    url = pages.url("/cached/article.html")
    [first] = await ask(standin, message_update(url, chat_id=4141))
    [second] = await ask(standin, message_update(url, chat_id=4242))
    assert check_message(first, telegram_html).text == check_message(second, telegram_html).text
    assert pages.hits["/cached/article.html"] == 1


async def test_flood_of_50_updates_from_10_users_is_answered_in_full(
        standin: Any, bot_config: Any, start_bot: Any, pages: Any, samples_dir: Path, telegram_html: Any) -> None:
    await start_bot(bot_config)
    standin.fail_next("sendMessage", 2, 429, "Too Many Requests: retry after 1", {"retry_after": 1})
    sample_urls = [pages.url(f"/samples/{p.name}") for p in sorted(samples_dir.glob("*.html"))]
    kinds = ["/start", "/help", "hi", *sample_urls, pages.url("/flood/missing")]
    sent = []
    for i in range(50):
        user = 50_000 + i % 10
        text = kinds[i % len(kinds)]
        update = message_update(text, chat_id=user, lang="de" if user % 2 else "en",
                                entities=telegram_entities(text))
        standin.push(update)
        sent.append(update["message"]["message_id"])
    await standin.wait_for(lambda: all(replies(standin, mid) for mid in sent), timeout=300,
                           what="a reply to each of the 50 messages")
    for mid in sent:
        for call in replies(standin, mid):
            check_message(call, telegram_html)
    assert len(standin.recorded("sendMessage")) >= 52  # the two refused with 429 were sent again


async def test_a_long_reply_is_sent_in_parts_each_within_the_limit(
        standin: Any, bot_config: Any, start_bot: Any, pages: Any, telegram_html: Any, monkeypatch: Any) -> None:
    import bot.handlers as handlers

    render = handlers.render_digest
    monkeypatch.setattr(handlers, "render_digest", lambda d, m: "\n\n".join([render(d, m)] * 8))
    await start_bot(bot_config)
    url = pages.url("/samples/article-en.html")
    update = message_update(url, chat_id=8989)
    standin.push(update)
    await standin.wait_for(lambda: len(standin.sent(8989)) >= 2, what="a reply in several parts")
    await asyncio.sleep(1.0)
    parts = standin.sent(8989)
    shown = "".join(check_message(c, telegram_html).text for c in parts)
    assert u16(shown) > 4096
    assert shown.count(url) == 0 and sum(len(telegram_html(c.params["text"]).links) for c in parts) == 8
    assert (parts[0].params.get("reply_parameters") or {}).get("message_id") == update["message"]["message_id"]
    assert all("reply_parameters" not in c.params for c in parts[1:])


async def test_a_link_shared_by_many_at_once_is_fetched_once(
        standin: Any, bot_config: Any, start_bot: Any, pages: Any, samples_dir: Path, telegram_html: Any) -> None:
    pages.routes["/viral/article.html"] = Route(200, "text/html; charset=utf-8",
                                                (samples_dir / "article-de.html").read_bytes(), delay=2.0)
    await start_bot(dataclasses.replace(bot_config, cache_ttl=0))  # no cache: only the in-flight sharing
    url = pages.url("/viral/article.html")
    chats = range(71_000, 71_005)
    for chat in chats:
        standin.push(message_update(url, chat_id=chat))
    await standin.wait_for(lambda: all(standin.sent(c) for c in chats), what="a reply in every chat")
    assert all(check_message(standin.sent(c)[0], telegram_html).links == [url] for c in chats)
    assert pages.hits["/viral/article.html"] == 1

"""Links from Telegram entities: offsets in UTF-16 code units, text links, limits, odd input."""

from __future__ import annotations

from telegram import MessageEntity, User

from bot.links import extract_links, mentions, normalize_url, utf16_len, utf16_slice, without_entities


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _url_entity(text: str, url: str) -> MessageEntity:
    start = text.index(url)
    return MessageEntity("url", _u16(text[:start]), _u16(url))


def test_emoji_before_a_url_shifts_utf16_offsets() -> None:
    text = "Look 😀🇨🇭 at this: https://example.com/a?b=1 and that"
    entity = _url_entity(text, "https://example.com/a?b=1")
    assert entity.offset != text.index("https://")  # the emoji take two code units each
    assert extract_links(text, [entity]) == ["https://example.com/a?b=1"]


def test_python_indices_would_cut_the_wrong_text() -> None:
    text = "🎉🎉🎉 https://news.example/x"
    entity = _url_entity(text, "https://news.example/x")
    assert text[entity.offset: entity.offset + entity.length] != "https://news.example/x"
    assert utf16_slice(text, entity.offset, entity.length) == "https://news.example/x"
    assert utf16_len(text) == _u16(text)


def test_text_links_and_urls_in_order_without_repeats() -> None:
    text = "first 📰 here, then https://b.example/2 and again https://b.example/2"
    ents = [MessageEntity("text_link", _u16("first 📰 "), 4, url="https://a.example/1"),
            MessageEntity("url", _u16(text[: text.index("https://b")]), _u16("https://b.example/2")),
            MessageEntity("url", _u16(text[: text.rindex("https://b")]), _u16("https://b.example/2"))]
    assert extract_links(text, ents) == ["https://a.example/1", "https://b.example/2"]


def test_at_most_three_links_unless_asked() -> None:
    urls = [f"https://e.example/{i}" for i in range(5)]
    text = " ".join(urls)
    ents = [_url_entity(text, u) for u in urls]
    assert extract_links(text, ents) == urls[:3]
    assert extract_links(text, ents, limit=None) == urls


def test_urls_without_scheme_get_https_and_other_schemes_are_dropped() -> None:
    assert normalize_url("example.com/news") == "https://example.com/news"
    assert normalize_url("example.com:8080/x") == "https://example.com:8080/x"
    assert normalize_url("HTTP://Example.com") == "HTTP://Example.com"
    for bad in ("mailto:a@b.c", "tg://resolve?domain=x", "ftp://example.com/f", "https://", "", "http://x:99999/"):
        assert normalize_url(bad) is None, bad


def test_other_entities_are_not_links() -> None:
    text = "/digest @someone #tag https://x.example/p"
    ents = [MessageEntity("bot_command", 0, 7), MessageEntity("mention", 8, 8), MessageEntity("hashtag", 17, 4),
            _url_entity(text, "https://x.example/p")]
    assert extract_links(text, ents) == ["https://x.example/p"]


def test_broken_entities_are_skipped_not_fatal() -> None:
    text = "https://ok.example/a"
    ents = [MessageEntity("url", -5, 3), MessageEntity("url", 0, 0), MessageEntity("url", 0, _u16(text))]
    assert extract_links(text, ents) == ["https://ok.example/a"]
    assert extract_links(None, None) == []


def test_plain_text_without_entities_is_searched_for_addresses() -> None:
    text = "Read (https://a.example/x). Also http://b.example/y, please."
    assert extract_links(text, []) == ["https://a.example/x", "http://b.example/y"]


def test_mentions_of_the_bot_only() -> None:
    text = "👋 @Pith_Test_Bot look, and @other_bot"
    at = _u16("👋 ")
    ents = [MessageEntity("mention", at, _u16("@Pith_Test_Bot")),
            MessageEntity("mention", _u16(text[: text.index("@other")]), _u16("@other_bot"))]
    assert mentions(text, ents, username="pith_test_bot", user_id=1)
    assert not mentions(text, ents[1:], username="pith_test_bot", user_id=1)
    person = User(99, "Pith", is_bot=True)
    assert mentions("Pith", [MessageEntity("text_mention", 0, 4, user=person)], username=None, user_id=99)


def test_without_entities_cuts_command_and_mention() -> None:
    text = "/digest@pith_test_bot 🙂 some words"
    ents = [MessageEntity("bot_command", 0, _u16("/digest@pith_test_bot"))]
    assert without_entities(text, ents, {"bot_command"}) == "🙂 some words"

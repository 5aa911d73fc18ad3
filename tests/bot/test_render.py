"""Telegram HTML: the digest's layout and escaping, and the splitter that keeps every message ≤ 4096."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import Messages, messages_for, ui_language
from bot.render import TELEGRAM_LIMIT, render_digest, render_error, split_html
from server.core.digest import Digest, Fact, Quote, Span
from server.core.errors import PithError


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_messages(chunks: list[str], telegram_html: Any, limit: int = TELEGRAM_LIMIT) -> str:
    shown = []
    for chunk in chunks:
        parsed = telegram_html(chunk)
        assert parsed.error is None, (parsed.error, chunk[:200])
        assert 0 < u16(parsed.text.strip()) <= limit
        shown.append(parsed.text)
    return "".join(shown)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _digest() -> Digest:
    text = ("Die Firma <Acme & Co> investiert 500 Milliarden Dollar. "
            "«Das ist gut», sagte Anna Muster. Am 25. Januar 2026 beginnt der Bau.")
    s1 = Span("Die Firma <Acme & Co> investiert 500 Milliarden Dollar.", 0, 55)
    fig = text.index("500 Milliarden Dollar")
    f1 = Fact(s1.text, s1.start, s1.end, [Span("500 Milliarden Dollar", fig, fig + 21)])
    s3_start = text.index("Am 25.")
    d3 = text.index("25. Januar 2026")
    f3 = Fact(text[s3_start:], s3_start, len(text), [Span("25. Januar 2026", d3, d3 + 15)])
    q_start = text.index("Das ist gut")
    quote = Quote("Das ist gut", [(q_start, q_start + 11)], speaker="Anna Muster", speaker_mention="Anna Muster",
                  cue="sagte")
    return Digest(text=text, url="https://news.example/a?x=1&y=2", title="Acme <b>baut</b> & wächst",
                  site="Beispiel-Zeitung", date="2026-01-20", language="de", word_count=20, reading_minutes=1,
                  summary=[s1], facts=[f1, f3], quotes=[quote])


def test_digest_layout_escaping_and_bold_figures(telegram_html: Any) -> None:
    d = _digest()
    assert d.text[d.summary[0].start:d.summary[0].end] == d.summary[0].text
    markup = render_digest(d, Messages("en"))
    parsed = telegram_html(markup)
    assert parsed.error is None
    lines = parsed.text.split("\n")
    assert lines[0] == "Acme <b>baut</b> & wächst"  # the title's markup is shown, not interpreted
    assert "Beispiel-Zeitung" in lines[1] and "2026-01-20" in lines[1]
    assert "Die Firma <Acme & Co> investiert 500 Milliarden Dollar." in parsed.text
    assert "Key facts" in parsed.text and "Quotes" in parsed.text
    assert "«Das ist gut» — Anna Muster" in parsed.text
    assert "500 Milliarden Dollar" in parsed.bold and "25. Januar 2026" in parsed.bold
    assert parsed.links == ["https://news.example/a?x=1&y=2"]
    # the summary sentence is not repeated among the key facts
    assert parsed.text.count("investiert 500 Milliarden Dollar") == 1


def test_interface_language_german_digest_stays_in_its_language(telegram_html: Any) -> None:
    parsed = telegram_html(render_digest(_digest(), messages_for("de-CH")))
    assert parsed.error is None
    assert "Die wichtigsten Fakten" in parsed.text and "Zitate" in parsed.text and "20.01.2026" in parsed.text
    assert "Das ist gut" in parsed.text
    assert ui_language("fr") == "en" and ui_language(None) == "en" and ui_language("DE_at") == "de"


def test_unknown_speaker_and_empty_digest(telegram_html: Any) -> None:
    d = Digest(text="Nur ein Satz ohne alles.", quotes=[Quote("x", [(0, 1)])])
    parsed = telegram_html(render_digest(d, Messages("en")))
    assert parsed.error is None and "speaker unknown" in parsed.text
    empty = telegram_html(render_digest(Digest(text="Text."), Messages("de")))
    assert empty.error is None and "keine Zusammenfassung" in empty.text


def test_failure_messages_name_the_link_and_the_reason(telegram_html: Any) -> None:
    url = "https://news.example/" + "a" * 100 + "?q=<x>&r=1"
    missing = telegram_html(render_error(PithError("upstream_error", "The server answered 404 Not Found."),
                                         Messages("en"), url))
    assert missing.error is None and missing.links == [url]
    assert "does not exist" in missing.text and "404" in missing.text and len(missing.text) < 200
    down = telegram_html(render_error(PithError("upstream_error", "The server answered 503."), Messages("de"), url))
    assert "Fehler 503" in down.text
    text = telegram_html(render_error(PithError("no_article", "x"), Messages("de")))
    assert text.error is None and text.text.startswith("Ich konnte den Text nicht") and not text.links


def test_split_prefers_paragraphs(telegram_html: Any) -> None:
    para = ["<b>Head</b>\n" + ("word " * 600).strip() for _ in range(3)]
    chunks = split_html("\n\n".join(para))
    assert len(chunks) == 3
    assert all(c == p for c, p in zip(chunks, para, strict=True))
    _check_messages(chunks, telegram_html)


def test_split_counts_utf16_units_after_parsing(telegram_html: Any) -> None:
    emoji = "😀" * 3000  # 3000 characters but 6000 UTF-16 units
    chunks = split_html(emoji)
    assert len(chunks) == 2
    assert _check_messages(chunks, telegram_html) == emoji
    amps = "&amp;" * 4000  # 20000 characters of markup, 4000 once parsed: one message
    assert split_html(amps) == [amps]


def test_split_never_inside_a_tag_and_reopens_elements(telegram_html: Any) -> None:
    markup = '<a href="https://x.example/?a=1&amp;b=2"><b>' + ("long link text " * 700) + "</b></a>"
    chunks = split_html(markup)
    assert len(chunks) >= 3
    shown = _check_messages(chunks, telegram_html)
    assert _squash(shown) == _squash("long link text " * 700)
    for chunk in chunks:
        assert chunk.startswith('<a href="https://x.example/?a=1&amp;b=2"><b>') and chunk.endswith("</b></a>")


_words = st.text(alphabet=st.sampled_from(list("abcdé ä😀<>&\n")), min_size=0, max_size=60)


@st.composite
def _markup(draw: Any, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["text", "text", "tag", "para"] if depth < 3 else ["text"]))
        if kind == "tag":
            tag = draw(st.sampled_from(["b", "i", "code", 'a href="https://e.example/?a=1&amp;b=2"']))
            name = tag.split()[0]
            parts.append(f"<{tag}>{draw(_markup(depth + 1))}</{name}>")
        elif kind == "para":
            parts.append("\n\n")
        else:
            text = draw(_words)
            parts.append(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(body=st.lists(_markup(), min_size=1, max_size=8), limit=st.integers(8, 120))
def test_split_property_every_message_valid_and_within_the_limit(body: list[str], limit: int,
                                                                 telegram_html: Any) -> None:
    markup = "\n\n".join(body)
    assert telegram_html(markup).error is None
    chunks = split_html(markup, limit=limit)
    shown = "".join(telegram_html(c).text for c in chunks)
    for chunk in chunks:
        parsed = telegram_html(chunk)
        assert parsed.error is None, chunk
        assert u16(parsed.text) <= limit
    assert _squash(shown) == _squash(telegram_html(markup).text)

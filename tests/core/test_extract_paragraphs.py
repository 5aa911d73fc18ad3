"""Paragraph breaks: the source's line breaks are spaces, ``<br>`` breaks lines and never glues them."""

from __future__ import annotations

import lxml.html

from server.core.extract.html import _html_lines, extract_html
from server.core.pipeline import build_digest

_FILLER = "".join(f"<p>The committee met again on day {i} and discussed the budget for the coming year at great "
                  f"length, without reaching a result.</p>" for i in range(4))


def _page(body: str) -> str:
    return (f"<html><head><title>Bridge opens late</title></head><body><article><h1>Bridge opens late</h1>"
            f"{_FILLER}{body}{_FILLER}</article></body></html>")


def test_source_line_breaks_inside_a_paragraph_with_a_br_do_not_split_it() -> None:
    html = _page("<p>The mayor said the bridge\nwould open in May, two months later than planned, because\n"
                 "the steel arrived late.<br>\nShe added that \u201cthe delay\ncosts us nothing at all\u201d and that "
                 "the contractor\nwould pay.</p>")
    paragraphs = extract_html(html).text.split("\n\n")
    assert ("The mayor said the bridge would open in May, two months later than planned, because the steel arrived "
            "late.") in paragraphs
    assert "She added that \u201cthe delay costs us nothing at all\u201d and that the contractor would pay." \
        in paragraphs


def test_a_quote_across_source_lines_stays_whole_in_the_digest() -> None:
    html = _page("<p>\u201cWe will open\nthe bridge in May,\u201d said Anna Lindqvist,\nthe mayor.<br>"
                 "Nobody objected.</p>")
    digest = build_digest(html, input="html")
    assert any(q.text == "We will open the bridge in May," or q.text == "We will open the bridge in May"
               for q in digest.quotes)


def test_lines_split_only_by_br_are_not_glued() -> None:
    html = _page("<div class='txt'>Wir haben es mit eigenen Augen gesehen.<br>Danach kam der Regen und alles war "
                 "vorbei.<br/>Am Montag ging es weiter mit der Arbeit am Damm.</div>")
    text = extract_html(html).text
    assert "gesehen.Danach" not in text and "vorbei.Am" not in text
    paragraphs = text.split("\n\n")
    assert "Wir haben es mit eigenen Augen gesehen." in paragraphs  # the first line of the div is not lost
    assert "Danach kam der Regen und alles war vorbei." in paragraphs


def test_html_lines_cut_at_br_and_keep_inline_text() -> None:
    el = lxml.html.fromstring("<p>Wir haben es <b>gesehen</b>.<br>Danach <!-- note --> kam<br/>der\nRegen.</p>")
    assert _html_lines(el) == ["Wir haben es gesehen.", "Danach kam", "der Regen."]

"""The article shipped only as data in the page (JSON-LD articleBody, hydration JSON) is read."""

from __future__ import annotations

import json

import pytest

from server.core.errors import PithError
from server.core.extract.html import extract_html

_PARAGRAPHS = [
    "The harbour board of Kessington approved a plan on Thursday to dredge the old fishing basin for the first "
    "time in forty years.",
    "Silt has made the basin too shallow for the larger boats at low tide, the board's chair told the meeting, "
    "and two trawlers have run aground since the spring.",
    "The work will cost about 2.4 million pounds and is due to start in October, when the fishing season ends.",
    "Local fishermen welcomed the decision but asked the board to keep one berth open during the works.",
]


def _page(head: str, body: str) -> str:
    return (f"<html><head><title>Kessington basin to be dredged</title>{head}</head><body>"
            f"<header><a href='/'>Home</a> <a href='/news'>News</a></header>{body}"
            f"<footer>© Kessington Herald</footer></body></html>")


def test_json_ld_article_body_when_the_html_body_is_empty() -> None:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Kessington basin to be dredged",
          "articleBody": "\n".join(_PARAGRAPHS)}
    html = _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>",
                 "<main><h1>Kessington basin to be dredged</h1><div id='root'></div></main>")
    assert extract_html(html).text == "\n\n".join(_PARAGRAPHS)


def test_next_data_content_blocks_when_the_html_body_is_empty() -> None:
    data = {"props": {"pageProps": {"story": {"title": "Kessington basin to be dredged", "blocks": [
        {"type": "paragraph", "text": p} for p in _PARAGRAPHS] + [{"type": "image", "url": "/a.jpg"}]}}}}
    html = _page("", "<div id='__next'><h1>Kessington basin to be dredged</h1></div>"
                     f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script>")
    assert extract_html(html).text == "\n\n".join(_PARAGRAPHS)


def test_hydration_state_with_html_body_in_an_inline_script() -> None:
    state = {"article": {"id": 7, "bodyHtml": "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)}}
    html = _page("", "<main><h1>Kessington basin to be dredged</h1></main>"
                     f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>")
    assert extract_html(html).text == "\n\n".join(_PARAGRAPHS)


def test_html_showing_only_the_start_gives_way_to_the_whole_embedded_article() -> None:
    ld = {"@type": "NewsArticle", "articleBody": "\n".join(_PARAGRAPHS * 2)}
    html = _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>",
                 f"<article><h1>Kessington basin to be dredged</h1><p>{_PARAGRAPHS[0]}</p></article>")
    assert extract_html(html).text.count("\n\n") == 7


def test_a_full_html_article_is_not_replaced_by_a_short_json_summary() -> None:
    ld = {"@type": "NewsArticle", "articleBody": _PARAGRAPHS[2] + " " + _PARAGRAPHS[3]}
    body = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS * 3)
    html = _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>",
                 f"<article><h1>Kessington basin to be dredged</h1>{body}</article>")
    assert extract_html(html).text.count("\n\n") == 11


def test_no_article_in_the_html_or_the_data_stays_no_article() -> None:
    ld = {"@type": "WebPage", "name": "Kessington Herald", "description": "News from the coast."}
    html = _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script><script>var x = {{1: 2}};</script>",
                 "<main><h1>Kessington basin to be dredged</h1></main>")
    with pytest.raises(PithError) as err:
        extract_html(html)
    assert err.value.code == "no_article"

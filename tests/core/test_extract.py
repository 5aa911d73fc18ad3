"""HTML extraction: article boundaries, boilerplate removal, lead recovery, metadata cleaning, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trafilatura.utils import load_html

from server.core.errors import PithError
from server.core.extract.html import Block, _prune, _repair, extract_html
from server.core.extract.metadata import clean_author, clean_date, clean_title, read_metadata

# ---------------------------------------------------------------- the project's own sample pages


@pytest.fixture(scope="module")
def english(samples_dir: Path):
    return extract_html((samples_dir / "article-en.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def german(samples_dir: Path):
    return extract_html((samples_dir / "article-de.html").read_text(encoding="utf-8"),
                        url="https://www.glarner-tagesbote.example/region/seilbahn")


def test_english_body_keeps_the_standfirst_and_every_paragraph(english):
    paragraphs = english.text.split("\n\n")
    assert paragraphs[0].startswith("A field of 41,000 panels will float on the reservoir")
    assert paragraphs[1].startswith("Northfell Water said on Friday")
    assert paragraphs[-1].endswith("due to finish in the autumn of 2027.")
    assert "Concerns about wildlife" in paragraphs and "What happens next" in paragraphs
    assert "“The evidence so far is reassuring,” she said, “but it comes from" in english.text


@pytest.mark.parametrize("boilerplate", [
    "Lake Harrow gets Britain's largest floating solar farm",  # the title is not repeated in the text
    "Photograph: Mark Dunmore", "Test panels were moored",  # caption and credit
    "Share on Facebook", "Copy link", "Accept all", "We use cookies",
    "Related articles", "Fell Ridge wind turbines", "Solar power",
    "morning briefing", "Sign up", "Comments (3)", "About time.", "ducks sit on them",
    "All rights reserved", "Subscribe",
])
def test_english_boilerplate_is_gone(english, boilerplate):
    assert boilerplate not in english.text


def test_paragraphs_are_separated_by_one_blank_line(english, german):
    for article in (english, german):
        assert "\n\n\n" not in article.text
        assert all(p == p.strip() and "\n" not in p for p in article.text.split("\n\n"))


def test_tag_lists_leave_no_paragraph(english, german):
    for tag in ("Harrowby", "Wildlife", "Solar power"):
        assert tag not in english.text.split("\n\n")
    for tag in ("Glarus Süd", "Seilbahnen", "Tourismus"):
        assert tag not in german.text.split("\n\n")


def test_english_metadata_is_clean(english):
    assert english.title == "Lake Harrow gets Britain's largest floating solar farm"
    assert english.author == "Priya Raman; Tom Ellery"
    assert english.date == "2026-03-14"
    assert english.site == "The Northern Courier"
    assert english.url == "https://www.northern-courier.example/news/environment/lake-harrow-floating-solar-farm-48213"


def test_german_body_from_lead_to_last_paragraph(german):
    paragraphs = german.text.split("\n\n")
    assert paragraphs[0].startswith("Die Gemeinde Glarus Süd lässt die fast 60 Jahre alte Seilbahn")
    assert paragraphs[-1].endswith("doppelt so viele wie bisher.")
    assert "Kritik an den Kosten" in paragraphs
    assert "1,5 Millionen Franken" in german.text and "100.000 Fahrgäste" in german.text


@pytest.mark.parametrize("boilerplate", [
    "Keystone/Urs Brändli", "Die Kabine stammt", "WhatsApp", "Drucken", "Lesedauer", "Anzeige",
    "Das könnte Sie auch interessieren", "Skilift in Elm", "Themen:", "Kommentare",
    "Bergfreund62", "zu viel Geld", "Cookies", "Newsletter", "Impressum",
])
def test_german_boilerplate_is_gone(german, boilerplate):
    assert boilerplate not in german.text


def test_german_metadata_keeps_the_author_as_written(german):
    assert german.title == "Seilbahn auf den Mürtschenstock wird für 1,5 Millionen Franken saniert"
    assert german.author == "sda/dpa"
    assert german.date == "2026-02-12"
    assert german.site == "Glarner Tagesbote"
    assert german.url == "https://www.glarner-tagesbote.example/region/seilbahn"


# ---------------------------------------------------------------- the shared reference page


@pytest.fixture(scope="module")
def stargate(fixtures_dir: Path):
    expected = json.loads((fixtures_dir / "stargate-de.expected.json").read_text(encoding="utf-8"))
    article = extract_html((fixtures_dir / "stargate-de.html").read_text(encoding="utf-8"))
    return article, expected


def test_stargate_boundaries_keep_the_lead(stargate):
    article, expected = stargate
    assert article.text.startswith(expected["body_starts_with"])
    assert article.text.endswith(expected["body_ends_with"])
    assert article.title == expected["title"]


def test_stargate_contains_and_excludes(stargate):
    article, expected = stargate
    for needle in expected["body_must_contain"]:
        assert needle in article.text
    for needle in expected["body_must_not_contain"]:
        assert needle not in article.text


def test_stargate_author_is_not_title_cased(stargate):
    article, _ = stargate
    assert article.author == "sda/dpa"
    assert article.date is not None and len(article.date) == 10


# ---------------------------------------------------------------- general rules on small invented pages


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


_PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells what the council decided on Monday, why the vote was close, "
    f"and what residents said about the plan at the meeting in the town hall.</p>" for n in range(1, 7))


def test_lead_marked_as_intro_outside_the_body_is_kept():
    html = _page(f"<article><h1>Council backs the new bridge</h1>"
                 f"<div class='article-intro'>The town council has approved a new footbridge over the river, "
                 f"ending a dispute that lasted eleven years.</div>"
                 f"<div class='share'><a href='#'>Share</a></div><div class='body'>{_PARAGRAPHS}</div></article>")
    text = extract_html(html).text
    assert text.startswith("The town council has approved a new footbridge")
    assert text.count("ending a dispute") == 1
    assert "Share" not in text


def test_subtitle_is_not_taken_for_a_lead():
    html = _page(f"<article><h1>Council backs the new bridge</h1>"
                 f"<h2 class='subtitle'>A footbridge for the old town, at last, after eleven years of dispute.</h2>"
                 f"<div class='body'>{_PARAGRAPHS}</div></article>")
    assert extract_html(html).text.startswith("Paragraph 1 of the story")


def test_tags_related_and_comment_blocks_are_dropped():
    html = _page(f"<article><h1>Council backs the new bridge</h1><div class='body'>{_PARAGRAPHS}</div>"
                 f"<ul class='article-tags'><li><a href='/t/bridges'>Bridges</a></li></ul>"
                 f"<section class='relatedStories'><h2>More stories</h2><p>Another long teaser paragraph that "
                 f"talks about something else entirely and should never be part of this article.</p></section>"
                 f"<div id='comments'><p>I think the bridge is a waste of money and the council should have "
                 f"asked the people who live here before spending it on this.</p></div></article>")
    text = extract_html(html).text
    assert text.endswith("at the meeting in the town hall.")
    for gone in ("Bridges", "Another long teaser", "waste of money"):
        assert gone not in text


def test_bold_lead_paragraph_above_the_body_is_kept():
    html = _page(f"<article><h1>Rat beschliesst neue Brücke</h1><p><strong>Der Gemeinderat hat am Montag den Bau "
                 f"einer Fussgängerbrücke beschlossen, nach elf Jahren Streit.</strong></p>"
                 f"<figure><img src='b.jpg'><figcaption>Die alte Brücke. Foto: Keystone</figcaption></figure>"
                 f"<div class='article-body'>{_PARAGRAPHS}</div></article>")
    text = extract_html(html).text
    assert text.startswith("Der Gemeinderat hat am Montag den Bau einer Fussgängerbrücke beschlossen")
    assert "Keystone" not in text and "Die alte Brücke" not in text


def test_fragment_without_html_and_body_tags():
    assert extract_html(f"<div>{_PARAGRAPHS}</div>").text.startswith("Paragraph 1 of the story")


def test_truncated_extraction_is_repaired_and_a_complete_one_kept():
    tree = load_html(_page(f"<article><h1>Council backs the new bridge</h1>"
                           f"<div class='chunk'>{_PARAGRAPHS}</div><div class='chunk'>{_PARAGRAPHS}</div></article>"))
    meta = read_metadata(tree)
    prose = _prune(tree)
    paragraphs = [Block(p.text_content()) for p in tree.iter("p")]
    repaired = _repair(tree, paragraphs[:2], meta, prose)  # stopped after two of twelve paragraphs
    assert len(repaired) == 12
    assert _repair(tree, paragraphs, meta, prose) is paragraphs  # complete: readability is not even asked


def test_line_breaks_inside_a_paragraph_become_paragraphs():
    html = _page(f"<article><h1>Tour dates announced</h1><div class='body'>{_PARAGRAPHS}"
                 f"<p>June 9 -- Arena One, Springfield<br>June 10 -- Arena Two, Shelbyville</p></div></article>")
    text = extract_html(html).text
    assert "June 9 -- Arena One, Springfield\n\nJune 10 -- Arena Two, Shelbyville" in text


# ---------------------------------------------------------------- metadata cleaning


@pytest.mark.parametrize(("raw", "clean"), [
    ("By Jane Doe", "Jane Doe"),
    ("BY JANE DOE", "JANE DOE"),
    ("Von Hans Muster", "Hans Muster"),
    ("sda/dpa", "sda/dpa"),
    ("Priya Raman and Tom Ellery", "Priya Raman; Tom Ellery"),
    ("Hans Muster und Anna Beispiel", "Hans Muster; Anna Beispiel"),
    ("Jane Doe, John Roe", "Jane Doe; John Roe"),
    ("Doe, Jane", "Doe, Jane"),
    ("Analysis by Chris Example, CNN", "Chris Example; CNN"),
    ("Jane Doe, Print this article", "Jane Doe"),
    ("Jane Doe and jane doe", "Jane Doe"),
])
def test_clean_author(raw, clean):
    assert clean_author(raw) == clean


@pytest.mark.parametrize("raw", [None, "", "   ", "https://www.facebook.com/someone", "By", "Name (required)"])
def test_clean_author_gives_none_for_no_name(raw):
    assert clean_author(raw) is None


def test_clean_author_joins_several_sources():
    assert clean_author(["Jane Doe", "John Roe", "Jane Doe"]) == "Jane Doe; John Roe"


@pytest.mark.parametrize(("raw", "sites", "clean"), [
    ("Lake Harrow gets a solar farm | The Northern Courier", ["The Northern Courier"], "Lake Harrow gets a solar farm"),
    ("Lake Harrow gets a solar farm - Northern Courier", ["northern-courier.example"],
     "Lake Harrow gets a solar farm"),
    ("Computerworld – Musk fährt Trump in die Parade", ["Computerworld"], "Musk fährt Trump in die Parade"),
    ("Budget talks stall | Politics", [], "Budget talks stall"),
    ("Spider-Man - The Movie review", [], "Spider-Man - The Movie review"),
    ("No site here", ["Example News"], "No site here"),
])
def test_clean_title(raw, sites, clean):
    assert clean_title(raw, sites) == clean


@pytest.mark.parametrize(("raw", "clean"), [
    ("2026-03-14T08:30:00+00:00", "2026-03-14"),
    ("2026-3-4", "2026-03-04"),
    ("12.02.2026, 06:45 Uhr", "2026-02-12"),
    ("20191118", "2019-11-18"),
    ("yesterday", None),
    ("2026-13-45", None),
    (None, None),
])
def test_clean_date(raw, clean):
    assert clean_date(raw) == clean


def test_metadata_from_json_ld_and_host_fallback():
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
            '"headline": "Bridge approved", "datePublished": "2025-07-01T10:00:00Z", '
            '"author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}]}</script>')
    html = _page(f"<article><h1>Bridge approved</h1>{_PARAGRAPHS}</article>", head)
    article = extract_html(html, url="https://www.example-news.test/local/bridge")
    assert (article.title, article.author, article.date) == ("Bridge approved", "Jane Doe; John Roe", "2025-07-01")
    assert article.site == "example-news.test"


def test_site_logo_in_h1_is_not_the_title():
    head = ('<meta property="og:title" content="Council backs the new bridge | Example News">'
            '<meta property="og:site_name" content="Example News">')
    meta = read_metadata(load_html(_page(f"<h1><a href='/'>Example News</a></h1><article>{_PARAGRAPHS}</article>",
                                         head)))
    assert meta.title == "Council backs the new bridge"
    assert meta.site == "Example News"


def test_unknown_metadata_is_none():
    article = extract_html(_page(f"<div>{_PARAGRAPHS}</div>"))
    assert article.author is None and article.date is None and article.site is None and article.url is None


# ---------------------------------------------------------------- bad input


def _no_article(html: str) -> PithError:
    with pytest.raises(PithError) as caught:
        extract_html(html)
    assert caught.value.code == "no_article"
    return caught.value


@pytest.mark.parametrize("html", [
    "", "   ", "<html></html>", _page(""), "<<<>>><html<<body>>\x01\x02 &&&; </p></div></html>",
    _page("<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"),
])
def test_empty_or_garbage_pages(html):
    _no_article(html)


def test_deeply_nested_html_gives_a_clean_error():
    _no_article(_page("<div>" * 50_000 + "<p>deep</p>" + "</div>" * 50_000))
    _no_article(_page("<div><span>" * 30_000 + "unclosed"))


def test_index_page_is_no_article():
    cards = "".join(f"<div class='card'><h2><a href='/story/{n}'>Headline number {n} about the region</a></h2>"
                    f"<p>A short teaser for story {n}, one sentence about what happened there.</p></div>"
                    for n in range(20))
    error = _no_article(_page(f"<h1>Latest news</h1><main>{cards}</main>"))
    assert "article" in error.message


def test_non_string_input_is_a_bad_request():
    with pytest.raises(PithError) as caught:
        extract_html(b"<html></html>")  # type: ignore[arg-type]
    assert caught.value.code == "bad_request"


def test_internal_failures_become_no_article(monkeypatch):
    import server.core.extract.html as module

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(module, "read_metadata", explode)
    _no_article(_page(f"<article><h1>T</h1>{_PARAGRAPHS}</article>"))


def test_a_rendered_page_full_of_inline_svg_icons_is_still_digested(samples_dir: Path, english):
    """Rendered pages (what the extension sends) carry thousands of inline SVG paths: no article text, yet they
    must not push a page over the element limit."""
    icon = "<svg viewBox='0 0 24 24'>" + "<path d='M0 0h24v24H0z'/>" * 40 + "</svg>"
    html = (samples_dir / "article-en.html").read_text(encoding="utf-8")
    heavy = html.replace("</body>", f"<footer>{icon * 1500}</footer></body>")
    assert heavy.count("<path") > 50_000
    assert extract_html(heavy).text == english.text

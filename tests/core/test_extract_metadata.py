"""Metadata: the site's own name is never the author, agencies are; titles without the site; null over a guess."""

from __future__ import annotations

import json

import pytest
from trafilatura.utils import load_html

from server.core.extract.metadata import clean_author, clean_title, read_metadata


@pytest.mark.parametrize(("raw", "sites", "clean"), [
    ("Associated Press Updated: May 3, 2024", [], "Associated Press"),
    ("Mara Quint Published 11:34 PM EST Nov 3", [], "Mara Quint"),
    ("Jonas Feld, aktualisiert am 12.03.2022", [], "Jonas Feld"),
    ("Text: Lea Beispiel, 12.03.2022", [], "Lea Beispiel"),
    ("sda/dpa", ["Seetaler Zeitung"], "sda/dpa"),
    ("Reuters", ["Marlow Standard"], "Reuters"),
    ("Dunmore Daily", ["Dunmore Daily"], None),
    ("Corran Echo staff", ["Corran Echo"], None),
    ("Tova Lindgren; Hartwell Post", ["Hartwell Post"], "Tova Lindgren"),
    ("Anna Ostrow on Twitter", [], "Anna Ostrow on Twitter"),  # no date after "on": nothing cut
])
def test_clean_author(raw: str, sites: list[str], clean: str | None) -> None:
    assert clean_author(raw, sites) == clean


@pytest.mark.parametrize(("raw", "sites", "clean"), [
    ("Fenwick Notes – Library opens to crowds | Fenwick Notes", ["Fenwick Notes"], "Library opens to crowds"),
    ("Neue Bibliothek öffnet › Beispielmagazin", ["Beispielmagazin"], "Neue Bibliothek öffnet"),
    ("Beispielmagazin ‹ Neue Bibliothek öffnet", ["Beispielmagazin"], "Neue Bibliothek öffnet"),
    ("Library opens: a first look", ["Fenwick Notes"], "Library opens: a first look"),
    ("Fenwick Notes: Library opens to crowds", ["Fenwick Notes"], "Library opens to crowds"),
    ("Analysis: Library opens to crowds", ["Fenwick Notes"], "Analysis: Library opens to crowds"),
])
def test_clean_title_strips_the_site_at_both_ends(raw: str, sites: list[str], clean: str) -> None:
    assert clean_title(raw, sites) == clean


def _meta(head: str, body: str = "", url: str = "https://www.obanherald.example/us/library"):
    html = (f"<html><head>{head}</head><body><article><h1>Library opens to crowds</h1>{body}"
            f"<p>The county's new library opened on Saturday after three years of building work.</p></article>"
            f"</body></html>")
    return read_metadata(load_html(html), url)


def test_a_section_as_application_name_is_not_the_site() -> None:
    assert _meta("<meta name='application-name' content='U.S.'>").site == "obanherald.example"
    assert _meta("<meta name='application-name' content='Oban Herald'>").site == "Oban Herald"
    assert _meta("<meta name='twitter:site' content='@obanherald'>").site == "obanherald.example"


def test_publisher_as_json_ld_author_gives_way_to_the_byline() -> None:
    ld = {"@type": "NewsArticle", "headline": "Library opens to crowds",
          "author": {"@type": "Organization", "name": "Hartwell Post"},
          "publisher": {"@type": "Organization", "name": "Hartwell Post"}}
    meta = _meta(f"<script type='application/ld+json'>{json.dumps(ld)}</script>",
                 "<div class='byline'>By <a href='/authors/tova'>Tova Lindgren</a></div>",
                 url="https://hartwellpost.example/library")
    assert meta.author == "Tova Lindgren" and meta.site == "Hartwell Post"


def test_the_inner_author_element_of_a_byline_section_names_the_author() -> None:
    meta = _meta("<meta property='og:site_name' content='Tenby Ledger'>",
                 "<div class='byline-section'><span class='author'>Nell Farrow</span>"
                 "<span class='publication'>Associated Press</span><span>Published 11:34 PM</span></div>")
    assert meta.author == "Nell Farrow"


def test_the_site_name_as_meta_author_is_no_author() -> None:
    meta = _meta("<meta name='author' content='Dunmore Daily'><meta property='og:site_name' content='Dunmore Daily'>")
    assert meta.author is None and meta.site == "Dunmore Daily"

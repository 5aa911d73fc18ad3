"""Extractive summary properties, and verbatim offsets of every item in any digest (property test)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.core.digest import Article, count_words
from server.core.errors import PithError
from server.core.pipeline import build_digest, digest_article
from server.core.summary.summarize import MAX_WORDS, summarize
from server.core.text.sentences import split_sentences

ARTICLE_EN = (
    "Flood waters cut off the town of Riverton on Monday, forcing 2,000 residents from their homes.\n\n"
    "What would you do in a flood?\n\n"
    "Rescue efforts\n\n"
    "Emergency crews from three counties worked through the night to reach families stranded by the flood.\n\n"
    "The river rose more than four metres in twelve hours, the highest level since records began in 1890.\n\n"
    "Photo: A flooded street in Riverton (Credit: Jane Doe)\n\n"
    "Mayor Ann Lee said the town would need months to recover from the flood damage.\n\n"
    "Local schools will stay closed until Friday while engineers inspect the bridges.\n\n"
    "Volunteers handed out food and blankets at the community centre near the river."
)
ARTICLE_DE = (
    "Der Bundesrat hat am Mittwoch ein neues Gesetz zum Schutz der Gewässer beschlossen.\n\n"
    "Neue Regeln für Bauern\n\n"
    "Landwirte müssen künftig weniger Dünger auf Feldern nahe an Gewässern ausbringen.\n\n"
    "Wussten Sie, dass die Schweiz 1500 Seen hat?\n\n"
    "Die Umweltverbände begrüssen den Entscheid des Bundesrates zum Schutz der Gewässer.\n\n"
    "Der Bauernverband kritisiert das Gesetz als zu streng und droht mit einem Referendum."
)


def _summary(text: str, lang: str, n: int = 3, title: str | None = None) -> list:
    return summarize(text, split_sentences(text, lang), lang=lang, title=title, n=n)


@pytest.mark.parametrize(("text", "lang"), [(ARTICLE_EN, "en"), (ARTICLE_DE, "de")])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_summary_properties(text: str, lang: str, n: int) -> None:
    summary = _summary(text, lang, n)
    assert len(summary) == n
    assert [s.start for s in summary] == sorted(s.start for s in summary)  # reading order
    assert sum(count_words(s.text) for s in summary) <= MAX_WORDS
    for s in summary:
        assert text[s.start:s.end] == s.text  # verbatim
        assert not s.text.rstrip("»«“”\"'’").endswith("?")  # no questions to the reader
        assert s.text not in {"Rescue efforts", "Neue Regeln für Bauern"}  # no headings
        assert not s.text.startswith("Photo:")  # no captions


def test_summary_starts_with_the_lead_and_follows_the_title() -> None:
    summary = _summary(ARTICLE_EN, "en", 2, title="Riverton mayor: town needs months to recover from flood")
    assert summary[0].text.startswith("Flood waters cut off the town of Riverton")
    assert any(s.text.startswith("Mayor Ann Lee said") for s in summary)


def test_summary_avoids_repeating_itself() -> None:
    lead = "The city council approved the new budget for the public library on Tuesday evening."
    text = "\n\n".join([lead, lead.replace("Tuesday evening", "Tuesday night"),
                       "Library visits have doubled since the new reading rooms opened last spring.",
                       "The mayor thanked the volunteers who run the weekend book club."])
    texts = [s.text for s in _summary(text, "en", 2)]
    assert texts[0] == lead
    assert not texts[1].startswith("The city council approved")


def test_summary_of_headings_only_still_answers() -> None:
    text = "Ein Titel\n\nNoch ein Titel"
    summary = _summary(text, "de", 3)
    assert 1 <= len(summary) <= 3
    assert all(text[s.start:s.end] == s.text for s in summary)


@pytest.mark.parametrize("n", [1, 5])
def test_digest_sentences_sets_the_length(n: int) -> None:
    text = "\n\n".join([
        "Die alte Brücke über die Aare wird ab dem nächsten Frühling saniert.",
        "Während der Arbeiten fahren die Busse über eine Umleitung im Westen.",
        "Anwohner fürchten monatelangen Lärm und beschweren sich beim Gemeinderat.",
        "Der Kanton trägt den grössten Teil der Kosten für das Vorhaben.",
        "Ein Architekturbüro aus Basel hat den Wettbewerb für die Gestaltung gewonnen.",
        "Die Bauzeit soll nach Angaben der Behörden etwa zwei Jahre betragen.",
        "Fussgänger können die Brücke während der ganzen Zeit weiter benutzen.",
    ])
    digest = build_digest(text, input="text", sentences=n)
    assert len(digest.summary) == n


# --- every offset in any digest is verbatim -------------------------------------------------------------

_WORDS = ["Der", "die", "Musk", "sagte", "said", "Dr.", "U.S.", "z.", "B.", "100.000", "1,5", "Mio.", "Mrd",
          "Dollar", "$2.3bn", "12", "%", "Prozent", "drei", "Jahre", "three", "times", "25.", "Januar", "2026",
          "Jan.", "5,", "mehr", "als", "«", "»", "„", "“", "”", "\"", "'", "?", "!", ".", ",", ":", "-", "…",
          "Elon", "Trump", "er", "she", "the", "und", "\n\n", "\n", "Ünïcödé", "😀", "\u00a0", "\u202f"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(min_size=1, max_size=6)), min_size=1, max_size=120),
       st.integers(min_value=1, max_value=5), st.sampled_from(["text", "article"]))
def test_every_offset_is_verbatim(words: list[str], n: int, how: str) -> None:
    page = " ".join(words)
    try:
        if how == "text":
            digest = build_digest(page, input="text", sentences=n)
        else:
            digest = digest_article(Article(text=page.strip() or "x"), sentences=n)
    except PithError:
        return
    text = digest.text
    assert 1 <= len(digest.summary) <= n or (not digest.summary and not text.strip())
    for s in digest.summary:
        assert text[s.start:s.end] == s.text
    assert len(digest.facts) <= 8
    for f in digest.facts:
        assert text[f.start:f.end] == f.text
        for g in f.figures:
            assert text[g.start:g.end] == g.text
            assert f.start <= g.start < g.end <= f.end
    for q in digest.quotes:
        assert all(0 <= a <= b <= len(text) for a, b in q.spans)

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


def _summary(text: str, lang: str, n: int | None = 3, title: str | None = None) -> list:
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
    # at most 90 words, unless a single sentence over the budget is all there is to say
    assert sum(count_words(s.text) for s in digest.summary) <= MAX_WORDS or len(digest.summary) == 1
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


# --- sentences a reader can stand on ----------------------------------------------------------------------

def test_credit_newsletter_and_caption_lines_never_reach_the_summary() -> None:
    text = "\n\n".join([
        "This story first ran on the Valley Courier and is shared with permission.",
        "The valley's only ferry across the lake will stop running at the end of the month.",
        "Sign up for our morning newsletter to get the valley's news every day.",
        "The ferry operator said falling passenger numbers made the lake crossing too costly to run.",
        "A ferry at the pier in the morning light (Photo: Sam Reed)",
        "Commuters will have to drive around the lake, a trip of more than an hour each way.",
    ])
    for n in (None, 3, 4):
        texts = [s.text for s in _summary(text, "en", n, title="Valley ferry across the lake to stop")]
        assert texts
        assert not any("first ran on" in t or "newsletter" in t or "Photo:" in t for t in texts)


def test_a_pronoun_start_comes_only_after_its_referent() -> None:
    text = "\n\n".join([
        "The town's old bakery on Mill Road will close after ninety years of baking bread.",
        "Anna Berg has run the bakery on Mill Road since her father retired.",
        "She bakes every loaf of bread herself and says the bakery can no longer pay its rent.",
        "Neighbours have started a petition to save the bakery and its bread.",
    ])
    for n in (None, 1, 2, 3):
        summary = _summary(text, "en", n, title="She bakes every loaf of bread herself")
        starts = [s.start for s in summary]
        for s in summary:
            if s.text.startswith("She "):
                prev = text.rindex("Anna Berg")
                assert prev in starts  # the sentence that introduces her is in the summary before it
    assert not _summary(text, "en", 1, title="She bakes every loaf of bread herself")[0].text.startswith("She ")


def test_a_german_pronoun_start_needs_its_referent_too() -> None:
    text = "\n\n".join([
        "Die Gemeinde will das alte Schulhaus am Dorfplatz verkaufen.",
        "Ein Investor aus der Stadt möchte im Schulhaus Wohnungen bauen.",
        "Sie winken ab und wollen das Schulhaus lieber als Treffpunkt für das Dorf behalten.",
        "Die Gemeindeversammlung entscheidet im Herbst über den Verkauf des Schulhauses.",
    ])
    summary = _summary(text, "de", 1, title="Sie winken ab: Schulhaus als Treffpunkt behalten")
    assert not summary[0].text.startswith("Sie ")


def test_no_sentence_starts_or_ends_inside_a_quotation() -> None:
    text = "\n\n".join([
        "The regional hospital will open a new children's ward next spring.",
        "«The ward will have forty beds. It will be the largest children's ward in the region. "
        "We waited a long time for this», said the hospital's director.",
        "Building work on the children's ward begins in May and will cost the region twelve million.",
    ])
    for n in (None, 1, 2, 3):
        for s in _summary(text, "en", n, title="Largest children's ward in the region"):
            assert s.text.count("«") == s.text.count("»")  # a quotation whole or not at all


# --- length: auto 2-4 sentences by their length, explicit N where 90 words allow ---------------------------

_LONG = [
    "The regional council voted late on Tuesday to close the public swimming pool in Northfield for two years "
    "while engineers replace its leaking roof and the old heating system.",
    "Parents in Eastbrook worry that their children will have nowhere nearby to learn to swim, because the next "
    "pool is almost an hour away by bus on winding country roads.",
    "A local sports club has offered to pay part of the repair bill if the council promises to reopen the pool "
    "with longer evening hours for its youth teams and adult classes.",
    "Engineers who inspected the building last spring found rusted steel beams above the main basin, cracked tiles "
    "along the walls and water damage in the changing rooms downstairs.",
    "The mayor of Westmoor said the decision was painful but that safety had to come first, adding that the town "
    "would look for temporary lessons at a private hotel pool.",
    "Opposition members accused the council of neglecting maintenance for a decade and demanded an independent "
    "review of how the building budget had been spent since the last election.",
]


def _long(k: int) -> str:
    return _LONG[k]


def test_auto_length_adapts_to_the_sentences() -> None:
    short = "\n\n".join(["The council closed the town pool on Tuesday.", "Parents fear long bus trips to swim.",
                         "A sports club offered to pay part of the bill.", "Engineers found rusted beams and cracks.",
                         "The mayor called the decision painful.", "Critics blame years of neglect."])
    short_summary = _summary(short, "en", None)
    long_summary = _summary("\n\n".join(_long(k) for k in range(6)), "en", None)
    assert 2 <= len(long_summary) <= len(short_summary) <= 4
    assert len(long_summary) < len(short_summary)


def test_explicit_length_gives_as_many_as_ninety_words_allow() -> None:
    text = "\n\n".join(_long(k) for k in range(6))
    summary = _summary(text, "en", 5)
    assert 1 <= len(summary) < 5
    assert sum(count_words(s.text) for s in summary) <= MAX_WORDS


def test_digest_without_sentences_is_auto() -> None:
    text = "\n\n".join(_long(k) for k in range(6))
    digest = build_digest(text, input="text")
    assert 1 <= len(digest.summary) <= 4
    assert sum(count_words(s.text) for s in digest.summary) <= MAX_WORDS


def test_a_quotation_in_single_marks_beside_apostrophes_is_not_cut() -> None:
    text = "\n\n".join([
        "The village’s football club will build a new stand before the summer.",
        "A club spokesman said: ‘The stand will hold 500 fans. It’s the club’s biggest project in years.’",
        "The club’s members approved the plan at their meeting on Friday evening.",
    ])
    for n in (None, 1, 2, 3):
        for s in _summary(text, "en", n, title="The stand will hold 500 fans"):
            assert not s.text.startswith("It’s the club")
            assert not s.text.endswith("500 fans.")


def test_straight_single_marks_open_quotes_but_apostrophes_do_not() -> None:
    text = "\n\n".join([
        "The players' union and the league agreed on a new contract for the coming season on Monday.",
        "The union's chairman said: 'The deal protects every player. We are very happy with it.'",
        "The contract will run for three seasons and raise the minimum wage for young players.",
    ])
    for n in (None, 1, 2, 3):
        texts = [s.text for s in _summary(text, "en", n, title="Players' union agrees new contract")]
        assert texts[0].startswith("The players' union")  # a plural possessive opens no quotation
        assert not any(t.startswith(("The union's chairman", "We are very happy")) for t in texts)

"""Figures (every national format, number words, dates, durations) and key-fact selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.core.pipeline import build_digest
from server.core.summary.facts import find_facts
from server.core.summary.figures import find_figures
from server.core.text.sentences import split_sentences


def figures(text: str, lang: str) -> list[str]:
    found = find_figures(text, lang)
    for f in found:
        assert text[f.start:f.end] == f.text
    return [f.text for f in found]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # digits in German formats, with scale words and currencies
    ("de", "Es entstehen 100.000 Arbeitsplätze.", ["100.000 Arbeitsplätze"]),
    ("de", "Das kostet 1,5 Mio. Franken.", ["1,5 Mio. Franken"]),
    ("de", "Zunächst 100 Milliarden Dollar (96 Mrd Euro).", ["100 Milliarden Dollar", "96 Mrd Euro"]),
    ("de", "Der Preis stieg um 12 % oder 12 Prozent.", ["12 %", "12 Prozent"]),
    ("de", "Er spendete mehr als 250 Millionen für den Wahlkampf.", ["mehr als 250 Millionen"]),
    ("de", "Softbank hat nur zehn Milliarden Dollar gesichert.", ["zehn Milliarden Dollar"]),
    ("de", "Das dauerte drei Jahre, rund 2'500 Franken.", ["drei Jahre", "rund 2'500 Franken"]),
    # German dates
    ("de", "Am 25. Januar 2026 und am 3. Oktober geschah es.", ["25. Januar 2026", "3. Oktober"]),
    ("de", "Die Meldung kam am 25. Jan 2026.", ["25. Jan 2026"]),
    ("de", "Seit 2022 spielte er im März 2024 um 14.30 Uhr.", ["2022", "März 2024", "14.30 Uhr"]),
    # English formats
    ("en", "The firm raised $2.3bn and 3.5 million dollars.", ["$2.3bn", "3.5 million dollars"]),
    ("en", "More than 1,500 people came, up 12% on about £150,000.", ["More than 1,500 people", "12%",
                                                                      "about £150,000"]),
    ("en", "It grew three times in eight weeks.", ["three times", "eight weeks"]),
    ("en", "He signed on Jan. 5, 2024, and left on 5 January 2025.", ["Jan. 5, 2024", "5 January 2025"]),
    ("en", "A million people watched the 3-1 win in May 2024.", ["A million people", "3-1", "May 2024"]),
    ("en", "Twenty-five workers lost their jobs.", ["Twenty-five workers"]),
])
def test_figures(lang: str, text: str, expected: list[str]) -> None:
    assert figures(text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Er sagte es gegenüber Journalisten."),  # "über" inside a word is no comparison
    ("en", "She may come with a friend and one dog."),  # "may" lower case, bare articles
    ("en", "The COVID-19 rules ended."),  # a number inside a name
    ("de", "Die zwei gingen nach Hause."),  # a bare number word is no figure
])
def test_no_figures(lang: str, text: str) -> None:
    assert figures(text, lang) == []


def test_figure_offsets_point_into_a_larger_text() -> None:
    text = "Titel\n\nDer Konzern zahlt 500 Milliarden Dollar."
    (fig,) = find_figures(text, "de")
    assert (fig.start, fig.end) == (text.index("500"), text.index(".", text.index("Dollar")))


ARTICLE_DE = (
    "Die Firma Muster AG aus Zürich wächst weiter. Ihr Chef Hans Muster ist zufrieden.\n\n"
    "Der Umsatz stieg 2024 um 12 Prozent auf 3,5 Milliarden Franken. Gegründet wurde die Firma im Jahr 1990.\n\n"
    "Was denken Sie über die Firma?\n\n"
    "Kurzer Titel\n\n"
    "Die Firma beschäftigt 4000 Mitarbeitende in 12 Ländern. Das Wetter war schön."
)


def test_facts_carry_figures_most_important_first() -> None:
    spans = split_sentences(ARTICLE_DE, "de")
    facts = find_facts(ARTICLE_DE, spans, lang="de")
    texts = [f.text for f in facts]
    # money and a percentage outrank a count, which outranks a bare year
    assert texts[0] == "Der Umsatz stieg 2024 um 12 Prozent auf 3,5 Milliarden Franken."
    assert texts.index("Die Firma beschäftigt 4000 Mitarbeitende in 12 Ländern.") < texts.index(
        "Gegründet wurde die Firma im Jahr 1990.")
    assert "Was denken Sie über die Firma?" not in texts
    assert "Das Wetter war schön." not in texts
    for f in facts:
        assert ARTICLE_DE[f.start:f.end] == f.text
        for g in f.figures:
            assert f.start <= g.start < g.end <= f.end
            assert ARTICLE_DE[g.start:g.end] == g.text
    assert [g.text for g in facts[0].figures] == ["2024", "12 Prozent", "3,5 Milliarden Franken"]


def test_facts_limit_and_no_text() -> None:
    things = ["Äpfel", "Birnen", "Kühe", "Schafe", "Häuser", "Brunnen", "Kirchen", "Schulen", "Brücken", "Mühlen"]
    places = ["Au", "Bern", "Chur", "Genf", "Olten", "Sion", "Thun", "Uri", "Zug", "Wil"]
    text = " ".join(f"In {p} gab es im Jahr {1900 + i} genau {100 + i} {t}." for i, (p, t)
                    in enumerate(zip(places, things, strict=True)))
    facts = find_facts(text, split_sentences(text, "de"), lang="de", limit=8)
    assert len(facts) == 8
    assert len({f.start for f in facts}) == 8
    assert find_facts("", [], lang="de") == []
    assert find_facts(text, split_sentences(text, "de"), lang="de", limit=0) == []


def test_facts_without_figures_fall_back_to_named_sentences() -> None:
    text = ("Angela Merkel traf Emmanuel Macron in Paris. Beide lobten die Europäische Union. "
            "Es war ein schöner Tag.")
    facts = find_facts(text, split_sentences(text, "de"), lang="de")
    assert facts and facts[0].text == "Angela Merkel traf Emmanuel Macron in Paris."
    assert facts[0].figures == []


@pytest.mark.parametrize("name", ["stargate-de.html", "stargate-de.txt"])
def test_stargate_key_figures_lie_in_facts(fixtures_dir: Path, name: str) -> None:
    expected = json.loads((fixtures_dir / "stargate-de.expected.json").read_text(encoding="utf-8"))
    page = (fixtures_dir / name).read_text(encoding="utf-8")
    digest = build_digest(page)
    assert len(digest.facts) <= 8
    for figure in expected["key_figures"]:
        holders = [f for f in digest.facts if figure in f.text]
        assert holders, f"{figure!r} is in no fact"
        # and the figure is marked inside its fact (the marked figure covers it, scale word and unit included)
        assert any(g.start <= f.start + f.text.index(figure) and f.start + f.text.index(figure) + len(figure)
                   <= g.end + len(figure.split()[-1]) for f in holders for g in f.figures)


def test_a_fact_that_only_repeats_a_figure_is_left_out() -> None:
    text = ("Die Bank verlor 2 Milliarden Franken im Handel mit Anleihen. "
            "Der Verlust von 2 Mrd. Franken überraschte die Aktionäre in Zürich sehr. "
            "Die Filiale in Basel beschäftigt künftig nur noch 300 Mitarbeitende.")
    facts = [f.text for f in find_facts(text, split_sentences(text, "de"), lang="de")]
    assert "Die Filiale in Basel beschäftigt künftig nur noch 300 Mitarbeitende." in facts
    # the same value and unit, written differently, makes no second fact
    assert "Der Verlust von 2 Mrd. Franken überraschte die Aktionäre in Zürich sehr." not in facts


def test_at_most_eight_facts_with_figures_in_text_order() -> None:
    places = ["Au", "Bern", "Chur", "Genf", "Olten", "Sion", "Thun", "Uri", "Zug", "Wil", "Aarau", "Baden"]
    verbs = ["wohnen", "arbeiten", "leben", "wandern", "turnen", "singen", "malen", "kochen", "lesen", "bauen",
             "tanzen", "rudern"]
    text = " ".join(f"In {p} {v} heute {100 + k} Menschen auf {k + 2},5 Quadratkilometer." for k, (p, v)
                    in enumerate(zip(places, verbs, strict=True)))
    facts = find_facts(text, split_sentences(text, "de"), lang="de")
    assert len(facts) == 8
    for f in facts:
        assert [g.start for g in f.figures] == sorted(g.start for g in f.figures)


def test_a_sentence_cut_out_of_a_quotation_comes_after_whole_ones() -> None:
    text = ("«The plant will employ 200 people. It will be the largest in the valley», said the mayor. "
            "The council approved 150 jobs at the new plant on the river.")
    facts = [f.text for f in find_facts(text, split_sentences(text, "en"), lang="en")]
    assert facts[0] == "The council approved 150 jobs at the new plant on the river."
    assert facts.index("«The plant will employ 200 people.") > 0

"""Quote candidates: what counts as a quote and how it is cut (paragraphs, names in marks); invented sentences."""

from __future__ import annotations

import pytest

from server.core.quotes.finder import find_quotes
from server.core.text.sentences import split_sentences


def quotes(text: str, lang: str):
    return find_quotes(text, split_sentences(text, lang), lang=lang)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (  # a quote running over paragraphs: one quote per paragraph, the same speaker
            "Mara Lindqvist sagte: «Wir bauen die Brücke dieses Jahr.\n\n«Sie wird zwei Jahre dauern.»\n\nDann ging "
            "sie.",
            "de",
            [("Wir bauen die Brücke dieses Jahr.", "Mara Lindqvist"),
             ("Sie wird zwei Jahre dauern.", "Mara Lindqvist")],
        ),
        (  # the same with the attribution after the last paragraph
            "“We start in May.\n\n“We finish in June,” said Owen Pratchley.\n\nThe works begin soon.",
            "en",
            [("We start in May.", "Owen Pratchley"), ("We finish in June", "Owen Pratchley")],
        ),
        (  # a name with a number in marks is a name, not a quote
            "Das Forschungsgerät «Kolibri 7-B» läuft wieder. «Wir sind froh», sagte Jonas Feldmeier.",
            "de",
            [("Wir sind froh", "Jonas Feldmeier")],
        ),
        (  # German capitalises nouns: a fragment with a lower-case word inside, attributed, is no title
            "Ein Grund sei die Kombination von Alkohol mit «Tabletten und Pulver», sagte Ronan Oakfield.",
            "de",
            [("Tabletten und Pulver", "Ronan Oakfield")],
        ),
        (  # the perfect tense: "hatte … gesagt, dass «…»"
            "Der Verein schweigt. Anna Muster hatte der Zeitung in einem Interview gesagt, dass «die Spender "
            "anonym bleiben wollten.»\nDer Verein hat nicht nur Plakate.",
            "de",
            [("die Spender anonym bleiben wollten.", "Anna Muster")],
        ),
        (  # the same opening mark twice, with closers for both after them: a quote inside a quote
            "Die Behörde hat die Partei befragt. „Die Partei hat uns mitgeteilt, dass es sich um eine "
            "„Nebenaktion“ des Vereins handele“, sagte Anna Muster.",
            "de",
            [("Die Partei hat uns mitgeteilt, dass es sich um eine „Nebenaktion“ des Vereins handele",
              "Anna Muster")],
        ),
        (  # a second fragment in the sentence of a cue, after the first one: also said
            "Chris Holloway warned on Monday that the sector faces “mass job cuts” as it is “barely able to "
            "operate” after the rules.",
            "en",
            [("mass job cuts", "Chris Holloway"), ("barely able to operate", "Chris Holloway")],
        ),
    ],
)
def test_candidates(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.text, q.speaker) for q in quotes(text, lang)] == expected


def test_cue_and_mention_stay_with_the_paragraph_that_has_them() -> None:
    qs = quotes("“We start in May.\n\n“We finish in June,” said Owen Pratchley.", "en")
    assert [(q.cue, q.speaker_mention) for q in qs] == [(None, None), ("said", "Owen Pratchley")]


def test_many_short_quotes_are_all_found_and_attributed() -> None:
    """Behaviour of a long quote-heavy text: every quote found, every speaker right (the time is in bench/)."""
    n = 3000
    text = "\n".join("«Das ist gut», sagte Peter Müller." for _ in range(n))
    qs = quotes(text, "de")
    assert len(qs) == n
    assert {q.speaker for q in qs} == {"Peter Müller"}

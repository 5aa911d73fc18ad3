"""Sentence splitting: German and English news edge cases, offsets into the text."""

from __future__ import annotations

import pytest

from server.core.text.sentences import (
    CJK_TERMINATORS,
    CLAUSE_ENDS,
    CLOSERS,
    QUOTE_CLOSERS,
    SENTENCE_END,
    ends_like_sentence,
    split_sentences,
)


def pieces(text: str, lang: str | None) -> list[str]:
    spans = split_sentences(text, lang)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert spans == sorted(spans)
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # abbreviations inside a sentence
    ("de", "Der Umsatz stieg auf 1,5 Mrd. Euro. Das ist viel.",
     ["Der Umsatz stieg auf 1,5 Mrd. Euro.", "Das ist viel."]),
    ("de", "Es gibt z. B. Äpfel bzw. Birnen. Prof. Dr. Meier kam mit Nr. 5 an.",
     ["Es gibt z. B. Äpfel bzw. Birnen.", "Prof. Dr. Meier kam mit Nr. 5 an."]),
    ("en", "The U.S. economy grew. Apple Inc. said Mr. Smith left.",
     ["The U.S. economy grew.", "Apple Inc. said Mr. Smith left."]),
    # an abbreviation that ends the sentence
    ("en", "He moved to the U.S. The move was costly.", ["He moved to the U.S.", "The move was costly."]),
    ("de", "Der Gewinn lag bei 3 Mrd. Die Aktie fiel.", ["Der Gewinn lag bei 3 Mrd.", "Die Aktie fiel."]),
    # ordinals and dates
    ("de", "Am 3. Oktober 2025 wurde gefeiert. Am 25. Jan 2026 auch.",
     ["Am 3. Oktober 2025 wurde gefeiert.", "Am 25. Jan 2026 auch."]),
    ("de", "Er fiel in der 84. Minute. Sein Verein trauert.", ["Er fiel in der 84. Minute.", "Sein Verein trauert."]),
    ("de", "Er debütierte 2018. Danach kam der Erfolg.", ["Er debütierte 2018.", "Danach kam der Erfolg."]),
    ("en", "On Jan. 5 the plant closed. It reopened in 2024. Sales rose.",
     ["On Jan. 5 the plant closed.", "It reopened in 2024.", "Sales rose."]),
    # decimals and initials
    ("en", "Growth was 3.5 percent. J. R. R. Tolkien wrote it. George W. Bush read it.",
     ["Growth was 3.5 percent.", "J. R. R. Tolkien wrote it.", "George W. Bush read it."]),
    ("de", "Er schrieb auf der Plattform X. Trump antwortete.",
     ["Er schrieb auf der Plattform X.", "Trump antwortete."]),
    # sentence ends inside quotes
    ("de", "«Sie bringen Jobs mit sich.» Der Ankündigung zufolge entstehen Stellen.",
     ["«Sie bringen Jobs mit sich.»", "Der Ankündigung zufolge entstehen Stellen."]),
    ("de", "«Das ist gut», sagte er. «Wirklich?», fragte sie.",
     ["«Das ist gut», sagte er.", "«Wirklich?», fragte sie."]),
    ("de", "„Wir gehen.“ Dann gingen sie.", ["„Wir gehen.“", "Dann gingen sie."]),
    ("en", "“Are you OK?” he asked. “Yes.” She left.", ["“Are you OK?” he asked.", "“Yes.”", "She left."]),
    ("en", "It was over... or so it seemed! Really? Yes.", ["It was over... or so it seemed!", "Really?", "Yes."]),
])
def test_split(lang: str, text: str, expected: list[str]) -> None:
    assert pieces(text, lang) == expected


def test_headings_and_paragraphs_are_never_joined() -> None:
    text = "Rüffel von Präsidentensprecherin\n\nDas Weisse Haus wies ihn zurecht. Er schwieg\n\nNeuer Absatz ohne Punkt"
    assert pieces(text, "de") == ["Rüffel von Präsidentensprecherin", "Das Weisse Haus wies ihn zurecht.",
                                  "Er schwieg", "Neuer Absatz ohne Punkt"]


def test_offsets_are_trimmed_and_verbatim() -> None:
    text = "  Erster Satz.   Zweiter Satz!  \n\n  Dritter?  "
    spans = split_sentences(text, "de")
    assert [text[s:e] for s, e in spans] == ["Erster Satz.", "Zweiter Satz!", "Dritter?"]
    assert spans[0] == (2, 14)


@pytest.mark.parametrize("lang", [None, "fr", "xx"])
def test_unknown_language_still_splits(lang: str | None) -> None:
    assert pieces("Dr. Who came. He left.", lang) == ["Dr. Who came.", "He left."]


def test_empty_text() -> None:
    assert split_sentences("", "de") == []
    assert split_sentences(" \n\n ", "en") == []


@pytest.mark.parametrize("text", ["Er kam.", "Kam er?", "Sie ging …", "«Wir bleiben.»", "(Siehe oben.)", "Ja!”  ",
                                  "Nein.“)", "Hallo", "Hallo:", "«Ja»", "Er sagte: ", "", "   ", ".", "»"])
def test_ends_like_sentence_is_sentence_end_without_arguments(text: str) -> None:
    assert ends_like_sentence(text) == bool(SENTENCE_END.search(text.rstrip()))


def test_ends_like_sentence_variants() -> None:
    assert not ends_like_sentence("Die Liste:") and ends_like_sentence("Die Liste:", extra=CLAUSE_ENDS)
    assert ends_like_sentence("Er sagte: «Nein.»", extra=CLAUSE_ENDS)
    assert not ends_like_sentence("Das Buch «Morgen»") and ends_like_sentence("Das Buch «Morgen»", alone=QUOTE_CLOSERS)
    assert not ends_like_sentence("Die Stadt (Bern)", alone=QUOTE_CLOSERS)
    assert ends_like_sentence("Die Stadt (Bern)", alone=CLOSERS)
    assert not ends_like_sentence("今日は晴れです。")
    assert ends_like_sentence("今日は晴れです。", extra=CJK_TERMINATORS)
    assert ends_like_sentence("Fertig.  \n")

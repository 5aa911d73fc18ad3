"""Quotes: mark styles, split and multi-paragraph quotes, attribution, titles and scare quotes, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.pipeline import build_digest
from server.quotemarks import find_marked
from server.quotes import find_quotes
from server.sentences import split_sentences


def quotes(text: str, lang: str):
    return find_quotes(text, split_sentences(text, lang), lang=lang)


def assert_offsets(text: str, qs) -> None:
    for q in qs:
        parts = [text[s:e] for s, e in q.spans]
        assert q.text == " … ".join(parts)
        for s, e in q.spans:
            assert 0 <= s < e <= len(text)
            assert text[s:e] == text[s:e].strip()


@pytest.mark.parametrize(
    "opening, closing",
    [
        ("«", "»"),
        ("»", "«"),
        ("„", "“"),
        ("“", "”"),
        ('"', '"'),
        ("‚", "‘"),
        ("‹", "›"),
        ("‘", "’"),
    ],
)
def test_every_mark_style_gives_the_quote_and_speaker(opening, closing):
    text = f"Anna Muster sagte: {opening}Wir bauen eine neue Fabrik in Bern.{closing} Die Arbeiten beginnen bald."
    qs = quotes(text, "de")
    assert [q.text for q in qs] == ["Wir bauen eine neue Fabrik in Bern."]
    assert qs[0].speaker == "Anna Muster"
    assert qs[0].cue == "sagte"
    assert_offsets(text, qs)


def test_speaker_after_the_quote_in_english():
    text = "The plant opened on Monday. “We are hiring 200 people this year,” said John Miller, the manager."
    qs = quotes(text, "en")
    assert len(qs) == 1
    assert qs[0].speaker == "John Miller"
    assert qs[0].cue == "said"
    assert not qs[0].partial


def test_split_quote_is_one_quote_with_two_spans():
    text = "Peter Brand gewann das Turnier. „Ich bin froh hier zu sein“, sagte Brand, „die Fans sind laut.“"
    qs = quotes(text, "de")
    assert len(qs) == 1
    q = qs[0]
    assert len(q.spans) == 2
    assert q.text == "Ich bin froh hier zu sein … die Fans sind laut."
    assert q.speaker == "Peter Brand"
    assert q.speaker_mention == "Brand"
    assert_offsets(text, qs)


def test_new_sentence_after_attribution_is_a_second_quote_same_speaker():
    text = "«Wir sind bereit», sagte Laura Weber. «Das Team ist stark.»"
    qs = quotes(text, "de")
    assert [q.text for q in qs] == ["Wir sind bereit", "Das Team ist stark."]
    assert qs[0].speaker == qs[1].speaker == "Laura Weber"
    assert qs[1].cue is None and qs[1].speaker_mention is None


def test_multi_paragraph_quote_runs_on_without_closing_mark():
    text = (
        "John Carter said: “We will build the bridge this year.\n\n"
        "“It will take two years to finish.”\n\nWork starts soon."
    )
    qs = quotes(text, "en")
    assert len(qs) == 1
    assert len(qs[0].spans) == 2
    assert qs[0].speaker == "John Carter"
    assert_offsets(text, qs)


def test_nested_quote_stays_inside_the_outer_quote():
    text = "“He told me ‘never again’ after the match,” said Tom Baker."
    qs = quotes(text, "en")
    assert len(qs) == 1
    assert qs[0].text == "He told me ‘never again’ after the match,"
    assert qs[0].speaker == "Tom Baker"


def test_pronoun_resolved_by_gender_in_german():
    text = (
        "Maria Keller leitet die Firma seit zehn Jahren. Ihr Kollege Thomas Brandt ist skeptisch. "
        "„Das klappt nie“, sagte er. „Wir schaffen das“, sagte sie."
    )
    qs = quotes(text, "de")
    assert [q.speaker for q in qs] == ["Thomas Brandt", "Maria Keller"]
    assert [q.speaker_mention for q in qs] == ["er", "sie"]


def test_pronoun_resolved_by_gender_in_english():
    text = "Sarah Connor met John Miller in Boston. “It works,” she said. “It does not,” he replied."
    qs = quotes(text, "en")
    assert [q.speaker for q in qs] == ["Sarah Connor", "John Miller"]


def test_surname_resolves_to_the_fullest_name():
    text = "Elena Fischer gründete das Startup 2019. Später schrieb Fischer: «Wir hatten kein Geld.»"
    qs = quotes(text, "de")
    assert qs[0].speaker == "Elena Fischer"
    assert qs[0].speaker_mention == "Fischer"


def test_role_noun_bound_to_a_name_earlier():
    text = (
        "Firmenchefin Anna Muster eröffnete das Werk. Die Gäste applaudierten. "
        "Danach sagte die Firmenchefin: „Wir wachsen weiter.“"
    )
    qs = quotes(text, "de")
    assert qs[0].speaker == "Anna Muster"
    en = "Spokeswoman Jane Doe confirmed the deal on Friday. “We are pleased,” the spokeswoman said."
    qs = quotes(en, "en")
    assert qs[0].speaker == "Jane Doe"
    assert qs[0].speaker_mention == "the spokeswoman"


def test_unnamed_company_spokesman_is_the_company():
    text = (
        "Shares of Acme fell on Tuesday after Acme reported a loss. “We regret this result,” a company spokesman said."
    )
    qs = quotes(text, "en")
    assert qs[0].speaker == "Acme"


def test_continuation_takes_the_previous_speaker():
    text = "“We will win the final,” Tom Baker said.\n\n“The team is ready and the fans are behind us.”"
    qs = quotes(text, "en")
    assert [q.speaker for q in qs] == ["Tom Baker", "Tom Baker"]
    assert qs[1].speaker_mention is None and qs[1].cue is None


def test_titles_are_not_quotes():
    assert quotes("So schrieb das «Wall Street Journal» am Montag, die Firma sei in Not.", "de") == []
    assert quotes("She has read the “New York Times” every morning since 1990.", "en") == []


def test_scare_quotes_are_not_quotes_but_attributed_fragments_are_partial():
    assert quotes("Die sogenannten «Experten» waren sich wieder einmal uneinig.", "de") == []
    assert quotes("The “experts” disagreed again on the figures.", "en") == []
    qs = quotes("Peter Meier nannte den Plan «völlig unrealistisch».", "de")
    assert len(qs) == 1 and qs[0].partial
    assert qs[0].speaker == "Peter Meier"
    qs = quotes("Mayor Linda Hall called the budget “a disaster” on Monday.", "en")
    assert len(qs) == 1 and qs[0].partial and qs[0].speaker == "Linda Hall"


def test_malformed_marks_doubled_apostrophes_and_missing_opening_mark():
    qs = quotes("’’We will fight on,’’ said Mary Jones after the vote.", "en")
    assert [q.text for q in qs] == ["We will fight on,"]
    assert qs[0].speaker == "Mary Jones"
    text = "Mary Jones spoke after the vote.\n\nWe will never give up,” said Jones."
    qs = quotes(text, "en")
    assert [q.text for q in qs] == ["We will never give up,"]
    assert qs[0].speaker == "Mary Jones"
    assert_offsets(text, qs)


def test_one_bad_pair_does_not_lose_the_rest():
    text = (
        "Er sagte „nichts mehr dazu. Dann sagte Anna Muster: «Wir kommen wieder.»\n\n"
        "Ein Zuschauer rief „Bravo!\n\n«Es war ein guter Tag», sagte sie."
    )
    qs = quotes(text, "de")
    texts = [q.text for q in qs]
    assert "Wir kommen wieder." in texts and "Es war ein guter Tag" in texts
    assert qs[-1].speaker == "Anna Muster"
    assert_offsets(text, qs)


def test_apostrophes_are_not_quote_marks():
    text = "It's the ’90s again and Jones’ car isn't here. “Yes,” he said."
    marked = find_marked(text)
    start = text.index("Yes")
    assert [m.spans for m in marked] == [[(start, start + 4)]]


MARKS = "«»„“”\"‚‘’'‹› \n.,:"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([*list(MARKS), "Anna Muster", "sagte", "er", " said ", "Wir", "x", "’’"]), max_size=60
    ).map("".join),
    st.sampled_from(["de", "en", None, "fr"]),
)
def test_offsets_hold_on_arbitrary_marks(text, lang):
    qs = find_quotes(text, split_sentences(text, lang), lang=lang)
    assert_offsets(text, qs)


# -- the reference page


def _expected(fixtures_dir: Path) -> dict:
    return json.loads((fixtures_dir / "stargate-de.expected.json").read_text(encoding="utf-8"))


def _check_stargate(qs, exp: dict) -> None:
    got = {q.text: q for q in qs}
    for want in exp["quotes"]:
        assert want["quote"] in got, want["quote"]
        q = got[want["quote"]]
        assert q.speaker == want["speaker"]
        assert q.partial == want["partial"]
    assert not any("Wall Street Journal" in q.text for q in qs)


def test_stargate_body(fixtures_dir):
    exp = _expected(fixtures_dir)
    raw = (fixtures_dir / "stargate-de.txt").read_text(encoding="utf-8")
    start = raw.index(exp["body_starts_with"])
    end = raw.index(exp["body_ends_with"]) + len(exp["body_ends_with"])
    body = raw[start:end]
    qs = quotes(body, "de")
    _check_stargate(qs, exp)
    assert len([q for q in qs if not q.partial]) == 5
    assert_offsets(body, qs)


@pytest.mark.parametrize("name", ["stargate-de.txt", "stargate-de.html"])
def test_stargate_through_build_digest(fixtures_dir, name):
    exp = _expected(fixtures_dir)
    page = (fixtures_dir / name).read_text(encoding="utf-8")
    digest = build_digest(page)
    _check_stargate(digest.quotes, exp)
    assert_offsets(digest.text, digest.quotes)

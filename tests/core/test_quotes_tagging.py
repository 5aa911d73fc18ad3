"""Part-of-speech tags around speech cues (quotes/tagging.py): proper vs common nouns, the cap and its fallback,
languages without a tagger, offsets; invented sentences."""

from __future__ import annotations

import importlib.util
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from server.core import langdata
from server.core.quotes.tagging import TagBudget, has_tagger, is_common_noun, is_proper, noun_run, tag_spans
from server.core.text.words import word_spans
from tests.support.requires import missing

UNCAPPED = 10**6  # words: no cap


@pytest.fixture(autouse=True)
def _hanta() -> None:
    """The tagger is the optional extra "tagging" (scripts/test installs it)."""
    if importlib.util.find_spec("HanTa") is None:
        missing("HanTa (pip extra 'tagging')")


def tags_by_word(text: str, budget: TagBudget | None = None, lang: str | None = "de") -> dict[str, str]:
    """``word → tag`` for the whole of ``text`` read as one span."""
    tags = tag_spans(text, [(0, len(text))], lang, budget or TagBudget(max_words=UNCAPPED))
    return {text[s:e]: tags[s] for s, e in word_spans(text) if s in tags}


@pytest.mark.parametrize(
    ("text", "proper", "common"),
    [
        ("„Wir bauen weiter“, sagte Jan Muster der Lokalzeitung.", ["Jan"], ["Lokalzeitung"]),
        ("Die Prognosen zeigen einen Anstieg, sagte Petra Lindqvist.", ["Petra", "Lindqvist"],
         ["Prognosen", "Anstieg"]),
        ("«Das reicht nicht», sagte der Konzernchef von Beispiel AG, Jan Kowalski.", ["Jan", "Kowalski"],
         ["Konzernchef"]),
        ("Laut Sprecherin Miriam Hollerbach wird das Werk im Mai geschlossen.", ["Miriam", "Hollerbach"],
         ["Sprecherin", "Werk"]),
        ("Die Zahlen sprechen eine klare Sprache, teilte die Behörde mit.", [], ["Zahlen", "Sprache", "Behörde"]),
    ],
)
def test_proper_and_common_nouns(text: str, proper: list[str], common: list[str]) -> None:
    tags = tags_by_word(text)
    assert [w for w in proper if not is_proper(tags.get(w), "de")] == []
    assert [w for w in common if not is_common_noun(tags.get(w), "de")] == []
    assert not any(is_proper(tags.get(w), "de") for w in common)


@pytest.mark.parametrize(
    ("text", "word", "tag"),
    [
        ("„Wir bauen weiter“, sagte Jan Muster der Lokalzeitung.", "der", "ART"),  # the recipient's article
        ("„Wir bauen weiter“, sagte Jan Muster der Lokalzeitung.", "sagte", "VVFIN"),  # STTS, not HanTa's VV(FIN)
        ("Laut Sprecherin Miriam Hollerbach wird das Werk im Mai geschlossen.", "Laut", "APPR"),
        ("Das sagte er dem Sender am Dienstag.", "er", "PPER"),
    ],
)
def test_other_tags_are_stts(text: str, word: str, tag: str) -> None:
    assert tags_by_word(text)[word] == tag


@pytest.mark.parametrize(
    ("text", "mention", "run"),
    [
        ("„Wir bauen weiter“, sagte die Sprecherin der Stadtwerke am Montag.", "die Sprecherin der Stadtwerke",
         [("die", "ART"), ("Sprecherin", "NN")]),
        ("Das sagte der Konzernchef von Beispiel AG, Jan Kowalski.", "der Konzernchef von Beispiel AG",
         [("der", "ART"), ("Konzernchef", "NN")]),
        ("Das sagte Sprecherin Miriam Hollerbach dem Sender.", "Sprecherin Miriam Hollerbach dem Sender",
         [("Sprecherin", "NN"), ("Miriam", "NE"), ("Hollerbach", "NE")]),
        ("Das sagte er dem Sender.", "er", [("er", "PPER")]),
    ],
)
def test_noun_run_ends_at_the_head_noun(text: str, mention: str, run: list[tuple[str, str]]) -> None:
    tags = tag_spans(text, [(0, len(text))], "de", TagBudget(max_words=UNCAPPED))
    start = text.index(mention)
    got = noun_run(text, start, start + len(mention), tags, "de")
    assert [(text[o:o + len(w)], tag) for (o, tag), (w, _) in zip(got, run, strict=True)] == run


def test_noun_run_without_tags_keeps_the_words() -> None:
    text = "Das sagte Lea Winterfeld."
    start = text.index("Lea")
    assert noun_run(text, start, len(text), {}, "en") == [(start, ""), (text.index("Winterfeld"), "")]


def test_offsets_are_the_cores_words_and_only_inside_the_spans() -> None:
    text = "Erster Satz ohne Zitat. „Das ist z.B. gut“, sagte Lea Winterfeld – die Ärztin – am 3.5 Prozent."
    second = text.index("„")
    tags = tag_spans(text, [(second, len(text))], "de", TagBudget(max_words=UNCAPPED))
    expected = [s for s, _ in word_spans(text, second)]
    assert sorted(tags) == expected  # every word of the span, keyed by the start of the core's word; no punctuation
    assert all(s >= second for s in tags)


def test_overlapping_spans_are_tagged_once() -> None:
    text = "Die Ärztin sagte, die Lage sei ernst. Danach schwieg sie."
    budget = TagBudget(max_words=UNCAPPED)
    tags = tag_spans(text, [(0, 20), (10, 37), (0, 37)], "de", budget)
    assert budget.tagged_words == len(word_spans(text, 0, 37)) == len(tags)


@pytest.mark.parametrize(
    ("cap", "tagged", "fallback"),
    [
        (UNCAPPED, 18, 0),
        (10, 10, 8),  # the first sentence (10 words) fits; the second goes to the word list
        (9, 8, 10),  # a span is tagged whole or not at all; a later one that fits is tagged
        (0, 0, 18),
    ],
)
def test_cap_and_fallback(cap: int, tagged: int, fallback: int) -> None:
    first = "„Das reicht nicht“, sagte die Ministerin am Montag in Bern."
    text = first + " Die Prognosen zeigen einen Anstieg, sagte Petra Lindqvist."
    budget = TagBudget(max_words=cap)
    tags = tag_spans(text, [(0, len(first)), (len(first) + 1, len(text))], "de", budget)
    assert (budget.tagged_words, budget.fallback_words, budget.exhausted) == (tagged, fallback, fallback > 0)
    by_word = {text[s:e]: tags.get(s) for s, e in word_spans(text)}
    # the word list still knows frequent words, with capitalisation: common nouns stay common nouns
    assert is_common_noun(by_word["Prognosen"], "de") and is_common_noun(by_word["Ministerin"], "de")
    assert by_word["sagte"] == "VVFIN"


def test_fallback_leaves_unknown_words_untagged() -> None:
    text = "Die Prognosen zeigen einen Anstieg, sagte Xavera Quendolin."
    tags = tags_by_word(text, TagBudget(max_words=0))
    assert "Quendolin" not in tags and tags["Prognosen"] == "NN"  # no guess beats a wrong tag


def test_budget_is_shared_across_calls() -> None:
    text = "Die Prognosen zeigen einen Anstieg, sagte Petra Lindqvist."
    budget = TagBudget(max_words=12)
    tag_spans(text, [(0, len(text))], "de", budget)
    tag_spans(text, [(0, len(text))], "de", budget)
    assert (budget.tagged_words, budget.fallback_words) == (8, 8)


def test_the_languages_cap_applies_when_the_budget_names_none() -> None:
    cap = langdata.load("de", "tagging")["max_words"]
    text = "Die Prognosen zeigen einen Anstieg, sagte Petra Lindqvist. " * (cap // 8 + 2)
    spans = [(m, m + 58) for m in range(0, len(text), 59)]
    budget = TagBudget()
    tag_spans(text, spans, "de", budget)
    assert budget.tagged_words <= cap < budget.tagged_words + 8 and budget.exhausted


@pytest.mark.parametrize("lang", ["en", "xx", None, "../de"])
def test_a_language_without_tagging_data_gets_nothing(lang: str | None) -> None:
    text = "The forecasts show a rise, said Petra Lindqvist."
    budget = TagBudget(max_words=UNCAPPED)
    assert tag_spans(text, [(0, len(text))], lang, budget) == {}
    assert (budget.tagged_words, budget.fallback_words) == (0, 0)
    assert not has_tagger(lang) and not is_proper("NE", lang) and not is_common_noun("NN", lang)


def test_threads_of_one_worker_share_the_model() -> None:
    text = "„Das reicht nicht“, sagte der Konzernchef von Beispiel AG, Jan Kowalski, dem Sender."
    alone = tag_spans(text, [(0, len(text))], "de", TagBudget(max_words=UNCAPPED))
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda _: tag_spans(text, [(0, len(text))], "de", TagBudget(max_words=UNCAPPED)),
                                 range(16)))
    assert all(tags == alone for tags in together)


def test_empty_inputs() -> None:
    assert tag_spans("", [], "de") == {}
    assert tag_spans("Nur Satzzeichen: …", [(15, 18)], "de") == {}
    assert not is_proper(None, "de") and not is_common_noun(None, "de")
    assert has_tagger("de")


@pytest.mark.parametrize(
    ("table", "tags"),
    [
        ({"tagger": "hanta", "model": "/etc/passwd"}, {}),  # a model is a file name of the tagger's package
        ({"tagger": "hanta", "model": "../HanTa/morphmodel_ger.pgz"}, {}),
        ({"tagger": "no-such-tagger", "model": "morphmodel_ger.pgz"}, {}),
        ({"tagger": "hanta", "model": None}, {}),
    ],
)
def test_a_tagger_is_named_by_data_only_within_the_known_ones(tmp_path: Path, table: dict, tags: dict) -> None:
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "tagging.json").write_text(json.dumps(table), encoding="utf-8")
    text = "Die Prognosen zeigen einen Anstieg."
    with langdata.using([tmp_path]):
        assert tag_spans(text, [(0, len(text))], "de") == tags


def test_a_model_the_tagger_does_not_ship_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "tagging.json").write_text(json.dumps({"model": "morphmodel_xx.pgz"}), encoding="utf-8")
    with langdata.using([tmp_path]), pytest.raises(ValueError, match=r"morphmodel_xx\.pgz"):
        tag_spans("Die Prognosen zeigen einen Anstieg.", [(0, 10)], "de")


def test_a_new_language_can_name_a_shipped_model(tmp_path: Path) -> None:
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "tagging.json").write_text(json.dumps(
        {"tagger": "hanta", "model": "morphmodel_dutch.pgz", "proper_tags": ["NE"]}), encoding="utf-8")
    text = "Volgens Pieter de Vries is het plan klaar."
    with langdata.using([tmp_path]):
        tags = tag_spans(text, [(0, len(text))], "nl")
        assert has_tagger("nl") and len(tags) == len(word_spans(text))

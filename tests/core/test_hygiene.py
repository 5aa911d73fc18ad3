"""Character hygiene: one step, first, for every input; offsets refer to the cleaned text."""

from __future__ import annotations

import pytest

from server.core.extract.html import extract_html
from server.core.pipeline import build_digest
from server.core.text.hygiene import clean_text

SOFT = "\u00ad"


@pytest.mark.parametrize(("raw", "clean"), [
    ("plain text stays", "plain text stays"),
    ("tab\tand\nnewline stay", "tab\tand\nnewline stay"),
    ("windows\r\nline\r\nends", "windows\nline\nends"),
    ("old mac\rline ends", "old mac\nline ends"),
    ("nul\x00 and bell\x07 and escape\x1b go", "nul and bell and escape go"),
    ("vertical\x0btab and form\x0cfeed go", "verticaltab and formfeed go"),
    ("delete\x7f goes", "delete goes"),
    ("c1\x85 controls\x9f go", "c1 controls go"),
    (f"soft hy{SOFT}phens go: wol{SOFT}len", "soft hyphens go: wollen"),
    ("zero\u200bwidth space, word\u2060joiner, \ufeffbom go", "zerowidth space, wordjoiner, bom go"),
    ("joiners stay: \U0001F469\u200d\U0001F52C and \u200c", "joiners stay: \U0001F469\u200d\U0001F52C and \u200c"),
    ("decomposed u\u0308ber and Cafe\u0301", "decomposed \u00fcber and Caf\u00e9"),
    ("already composed über", "already composed über"),
    ("", ""),
])
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    assert clean_text(clean) == clean  # cleaning twice changes nothing


_BODY = ("Die Gemeinde will den Steg im Frühling erneuern. Der Rat hat dafür einen Kredit von 40 000 Franken "
         "gesprochen, wie die Verwaltung am Montag mitteilte. „Wir wol{soft}len den Steg noch in diesem Jahr "
         "öffnen“, sagte die Gemeindepräsidentin. Die Arbeiten dauern voraussichtlich drei Wochen.")


@pytest.mark.parametrize("soft", [SOFT, "&shy;", "&#173;", "\u200b", "&#x200B;"])
def test_html_entities_are_cleaned_after_parsing(soft: str) -> None:
    html = (f"<html><head><title>Neuer Steg</title></head><body><article><h1>Neuer Steg</h1>"
            f"<p>{_BODY.format(soft=soft)}</p><p>{_BODY.format(soft=soft)} Mehr folgt.</p></article></body></html>")
    article = extract_html(html)
    assert "wollen" in article.text
    assert SOFT not in article.text and "\u200b" not in article.text


def test_digest_offsets_point_into_the_cleaned_text() -> None:
    text = ("Decomposed: Mu\u0308ller said the plan was ready.\r\n\r\n"
            "\u201cWe will open the bri\u00addge in May,\u201d said Anna Mu\u0308ller, the mayor.\x00\r\n\r\n"
            "The council approved 40,000 francs for the work on Monday, the town hall said in a statement.")
    digest = build_digest(text, input="text")
    assert "\r" not in digest.text and "\x00" not in digest.text and SOFT not in digest.text
    assert "M\u00fcller" in digest.text
    for quote in digest.quotes:
        for start, end in quote.spans:
            assert digest.text[start:end] in quote.text
    assert any("bridge in May" in q.text for q in digest.quotes)
    for item in [*digest.summary, *digest.facts]:
        assert digest.text[item.start:item.end] == item.text

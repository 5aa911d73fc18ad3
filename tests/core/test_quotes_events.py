"""Speech events: the cue of a quote, its subject, its recipient and its clause; invented sentences."""

from __future__ import annotations

import pytest

from server.core.quotes.finder import find_quotes
from server.core.text.sentences import split_sentences


def events(text: str, lang: str) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.cue) for q in find_quotes(text, split_sentences(text, lang), lang=lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # the recipient of the speech verb is not its subject
        ("«Wir bleiben hier», sagte Anna Beispiel der Lokalzeitung.", "de", [("Anna Beispiel", "sagte")]),
        ("Jonas Weber kennt den Ort. «Es war laut», sagte er dem Sender.", "de", [("Jonas Weber", "sagte")]),
        ("\"We will appeal,\" Tom Reed told the broadcaster on Monday.", "en", [("Tom Reed", "told")]),
        ("Tom Reed spoke to the Daily Sample. \"We will appeal,\" he told the newspaper.", "en",
         [("Tom Reed", "told")]),
        # German verb-second: anything first, the verb, then the subject
        ("Am Montag sagte Bürgermeisterin Petra Kolb: «Wir mussten handeln.»", "de", [("Petra Kolb", "sagte")]),
        # verb-final subordinate clause with a participle
        ("Petra Kolb leitet die Stadt. Sie hat am Montag gesagt, dass «niemand gehen muss».", "de",
         [("Petra Kolb", "gesagt")]),
        # a separable verb joined at the end of a subordinate clause ("wie er mitteilte") is a cue
        ("Wie Innenminister Jan Frei mitteilte, sei die Gefahr «noch nicht gebannt».", "de",
         [("Jan Frei", "mitteilte")]),
        # a source before a postposition or after a prefix cue
        ("Laut Petra Kolb ist die Lage «ernst, aber stabil».", "de", [("Petra Kolb", "Laut")]),
        ("According to Dana Cole, prices are \"out of control.\"", "en", [("Dana Cole", "According to")]),
        # nested attribution: the writer, not the person named inside the reported clause
        ("Die Ministerin Eva Roth schrieb, der Präsident sei «wohlauf».", "de", [("Eva Roth", "schrieb")]),
        ("According to Dana Cole, the mayor said the budget was \"out of control.\"", "en",
         [("Dana Cole", None)]),  # (which of the two cues is kept does not matter here)
        # a source the reporter cites yields to the subject of the sentence's own speech verb
        ("Mara Quill called the decision \"heartbreaking,\" according to the Riverside Courier.", "en",
         [("Mara Quill", "called")]),
        # an inverted cue after the quote
        ("\"It was a long night,\" said fire chief Lena Ortiz.", "en", [("Lena Ortiz", "said")]),
    ],
)
def test_event(text: str, lang: str, expected: list[tuple[str | None, str | None]]) -> None:
    got = events(text, lang)
    assert [s for s, _c in got] == [s for s, _c in expected]
    assert [c.lower() for (_s, c), (_t, want) in zip(got, expected, strict=True) if want] == [
        want.lower() for _s, want in expected if want]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("UK has called the deal \"a good start\".", "en"),  # the noun after the verb is its object
        ("Die Wirtschaft wächst. Dem Bericht zufolge ist die Lage «ernst, aber stabil».", "de"),  # a document
    ],
)
def test_event_without_a_speaker(text: str, lang: str) -> None:
    assert all(q.speaker is None for q in find_quotes(text, split_sentences(text, lang), lang=lang))

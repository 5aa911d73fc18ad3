"""Resolution: which entity a quote's speaker mention names; invented sentences."""

from __future__ import annotations

import pytest

from server.core.quotes.finder import find_quotes
from server.core.text.sentences import split_sentences


def speakers(text: str, lang: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(text, split_sentences(text, lang), lang=lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (  # the person heads a run of capitalised words after an inverted cue
            "“Crime exploits the most vulnerable,” said Springfield Police Commissioner Dana Whitlock.",
            "en",
            ["Dana Whitlock"],
        ),
        (  # an epithet headed by a role noun ("the Labour MP") is the person the discourse is about
            "Harriet Quenby warned on Monday that jobs are at risk.\n"
            "Speaking in the Commons, the Labour MP said: “It does not need to be like this.”",
            "en",
            ["Harriet Quenby"],
        ),
        (  # a pronoun after "But a spokesperson for ORG said …" is that spokesperson, who speaks for ORG
            "Jo Brandt, the union leader, called the figures shocking.\n"
            "But a spokesperson for the Employers Association said its members had cut such contracts.\n"
            "“We have worked with the unions for years,” he said.",
            "en",
            ["Employers Association"],
        ),
        (  # ", Mr. X said" after a quote: the title does not hide the comma before the speaker
            "The plant stays closed, the operator said.\n"
            "“It makes for a compelling story” if the lights go out, Mr. Dellacort said.",
            "en",
            ["Dellacort"],
        ),
        (  # places are not people: "she" is the woman named, not "South Carolina"
            "Renata Okafor lives in South Carolina. Voters in South Carolina seemed undecided.\n"
            "“They matter a lot,” she said.",
            "en",
            ["Renata Okafor"],
        ),
        (  # a preposition inside a capitalised title governs no one; "the vote, Minister" is no role mention
            "Senator Rhea Albright spoke first.\nBefore the vote, Minister in the Ministry of Finance Tobin Marsh "
            "said, \"The issue is simple.\" He added this is \"a situation that will settle over time.\"",
            "en",
            ["Tobin Marsh", "Tobin Marsh"],
        ),
        (  # a statement whose author the article does not give: no name rather than "affidavit"
            "The men were charged on Tuesday. The affidavit stated the women were \"enticed\" by the offers.",
            "en",
            [None],
        ),
        (  # a noun phrase after a preposition ("vor der Landtagswahl") is not the subject of "gesagt haben"
            "David Kornblum leitet den Verein. So soll der Essener Vorsitzende Karl Feldhuber auf einer Sitzung "
            "des Vorstands vor der Landtagswahl gesagt haben, dass „eine Zeitung verteilt“ werde.",
            "de",
            ["Karl Feldhuber"],
        ),
        (  # a common noun that names no one who could speak is no speaker (a wrong name is worse than none)
            "Die Abteilung hat 60 Angestellte, ein riesiger Apparat, dessen Leiter sagt: «Wir prüfen alles.»",
            "de",
            [None],
        ),
        (  # a sentence about two people ("A und B reisen mit") says nothing of who speaks next: the coach
            "«Wir sind gut vorbereitet», sagte Trainerin Greta Lindholm.\n"
            "Dass auch Paula Ferch und Mira Tannberg mitreisen, freut die Trainerin: «Beide sind in Form.»",
            "de",
            ["Greta Lindholm", "Greta Lindholm"],
        ),
        (  # a noun phrase cut before its noun ("the authors of the") names no one: no speaker, not a fragment
            "The authors of the 2024 survey of dairy farmers argued that it was \"a quiet success.\"",
            "en",
            [None],
        ),
        (  # a place after a preposition ("Im Netz") is no subject, and a neuter thing ("das Produkt") no epithet
            "Die Sängerin Lara Vogt stellte am Montag ihre neue Kollektion vor. Im Netz fanden viele das Produkt "
            "«viel zu teuer».",
            "de",
            [None],
        ),
        (  # a capitalised word governed by a preposition ("at British universities") is not the subject
            "Staff at British universities are treated as second-class citizens, says a report highlighting the "
            "\"alarming rise of casual labour\".",
            "en",
            [None],
        ),
        (  # an adjective before a role noun ("the former minister") keeps the noun phrase whole: the role binds
            "Former minister Alan Brook criticised the bill. \"It is a mistake,\" the former minister said.",
            "en",
            ["Alan Brook"],
        ),
        (  # "the police" is a noun phrase, not a capitalised word to skip
            "\"Stay inside,\" the police said.",
            "en",
            ["police"],
        ),
        (  # in English the noun after a verb before the quote is its object, not its subject
            "UK has called the deal \"a good start\".",
            "en",
            [None],
        ),
        (  # but a cue opening its clause is followed by its subject
            "Prices will rise again, says a report by the Sample Institute, calling it \"a slow squeeze\".",
            "en",
            ["Sample Institute"],
        ),
        (  # a participle before a preposition closes the noun phrase: "letter signed" names no one
            "A letter signed by 40 doctors warned of \"a looming crisis\".",
            "en",
            [None],
        ),
        (  # an adverb before the verb is not part of the speaker: the description, without "previously"
            "The Oscar winner previously said he was \"done with acting.\"",
            "en",
            ["Oscar winner"],
        ),
        (  # the attribution of the quote before is no topic for the next one: its speaker goes on
            "«Das ist falsch», schreibt ein Anwalt der Kanzlei Reger im Auftrag von Jonas Bleich. «Er wusste nichts.»",
            "de",
            ["Anwalt der Kanzlei Reger", "Anwalt der Kanzlei Reger"],
        ),
        (  # a colon introduction names its subject, never a name in brackets or after a preposition
            "Die Firma wirbt vor allem bei Jugendlichen und in Foren (etwa bei Rolf Amsel): «Jetzt kaufen!»",
            "de",
            [None],
        ),
    ],
)
def test_resolution(text: str, lang: str, expected: list[str | None]) -> None:
    assert speakers(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("«Wir sind bereit», sagte Laura Weber am Montag.", "de", [("Laura Weber", "person")]),
        (  # an unnamed spokeswoman of an organisation: the organisation
            "Die Stadtwerke Musterhausen wollen bauen. «Das kostet», sagte eine Sprecherin der Stadtwerke.",
            "de",
            [("Stadtwerke", "org")],
        ),
        ("«Es war laut», sagte eine Augenzeugin.", "de", [("Augenzeugin", "unnamed")]),
        (  # a quantifier opens a group of people who speak together
            "Die Gemeinde plant eine Strasse. Viele Anwohner fanden den Plan «unzumutbar».",
            "de",
            [("Anwohner", "group")],
        ),
        (  # a gender-inclusive form is one word ("Forscher*innen", "Nutzer:innen")
            "Das Labor stellte die Studie vor. Zahlreiche Forscher*innen nannten sie «bahnbrechend».",
            "de",
            [("Forscher*innen", "group")],
        ),
        (
            "The council approved the tower. Several residents called it \"a disaster\".",
            "en",
            [("residents", "group")],
        ),
        (
            "Anna Muster und Jan Beispiel gründeten die Firma. «Wir sind stolz», sagten sie.",
            "de",
            [("Anna Muster und Jan Beispiel", "group")],
        ),
    ],
)
def test_speaker_type(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    qs = find_quotes(text, split_sentences(text, lang), lang=lang)
    assert [(q.speaker, q.speaker_type) for q in qs] == expected


def test_a_sentence_listing_people_names_none_of_them_as_the_speaker() -> None:
    # four people listed with asides in brackets: the quote after them is not the first or any one of them
    text = ("Die Gründer Jan Alder (Kiel), Lea Bohm (Ulm), Timo Rasch (Jena) und Ute Kranz (Hof) stehen auf der "
            "Bühne. Ihre gemeinsame Botschaft lautet: «Das ist überfällig.»")
    assert speakers(text, "de")[0] not in {"Jan Alder", "Lea Bohm", "Timo Rasch", "Ute Kranz"}

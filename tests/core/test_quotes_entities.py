"""The article's entities: acronyms defined in brackets, roles bound to names; invented sentences."""

from __future__ import annotations

import pytest

from server.core.quotes.finder import find_quotes
from server.core.text.sentences import split_sentences


def speakers(text: str, lang: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(text, split_sentences(text, lang), lang=lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (  # an acronym defined after a name names the organisation; "MFZ-Sprecherin" speaks for it
            "Das Meeresforschungszentrum Kiel-Nord (MFZ) will weiter messen. Die Arbeit sei eine «Grundlage für "
            "die Zukunft und muss deshalb weitergehen», sagte eine MFZ-Sprecherin am Montag.",
            "de",
            ["Meeresforschungszentrum Kiel-Nord"],
        ),
        (  # a surname in the genitive before its noun ("Brandauers Motto") is that person, named in full
            "Die Redaktion sitzt im dritten Stock. Im Flur hängt Karl Brandauers Motto: «Erst prüfen, dann drucken.»",
            "de",
            ["Karl Brandauer"],
        ),
        (  # capitalised words ending in an organisation word are an organisation, also opening a sentence
            "The Sample Agency defended the plan. \"The risks are small,\" the agency said in a statement.",
            "en",
            ["Sample Agency"],
        ),
        (  # "the studio" is "Northwind Studios", named before (a plural or case form of its last word)
            "Northwind Studios cancelled the film. \"We wish the cast well,\" the studio said.",
            "en",
            ["Northwind Studios"],
        ),
        (  # a noun between an article and a name is that person's role, listed or not: "der Landrat" is him
            "Der Bürgermeister Tim Roth sprach mit dem Landrat Uwe Kern. «Wir brauchen Geld», sagte der Landrat.",
            "de",
            ["Uwe Kern"],
        ),
        (  # a role introduced in another case ("den Patienten Otto Kern") binds "der Patient"
            "Die Ärztin Mia Sand behandelte den Patienten Otto Kern. «Ich hatte Glück», sagt der Patient.",
            "de",
            ["Otto Kern"],
        ),
        (  # the organisation the table knows inside a longer phrase, without the generic noun before it
            "Die Firma Beispiel GmbH schreibt in einer Mitteilung: «Wir bedauern den Vorfall.»",
            "de",
            ["Beispiel GmbH"],
        ),
        (  # an unknown first name after «…», is a full name when the surname recurs; the surname alone gives
            # no gender (it may look like a first name), so "she" is the woman of the sentence before
            "Zoe Adair agreed. \"We still have time,\" Marleth Sherman said.\n"
            "Asked if the debates matter to her, Sherman said they do.\n\"They matter a lot,\" she said.",
            "en",
            ["Marleth Sherman", "Marleth Sherman"],
        ),
        (  # after a possessive an honorific is a kin noun ("seine Frau Eva" is Eva, his wife), not a title
            "Max Roth hört nach 30 Jahren auf. Seine Frau Eva sagt: «Endlich.»",
            "de",
            ["Eva"],
        ),
        (  # a hyphenated single word is enough for the definition
            "Das Lotte-Brenner-Institut (LBI) betreibt zwei Schiffe. «Die Kosten steigen stark», teilte das LBI mit.",
            "de",
            ["Lotte-Brenner-Institut"],
        ),
        (  # a role phrase before a comma and a name binds to that name; later "der Chemiker" is that person
            "Das sagt der Kantonschemiker von Musterhausen, Karl Feldhuber. «Wir prüfen weiter», so der Chemiker.",
            "de",
            ["Karl Feldhuber"],
        ),
        (
            "Supt Karen Holloway spoke on Monday. “We have two suspects,” Supt Holloway said.",
            "en",
            ["Karen Holloway"],
        ),
        (  # two people sharing a first name are two people
            "Wie Sprecher Stefan Albinger erklärte, wollte sich die Stadt kümmern: «Das war so abgesprochen.»\n"
            "Mit dabei war auch Stefan Kornmayer von der Tierhilfe: «Wir haben Löcher in den Netzen gefunden.»",
            "de",
            ["Stefan Albinger", "Stefan Kornmayer"],
        ),
        (  # a surname that ends like a role compound is still a surname after a first name
            "«Wir sind bereit», sagte Eva Baumann am Montag.",
            "de",
            ["Eva Baumann"],
        ),
        (  # the spokesperson named in apposition is who "er" points to, not the organisation
            "Die Lücke sei kleiner geworden, sagt der Sprecher der Schutzvereinigung für Anleger (SVA), "
            "Jan Holzmann. Er gibt jedoch zu bedenken: «Man muss sicher unterscheiden.»",
            "de",
            ["Jan Holzmann"],
        ),
    ],
)
def test_entities(text: str, lang: str, expected: list[str | None]) -> None:
    assert speakers(text, lang) == expected

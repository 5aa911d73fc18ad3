"""Figures as a reader says them: qualifiers, scales, hyphens, ranges, shares, dates; a number in a name is none."""

from __future__ import annotations

import pytest

from server.core.summary.figures import KIND_DATE, KIND_SHARE, figure_key, figure_kind, find_figures


def figures(text: str, lang: str) -> list[str]:
    found = find_figures(text, lang)
    for f in found:
        assert text[f.start:f.end] == f.text
    return [f.text for f in found]


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # qualifiers belong to the figure
    ("en", "Up to 70 boats and about 15 planes joined the search.", ["Up to 70", "about 15"]),
    ("de", "Rund 40 Personen und mehr als 12 Prozent der Stimmen.", ["Rund 40 Personen", "mehr als 12 Prozent"]),
    # scale words, hyphenated amounts
    ("en", "The council approved a $23-million bridge.", ["$23-million"]),
    ("en", "It built a 4.8-billion-yuan rail line.", ["4.8-billion-yuan"]),
    ("de", "Der Konzern verlor 1,7 Mrd. Euro im Jahr.", ["1,7 Mrd. Euro"]),
    ("en", "The club paid £45m for the striker.", ["£45m"]),
    # ranges are one figure
    ("en", "The barge carried 120-150 metric tons of sand.", ["120-150 metric tons"]),
    ("de", "Gut 200 bis 250 Tonnen Abfall fallen an.", ["Gut 200 bis 250 Tonnen"]),
    ("en", "Rents rose between 3 and 6 percent last year.", ["between 3 and 6 percent"]),
    ("de", "Die Mieten stiegen zwischen 3 und 6 Prozent.", ["zwischen 3 und 6 Prozent"]),
    ("en", "Tickets cost $20 million to $30 million in all.", ["$20 million to $30 million"]),
    ("de", "Das kostet 8 bis 9 Millionen Franken.", ["8 bis 9 Millionen Franken"]),
    # fractions and shares
    ("en", "A quarter of the pupils and two-thirds of the staff were ill.", ["A quarter", "two-thirds"]),
    ("en", "More than half of the farms were flooded.", ["More than half"]),
    ("de", "Drei Viertel der Höfe und die Hälfte der Felder standen unter Wasser.", ["Drei Viertel", "die Hälfte"]),
    ("en", "One in four homes and one in 20 shops lost power in 2021.", ["One in four", "one in 20", "2021"]),
    # dates are dates, years included
    ("en", "The rule applies from 7/2022 and was signed on 03/14/2021.", ["7/2022", "03/14/2021"]),
    ("de", "Das Gesetz gilt seit 4/2023, beschlossen am 12.03.2023.", ["4/2023", "12.03.2023"]),
    ("en", "Prices peaked in the 1970s and again in 2008.", ["1970s", "2008"]),
    ("de", "Ende 2024 lag die Zahl bei 300 Personen.", ["2024", "300 Personen"]),
    ("en", "Their odds fell from 33/1 to 8/1 overnight.", ["from 33/1 to 8/1"]),
    ("de", "Der Markt findet vom 3. bis 6. Mai statt.", ["3. bis 6. Mai"]),
    ("en", "The fair runs June 4 to 9 in the park.", ["June 4 to 9"]),
    ("en", "Fares rise 4 percent to $2.90 a ride.", ["4 percent", "$2.90"]),  # a change, no range
])
def test_figure_forms(lang: str, text: str, expected: list[str]) -> None:
    assert figures(text, lang) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "She watched the film 1917 twice."),  # a title
    ("en", "Fans queued for the new Pixel 9 phone."),  # a model name
    ("en", "He flew a Cessna 172 over the hills."),  # a model name
    ("en", "The office is at 17 Harbour Street in the old town."),  # a street number
    ("de", "Das Büro liegt an der Gartenstrasse 14 im Zentrum."),  # a street number
    ("de", "Er fuhr einen Audi Quattro 5 durch die Stadt."),  # a model name
    ("en", "The 5G network and the 3D printer were shown."),  # codes glued to letters
    ("en", "Services run 24/7 since 9/11 changed travel."),  # numbers with a slash that name something
    ("en", "She ended a third term and started a third business."),  # ordinals, not shares
])
def test_numbers_in_names_are_no_figures(lang: str, text: str) -> None:
    assert figures(text, lang) == []


def test_kinds_of_the_new_forms() -> None:
    assert figure_kind("7/2022", "en") == KIND_DATE
    assert figure_kind("zwei Drittel", "de") == KIND_SHARE
    assert figure_kind("between 3 and 6 percent", "en") == "percent"


@pytest.mark.parametrize(("lang", "a", "b"), [
    ("de", "12 Prozent", "12 %"),
    ("de", "2 Milliarden Franken", "2 Mrd. Franken"),
    ("en", "$17 million", "17 million dollars"),
    ("en", "about 3,000 people", "3,000 people"),
])
def test_same_value_and_unit_same_key(lang: str, a: str, b: str) -> None:
    assert figure_key(a, lang) == figure_key(b, lang)


def test_different_values_or_units_differ() -> None:
    assert figure_key("12 Prozent", "de") != figure_key("12 Franken", "de")
    assert figure_key("$17 million", "en") != figure_key("$17 billion", "en")


def test_a_number_in_the_pages_own_name_is_no_figure() -> None:
    text = "Rund 300 Menschen zogen weg, sagte die Bürgermeisterin zu 60 Sekunden."
    assert figures(text, "de") == ["Rund 300 Menschen", "60 Sekunden"]
    assert [f.text for f in find_figures(text, "de", names=["60 Sekunden", None])] == ["Rund 300 Menschen"]


def test_the_digest_knows_its_site_name() -> None:
    from server.core.digest import Article
    from server.core.pipeline import digest_article

    text = ("Der Gemeinderat bewilligte am Montag eine neue Brücke über den Fluss für 12 Millionen Franken. "
            "Die Bauzeit betrage zwei Jahre, sagte die Bürgermeisterin gegenüber 60 Sekunden.")
    digest = digest_article(Article(text=text, site="60 Sekunden"), lang="de")
    marked = [g.text for f in digest.facts for g in f.figures]
    assert "12 Millionen Franken" in marked
    assert "60 Sekunden" not in marked

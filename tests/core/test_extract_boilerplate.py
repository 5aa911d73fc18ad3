"""Boilerplate lines inside the article's container leave the text: bylines, dates, menus, labels, initials."""

from __future__ import annotations

import pytest

from server.core.extract.html import extract_html

_BODY = [
    "Der Gemeinderat von Talwil hat am Dienstag beschlossen, die alte Holzbrücke über den Dorfbach zu ersetzen. "
    "Die Arbeiten sollen im Frühling beginnen und bis zum Herbst dauern.",
    "Die Brücke aus dem Jahr 1911 ist morsch und darf seit zwei Jahren nur noch zu Fuss überquert werden. "
    "Anwohnerinnen und Anwohner hatten sich immer wieder über die Sperrung beklagt.",
    "Der Kredit von 480 000 Franken muss noch von der Gemeindeversammlung im Juni genehmigt werden. "
    "Der Gemeinderat rechnet mit einer deutlichen Zustimmung.",
    "Die neue Brücke wird wieder aus Holz gebaut, ist aber breiter als die alte, damit auch Velos und "
    "Kinderwagen bequem kreuzen können.",
]


def _page(before: list[str], after: list[str], between: str = "") -> str:
    paragraphs = [f"<p>{t}</p>" for t in [*before, *_BODY[:2]]] + [between] + [f"<p>{t}</p>" for t in
                                                                               [*_BODY[2:], *after]]
    return ("<html><head><title>Neue Brücke für Talwil</title></head><body><article><h1>Neue Brücke für Talwil</h1>"
            f"<div class='text'>{''.join(paragraphs)}</div></article></body></html>")


def _text(before: list[str] = (), after: list[str] = (), between: str = "") -> str:  # type: ignore[assignment]
    return extract_html(_page(list(before), list(after), between)).text


@pytest.mark.parametrize("line", [
    "Text: Lea Beispiel, 12.03.2022",
    "Von Lea Beispiel",
    "By JANE EXAMPLE STAFF",
    "12.03.2022, 14:05 Uhr",
    "Updated: March 12, 2022 2:05 PM EST",
])
def test_bylines_and_dates_at_the_start_go(line: str) -> None:
    text = _text(before=[line])
    assert text.startswith(_BODY[0])


@pytest.mark.parametrize("line", [
    "Text: Lea Beispiel, 12.03.2022",
    "This article originally appeared on Example Review.",
    "Dieser Artikel erschien zuerst auf beispiel.example.",
    "(abc)",
    "(sda/dpa)",
])
def test_bylines_credits_and_initials_at_the_end_go(line: str) -> None:
    assert _text(after=[line]).endswith(_BODY[3])


def test_trailing_initials_after_the_last_sentence_go() -> None:
    html = _page([], []).replace("bequem kreuzen können.</p>", "bequem kreuzen können. (lbe)</p>")
    assert extract_html(html).text.endswith("bequem kreuzen können.")


@pytest.mark.parametrize("line", [
    "Voir également notre dossier",
    "Lesen Sie auch: Die alte Mühle wird ein Museum",
    "Jetzt kaufen",
    "Übersicht | Archiv | Kontakt",
    "Spendenkonto · Vereinsausflug",
])
def test_labels_menus_and_shop_lines_in_the_middle_go(line: str) -> None:
    text = _text(between=f"<p>{line}</p>")
    assert line not in text
    assert text.split("\n\n") == _BODY


def test_a_caption_at_the_start_shown_again_further_down_goes() -> None:
    caption = "Die alte Brücke im Winter"
    text = _text(before=[caption], between=f"<p>{caption}</p>")
    assert caption not in text and text.split("\n\n") == _BODY


def test_a_sentence_that_starts_with_by_is_no_byline() -> None:
    line = "By the time the council voted, most residents had already left the hall."
    assert _text(before=[line]).startswith(line)


def test_table_rows_with_bars_stay() -> None:
    table = ("<table><tr><th>Jahr</th><th>Kosten</th></tr><tr><td>Brücke alt</td><td>Sperrung</td></tr>"
             "<tr><td>Brücke neu</td><td>Kredit</td></tr></table>")
    text = _text(between=table)
    assert "Brücke alt | Sperrung" in text


def test_markers_anchored_at_the_start_match_only_there_and_others_anywhere() -> None:
    from server.core.extract.furniture import Markers

    markers = Markers([r"^(teilen|drucken)$", r"^a|b", r"\bnewsletter\b", r"^[|]x"])
    assert markers.search("Teilen")
    assert not markers.search("Jetzt teilen")  # anchored: the start only
    assert markers.search("xxb")  # "^a|b": the second branch is not anchored
    assert markers.search("Unser Newsletter kommt")
    assert markers.search("|x") and not markers.search("y|x")
    assert not Markers([]).search("anything")

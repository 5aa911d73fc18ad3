"""Plain-text page dumps → the article: invented dumps in German and English, passthrough, no article, fixture."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from server.core import langdata
from server.core.errors import PithError
from server.core.extract.lines import TOPIC, marker_of, markers, read_lines
from server.core.extract.plaintext import extract_text

DE_DUMP = "\n".join([
    "Startseite",
    "Politik",
    "Wirtschaft",
    "Sport",
    "Kultur",
    "Anzeige",
    "Anzeige",
    "Lesedauer 4 Min.",
    "",
    "Neue Brücke über den Rhein soll 2030 fertig sein",
    "",
    ('Die Stadt Basel und der Kanton haben sich nach langen Verhandlungen auf den Bau einer dritten '
     'Rheinbrücke geeinigt, die vor allem Velofahrern und Fussgängern dienen soll.'),
    "Foto: Keystone/Georgios Kefalas",
    "",
    ('Die neue Brücke soll zwischen dem Kleinbasler Ufer und dem Museumsquartier entstehen. Die '
     'Kosten werden auf rund 80 Millionen Franken geschätzt, wovon der Bund einen Drittel übernehmen '
     'will.'),
    "",
    "Kritik aus dem Quartier",
    "",
    ('Anwohnerinnen und Anwohner befürchten mehr Verkehr in den engen Gassen. Der Quartierverein hat '
     'bereits eine Petition mit über 2000 Unterschriften eingereicht, die eine bessere Anbindung an '
     'den öffentlichen Verkehr verlangt.'),
    "",
    ('Die Regierung will die Bedenken in die weitere Planung aufnehmen. Ein Architekturwettbewerb '
     'soll im kommenden Frühling ausgeschrieben werden, das Siegerprojekt wird im Herbst vorgestellt.'),
    "",
    "Basel Verkehr Brücken",
    "",
    "Das könnte Sie auch interessieren",
    "",
    "Tram-Linie 8 wird für drei Monate unterbrochen - Verkehr",
    ('Wegen Gleisarbeiten fahren zwischen Juli und September Busse statt Trams. Die Verkehrsbetriebe '
     'empfehlen, mehr Zeit für den Arbeitsweg einzuplanen, weil die Ersatzbusse langsamer sind.'),
    "3 Minuten",
    "Neue Velowege für die Innenstadt - Stadtentwicklung",
    ('Der Grosse Rat hat einen Kredit für neue Velowege bewilligt. Bis 2028 sollen in der Innenstadt '
     'zwölf Kilometer getrennte Spuren entstehen, die das Velofahren sicherer machen.'),
    "2 Minuten",
    "Impressum",
    "Datenschutz",
    "Anzeige",
    "",
])

EN_DUMP = "\n".join([
    "Skip to content",
    "Home",
    "World",
    "Business",
    "Technology",
    "Science",
    "Subscribe",
    "Sign In",
    "Technology",
    "Small Satellites Are Changing How Farmers Watch Their Fields",
    "By Jane Doe",
    "March 3, 2024 8:15 am ET",
    "5 min read",
    "",
    ('Farmers across the Midwest are paying for images from small satellites that pass overhead every'
     ' day, using the pictures to spot thirsty crops before the damage shows.'),
    "",
    "Photo: Getty Images",
    "",
    ('The service costs a few dollars per acre each season, and its makers say it pays for itself '
     'when it saves a single irrigation round. Several cooperatives have signed up their members in '
     'bulk.'),
    "",
    "Advertisement",
    "",
    ('“We used to walk the rows and guess,” said Maria Lopez, who grows corn and soybeans on 900 '
     'acres in Iowa. “Now the map tells me where to look before I even put my boots on.”'),
    "",
    "What the data shows",
    "",
    ('Researchers at the state university compared yields on farms that used the images with those '
     'that did not, and found a modest gain that grew in dry years, when timing mattered most.'),
    "",
    ('Still, the images cannot see through clouds, and some growers worry about who owns the data '
     'that the satellites collect over their land.'),
    "",
    "Share this:",
    "Facebook",
    "Twitter",
    "Email",
    "Tags: agriculture, satellites, Iowa",
    "Related Stories",
    "Drone makers court vineyards with new sensors",
    ('Vineyard owners in California are testing drones that can map the sugar content of grapes from '
     'the air, a job that used to take pickers days of tasting in the heat.'),
    "Weather apps get better at predicting frost on the farm",
    ('A new generation of forecasting tools gives growers hours of warning before a frost, which is '
     'often enough time to switch on fans or sprinklers and save a harvest.'),
    "12 Comments",
    "farmerjoe says:",
    "March 3, 2024 at 9:02 am",
    ('This is exactly the kind of technology that small farms cannot afford, and the article should '
     'have said something about what it means for the families who farm a few hundred acres.'),
    "cornfan says:",
    "March 3, 2024 at 9:40 am",
    ('I have used one of these services for two seasons now and the maps were wrong about half the '
     'time, so I would not trust them with a decision that costs real money.'),
    "Privacy Policy",
    "Terms of Service",
    "Home",
    "World",
    "Business",
    "Technology",
    "Science",
    "",
])

ARTICLE = (
    "The council voted on Tuesday to extend the opening hours of the public library, which will now stay open "
    "until nine in the evening on weekdays.\n\n"
    "Librarians had asked for the change  for years, saying that students and shift workers could not use the "
    "reading rooms during the day.\r\n\r\n"
    "The extra hours will cost about 120,000 dollars a year, paid from the city's education budget."
)


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_german_dump_keeps_the_article_and_drops_the_page_around_it() -> None:
    art = extract_text(DE_DUMP)
    assert art.title == "Neue Brücke über den Rhein soll 2030 fertig sein"
    paras = _paragraphs(art.text)
    assert paras[0].startswith("Die Stadt Basel und der Kanton")
    assert paras[-1].endswith("das Siegerprojekt wird im Herbst vorgestellt.")
    assert "Kritik aus dem Quartier" in paras  # the subheading stays, as its own paragraph
    assert paras[paras.index("Kritik aus dem Quartier") + 1].startswith("Anwohnerinnen und Anwohner")
    for junk in ("Anzeige", "Lesedauer", "Foto:", "Keystone", "Basel Verkehr Brücken", "Das könnte Sie",
                 "Tram-Linie 8", "Velowege", "Minuten", "Impressum", "Startseite"):
        assert junk not in art.text
    assert art.title not in art.text


def test_english_dump_skips_ads_credits_teasers_and_comments() -> None:
    art = extract_text(EN_DUMP)
    assert art.title == "Small Satellites Are Changing How Farmers Watch Their Fields"
    paras = _paragraphs(art.text)
    assert paras[0].startswith("Farmers across the Midwest")
    assert paras[-1].startswith("Still, the images cannot see through clouds")
    # the ad label between two paragraphs goes, but the article does not break there
    assert any(p.startswith("“We used to walk the rows") for p in paras)
    assert "What the data shows" in paras
    for junk in ("Advertisement", "Getty", "5 min read", "By Jane Doe", "March 3", "Share this", "Tags:",
                 "Related Stories", "Drone makers", "frost", "Comments", "farmerjoe", "small farms cannot afford",
                 "Privacy Policy", "Skip to content"):
        assert junk not in art.text


def test_a_clean_article_passes_through_whole() -> None:
    art = extract_text(ARTICLE)
    expected = [" ".join(p.split()) for p in ARTICLE.replace("\r\n", "\n").split("\n\n")]
    assert art.text == "\n\n".join(expected)
    assert art.title is None


def test_a_hard_wrapped_article_comes_out_in_whole_paragraphs() -> None:
    paragraphs = [" ".join(p.split()) for p in ARTICLE.replace("\r\n", "\n").split("\n\n")]
    wrapped = "\n\n".join("\n".join(textwrap.wrap(p, 60)) for p in paragraphs)
    assert wrapped.count("\n") > 8
    assert extract_text(wrapped).text == "\n\n".join(paragraphs)


def test_a_clean_article_with_a_title_line() -> None:
    art = extract_text("Library opens late\n\n" + ARTICLE)
    assert art.title == "Library opens late"
    assert art.text.startswith("The council voted on Tuesday")
    assert art.text.endswith("education budget.")


def test_a_short_closing_sentence_and_a_subheading_stay() -> None:
    text = ARTICLE + "\n\nWhat comes next\n\n" + ARTICLE.split("\n\n")[0] + "\n\nThe mayor declined to comment."
    art = extract_text(text)
    paras = _paragraphs(art.text)
    assert "What comes next" in paras
    assert paras[-1] == "The mayor declined to comment."


def test_a_teaser_box_inside_the_article_does_not_cut_it() -> None:
    first, second, third = ARTICLE.replace("\r\n", "\n").split("\n\n")
    box = "Related articles\nCity budget passes after long night\nNew bus lines start in May"
    text = "\n\n".join([first, second, box, third, first])
    art = extract_text(text)
    assert art.text.startswith("The council voted")
    assert art.text.count("The council voted") == 2  # both sides of the box
    for junk in ("Related articles", "City budget", "New bus lines"):
        assert junk not in art.text


def test_a_comments_link_above_the_article_does_not_hide_it() -> None:
    art = extract_text("Library opens late\nBy Ann Smith\n3 Comments\n\n" + ARTICLE)
    assert art.text.startswith("The council voted")
    assert art.text.endswith("education budget.")


def test_a_table_inside_the_article_stays() -> None:
    first, second, third = ARTICLE.replace("\r\n", "\n").split("\n\n")
    table = "Branch Hours Visitors\nCentral 9-21 1,204\nNorth 10-18 385\nHarbour 10-18 412"
    art = extract_text("\n\n".join([first, second, table, third]))
    assert "Central 9-21 1,204\n\nNorth 10-18 385\n\nHarbour 10-18 412" in art.text
    assert art.text.endswith("education budget.")


def test_sentences_that_look_like_markers_stay() -> None:
    first, second, third = ARTICLE.replace("\r\n", "\n").split("\n\n")
    lines = ["By Monday, the river had risen two metres.", "More details", second,
             "Comments from the mayor were short and sharp.", third]
    art = extract_text("\n\n".join([first, *lines]))
    assert _paragraphs(art.text) == [first, *[" ".join(x.split()) for x in lines]]


def test_lines_repeated_in_the_dump_are_boilerplate() -> None:
    menu = "\n".join(["News", "Sport Results", "Weather Today", "Contact Our Team"])
    art = extract_text(menu + "\n\n" + ARTICLE + "\n\n" + menu)
    for item in ("News", "Sport Results", "Weather Today", "Contact"):
        assert item not in art.text


def test_a_page_in_a_language_without_a_table_still_yields_its_prose() -> None:
    text = ("Главная\nНовости\nСпорт\n\n"
            "Городской совет во вторник проголосовал за продление часов работы публичной библиотеки до девяти "
            "вечера по будням.\n\n"
            "Библиотекари давно просили об этом, говоря, что студенты и сменные рабочие не могут пользоваться "
            "читальными залами днём.\n\nКонтакты\nО нас")
    art = extract_text(text)
    assert art.text.startswith("Городской совет")
    assert art.text.endswith("читальными залами днём.")
    assert "Контакты" not in art.text and "Главная" not in art.text


INDEX_PAGE = "\n".join([
    "Home", "World", "Business", "Latest News",
    "Harbour bridge to close for repairs",
    "The bridge will be shut for six weeks from June while engineers replace the worn bearings under the deck.",
    "2 hours ago",
    "School meals get more vegetables",
    "A new menu starts after the holidays, with two portions of vegetables in every meal and less sugar.",
    "5 hours ago",
    "Rail strike called off at the last minute",
    "Unions and the operator agreed on a pay deal late at night, so trains will run as usual on Monday.",
    "Yesterday",
    "Privacy Policy", "Contact",
])


@pytest.mark.parametrize("text", [INDEX_PAGE, "", "   \n\n \t\n", "Home\nNews\nSport\nContact\n",
                                  "Anzeige\nAnzeige\nWerbung\n© 2024 Beispiel AG\nImpressum\nDatenschutz\n",
                                  "Advertisement\n5 min read\nShare this:\nFacebook\nTwitter\n12 Comments\n"])
def test_no_article_is_a_clear_error(text: str) -> None:
    with pytest.raises(PithError) as err:
        extract_text(text)
    assert err.value.code == "no_article"
    assert err.value.message


@pytest.mark.parametrize(("line", "kind"), [
    ("Anzeige", "drop"), ("Advertisement", "drop"), ("Werbung", "drop"), ("Lesedauer 3 Min.", "drop"),
    ("5 min read", "drop"), ("© (Quelle: Royal Society/Wikimedia)", "drop"), ("Foto: Keystone", "drop"),
    ("Photo: Getty Images", "drop"), ("Tags: politics, economy", "drop"),
    ("Neueste Beiträge", "teaser"), ("Das könnte Sie auch interessieren", "teaser"), ("Read more", "teaser"),
    ("Related Articles", "teaser"), ("12 Comments", "comments"), ("Kommentare (3)", "comments"),
    ("The council voted on Tuesday to extend the opening hours.", None), ("Kritik aus dem Quartier", None),
    ("Publicité", "drop"), ("À lire aussi", "teaser"), ("3 commentaires", "comments"), ("Leggi anche", "teaser"),
    ("Publicidad", "drop"), ("Leia também", "teaser"), ("Responses to the survey were mixed.", None),
])
def test_marker_table(line: str, kind: str | None) -> None:
    table = markers(tuple(langdata.languages(TOPIC)))
    assert marker_of(line.lower(), len(line.split()), table) == kind


def test_every_boilerplate_table_is_valid() -> None:
    langs = langdata.languages(TOPIC)
    assert {"de", "en"} <= set(langs)
    for lang in langs:
        table = langdata.load(lang, TOPIC)
        assert table["stopwords"] and all(w == w.lower() for w in table["stopwords"])
        patterns = [p for ps in table["drop"].values() for p in ps]
        patterns += [p for ps in table.get("drop_contains", {}).values() for p in ps]
        patterns += table["teaser"] + table["comments"]
        for p in patterns:
            re.compile(p)
            assert p == p.lower() or "\\" in p, (lang, p)  # matched against lower-cased lines


@pytest.mark.parametrize(("line", "dateish"), [
    ("25. Jan 2026", True), ("Nov. 19, 2019 8:03 am ET", True), ("10:18", True), ("(34)", True),
    ("Week 12 power rankings", False), ("iPhone 11 Pro", False), ("Kritik aus dem Quartier", False),
])
def test_dates_and_counts_on_their_own(line: str, dateish: bool) -> None:
    assert read_lines(line)[0].dateish is dateish


def test_read_lines_marks_blank_line_blocks() -> None:
    lines = read_lines("Menu\nNews\n\nA paragraph of its own that stands between blank lines.\n\nFooter\nLinks")
    assert [ln.isolated for ln in lines] == [False, False, True, False, False]
    assert lines[2].sentence_end and not lines[0].sentence_end


@pytest.mark.shared
def test_stargate_dump(fixtures_dir: Path) -> None:
    expected = json.loads((fixtures_dir / "stargate-de.expected.json").read_text(encoding="utf-8"))
    art = extract_text((fixtures_dir / "stargate-de.txt").read_text(encoding="utf-8"))
    assert art.title == expected["title"]
    assert art.text.startswith(expected["body_starts_with"])
    assert art.text.endswith(expected["body_ends_with"])
    for s in expected["body_must_contain"]:
        assert s in art.text
    for s in expected["body_must_not_contain"]:
        assert s not in art.text
    for heading in expected["body_must_contain"][:3]:
        assert f"\n\n{heading}\n\n" in art.text  # subheadings stay as paragraphs of their own


def test_subheadings_stay_in_a_text_without_blank_lines() -> None:
    """One paragraph per line and no blank lines: a short heading between two paragraphs heads the second one,
    and a quotation standing as that heading stays in the text."""
    first = ("Der Gemeinderat von Beispielstadt hat am Dienstagabend lange über die geplante Sanierung des "
             "Hallenbads gestritten, das seit dem Frühjahr geschlossen ist.")
    second = ("Die Vorsteherin des Sportamts, Jana Probe, verteidigte den Zeitplan und verwies auf die "
              "Lieferfristen der Baufirmen, die sich seit dem letzten Jahr verdoppelt hätten.")
    third = ("Der Gemeinderat will im Juni entscheiden, ob die Sanierung in zwei Etappen ausgeführt wird, "
             "damit wenigstens das Lehrschwimmbecken früher öffnen kann.")
    text = "\n".join([first, "Probe: «Wir halten den Zeitplan ein»", second, "Entscheid im Juni", third])
    article = extract_text(text)
    paragraphs = article.text.split("\n\n")
    assert paragraphs == [first, "Probe: «Wir halten den Zeitplan ein»", second, "Entscheid im Juni", third]


def test_a_line_between_two_listed_lines_is_no_subheading() -> None:
    """Menu lines around the article are still left out when the page has no blank lines."""
    body = ("Die Stadtwerke von Beispielstadt erhöhen im kommenden Jahr den Strompreis für Haushalte um rund "
            "sieben Prozent, wie sie am Montag mitteilten.")
    more = ("Grund seien die höheren Kosten für das Netz und für den Einkauf von Strom an der Börse, hiess es "
            "weiter in der Mitteilung der Stadtwerke.")
    text = "\n".join(["Startseite", "Politik", "Wirtschaft", body, more, "Impressum", "Kontakt"])
    assert extract_text(text).text.split("\n\n") == [body, more]

"""Extraction that fails loudly: a promo box or a too-small block is never returned as the article."""

from __future__ import annotations

import random
import re

import pytest

from server.core.errors import PithError
from server.core.extract.html import extract_html

_SENTENCES = [
    "Die Gemeinde Talwil will die alte Holzbrücke über den Dorfbach bis zum Herbst vollständig ersetzen lassen.",
    "Der Gemeinderat hat dafür einen Kredit von 480 000 Franken beantragt, wie er am Dienstag mitteilte.",
    "Die Brücke aus dem Jahr 1911 sei morsch und könne nur noch zu Fuss überquert werden, heisst es im Bericht.",
    "Anwohnerinnen und Anwohner hatten sich seit Jahren über die Sperrung für Velos beklagt.",
    "Die neue Brücke soll wieder aus Holz gebaut werden und breiter sein als die alte.",
]
_ARTICLE = "".join(f"<p>{_SENTENCES[i % 5]} {_SENTENCES[(i + 1 + i // 5) % 5]}</p>" for i in range(6))
_PAYWALL = (
    "<p>Sie haben das Limit an kostenlosen Artikeln in diesem Monat erreicht. Mit unserem Digitalabo lesen Sie "
    "alle Artikel auf der Website und in der App ohne Einschränkung.</p>"
    "<p>Jetzt für 1 € testen: Lesen Sie alle Artikel einen Monat lang. Danach 9,90 € pro Monat, jederzeit kündbar, "
    "ohne Mindestlaufzeit und mit vollem Zugang.</p>"
    "<p>Sie sind bereits Abonnent? Hier anmelden und weiterlesen, auf allen Geräten, auch auf dem Smartphone und "
    "dem Tablet.</p>")


def _page(body: str, title: str = "Neue Brücke für Talwil") -> str:
    return (f"<html><head><title>{title}</title></head><body><header><nav><a href='/'>Start</a></nav></header>"
            f"{body}</body></html>")


def test_paywall_box_above_the_article_is_not_the_article() -> None:
    html = _page(f"<article><h1>Neue Brücke für Talwil</h1>{_PAYWALL}</article>"
                 f"<div class='paid-content'>{_ARTICLE}</div>")
    text = extract_html(html).text
    assert text.startswith(_SENTENCES[0])
    assert "testen" not in text and "Abonnent" not in text and "Digitalabo" not in text
    assert text.count("\n\n") == 5


def test_a_page_with_only_a_paywall_box_has_no_article() -> None:
    with pytest.raises(PithError) as err:
        extract_html(_page(f"<article><h1>Neue Brücke für Talwil</h1>{_PAYWALL}</article>"))
    assert err.value.code == "no_article"


_CONSENT = (
    "<p>We use cookies to improve your experience. Accept all cookies or manage your preferences in the privacy "
    "settings; you can change your choice at any time.</p>"
    "<p>Already a subscriber? Sign in to continue reading, or create a free account to read three free articles "
    "a month.</p><p>Subscribe now for unlimited access: $1 per week for the first year, cancel anytime.</p>")


def test_a_consent_and_login_box_alone_is_no_article() -> None:
    with pytest.raises(PithError) as err:
        extract_html(_page(f"<main><h1>Pool to close</h1>{_CONSENT}</main>", title="Pool to close"))
    assert err.value.code == "no_article"


def test_a_teaser_in_a_lead_box_is_not_taken_for_the_lead() -> None:
    teaser = ("<div class='teaser'><p>Was die Brücke kostet und wann sie öffnet, lesen Sie mit Abo.</p>"
              "<p>Jetzt für 1 € testen: alle Artikel einen Monat lang, danach 9,90 € pro Monat.</p></div>")
    html = _page(f"<main><h1>Neue Brücke für Talwil</h1>{teaser}<div class='body'>{_ARTICLE}</div></main>")
    text = extract_html(html).text
    assert text.startswith(_SENTENCES[0]) and "Abo" not in text


def _comment_thread(n: int) -> str:
    rnd = random.Random(7)
    words = re.findall(r"\w+", "I think the council is wrong about this because we have used the pool for years "
                                "and my children learned to swim there and nobody asked us before")
    posts = []
    for i in range(n):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(25, 60))).capitalize() + "."
        posts.append(f"<div class='c{i % 3}'><b>reader{i}</b> <span>{i + 1} hours ago</span><p>{text}</p></div>")
    return "".join(posts)


def test_a_short_article_above_a_long_comment_thread_is_still_the_article() -> None:
    article = ("<p>The town council of Fernbrook voted on Tuesday to close the old swimming pool on Mill Lane at the "
               "end of the summer season. The pool, built in 1964, needs repairs that would cost more than the town "
               "can pay, the council said.</p><p>A new leisure centre with two pools is planned on the site of the "
               "former bus depot and should open in 2028. Until then, swimmers will have to use the pool in the "
               "neighbouring village, about six miles away, the council's leisure officer said.</p>")
    html = _page(f"<div id='page'><article><h1>Mill Lane pool to close</h1>{article}</article>"
                 f"<div class='thread'><h3>Reader reactions</h3>{_comment_thread(60)}</div></div>",
                 title="Mill Lane pool to close")
    text = extract_html(html).text
    assert text.startswith("The town council of Fernbrook")
    assert text.endswith("the council's leisure officer said.")
    assert "hours ago" not in text and "Reader reactions" not in text


def test_a_header_only_extraction_gives_way_to_the_review_body() -> None:
    header = ("<p>The Larkspur X2 is a small speaker with a big promise: a full day of music on one charge. "
              "We tried it for two weeks.</p>")
    body = "".join(
        f"<p>In week {i + 1} we took the speaker to the park, the kitchen and a long train ride, and measured how "
        f"long the battery lasted at half volume: {10 + i} hours, with the sound staying clear until the end.</p>"
        for i in range(30))
    html = _page(f"<article><h1>Larkspur X2 review</h1>{header}<div class='player-embed'><video src='v.mp4'>"
                 f"</video></div></article><div class='review obfuscated'>{body}</div>", title="Larkspur X2 review")
    text = extract_html(html).text
    assert len(text) > 5000
    assert "In week 30 we took the speaker" in text

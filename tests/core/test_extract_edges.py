"""Text at the edges is kept: a standfirst set as a heading, text after a figure, bold questions, an e-mail line."""

from __future__ import annotations

from server.core.extract.html import extract_html

_ANSWERS = [
    "Ich wollte weg vom Lärm. In der Stadt habe ich zehn Jahre lang in einem Büro gearbeitet, und irgendwann ging "
    "es einfach nicht mehr.",
    "Meine Freunde, natürlich. Aber sie kommen mich oft besuchen, im Sommer fast jedes Wochenende, und dann kochen "
    "wir zusammen.",
    "Um fünf Uhr melke ich die Kühe, danach mache ich Käse. Am Nachmittag repariere ich Zäune oder gehe in den Wald, "
    "um Holz zu holen.",
]
_QUESTIONS = ["Frau Holt, warum sind Sie auf die Alp gezogen?", "Was vermissen Sie am meisten?",
              "Wie sieht ein normaler Tag aus?"]
_STANDFIRST = ("Seit einem Jahr lebt die Sennerin Mira Holt auf der Alp Sunnmatt. Im Gespräch erzählt sie, warum sie "
               "nie mehr ins Tal zurück will und was sie vermisst.")
_AFTER_FIGURE = "Der Weg auf die Alp dauert zu Fuss drei Stunden, und im Winter ist er oft wochenlang gesperrt."


def _interview(standfirst_tag: str = "h4", standfirst_class: str = "") -> str:
    qa = "".join(f"<p><strong>{q}</strong></p><p>{a}</p>" for q, a in zip(_QUESTIONS, _ANSWERS, strict=True))
    return ("<html><head><title>Ein Jahr auf der Alp</title></head><body><main><h1>Ein Jahr auf der Alp</h1>"
            f"<{standfirst_tag} class='{standfirst_class}'>{_STANDFIRST}</{standfirst_tag}><div class='body'>"
            f"<figure><img src='a.jpg'><figcaption>Die Alp im Sommer. Foto: Archiv</figcaption></figure>"
            f"{_AFTER_FIGURE}{qa}<p>Wer Mira Holt auf der Alp besuchen möchte, meldet sich per E-Mail:</p>"
            f"<p><a href='mailto:alp.sunnmatt@example.org'>alp.sunnmatt@example.org</a></p>"
            f"<p>Die Alp ist von Juni bis September bewirtschaftet. Übernachtungen im Heustock sind nach Absprache "
            f"möglich.</p></div></main></body></html>")


def test_a_standfirst_in_a_heading_above_the_body_is_the_lead() -> None:
    paragraphs = extract_html(_interview()).text.split("\n\n")
    assert paragraphs[0] == _STANDFIRST


def test_a_one_sentence_subtitle_heading_is_still_no_article_text() -> None:
    text = extract_html(_interview("h2", "sub-head")).text
    assert _STANDFIRST not in text
    assert text.startswith(_AFTER_FIGURE)


def test_the_first_sentence_after_a_figure_is_kept_and_the_caption_is_not() -> None:
    paragraphs = extract_html(_interview()).text.split("\n\n")
    assert _AFTER_FIGURE in paragraphs
    assert "Foto: Archiv" not in "\n".join(paragraphs)


def test_bold_interview_questions_stay_between_the_answers() -> None:
    paragraphs = extract_html(_interview()).text.split("\n\n")
    for question, answer in zip(_QUESTIONS, _ANSWERS, strict=True):
        assert paragraphs.index(question) + 1 == paragraphs.index(answer)


def test_an_email_address_paragraph_is_kept() -> None:
    paragraphs = extract_html(_interview()).text.split("\n\n")
    assert "alp.sunnmatt@example.org" in paragraphs

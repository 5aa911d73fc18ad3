"""The in-page highlighter (extension/highlight.js) alone in Chromium: its matching rules and selection fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

HIGHLIGHTER = Path(__file__).resolve().parents[2] / "extension" / "highlight.js"

PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>t</title></head><body>
<nav>Startseite</nav>
<p style="display:none">Die Regierung will sparen.</p>
<article>
<p>Die Regie&shy;rung will <a href="#">spa</a>ren.</p>
<p>&#8222;Wir sind&nbsp;bereit&#8220;, sagte die Ministerin
   am Montag in <em>Bern</em>.</p>
<p>Ein Satz <script>var ignored = "im Skript";</script>im Skript steht nicht hier.</p>
<p>Der Bau kostet 1,5&#8201;Milliarden Franken &#8211; mehr als geplant.</p>
</article></body></html>"""


@pytest.fixture
def page(browser: Any, page_server: Any) -> Any:
    url = page_server.add("highlighter.html", PAGE)
    tab = browser.context.new_page()
    tab.goto(url)
    return tab


def load(page: Any, *, without_highlight_api: bool = False) -> None:
    if without_highlight_api:
        page.evaluate("() => { Object.defineProperty(CSS, 'highlights', {value: undefined});"
                      " delete window.Highlight; }")
        assert page.evaluate("() => CSS.highlights === undefined")
    page.add_script_tag(path=str(HIGHLIGHTER))


def toggle(page: Any, key: str, *texts: str) -> dict:
    return page.evaluate("([k, t]) => globalThis.__pithHighlighter.toggle(k, t)", [key, list(texts)])


def highlighted(page: Any) -> list[str]:
    return page.evaluate(
        "() => CSS.highlights.has('pith') ? [...CSS.highlights.get('pith')].map(r => r.toString()) : []"
    )


def test_matches_across_elements_soft_hyphens_and_spacing(page: Any) -> None:
    load(page)
    result = toggle(page, "a", "Die Regierung will sparen.")
    assert result["active"] and result["method"] == "highlight"
    [text] = highlighted(page)
    assert text == "Die Regie\u00adrung will sparen."
    # the visible occurrence in the article, not the hidden copy before it
    assert page.evaluate("() => [...CSS.highlights.get('pith')][0].startContainer.parentElement.tagName") == "P"
    assert page.evaluate("() => [...CSS.highlights.get('pith')][0].endContainer.parentElement.tagName") == "P"
    assert page.evaluate("() => { const [r] = CSS.highlights.get('pith'); return r.startContainer != r.endContainer; }")
    assert page.evaluate("() => [...CSS.highlights.get('pith')][0].getClientRects().length") > 0


def test_typographic_quotes_and_dashes_fold_and_scripts_are_skipped(page: Any) -> None:
    load(page)
    assert toggle(page, "q", '"Wir sind bereit", sagte die Ministerin am Montag in Bern.')["active"]
    assert " ".join(highlighted(page)[0].split()) == "„Wir sind bereit“, sagte die Ministerin am Montag in Bern."
    assert toggle(page, "d", "Der Bau kostet 1,5 Milliarden Franken - mehr als geplant.")["active"]
    # text inside <script> is not page text: the sentence around it is found without it
    assert toggle(page, "s", "Ein Satz im Skript steht nicht hier.")["active"]
    assert not toggle(page, "x", 'var ignored = "im Skript";')["active"]


def test_second_toggle_and_escape_clear(page: Any) -> None:
    load(page)
    assert toggle(page, "a", "Die Regierung will sparen.")["active"]
    assert toggle(page, "a", "Die Regierung will sparen.") == {"found": 0, "total": 1, "active": False, "cleared": True}
    assert highlighted(page) == []
    assert toggle(page, "b", "sagte die Ministerin")["active"]
    page.keyboard.press("Escape")
    assert highlighted(page) == []


def test_not_found_leaves_the_page_alone(page: Any) -> None:
    load(page)
    html = page.content()
    assert toggle(page, "n", "Dieser Satz steht nirgends.") == {"found": 0, "total": 1, "active": False}
    assert page.content() == html


def test_fallback_without_the_highlight_api_uses_the_selection(page: Any) -> None:
    load(page, without_highlight_api=True)
    html = page.content()
    result = toggle(page, "q", "sagte die Ministerin am Montag in Bern.")
    assert result["active"] and result["method"] == "selection"
    selected = page.evaluate("() => getSelection().toString()")
    assert " ".join(selected.split()) == "sagte die Ministerin am Montag in Bern."
    assert page.content() == html  # no wrapper elements
    toggle(page, "q", "sagte die Ministerin am Montag in Bern.")
    assert page.evaluate("() => getSelection().toString()") == ""

"""The unpacked extension in headless Chromium against the real backend and a local page server (all on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-popup.png"

# The fixtures' types (defined in conftest.py, which tests do not import).
Backend = Browser = PageServer = RawPage = Any


def message(key: str, *subs: str, lang: str = "en") -> str:
    """A UI string as the extension shows it, from its own _locales file."""
    text = json.loads((EXTENSION / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))[key]["message"]
    for i, sub in enumerate(subs, start=1):
        text = text.replace(f"${i}", sub)
    return text


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def popup_done(popup: RawPage) -> None:
    popup.wait_for("document.getElementById('loading').hidden")


def page_highlight(page: Any) -> list[str]:
    """The page's own view of the highlight: the text of each range registered as ::highlight(pith)."""
    return page.evaluate(
        "() => CSS.highlights.has('pith') ? [...CSS.highlights.get('pith')].map(r => r.toString()) : []"
    )


@pytest.fixture
def stargate_url(page_server: PageServer, fixtures_dir: Path) -> str:
    shutil.copy(fixtures_dir / "stargate-de.html", page_server.root / "stargate-de.html")
    return f"{page_server.base}/stargate-de.html"


@pytest.fixture
def expected(fixtures_dir: Path) -> dict:
    return json.loads((fixtures_dir / "stargate-de.expected.json").read_text(encoding="utf-8"))


# ---------- options ----------


def test_options_save_and_test_connection(browser: Browser, backend: Backend, dead_server_url: str) -> None:
    page = browser.context.new_page()
    page.goto(f"{browser.origin}/options.html")
    assert page.input_value("#server-url") == "http://127.0.0.1:8000"  # the reader's default, nothing stored
    assert browser.settings() == {}

    page.fill("#server-url", f"  {backend.url}/ ")
    page.fill("#api-token", "my-token")
    page.click("#save")
    page.wait_for_function("() => document.getElementById('save-status').className === 'ok'")
    assert browser.settings() == {"serverUrl": backend.url, "apiToken": "my-token"}
    assert page.input_value("#server-url") == backend.url

    page.click("#test-connection")
    page.wait_for_function("() => ['ok', 'error'].includes(document.getElementById('connection-status').className)")
    version = json.loads(page.request.get(f"{backend.url}/healthz").text())["version"]
    assert page.get_attribute("#connection-status", "class") == "ok"
    assert page.text_content("#connection-status") == message("connectionOk", version, backend.url)

    page.fill("#server-url", dead_server_url)
    page.click("#test-connection")
    page.wait_for_function("() => document.getElementById('connection-status').className === 'error'")
    assert page.text_content("#connection-status") == message("connectionUnreachable", dead_server_url)
    assert browser.settings()["serverUrl"] == backend.url  # testing does not save


def test_options_refuse_an_address_that_is_not_http(browser: Browser) -> None:
    page = browser.context.new_page()
    page.goto(f"{browser.origin}/options.html")
    page.fill("#server-url", "ftp://127.0.0.1/")
    page.click("#save")
    page.wait_for_function("() => document.getElementById('save-status').className === 'error'")
    assert page.text_content("#save-status") == message("invalidServerUrl")
    assert browser.settings() == {}


def test_options_detect_a_rejected_token(browser: Browser, token_backend: Backend) -> None:
    page = browser.context.new_page()
    page.goto(f"{browser.origin}/options.html")
    page.fill("#server-url", token_backend.url)
    page.fill("#api-token", "wrong")
    page.click("#test-connection")
    page.wait_for_function("() => document.getElementById('connection-status').className === 'error'")
    assert page.text_content("#connection-status") == message("connectionUnauthorized")
    page.fill("#api-token", token_backend.token or "")
    page.click("#test-connection")
    page.wait_for_function("() => document.getElementById('connection-status').className === 'ok'")


# ---------- the popup ----------


def test_popup_shows_the_digest_with_the_five_quotes(
    browser: Browser, backend: Backend, stargate_url: str, expected: dict, tmp_path: Path
) -> None:
    browser.set_settings(serverUrl=backend.url)
    page = browser.open_tab(stargate_url)
    popup = browser.open_popup(page)
    popup_done(popup)
    shot = tmp_path / "screenshot-popup.png"
    popup.screenshot(shot)
    if os.environ.get("PITH_UPDATE_SCREENSHOT") == "1":
        shutil.copy(shot, DOCS_SCREENSHOT)

    view = popup.evaluate("""({
      error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent,
      title: document.getElementById('title').textContent,
      summary: [...document.querySelectorAll('#summary .summary-sentence')].map(e => e.textContent),
      facts: [...document.querySelectorAll('#facts .fact')].map(e => ({text: e.textContent,
               figures: [...e.querySelectorAll('.figure')].map(f => f.textContent)})),
      quotes: [...document.querySelectorAll('#quotes .quote')].map(e => ({
               text: e.querySelector('.quote-text').textContent,
               speaker: e.querySelector('.quote-speaker').textContent})),
    })""")
    assert view["error"] is None
    assert view["title"] == expected["title"]
    article = squash(page.inner_text("body"))
    assert 1 <= len(view["summary"]) <= 5
    assert all(squash(s) in article for s in view["summary"])
    assert view["facts"] and any(f["figures"] for f in view["facts"])
    for fact in view["facts"]:
        assert squash(fact["text"]) in article
        assert all(fig in fact["text"] for fig in fact["figures"])
        assert all(re.search(r"\d|zehn|hundert", fig) for fig in fact["figures"]), fact
    shown = {(squash(q["text"]), q["speaker"]) for q in view["quotes"]}
    for quote in (q for q in expected["quotes"] if not q["partial"]):
        assert (squash(quote["quote"]), quote["speaker"]) in shown, quote


def test_clicking_a_quote_highlights_it_in_the_page(
    browser: Browser, backend: Backend, stargate_url: str, expected: dict
) -> None:
    browser.set_settings(serverUrl=backend.url)
    page = browser.open_tab(stargate_url)
    popup = browser.open_popup(page)
    popup_done(popup)
    target = next(q["quote"] for q in expected["quotes"] if not q["partial"] and "Investitionen" in q["quote"])
    index = popup.evaluate(
        f"[...document.querySelectorAll('.quote-text')].findIndex(e => e.textContent === {json.dumps(target)})"
    )
    assert index >= 0, "the quote is not in the popup"
    selector = f"#quotes .quote:nth-child({index + 1})"
    assert page.evaluate("() => scrollY") == 0

    popup.click(selector)
    page.wait_for_function("() => CSS.highlights.has('pith') && scrollY > 0")
    assert [squash(t) for t in page_highlight(page)] == [squash(target)]
    assert popup.evaluate(f"document.querySelector('{selector}').getAttribute('aria-pressed')") == "true"
    # the page itself is untouched: no element added to mark the text
    assert page.evaluate("() => document.querySelectorAll('mark, [class*=pith]').length") == 0

    popup.click(selector)  # a second click clears
    page.wait_for_function("() => !CSS.highlights.has('pith')")
    assert popup.evaluate(f"document.querySelector('{selector}').getAttribute('aria-pressed')") == "false"

    popup.click("#facts .fact")  # Esc in the page clears too
    page.wait_for_function("() => CSS.highlights.has('pith')")
    fact = popup.evaluate("document.querySelector('#facts .fact').textContent")
    assert [squash(t) for t in page_highlight(page)] == [squash(fact)]
    page.keyboard.press("Escape")
    page.wait_for_function("() => !CSS.highlights.has('pith')")


def test_popup_sends_a_plain_text_page_as_text(
    browser: Browser, backend: Backend, page_server: PageServer, fixtures_dir: Path, expected: dict
) -> None:
    shutil.copy(fixtures_dir / "stargate-de.txt", page_server.root / "stargate-de.txt")
    browser.set_settings(serverUrl=backend.url)
    page = browser.open_tab(f"{page_server.base}/stargate-de.txt")
    popup = browser.open_popup(page)
    popup_done(popup)
    assert popup.evaluate("document.getElementById('error').hidden")
    # the page copied as text: boilerplate lines dropped, the title recognised (SPEC §1), quotes found
    assert popup.evaluate("document.getElementById('title').textContent") == expected["title"]
    quotes = popup.evaluate("[...document.querySelectorAll('.quote-text')].map(e => e.textContent)")
    assert squash(expected["quotes"][0]["quote"]) in [squash(q) for q in quotes]


CROSS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Kelmouth switches on its tidal power station</title>
<meta property="og:site_name" content="Coast Gazette"></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>Kelmouth switches on its tidal power station</h1>
<p>The harbour town of <a href="/kelmouth">Kelmouth</a> switched on its <em>tidal power station</em> on Monday,
ending <strong>six years</strong> of planning and <a href="/courts">legal disputes</a> over the estuary.</p>
<p>The station's twelve turbines sit on the sea bed at the mouth of the estuary and turn with both the rising
and the falling tide, producing about <b>38 megawatts</b> at peak flow.</p>
<p>The operator, <a href="/tidewell">Tidewell Energy</a>, said the plant would supply some
<span class="num">21,000</span> homes, roughly a third of the county's households.</p>
<p>&#8220;We have waited a long time for this day,&#8221; said <a href="/varga">Mayor Elin Varga</a> at the opening
ceremony on the quay. &#8220;The tide comes in twice a day, whatever the weather.&#8221;</p>
<p>Fishermen had opposed the project for years, arguing that the turbines would drive fish away from
the estuary, and they took the council to court <i>twice</i> before losing a final appeal in <time>2024</time>.</p>
<p>Under the settlement, Tidewell pays <strong>&pound;1.2 million</strong> a year into a fund for the local fishing
fleet and monitors fish stocks with the university in Seaburgh.</p>
<p>Engineers expect the turbines to run for at least 25 years, with maintenance every spring when the
currents are weakest.</p>
<p>The county plans a second station further along the coast if the first one meets its targets by 2028.</p>
</article></main>
<footer><p>&copy; Coast Gazette. All rights reserved.</p></footer></body></html>
"""


def test_highlight_finds_text_across_element_boundaries(
    browser: Browser, backend: Backend, page_server: PageServer
) -> None:
    url = page_server.add("kelmouth.html", CROSS_PAGE)
    browser.set_settings(serverUrl=backend.url)
    page = browser.open_tab(url)
    popup = browser.open_popup(page)
    popup_done(popup)
    keys = popup.evaluate("[...document.querySelectorAll('[data-key]')].map(e => e.dataset.key)")
    assert len(keys) >= 4
    spans_elements = 0
    for key in keys:
        item = f"document.querySelector(\"[data-key='{key}']\")"
        popup.click(f"[data-key='{key}']")
        popup.wait_for(f"{item}.getAttribute('aria-pressed') === 'true'")
        want = popup.evaluate(f"({item}.querySelector('.quote-text') ?? {item}).textContent")
        got = page_highlight(page)
        assert got, key
        assert " ".join(got).split() == [w for w in want.split() if w != "…"], key
        spans_elements += page.evaluate(
            "() => [...CSS.highlights.get('pith')].some(r => r.startContainer !== r.endContainer)"
        )
    assert spans_elements >= 2  # several items run across <a>, <em>, <strong> … in the page


def test_error_when_the_server_is_down(browser: Browser, page_server: PageServer, dead_server_url: str) -> None:
    browser.set_settings(serverUrl=dead_server_url)
    page = browser.open_tab(f"{page_server.base}/article-en.html")
    popup = browser.open_popup(page)
    popup.wait_for("!document.getElementById('error').hidden")
    assert popup.evaluate("document.querySelector('#error .error-message').textContent") == message(
        "errNetwork", dead_server_url
    )
    assert popup.evaluate("document.querySelector('#error .error-hint').textContent") == message("errNetworkHint")
    assert popup.evaluate("!!document.getElementById('error-options') && !!document.getElementById('error-retry')")
    assert popup.evaluate("document.getElementById('loading').hidden && document.getElementById('result').hidden")


def test_error_401_then_the_token_fixes_it(browser: Browser, token_backend: Backend, page_server: PageServer) -> None:
    browser.set_settings(serverUrl=token_backend.url)
    page = browser.open_tab(f"{page_server.base}/article-en.html")
    popup = browser.open_popup(page)
    popup.wait_for("!document.getElementById('error').hidden")
    assert popup.evaluate("document.getElementById('error').dataset.status") == "401"
    assert popup.evaluate("document.querySelector('#error .error-message').textContent") == message("errUnauthorized")
    assert popup.evaluate("document.querySelector('#error .error-hint').textContent") == message("errUnauthorizedHint")

    browser.set_settings(apiToken=token_backend.token or "")
    popup.click("#error-retry")
    popup_done(popup)
    popup.wait_for("!document.getElementById('result').hidden")
    assert popup.evaluate("document.getElementById('error').hidden")
    assert popup.evaluate("document.getElementById('error').textContent") == ""
    assert popup.evaluate("document.querySelectorAll('.summary-sentence').length") >= 1


def test_error_413_page_too_large(browser: Browser, tiny_backend: Backend, page_server: PageServer) -> None:
    browser.set_settings(serverUrl=tiny_backend.url)
    page = browser.open_tab(f"{page_server.base}/article-en.html")
    popup = browser.open_popup(page)
    popup.wait_for("!document.getElementById('error').hidden")
    assert popup.evaluate("document.getElementById('error').dataset.status") == "413"
    assert popup.evaluate("document.querySelector('#error .error-message').textContent") == message("errTooLarge")


def test_error_422_no_article(browser: Browser, backend: Backend, page_server: PageServer) -> None:
    # An application shell whose content never arrived: nothing to extract.
    url = page_server.add("empty.html", "<!DOCTYPE html><html><head><title>App</title></head><body>"
                          "<div id='app'></div><noscript>Please enable JavaScript.</noscript></body></html>")
    browser.set_settings(serverUrl=backend.url)
    page = browser.open_tab(url)
    popup = browser.open_popup(page)
    popup.wait_for("!document.getElementById('error').hidden")
    assert popup.evaluate("document.getElementById('error').dataset.status") == "422"
    assert popup.evaluate("document.querySelector('#error .error-message').textContent") == message("errNoArticle")


# ---------- context menu ----------


def test_context_menu_entries_exist(browser: Browser) -> None:
    # contextMenus.update rejects for an id that was never created
    titles = browser.worker.evaluate("""async () => {
      for (let i = 0; i < 50; i++) {
        try {
          await chrome.contextMenus.update('pith-digest-page', {});
          await chrome.contextMenus.update('pith-digest-selection', {});
          return [chrome.i18n.getMessage('menuDigestPage'), chrome.i18n.getMessage('menuDigestSelection')];
        } catch { await new Promise(r => setTimeout(r, 100)); }
      }
      return null;
    }""")
    assert titles == [message("menuDigestPage"), message("menuDigestSelection")]
    with pytest.raises(Exception, match="nonexistent"):
        browser.worker.evaluate("() => chrome.contextMenus.update('nonexistent', {})")


def test_context_menu_digests_the_selected_text(browser: Browser, backend: Backend, page_server: PageServer) -> None:
    browser.set_settings(serverUrl=backend.url)
    page = browser.open_tab(f"{page_server.base}/article-en.html")
    # Select the second half of the article: the digest must come from the selection, not the whole page.
    selection = page.evaluate("""() => {
      const ps = [...document.querySelectorAll('article p')];
      const range = document.createRange();
      range.setStartBefore(ps[Math.floor(ps.length / 2)]);
      range.setEndAfter(ps[ps.length - 1]);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return getSelection().toString();
    }""")
    assert len(selection) > 300
    # Native menus cannot be clicked: call the handler contextMenus.onClicked calls, with what the menu passes.
    with browser.context.expect_page() as opened:
        job = browser.worker.evaluate(
            """async ([text, url]) => {
              const [tab] = await chrome.tabs.query({active: true, lastFocusedWindow: true});
              return pithOnMenuClicked({menuItemId: 'pith-digest-selection', selectionText: text, frameId: 0,
                                        pageUrl: url}, tab);
            }""",
            [selection, page.url],
        )
    result = opened.value
    assert result.url == f"{browser.origin}/popup.html?job={job}"
    result.wait_for_function("() => document.getElementById('loading').hidden")
    assert result.is_hidden("#error")
    summary = result.eval_on_selector_all(".summary-sentence", "els => els.map(e => e.textContent)")
    assert summary and all(squash(s) in squash(selection) for s in summary)
    first_half = squash(page.evaluate("() => document.querySelector('article p').textContent"))
    assert first_half not in squash(selection)

    # Copy as Markdown, captured where the page writes to the clipboard.
    result.evaluate("() => { navigator.clipboard.writeText = async (t) => { window.__copied = t; }; }")
    result.click("#copy-markdown")
    result.wait_for_function("() => typeof window.__copied === 'string'")
    markdown = result.evaluate("() => window.__copied")
    assert markdown.startswith("# ")
    assert "## Summary" in markdown  # the server's rendering, headings in the page's language (English here)
    assert all(s in markdown for s in summary)

    # A real menu click grants activeTab for the page; this direct call does not, and the window says so.
    result.click(".summary-sentence")
    result.wait_for_function("() => document.getElementById('status').textContent !== ''")
    assert result.text_content("#status") == message("highlightNoAccess")
    assert not page.evaluate("() => CSS.highlights.has('pith')")


def test_german_ui(extension_browser: Any) -> None:
    with extension_browser("--lang=de", env={**os.environ, "LANGUAGE": "de", "LANG": "de_DE.UTF-8"}) as browser:
        page = browser.context.new_page()
        page.goto(f"{browser.origin}/options.html")
        assert page.text_content("#save") == message("save", lang="de")
        assert page.text_content("#test-connection") == message("testConnection", lang="de")
        assert browser.worker.evaluate("() => chrome.i18n.getMessage('menuDigestSelection')") == message(
            "menuDigestSelection", lang="de"
        )

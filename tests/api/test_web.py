"""The web page in headless Chromium (Debian's, driven by Playwright): paste, read, click, highlight."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.support.requires import missing

CHROMIUM = Path("/usr/lib/chromium/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-web.png"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        missing("Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def article_text(samples_dir: Path) -> str:
    """A German news page copied as text, one of the project's own samples (present on every clone)."""
    return (samples_dir / "article-de.txt").read_text(encoding="utf-8")


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(locale: str = "en-US", width: int = 1100, height: int = 1400):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.problems = []  # type: ignore[attr-defined]
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def _digest(page, text: str) -> None:
    page.fill("#input", text)
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])", timeout=30_000)


def test_paste_a_text_see_quotes_click_one_and_see_it_highlighted(pith, client, new_page, article_text):
    expected = client.post("/api/v1/digest", json={"text": article_text.strip()}).json()
    assert expected["quotes"], "the core found no quotes in the reference text"
    page = new_page()
    page.goto(pith.url + "/")
    assert page.get_attribute("html", "lang") == "en"
    _digest(page, article_text)

    assert page.text_content("#title") == (expected["title"] or "Untitled")
    quotes = page.locator("#quotes .quote")
    assert quotes.count() == len(expected["quotes"])
    first = expected["quotes"][0]
    assert page.locator("#quotes .quote-text").first.text_content() == first["text"]
    assert (first["speaker"] or "unknown speaker") in page.locator("#quotes .quote-speaker").first.text_content()
    assert page.locator("mark.hl").count() == 0

    quotes.first.click()
    marks = page.locator("#text mark.hl")
    marks.first.wait_for()
    assert marks.count() == len(first["spans"])
    assert [marks.nth(i).text_content() for i in range(marks.count())] == \
        [expected["text"][s:e] for s, e in first["spans"]]
    assert quotes.first.get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => { const r = document.querySelector('#text mark.hl').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }", timeout=10_000)  # scrolled to it

    # a fact: its sentence is marked, its figures are emphasised in the list
    if expected["facts"]:
        fact = expected["facts"][0]
        button = page.locator("#facts .fact").first
        figures = [f["text"] for f in fact["figures"]]
        assert button.locator("strong").all_text_contents() == figures
        button.click()
        page.wait_for_function("() => document.querySelectorAll('#text mark.hl').length === 1")
        assert marks.first.text_content() == fact["text"]
        assert quotes.first.get_attribute("aria-pressed") == "false"

    # the text shown is the digest's text, paragraph by paragraph
    shown = page.locator("#text p").all_text_contents()
    assert "\n\n".join(shown) == expected["text"]
    assert page.problems == []  # no CSP violation, no script error


def test_wide_screen_shows_the_item_and_its_place_side_by_side(pith, new_page, article_text, tmp_path):
    page = new_page(width=1400, height=1000)
    page.goto(pith.url + "/")
    _digest(page, article_text)
    page.fill("#input", "")
    quote = page.locator("#quotes .quote").nth(1 if page.locator("#quotes .quote").count() > 1 else 0)
    quote.click()
    mark = page.locator("#text mark.hl").first
    mark.wait_for()
    # both in view once the smooth scroll has ended
    page.wait_for_function("""() => {
        const seen = (e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; };
        return seen(document.querySelector('#text mark.hl')) && seen(document.querySelector('button.selected'));
    }""", timeout=10_000)
    assert mark.evaluate("m => m.getBoundingClientRect().left") > quote.evaluate("q => q.getBoundingClientRect().right")
    # PITH_UPDATE_SCREENSHOT=1 refreshes the README's picture; otherwise the tree is left alone.
    shot = SCREENSHOT if os.environ.get("PITH_UPDATE_SCREENSHOT") == "1" else tmp_path / "web.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_keyboard_only(pith, new_page, article_text):
    page = new_page()
    page.goto(pith.url + "/")
    page.focus("#input")
    page.fill("#input", article_text)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#result:not([hidden])", timeout=30_000)
    assert page.evaluate("document.activeElement.id") == "title"
    buttons = page.locator("#facts button, #quotes button")
    assert buttons.count() > 0
    target = buttons.last
    for _ in range(60):  # Tab through the page until the last item has the focus
        page.keyboard.press("Tab")
        if target.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("the items cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.locator("#text mark.hl").first.wait_for()
    assert target.get_attribute("aria-pressed") == "true"


def test_german_browser_gets_german_and_markdown_copy(pith, browser, new_page, article_text):
    page = new_page(locale="de-CH")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=pith.url)
    page.goto(pith.url + "/")
    assert page.get_attribute("html", "lang") == "de"
    assert page.text_content("#submit") == "Auswerten"
    _digest(page, article_text)
    assert page.text_content("#quotes-heading") == "Zitate"
    page.click("#copy-md")
    page.wait_for_function("() => document.getElementById('copy-md').dataset.markdown")
    markdown = page.evaluate("document.getElementById('copy-md').dataset.markdown")
    title = page.text_content("#title")
    assert markdown.startswith(f"# {title}\n")
    assert "## Zitate" in markdown and "## Kernfakten" in markdown
    first_quote = page.locator("#quotes .quote-text").first.text_content()
    assert f"«{first_quote}»" in markdown
    assert page.evaluate("navigator.clipboard.readText()") == markdown
    assert page.text_content("#status") == "Als Markdown kopiert."


def test_errors_are_shown_in_the_page(pith, new_page):
    page = new_page()
    page.goto(pith.url + "/")
    page.click("#submit")
    assert page.is_visible("#error")
    assert "Paste a link" in page.text_content("#error")
    page.fill("#input", "http://127.0.0.1:9/nothing")
    page.click("#submit")
    page.wait_for_function("() => document.getElementById('error').textContent.includes('')"
                           " && !document.getElementById('submit').disabled")
    assert page.is_visible("#error")
    assert page.is_hidden("#result")


def test_phone_width_has_no_sideways_scrolling(pith, new_page, article_text):
    page = new_page(width=375, height=740)
    page.goto(pith.url + "/")
    _digest(page, article_text)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#text p')).fontSize)")
    assert size >= 15


def test_the_page_asks_for_the_token_and_keeps_it(pith_factory, new_page, article_text):
    server = pith_factory("web-token", {"PITH_API_TOKEN": "page-token-42"})
    page = new_page()
    page.goto(server.url + "/")
    page.fill("#input", article_text)
    page.click("#submit")
    page.wait_for_selector("#token-form:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "token"
    page.fill("#token", "wrong")
    page.click("#token-save")
    page.wait_for_function("() => document.getElementById('error').textContent.length > 0")
    assert page.is_visible("#token-form") and page.is_hidden("#result")
    page.fill("#token", "page-token-42")
    page.click("#token-save")
    page.wait_for_selector("#result:not([hidden])", timeout=30_000)
    assert page.is_hidden("#token-form")
    assert page.evaluate("localStorage.getItem('pith.apiToken')") == "page-token-42"
    page.reload()
    _digest(page, article_text)
    assert page.is_hidden("#token-form")
    with httpx.Client(base_url=server.url) as c:  # the API itself still refuses without it
        assert c.post("/api/v1/digest", json={"text": article_text}).status_code == 401


def test_paste_a_link(pith, new_page, page_server, client):
    url = page_server.base + "/article.html"
    expected = client.get("/api/v1/digest", params={"url": url}).json()
    page = new_page()
    page.goto(pith.url + "/")
    _digest(page, f"  {url}\n")
    assert page.text_content("#title") == expected["title"]
    assert page.get_attribute("#source", "href") == url
    assert expected["site"] in page.text_content("#meta")
    assert page.locator("#facts .fact").count() == len(expected["facts"])


def test_clicking_a_highlight_goes_back_to_its_item(pith, new_page, article_text):
    page = new_page(width=390, height=700)
    page.goto(pith.url + "/")
    _digest(page, article_text)
    quote = page.locator("#quotes .quote").first
    quote.click()
    mark = page.locator("#text mark.hl").first
    mark.wait_for()
    page.wait_for_function("() => { const r = document.querySelector('#text mark.hl').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }", timeout=10_000)
    mark.click()
    assert quote.evaluate("q => q === document.activeElement")
    assert quote.evaluate("q => { const r = q.getBoundingClientRect(); return r.top >= 0 && "
                          "r.top < window.innerHeight; }")


def test_the_landing_view_shows_no_empty_result_frame_on_wide_screens(pith, new_page):
    for width in (1152, 1400, 1920):
        page = new_page(width=width, height=900)
        page.goto(pith.url + "/")
        assert page.is_hidden("#result")
        assert page.is_hidden("#copy-md")
        assert not page.locator("#summary-section").is_visible()
        assert page.problems == []


def test_a_link_with_a_typo_is_named_not_digested(pith, new_page):
    page = new_page()
    page.goto(pith.url + "/")
    page.fill("#input", "htps://x")
    page.click("#submit")
    page.wait_for_function("() => document.getElementById('error').textContent.length > 0")
    assert page.text_content("#error") == "This looks like a link with a typo: htps://x"
    assert page.is_hidden("#result")
    german = new_page(locale="de-DE")
    german.goto(pith.url + "/")
    german.fill("#input", "https//beispiel.ch/artikel")
    german.click("#submit")
    german.wait_for_function("() => document.getElementById('error').textContent.length > 0")
    assert "Tippfehler" in german.text_content("#error")

"""The web page's Library view in headless Chromium: search, speaker autocomplete, open a kept page at its quote."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.library.servers import article, start_server
from tests.support.pith import PithServer
from tests.support.requires import missing

CHROMIUM = Path("/usr/lib/chromium/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PithServer]:
    started = start_server(tmp_path_factory.mktemp("lib-web"), {})
    with httpx.Client(base_url=started.url, timeout=60) as c:
        for topic, who in (("die Steuerreform", "Jan Muster"), ("den Veloweg", "Eva Beispiel")):
            assert c.post("/api/v1/digest", json={"text": article(topic, who)}).status_code == 200
    yield started
    started.stop()


@pytest.fixture(scope="module")
def page(server: PithServer) -> Iterator:
    if not CHROMIUM.exists():
        missing("Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(locale="en-US")
        pg = context.new_page()
        pg.problems = []  # type: ignore[attr-defined]
        pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
        pg.on("pageerror", lambda e: pg.problems.append(str(e)))
        yield pg
        browser.close()


def test_search_open_kept_page_and_follow_a_speaker(server: PithServer, page) -> None:
    page.goto(f"{server.url}/#library")
    page.wait_for_selector("#library:not([hidden]) .library-quote")
    assert page.is_hidden("#digest-form")
    page.fill("#library-q", "Steuer*")
    page.wait_for_function("() => document.querySelectorAll('.library-quote').length === 1")
    assert "Steuerreform" in page.inner_text(".library-quote .library-text")
    assert page.inner_text(".library-quote .library-speaker") == "Jan Muster"

    page.fill("#library-q", "")
    page.fill("#library-speaker", "beisp")
    page.wait_for_function("() => [...document.querySelectorAll('#library-speakers option')]"
                           ".some(o => o.value === 'Eva Beispiel')")
    page.fill("#library-speaker", "Eva Beispiel")
    page.press("#library-speaker", "Enter")
    page.wait_for_function("() => document.querySelectorAll('.library-quote').length === 1 && "
                           "document.querySelector('.library-quote .library-text').textContent.includes('Veloweg')")

    page.click(".library-quote .library-open")
    page.wait_for_selector("#result:not([hidden]) mark.hl")
    assert "Lösung für den Veloweg" in page.inner_text("mark.hl")
    assert page.is_hidden("#library")
    link = page.locator("#quotes li a.speaker-link").first
    assert "Eva" in (link.get_attribute("href") or "")
    link.click()
    page.wait_for_selector("#library:not([hidden])")
    assert page.input_value("#library-speaker") == "Eva Beispiel"
    assert page.problems == []  # type: ignore[attr-defined]

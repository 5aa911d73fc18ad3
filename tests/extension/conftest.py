"""Fixtures for the extension tests: the real backend, a local page server, and headless Chromium with the extension."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.pages import PageServer
from tests.support.pith import PithServer, free_port
from tests.support.requires import missing

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
CHROMIUM = Path("/usr/lib/chromium/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"


def need_chromium() -> None:
    """Skip (or fail under CI=true) when Debian's chromium is not installed."""
    if CHROMIUM.exists():
        return
    missing(f"Debian's chromium at {CHROMIUM} (apt-get install -y chromium)")


# ---------- the real backend ----------


Backend = PithServer  # ``pith serve`` from tests/support: .url, .token, .process, .log


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The real backend without a token."""
    with PithServer(tmp_path_factory.mktemp("backend")) as b:
        yield b


@pytest.fixture(scope="session")
def token_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The real backend requiring a bearer token."""
    with PithServer(tmp_path_factory.mktemp("backend-token"), {"PITH_API_TOKEN": "s3cret-token"}) as b:
        yield b


@pytest.fixture(scope="session")
def tiny_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The real backend with a request-body limit smaller than a news page."""
    with PithServer(tmp_path_factory.mktemp("backend-tiny"), {"PITH_MAX_BODY_BYTES": "3000"}) as b:
        yield b


@pytest.fixture
def dead_server_url() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


# ---------- pages ----------


@pytest.fixture(scope="session")
def page_server(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Iterator[PageServer]:
    """tests/support's page server with the project's sample pages as files under ``root`` (tests add more)."""
    root = tmp_path_factory.mktemp("pages")
    for sample in samples_dir.glob("*.htm*"):
        shutil.copy(sample, root / sample.name)
    with PageServer(root=root) as server:
        yield server


# ---------- the browser ----------


class RawPage:
    """An extension page Playwright does not attach to (the real action popup), driven over CDP."""

    def __init__(self, cdp: Any, target_id: str, pump: Callable[[], None]) -> None:
        self._cdp = cdp
        self._pump = pump
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.session_id = cdp.send("Target.attachToTarget", {"targetId": target_id, "flatten": False})["sessionId"]
        cdp.on("Target.receivedMessageFromTarget", self._on_message)

    def _on_message(self, event: dict[str, Any]) -> None:
        if event.get("sessionId") != self.session_id:
            return
        message = json.loads(event["message"])
        if "id" in message:
            self._replies[message["id"]] = message

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        payload = json.dumps({"id": ident, "method": method, "params": params or {}})
        self._cdp.send("Target.sendMessageToTarget", {"sessionId": self.session_id, "message": payload})
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no CDP reply to {method}")
            self._pump()
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def evaluate(self, expression: str) -> Any:
        """Evaluate a JS expression in the page (promises awaited) and return its JSON value."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"JS error: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        """Poll until ``expression`` is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError as err:  # the page is still loading (its elements not there yet)
                value, problem = None, err
            else:
                problem = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still falsy after {timeout}s: {expression} ({problem})")
            self._pump()

    def click(self, selector: str) -> None:
        """A real (trusted) mouse click in the middle of the element."""
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return {x: r.x + r.width / 2, y: r.y + Math.min(r.height / 2, 10)}; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1})

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})["data"]
        path.write_bytes(base64.b64decode(data))


@dataclass
class Browser:
    context: Any
    extension_id: str
    worker: Any
    cdp: Any

    @property
    def origin(self) -> str:
        return f"chrome-extension://{self.extension_id}"

    def set_settings(self, **settings: str) -> None:
        self.worker.evaluate("(s) => chrome.storage.local.set(s)", settings)

    def settings(self) -> dict[str, Any]:
        return self.worker.evaluate("() => chrome.storage.local.get(null)")

    def open_tab(self, url: str) -> Any:
        page = self.context.new_page()
        page.goto(url)
        page.bring_to_front()
        return page

    def open_popup(self, page: Any) -> RawPage:
        """Click the toolbar button for ``page``'s tab (CDP Extensions.triggerAction) and attach to the real popup."""
        tabs = self.cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        tab = next(t for t in tabs if t["url"] == page.url)
        self.cdp.send("Extensions.triggerAction", {"id": self.extension_id, "targetId": tab["targetId"]})
        popup_url = f"{self.origin}/popup.html"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pages = self.cdp.send("Target.getTargets", {"filter": [{"type": "page"}]})["targetInfos"]
            found = [t for t in pages if t["url"] == popup_url]
            if found:
                return RawPage(self.cdp, found[0]["targetId"], lambda: page.wait_for_timeout(50))
            page.wait_for_timeout(100)
        raise TimeoutError("the action popup did not open")


def launch(user_data: Path, *extra_args: str, env: dict[str, str] | None = None) -> Any:
    """Chromium with the unpacked extension, flags as measured in NOTES.md."""
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    args = [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}",
        "--enable-unsafe-extension-debugging", *extra_args,
    ]
    context = manager.chromium.launch_persistent_context(
        str(user_data), executable_path=str(CHROMIUM), headless=True, args=args,
        ignore_default_args=["--disable-extensions"], env=env, viewport={"width": 1100, "height": 800},
    )
    return manager, context


@contextlib.contextmanager
def _extension_browser(*extra_args: str, env: dict[str, str] | None = None) -> Iterator[Browser]:
    need_chromium()
    with tempfile.TemporaryDirectory(prefix="pith-chromium-") as user_data:
        manager, context = launch(Path(user_data), *extra_args, env=env)
        try:
            worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
            extension_id = worker.url.split("/")[2]
            cdp = context.browser.new_browser_cdp_session()
            yield Browser(context=context, extension_id=extension_id, worker=worker, cdp=cdp)
        finally:
            context.close()
            manager.stop()


@pytest.fixture
def browser() -> Iterator[Browser]:
    """A fresh headless Chromium profile with the unpacked extension loaded."""
    with _extension_browser() as b:
        yield b


@pytest.fixture
def extension_browser() -> Callable[..., contextlib.AbstractContextManager[Browser]]:
    """Launch a browser with extra Chromium flags or environment: ``with extension_browser("--lang=de") as b``."""
    return _extension_browser


# ---------- the reference page: ../shared's, or the project's own sample on a plain clone ----------


@pytest.fixture(scope="session")
def fixtures_dir(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    """``../shared/fixtures`` when present; else server/samples' bericht-de page under the names the tests use.

    So on a clone without ../shared no browser flow is skipped (CI=true still insists on ../shared).
    """
    shared = Path(os.environ.get("PITH_SHARED_DIR", ROOT.parent / "shared")) / "fixtures"
    if shared.is_dir():
        return shared
    if IN_CI:
        pytest.fail(f"../shared is missing at {shared.parent}, and CI=true requires it")
    folder = tmp_path_factory.mktemp("own-fixtures")
    for suffix in (".html", ".txt", ".expected.json"):
        shutil.copy(samples_dir / f"bericht-de{suffix}", folder / f"stargate-de{suffix}")
    return folder

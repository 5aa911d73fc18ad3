"""The extension popup's "Search my quotes" link: present, translated, and pointing at the web page's Library."""

from __future__ import annotations

import json
import re
from pathlib import Path

EXT = Path(__file__).resolve().parents[2] / "extension"


def test_popup_has_the_link_after_the_shared_client() -> None:
    html = (EXT / "popup.html").read_text(encoding="utf-8")
    assert re.search(r'<a id="search-quotes"[^>]*data-i18n="searchQuotes"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts.index("client.js") < scripts.index("library-link.js")
    js = (EXT / "library-link.js").read_text(encoding="utf-8")
    assert "/#library" in js and "getSettings" in js and "tabs.create" in js


def test_the_link_is_translated() -> None:
    for lang in ("en", "de"):
        messages = json.loads((EXT / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))
        assert messages["searchQuotes"]["message"]

"""The one Markdown renderer: headings in the page's language (from langdata), safe source links."""

from __future__ import annotations

from server.core.digest import Digest, Quote, Span
from server.core.render import to_markdown

TEXT = "Der Rat stimmte zu. «Gut so», sagte Ida Berg."


def _digest(language: str | None, url: str | None = "https://example.org/a") -> Digest:
    return Digest(text=TEXT, url=url, title=None, author=None, date=None, site=None, language=language,
                  word_count=8, reading_minutes=1, summary=[Span("Der Rat stimmte zu.", 0, 19)], facts=[],
                  quotes=[Quote(text="Gut so", spans=[(21, 27)], speaker=None, speaker_mention=None, cue=None,
                                partial=True)])


def test_headings_follow_the_page_language() -> None:
    de = to_markdown(_digest("de"))
    assert de.startswith("# Ohne Titel\n") and "## Zusammenfassung" in de and "## Zitate" in de
    assert "— unbekannt *(Fragment)*" in de and "[Quelle](https://example.org/a)" in de
    for other in ("en", "fr", None):
        md = to_markdown(_digest(other))
        assert md.startswith("# Untitled\n") and "## Summary" in md and "— unknown speaker *(fragment)*" in md


def test_source_link_cannot_break_out_and_is_web_only() -> None:
    md = to_markdown(_digest("en", "https://example.org/a b)(c"))
    assert "[Source](https://example.org/a%20b%29%28c)" in md
    assert "Source" not in to_markdown(_digest("en", "javascript:alert(1)"))

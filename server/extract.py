"""HTML page → clean article text and metadata, built on trafilatura."""

from __future__ import annotations

import trafilatura

from .digest import Article
from .errors import PithError


def extract_html(html: str, url: str | None = None) -> Article:
    """The article in ``html``: text (paragraphs split by blank lines) and cleaned metadata.

    Raises ``PithError("no_article")`` when the page holds no extractable article.
    """
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=True,
        include_tables=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise PithError("no_article", "No article text was found on this page.")
    paragraphs = [p.strip() for p in (doc.text or "").split("\n") if p.strip()]
    return Article(
        text="\n\n".join(paragraphs),
        title=doc.title or None,
        author=doc.author or None,
        date=doc.date or None,
        site=doc.sitename or doc.hostname or None,
        url=url or doc.url or None,
    )

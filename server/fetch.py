"""Safe fetching of web pages: public addresses only, bounded size and time, HTML or text only."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .errors import PithError


@dataclass(slots=True)
class FetchedPage:
    """A fetched page: final URL after redirects, decoded text, and whether it is HTML or plain text."""

    url: str
    text: str
    content_type: str  # "html" or "text"


def fetch(url: str, config: Config, *, resolver=None) -> FetchedPage:
    """Fetch ``url`` safely (SPEC §5). Raises :class:`PithError` with a SPEC §3 code on failure."""
    raise PithError("fetch_failed", "Fetching is not implemented yet.")

"""Direct quotations and who said them."""

from __future__ import annotations

from .digest import Quote


def find_quotes(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None) -> list[Quote]:
    """Every direct quotation in ``text``, in reading order, with its speaker."""
    return []

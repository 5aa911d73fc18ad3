"""Extractive summary: the few sentences that best tell the story, in reading order."""

from __future__ import annotations

from .digest import Span


def summarize(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None,
              title: str | None = None, n: int = 3) -> list[Span]:
    """Up to ``n`` sentences of ``text`` (verbatim, reading order) that summarise it."""
    return [Span(text[s:e], s, e) for s, e in sentences[:n]]

"""The core's one word: a run of letters and digits, joined across an inner hyphen, apostrophe or full stop."""

from __future__ import annotations

import re

# "e-mail", "Musk's", "3.5", "z.B" are one word each; underscores are not letters (URLs, handles, markup).
WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")


def words(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The words of ``text[start:end]``, in order."""
    return WORD.findall(text, start, len(text) if end is None else end)


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every word of ``text[start:end]``, offsets into ``text``."""
    return [m.span() for m in WORD.finditer(text, start, len(text) if end is None else end)]


def count_words(text: str) -> int:
    """How many words ``text`` has."""
    return sum(1 for _ in WORD.finditer(text))

"""Sentence splitting for German and English news, with offsets into the text."""

from __future__ import annotations

import re

_END = re.compile(r"[^\n]+?(?:[.!?]+[»«“”\"']?(?=\s)|\n|$)")


def split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence in ``text``, in order, whitespace trimmed."""
    spans = []
    for m in _END.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans

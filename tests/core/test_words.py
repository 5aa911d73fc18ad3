"""The core's one word and its one sentence end."""

from __future__ import annotations

from server.core.text.sentences import SENTENCE_END
from server.core.text.words import count_words, word_spans, words


def test_a_word_joins_across_inner_hyphens_apostrophes_and_full_stops() -> None:
    text = "Elon Musk's e-mail: 3.5 million, z. B. gut; snake_case"
    assert words(text) == ["Elon", "Musk's", "e-mail", "3.5", "million", "z", "B", "gut", "snake", "case"]
    assert count_words(text) == 10
    assert [text[s:e] for s, e in word_spans(text, 5, 18)] == ["Musk's", "e-mail"]


def test_a_sentence_ends_with_a_terminator_and_closers() -> None:
    assert all(SENTENCE_END.search(t) for t in ("Er kam.", "«Nein!»", "Why?)", "So …"))
    assert not any(SENTENCE_END.search(t) for t in ("Er kam", "3 cm", "«Nein,»"))

"""Resolution: which entity a quote's speaker mention names; invented sentences."""

from __future__ import annotations

import pytest

from server.core.quotes.finder import find_quotes
from server.core.text.sentences import split_sentences


def speakers(text: str, lang: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(text, split_sentences(text, lang), lang=lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (  # the person heads a run of capitalised words after an inverted cue
            "“Crime exploits the most vulnerable,” said Springfield Police Commissioner Dana Whitlock.",
            "en",
            ["Dana Whitlock"],
        ),
        (  # an epithet headed by a role noun ("the Labour MP") is the person the discourse is about
            "Harriet Quenby warned on Monday that jobs are at risk.\n"
            "Speaking in the Commons, the Labour MP said: “It does not need to be like this.”",
            "en",
            ["Harriet Quenby"],
        ),
    ],
)
def test_resolution(text: str, lang: str, expected: list[str | None]) -> None:
    assert speakers(text, lang) == expected

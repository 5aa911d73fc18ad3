"""The Digest and its parts: plain dataclasses that serialise to SPEC §1's JSON (schema 1)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from server.core.text.words import count_words as count_words  # the one word of the core (text/words.py)

SCHEMA = 1
WORDS_PER_MINUTE = 230


@dataclass(slots=True)
class Span:
    """A verbatim piece of the digest's text: ``text == digest.text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Fact:
    """A sentence that carries a key fact, with the figures inside it."""

    text: str
    start: int
    end: int
    figures: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """A direct quotation; ``spans`` point at the words inside the marks, one per part."""

    text: str
    spans: list[tuple[int, int]]
    speaker: str | None = None
    speaker_mention: str | None = None
    cue: str | None = None
    partial: bool = False
    speaker_type: str | None = None  # person | org | group | unnamed, or None when unknown (SPEC §1)
    evidence: str | None = None  # what the speaker rests on (cue, intro, carry, …); internal, not in the JSON


@dataclass(slots=True)
class Article:
    """What extraction yields: the clean article text and its metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Digest:
    """The pith of a page (SPEC §1)."""

    text: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    language: str | None = None
    word_count: int = 0
    reading_minutes: int = 1
    summary: list[Span] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    schema: int = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of SPEC §1, keys in the spec's order."""
        # Built by hand: dataclasses.asdict (deep copies) cost a third of a cached API answer.
        def span(s: Span) -> dict[str, Any]:
            return {"text": s.text, "start": s.start, "end": s.end}

        return {
            "schema": self.schema, "url": self.url, "title": self.title, "author": self.author,
            "date": self.date, "site": self.site, "language": self.language, "text": self.text,
            "word_count": self.word_count, "reading_minutes": self.reading_minutes,
            "summary": [span(s) for s in self.summary],
            "facts": [{"text": f.text, "start": f.start, "end": f.end, "figures": [span(g) for g in f.figures]}
                      for f in self.facts],
            "quotes": [{"text": q.text, "spans": [[a, b] for a, b in q.spans], "speaker": q.speaker,
                        "speaker_type": q.speaker_type, "speaker_mention": q.speaker_mention, "cue": q.cue,
                        "partial": q.partial}
                       for q in self.quotes],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Digest:
        """Inverse of :meth:`to_dict` (used by caches)."""
        return cls(
            text=d["text"], url=d.get("url"), title=d.get("title"), author=d.get("author"),
            date=d.get("date"), site=d.get("site"), language=d.get("language"),
            word_count=d.get("word_count", 0), reading_minutes=d.get("reading_minutes", 1),
            summary=[Span(**s) for s in d.get("summary", [])],
            facts=[Fact(text=f["text"], start=f["start"], end=f["end"],
                        figures=[Span(**g) for g in f.get("figures", [])]) for f in d.get("facts", [])],
            quotes=[Quote(text=q["text"], spans=[tuple(s) for s in q["spans"]], speaker=q.get("speaker"),
                          speaker_mention=q.get("speaker_mention"), cue=q.get("cue"),
                          partial=bool(q.get("partial")), speaker_type=q.get("speaker_type"))
                    for q in d.get("quotes", [])],
            schema=d.get("schema", SCHEMA),
        )


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` words at about 230 a minute, at least 1."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))

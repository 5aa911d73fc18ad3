"""Lines of a plain-text page dump with the features that tell prose from page furniture."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from server.core import langdata
from server.core.text.sentences import CJK_TERMINATORS, ends_like_sentence

TOPIC = "boilerplate"
MARKER_MAX_WORDS = 25  # longer lines are never page furniture by marker alone
CONTAINS_MAX_WORDS = 30
SENTENCE_WORDS = 5  # a line of this many words that ends like a sentence heads no teaser list or comments
MIN_STOPWORD_SHARE = 0.08  # below this, no stop-word list fits the page
FALLBACK = "en"
MAX_DATE_WORDS = 10
WRAP_MIN_CHARS = 30  # a line this long that stops mid-sentence may be hard-wrapped
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# soft hyphen, zero-width joiners, word joiner, BOM go; a zero-width space is a space
_INVISIBLE = {**dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff")), ord("\u200b"): " "}
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# scripts written without spaces (kana, CJK ideographs): each character carries about a third of a word
_DENSE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_BULLET = re.compile(r"^[*•·▪►▶➤✓-]\s+")


@dataclass(slots=True)
class Line:
    """One non-empty line of a dump and its features."""

    index: int  # position among the non-empty lines
    text: str  # whitespace-normalised
    words: int
    chars: int
    sentence_end: bool  # ends like a sentence
    stop_density: float | None  # share of the words that are stop words (None when the language is unknown)
    blank_before: bool
    blank_after: bool
    repeats: int  # how often the same line stands in the dump
    marker: str | None  # "drop", "teaser" or "comments" when a boilerplate marker matches the whole line
    dateish: bool  # only a date, time, number or counter
    numbers: float  # share of the words that are numbers (table rows, scores, prices)

    @property
    def isolated(self) -> bool:
        """A block of its own (blank lines around it), as paragraphs render."""
        return self.blank_before and self.blank_after


@dataclass(frozen=True, slots=True)
class Markers:
    """Boilerplate patterns of some languages, matched against lower-cased lines."""

    whole: re.Pattern[str]  # named groups comments, teaser, drop; matched against a whole line
    contains: re.Pattern[str]  # found anywhere in a short line: a line to drop


@langdata.cached
def stopword_table() -> dict[str, frozenset[str]]:
    """Stop words of every language with a boilerplate table."""
    return {lang: frozenset(langdata.load(lang, TOPIC).get("stopwords", [])) for lang in langdata.languages(TOPIC)}


@langdata.cached
def markers(langs: tuple[str, ...]) -> Markers:
    """Compile the marker tables of ``langdata/<lang>/boilerplate.json`` for ``langs``."""
    kinds: dict[str, list[str]] = {"comments": [], "teaser": [], "drop": []}
    contains: list[str] = []
    for lang in langs:
        table = langdata.load(lang, TOPIC)
        for patterns in table.get("drop", {}).values():
            kinds["drop"].extend(patterns)
        for patterns in table.get("drop_contains", {}).values():
            contains.extend(patterns)
        kinds["teaser"].extend(table.get("teaser", []))
        kinds["comments"].extend(table.get("comments", []))

    def union(patterns: list[str]) -> str:
        return "|".join(f"(?:{p})" for p in patterns) or r"(?!)"

    whole = "|".join(f"(?P<{kind}>{union(patterns)})" for kind, patterns in kinds.items())
    return Markers(whole=re.compile(whole), contains=re.compile(union(contains)))


def marker_languages(lang: str | None) -> tuple[str, ...]:
    """The tables to use for a page in ``lang``: its own and English (menus are often English); all if unknown."""
    known = tuple(langdata.languages(TOPIC))
    if lang is None:
        return known
    return tuple(sorted({lang, FALLBACK} & set(known)))


def marker_of(text: str, words: int, table: Markers) -> str | None:
    """``"comments"``, ``"teaser"`` or ``"drop"`` when a boilerplate marker fits the lower-cased line."""
    key = _marker_key(text)
    if not key or not _LETTER.search(text):
        return "drop"
    if words >= MARKER_MAX_WORDS:
        return None
    m = table.whole.fullmatch(key) or (key != text and table.whole.fullmatch(text))
    if m:
        if m.lastgroup != "drop" and words >= SENTENCE_WORDS and _ends_sentence(text):
            return None  # a sentence ("Comments from the minister were sharp.") heads no list
        return m.lastgroup
    if words < CONTAINS_MAX_WORDS and table.contains.search(text):
        return "drop"
    return None


def is_dateish(words: list[str]) -> bool:
    """A date, a time, a count or a score on its own ("25. Jan 2026", "Nov. 19, 2019 8:03 am ET", "10:18")."""
    if not words or len(words) > MAX_DATE_WORDS:
        return False
    digits = sum(1 for w in words if w.isdigit())
    return digits > 0 and len(words) - digits <= max(1, digits - 1)


def _ends_sentence(line: str) -> bool:
    """A line ends like a sentence: a stop (full-width ones too: dumps of CJK pages), then only closing marks."""
    return ends_like_sentence(line, extra=CJK_TERMINATORS)


def normalise(line: str) -> str:
    """One line with invisible characters gone and runs of spaces made one."""
    if not line.isascii():
        line = line.translate(_INVISIBLE)
    return " ".join(line.split())


def _marker_key(text: str) -> str:
    """The line as markers see it: bullets and trailing separators off."""
    return _BULLET.sub("", text).strip(" |•·:-–—>»[](){}").strip()


def pick_language(counts: Counter[str], table: dict[str, frozenset[str]]) -> str | None:
    """The language whose stop words cover most of the (lower-cased) word ``counts`` (None when none fits)."""
    total = sum(counts.values()) or 1
    best, best_share = None, 0.0
    for lang, words in table.items():
        share = sum(counts[w] for w in words) / total
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= MIN_STOPWORD_SHARE else None


def unwrap(cleaned: list[str]) -> list[str]:
    """Hard-wrapped paragraphs made whole: a line that goes on in lower case continues the line above.

    The joined line takes the place of the first; the lines it swallowed go.
    """
    out: list[str | None] = list(cleaned)
    head = None  # index of the line that the next one may continue
    for i, t in enumerate(cleaned):
        if not t:
            head = None
            continue
        prev = (out[head] or "") if head is not None else ""
        if (head is not None and len(prev) >= WRAP_MIN_CHARS and t[0].islower()
                and not _ends_sentence(prev)):
            out[head] = f"{prev} {t}"
            out[i] = None
            continue
        head = i
    return [t for t in out if t is not None]


def read_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text`` with their features."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned = unwrap([normalise(r) for r in raw])
    found = [(i, t, t.lower()) for i, t in enumerate(cleaned) if t]
    tokens = [_WORD.findall(low) for _, _, low in found]
    counts: Counter[str] = Counter()
    for words in tokens:
        counts.update(words)
    stopword_lists = stopword_table()
    lang = pick_language(counts, stopword_lists)
    stopwords = stopword_lists[lang] if lang else None
    table = markers(marker_languages(lang))
    repeats = Counter(low for _, _, low in found)
    lines: list[Line] = []
    seen: dict[str, str | None] = {}
    last = len(cleaned) - 1
    for n, ((i, t, low), words) in enumerate(zip(found, tokens, strict=True)):
        if low not in seen:
            seen[low] = marker_of(low, len(words), table)
        dense = len(_DENSE_SCRIPT.findall(t)) if not t.isascii() else 0
        n_words = len(words) + dense // 2
        density = None
        if stopwords is not None:
            density = sum(map(stopwords.__contains__, words)) / len(words) if words else 0.0
        lines.append(Line(
            index=n, text=t, words=n_words, chars=len(t) + 2 * dense,
            sentence_end=bool(_ends_sentence(t)), stop_density=density,
            blank_before=i == 0 or not cleaned[i - 1], blank_after=i == last or not cleaned[i + 1],
            repeats=repeats[low], marker=seen[low],
            dateish=is_dateish(words),
            numbers=sum(1 for w in words if w.isdigit()) / len(words) if words else 0.0,
        ))
    return lines

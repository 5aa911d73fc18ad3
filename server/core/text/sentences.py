"""The core's one sentence splitter (offsets into the text, rules from langdata), and what ends a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.core import langdata
from server.core.quotes.entities import first_name_gender

TERMINATORS = ".!?…"  # the marks that end a sentence
QUOTE_CLOSERS = "»«“”\"'’‘›‹"  # closing quotation marks (either direction: «…» and »…«)
CLOSERS = QUOTE_CLOSERS + ")]"  # what may follow a terminator inside the sentence: closing quotes and brackets
CJK_TERMINATORS = "。！？"  # full-width stops of scripts written without spaces (text dumps)
CLAUSE_ENDS = ":;"  # a colon or semicolon ends a paragraph's text as well as a stop (before a list, a quote)
# The one test "does this piece end like a sentence" as a regex: a terminator, then only closers; see
# ends_like_sentence for the variants.
SENTENCE_END = re.compile(f"[{re.escape(TERMINATORS)}][{re.escape(CLOSERS)}]*$")
# A line: sentences never run across a line break (paragraphs are separated by blank lines).
_LINE = re.compile(r"[^\n]+")
# A possible sentence end: terminators, closing quotes/brackets, whitespace, then the next visible character.
_CANDIDATE = re.compile(f"([{re.escape(TERMINATORS)}]+)([{re.escape(CLOSERS)}]*)\\s+(?=(\\S))")
_TOKEN_BEFORE = re.compile(r"[^\s(\[«»“„\"'‘‚›‹]*$")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.){2,}$")  # U.S. / z.B. / a.m. / U.S.A.
_PLAIN_NUMBER = re.compile(r"\d{1,3}$")
_OPENERS = set("«»“„\"'‘‚›‹([")
_DASHES = set("-–—")
_INITIAL_NEXT = re.compile(r"[^\W\d_]\.\s")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)(\.?)[\s\u00a0]+$")


def ends_like_sentence(text: str, *, extra: str = "", alone: str = "") -> bool:
    """True when ``text`` (trailing whitespace aside) ends like a sentence: a terminator (``TERMINATORS`` and the
    ``extra`` marks, e.g. ``CLAUSE_ENDS`` or ``CJK_TERMINATORS``) followed only by ``CLOSERS``; a last
    character in ``alone`` (e.g. ``QUOTE_CLOSERS``) ends it even with no terminator before it ("… «Ja»").

    With no arguments this is ``SENTENCE_END``; the variants are named by their arguments at each use.
    """
    body = text.rstrip()
    if not body:
        return False
    if body[-1] in alone:
        return True
    body = body.rstrip(CLOSERS)
    return bool(body) and (body[-1] in TERMINATORS or body[-1] in extra)


@dataclass(frozen=True, slots=True)
class _Rules:
    never: frozenset[str]
    may_end: frozenset[str]
    before_number: frozenset[str]
    starters: frozenset[str]
    ordinals: bool


@langdata.cached
def _rules(lang: str | None) -> _Rules:
    """The splitting rules of ``lang``; an unknown language uses the union of all known ones."""
    tables = [langdata.load(lang, "sentences")] if langdata.load(lang, "sentences") else [
        langdata.load(code, "sentences") for code in langdata.languages("sentences")]

    def union(key: str) -> frozenset[str]:
        return frozenset(w for t in tables for w in t.get(key, []))

    return _Rules(union("abbreviations"), union("may_end"), union("before_number"),
                  union("sentence_starters"), any(t.get("ordinal_numbers") for t in tables))


def _next_word(line: str, pos: int) -> str:
    """The word starting at ``pos`` (leading quotes and brackets skipped)."""
    while pos < len(line) and line[pos] in _OPENERS:
        pos += 1
    end = pos
    while end < len(line) and (line[end].isalnum() or line[end] in "-'’"):
        end += 1
    return line[pos:end]


def _is_boundary(line: str, m: re.Match[str], rules: _Rules, sentence_start: int) -> bool:
    """Whether the candidate ``m`` really ends a sentence."""
    terms, closers, nxt = m.group(1), m.group(2), m.group(3)
    following = _next_word(line, m.start(3))
    starts_upper = nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt in _DASHES
    if following[:1].isupper():
        starts_upper = True
    elif following[:1].islower():
        starts_upper = False
    if not starts_upper:
        return False  # "z. B. die", "etc. and", «Wie?», fragte er … (lower case goes on)
    if terms != "." or closers:
        return True  # ! ? … or a full stop before a closing quote: «… mit sich.» Der …
    token = _TOKEN_BEFORE.search(line, max(0, m.start(1) - 40), m.start(1)).group(0) + "."
    bare = token.rstrip(".")
    if not bare:
        return True
    starter = following in rules.starters
    if (token in rules.before_number or token.lower() in rules.before_number) and nxt.isdigit():
        return False
    if token in rules.may_end or token.lower() in rules.may_end:
        return starter
    if token in rules.never or (token[0].isupper() and token.lower() in rules.never):
        return False
    if _DOTTED.search(token):
        return starter  # an unlisted dotted abbreviation
    if len(bare) == 1 and bare.isalpha():
        return not _is_initial(line, m.start(1) - 1, m.start(3), sentence_start)
    if rules.ordinals and _PLAIN_NUMBER.fullmatch(bare):
        return starter  # German ordinals and dates: am 3. Oktober, 25. Jan 2026
    return True


def _is_initial(line: str, letter: int, after: int, sentence_start: int) -> bool:
    """Whether the capital at ``line[letter]`` (before a full stop) is a name's initial: it opens the
    sentence, or an initial or a first name comes before or after it (J. R. R. Tolkien, George W. Bush)."""
    if letter > 0 and line[letter - 1] not in " \u00a0(«»„“\"'‘‚›‹":
        return False
    if _INITIAL_NEXT.match(line, after):
        return True
    before = _WORD_BEFORE.search(line, max(sentence_start, letter - 40), letter)
    if before is None:
        return True  # after a colon, a bracket or at the sentence's start: More information: G. Petit
    word = before.group(1)
    if len(word) == 1 and word.isupper() and before.group(2):
        return True
    return first_name_gender(word) is not None


def split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence in ``text``, in order, whitespace trimmed; never across a line break."""
    rules = _rules(lang)
    spans: list[tuple[int, int]] = []
    for lm in _LINE.finditer(text):
        line, base = lm.group(0), lm.start()
        start = 0
        for m in _CANDIDATE.finditer(line):
            if _is_boundary(line, m, rules, start):
                _add(spans, line, base, start, m.start(3))
                start = m.start(3)
        _add(spans, line, base, start, len(line))
    return spans


def _add(spans: list[tuple[int, int]], line: str, base: int, s: int, e: int) -> None:
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((base + s, base + e))

"""Quote candidates: text in marks, and whether it is a quote (whole or partial) or a title, a term or a scare
quote; with the article's tables and a candidate's surroundings that the later steps share."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from server.core import langdata
from server.core.quotes.entities import WORD, Entities, Token, WordTable
from server.core.quotes.events import Attributor
from server.core.quotes.marks import Marked
from server.core.quotes.resolution import Attribution

FULL_END = re.compile(r"[.!?…]['’‘]?$")  # a part in marks that ends like a sentence
MAX_MIDDLE_WORDS = 10  # words of an attribution between two parts of one split quote („A“, sagte X, „b“)
INDIRECT_REACH = 1500  # characters after the last attributed quote within which reported speech continues it
LONG_FRAGMENT_WORDS = 8  # a fragment this long in marks, after someone spoke, is their words, not a term
TITLE_WORDS = 7  # the most words a title in marks has ("Die lange Nacht der Museen")
NAME_IN_MARKS_WORDS = 5  # the most words of a name in marks (an outlet, a show: «Abend Aktuell»)
HEADING_QUOTE_WORDS = 12  # the most words of a quote standing as a heading
HEADING_LINE_WORDS = 16  # the most words of a heading line holding a quote
SHORT_QUOTE_WORDS = 3  # words in marks this few, not ending a sentence, are a fragment (partial)
INTRO_CLAUSE_WORDS = 8  # the most words of an introducing clause before a comma ("Er sagte, «…»")


@dataclass(slots=True)
class Candidate:
    """Text in marks: its parts' spans, where its marks open and close, its paragraphs, a split's middle."""

    spans: list[tuple[int, int]]
    open_pos: int
    after: int
    orphan: bool = False
    closed: bool = True
    attribution: Attribution | None = None
    partial: bool = False
    middle: tuple[int, int] | None = None
    para: tuple[int, int] = (0, 0)
    first_para: tuple[int, int] = (0, 0)
    drops: list[str] = field(default_factory=list)


def paragraph_of(paras: list[tuple[int, int]], pos: int, starts: list[int] | None = None) -> tuple[int, int]:
    """The paragraph holding ``pos`` (or ending right at it); ``starts`` are the paragraphs' starts (bisected)."""
    k = bisect.bisect_right(starts if starts is not None else [s for s, _e in paras], pos) - 1
    if k >= 0 and paras[k][0] <= pos <= paras[k][1]:
        return paras[k]
    return 0, 0


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text`` (the dumps' paragraphs)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def words(s: str) -> list[str]:
    """The core's words of ``s``."""
    return WORD.findall(s)


@langdata.cached
def _title_small_words() -> frozenset[str]:
    """Words a title keeps in lower case, of every language with quote data (titles cross languages)."""
    return frozenset(w.lower() for code in langdata.languages("quotes")
                     for w in langdata.load(code, "quotes").get("title_small_words", []))


def title_like(s: str) -> bool:
    """A short run of capitalised words, small words aside: the shape of a title ("Die lange Nacht")."""
    ws = [w for w in words(s) if any(c.isalpha() for c in w)]
    if not ws or len(ws) > TITLE_WORDS:
        return False
    small = _title_small_words()
    content = [w for w in ws if w.lower() not in small]
    named = [w for w in content if not any(c.isdigit() for c in w)]  # "7-X", "B52": numbers go with names
    return bool(named) and all(w[:1].isupper() for w in named) and ws[0][:1].isupper()


@dataclass(slots=True)
class Tables:
    """One article's tables, built once and passed down to every step of every quote."""

    text: str
    data: dict
    ents: Entities
    att: Attributor
    paras: list[tuple[int, int]]
    para_starts: list[int]
    title_ctx: set[str]
    indirect: set[str]
    pronouns: set[str]
    capitalised_nouns: bool


@dataclass(slots=True)
class Where:
    """A candidate's surroundings in the reporter's words: its sentence before (``pre``) and after the quote."""

    qtext: str
    ps: int
    pe: int
    prev_after: int
    sent_lo: int
    pre: tuple[int, int]
    post_hi: int
    ends_sentence: bool
    pre_words: list[str]
    intro: bool
    n_words: int


def classify(a: Tables, c: Candidate, w: Where, attribution: Attribution | None,
           last_speaker: str | None, last_pos: int) -> tuple[bool, Attribution | None] | None:
    """Whether the candidate is a quote (None: a title, term or scare quote), whether it is partial, and its
    attribution (an empty one for a fragment of reported speech with no cue of its own)."""
    text, att, qtext = a.text, a.att, w.qtext
    pre, post_hi = w.pre, w.post_hi
    post_words = words(text[c.after : post_hi])
    embedded = bool(w.pre_words) and not w.intro and not _intro_clause(text, pre, att)
    if not embedded and post_words and attribution is None:
        embedded = not w.ends_sentence and not text[c.after : post_hi].lstrip().startswith((",", "–", "—", "-"))
    closes_clause = (
        not w.pre_words
        and attribution is not None
        and (bool(re.search(r"[,!?]$", qtext)) or text[c.after : post_hi].lstrip().startswith(","))
    )
    partial = embedded or (w.n_words <= SHORT_QUOTE_WORDS and not w.ends_sentence and not closes_clause)
    prev_word = w.pre_words[-1].lower() if w.pre_words else ""
    said = closes_clause and attribution is not None and attribution.cue is not None
    # German capitalises nouns: "mit «Tabletten und Pulver», sagte X" is a fragment X said, not a title
    said = said or (a.capitalised_nouns and lower_inside(qtext) and attribution is not None
                    and attribution.cue is not None and attribution.speaker is not None)
    if title_like(qtext) and (w.n_words <= TITLE_WORDS and not w.ends_sentence) and not (said and a.capitalised_nouns):
        return None  # a title; but German capitalises nouns: "«Ein Durchbruch», findet er" is said
    if (partial and prev_word in a.title_ctx) or (c.orphan and (attribution is None or attribution.cue is None)):
        return None
    if partial and attribution is None and is_heading(text, c, labelled=True):
        return partial, attribution  # «Es war die Hölle»: Anna über ihre lange Nacht — a heading quoting the body
    if partial and (attribution is None or attribution.cue is None):
        sent_words = {x.lower() for x in words(text[pre[0] : pre[1]] + " " + text[c.after : post_hi])}
        # a cue anywhere in the reporter's words of the sentence, also before an earlier quote in it ("X warned
        # that … «A» … as it is «B»")
        sent_start = att.sentence_start(c.open_pos, c.first_para[0])
        reporter = [t for t in outside_tokens(a.ents.word_table, sent_start, post_hi, c.spans)
                    if not a.ents.inside_quote(t.start)]
        cue_in_sentence = att.find_cues(reporter)
        recent = last_speaker is not None and c.open_pos - last_pos < INDIRECT_REACH
        if not (
            (attribution is None and cue_in_sentence)
            or (sent_words & a.indirect and recent)
            or (w.n_words >= LONG_FRAGMENT_WORDS and last_speaker is not None)
        ):
            return None  # a scare quote or a term
        attribution = Attribution(None, None, None, c.open_pos)
    return partial, attribution


def lower_inside(s: str) -> bool:
    """A lower-case word inside (a conjunction, a verb): more than a string of names."""
    return any(w[:1].islower() for w in words(s)[1:])


def neighbours(cands: list[Candidate], in_marks: list[bool]) -> tuple[list, list, list]:
    """Per candidate, in one pass each way: the latest end of an earlier quote of its paragraph, the first opening
    of a later one (names in marks left out), and the latest end of any earlier quote in its first paragraph."""
    prev: list[int | None] = []
    first: list[int | None] = []
    last_end: dict[tuple[int, int], int] = {}
    last_any: dict[tuple[int, int], int] = {}
    for k, c in enumerate(cands):
        prev.append(last_end.get(c.para))
        first.append(last_any.get(c.first_para))
        last_any[c.para] = max(last_any.get(c.para, c.after), c.after)
        if not in_marks[k]:
            last_end[c.para] = max(last_end.get(c.para, c.after), c.after)
    nxt: list[int | None] = [None] * len(cands)
    first_open: dict[tuple[int, int], int] = {}
    for k in range(len(cands) - 1, -1, -1):
        c = cands[k]
        nxt[k] = first_open.get(c.para)
        if not in_marks[k]:
            first_open[c.para] = min(first_open.get(c.para, c.open_pos), c.open_pos)
    return prev, nxt, first


def name_in_marks(text: str, c: Candidate) -> bool:
    """A short capitalised stretch in marks inside the reporter's words ("der «König von Burgdorf»")."""
    inner = " ".join(text[s:e] for s, e in c.spans)
    return (len(c.spans) == 1 and title_like(inner) and not FULL_END.search(inner)
            and len(words(inner)) <= NAME_IN_MARKS_WORDS)


def is_heading(text: str, c: Candidate, *, labelled: bool = False) -> bool:
    """A quote that is a whole short line of its own without a full stop, or (and only that with ``labelled``)
    such a line with a few words after a colon: a heading quoting the body."""
    ps, pe = c.para
    if c.first_para != c.para or len(c.spans) != 1:
        return False
    outside = text[ps : c.open_pos] + text[c.after : pe]
    inner = text[c.spans[0][0] : c.spans[0][1]]
    if len(words(inner)) > HEADING_QUOTE_WORDS or re.search(r"[.:;]$", inner):
        return False
    if not words(outside):
        return not labelled
    # a short line without a full stop, the quote at one end, a colon between: «…»: Anna über ihre lange Nacht
    line = text[ps:pe].rstrip()
    before, after = text[ps : c.open_pos].strip(), text[c.after : pe].strip()
    colon = (not before and after.startswith(":")) or (before.endswith(":") and not words(after))
    return (colon and len(words(line)) <= HEADING_LINE_WORDS and len(words(inner)) >= SHORT_QUOTE_WORDS
            and not re.search(r"[.!?…]$", line))


def outside_tokens(words: WordTable, lo: int, hi: int, spans: list[tuple[int, int]]) -> list[Token]:
    """Tokens of ``text[lo:hi]`` outside the quote's own spans."""
    return [t for t in words.span(lo, hi) if not any(s <= t.start < e for s, e in spans)]


def _intro_clause(text: str, pre: tuple[int, int], att: Attributor) -> bool:
    """True when the words before the quote are an attribution ending in a comma ("Er sagte, «…»")."""
    s = text[pre[0] : pre[1]].rstrip()
    if not s.endswith(","):
        return False
    toks = att.ents.word_table.span(pre[0], pre[1])
    return len(toks) <= INTRO_CLAUSE_WORDS and bool(att.find_cues(toks))


def candidate(m: Marked, paras: list[tuple[int, int]], starts: list[int]) -> Candidate:
    return Candidate(
        spans=list(m.spans),
        open_pos=m.open_pos,
        after=m.after,
        orphan=m.orphan,
        closed=m.close_pos is not None,
        para=paragraph_of(paras, m.spans[-1][0], starts),
        first_para=paragraph_of(paras, m.spans[0][0], starts),
    )


def _is_split(p: Candidate, c: Candidate, text: str, att: Attributor) -> bool:
    """True for „A“, sagte X, „b“: a short attribution with a cue between two parts of one sentence."""
    if p.para != c.para or p.middle is not None or len(p.spans) != 1 or len(c.spans) != 1 or p.orphan:
        return False
    mid = text[p.after : c.open_pos]
    first = text[p.spans[-1][0] : p.spans[-1][1]]
    second = text[c.spans[0][0] : c.spans[0][1]]
    if not 0 < len(words(mid)) <= MAX_MIDDLE_WORDS or re.search(r"[.!?;:]", mid):
        return False
    if not mid.strip().startswith((",", "–", "—")) or not mid.rstrip().endswith(","):
        return False
    if FULL_END.search(first) or not (second[:1].islower() or first.endswith(",")):
        return False
    return bool(att.find_cues(outside_tokens(att.ents.word_table, p.after, c.open_pos, [])))


def merge_split(cands: list[Candidate], text: str, att: Attributor) -> list[Candidate]:
    """Join „A“, sagte X, „b“ into one quote with two spans."""
    out: list[Candidate] = []
    for c in cands:
        if out and _is_split(out[-1], c, text, att):
            p = out[-1]
            p.spans.extend(c.spans)
            p.middle = (p.after, c.open_pos)
            p.after = c.after
            p.closed = c.closed
            continue
        out.append(c)
    return out

"""Sentence features shared by the summary and the key facts: words, centrality, names, headings, captions."""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from server.core import langdata
from server.core.digest import Span
from server.core.quotes.marks import find_marked
from server.core.summary.figures import find_figures, word_alternation
from server.core.text.sentences import CLAUSE_ENDS, QUOTE_CLOSERS, ends_like_sentence
from server.core.text.words import WORD

_QUESTION = re.compile(r"\?[»«“”\"'’‘›‹)\]]*$")
_QUOTE_MARKS = "«»„“”\"‹›‚‘’"
_ANY_MARK = re.compile("[" + re.escape(_QUOTE_MARKS) + "]")
_QUOTED = re.compile(r"[«»„“\"‹›‚‘][^«»„“”\"‹›‚‘’]*[«»“”\"‹›‘’]?")
HEADING_MAX_WORDS = 14


@dataclass(slots=True)
class Sentence:
    """One sentence with the features the rankers use."""

    start: int
    end: int
    index: int  # position among all sentences
    paragraph: int  # paragraph number (0-based)
    first_in_paragraph: bool
    words: list[str]  # lower-case word tokens
    content: set[str]  # lower-case content words
    figures: list[Span] = field(default_factory=list)
    names: int = 0  # name-like tokens (capitalised inside the sentence, acronyms)
    heading: bool = False
    question: bool = False
    caption: bool = False  # a caption, credit or page furniture: unpunctuated, or holding a caption marker
    quoted: float = 0.0  # share of characters inside quotation marks
    credit: bool = False  # holds a caption marker (credit, "first ran on", newsletter, subscription)
    pronoun_start: bool = False  # begins with a pronoun that points back to someone named before
    quote_cut: bool = False  # starts or ends inside a quotation that runs on beyond it


@langdata.cached  # per language and langdata search path
def stopwords(lang: str | None) -> frozenset[str]:
    """Words that carry no topic in ``lang`` (all known languages' when unknown)."""
    own = langdata.load(lang, "summary")
    tables = [own] if own else [langdata.load(c, "summary") for c in langdata.languages("summary")]
    return frozenset(w.lower() for t in tables for w in t.get("stopwords", []))


def _summary_tables(lang: str | None) -> list[dict]:
    own = langdata.load(lang, "summary")
    return [own] if own else [langdata.load(c, "summary") for c in langdata.languages("summary")]


@langdata.cached  # per language and langdata search path
def _caption_markers(lang: str | None) -> re.Pattern[str]:
    """Caption markers as one pattern (a trie: fast); a marker that begins or ends with a letter matches whole
    words only ("Abo" is no marker inside "Abordnung")."""
    markers = {m for t in _summary_tables(lang) for m in t.get("caption_markers", [])}
    wordlike = word_alternation(m for m in markers if m[0].isalnum())
    other = word_alternation(m for m in markers if not m[0].isalnum())
    return re.compile(rf"(?<!\w){wordlike}|{other}")


@langdata.cached  # per language and langdata search path
def _pronouns(lang: str | None) -> frozenset[str]:
    return frozenset(w.lower() for t in _summary_tables(lang) for w in t.get("pronoun_starters", []))


@langdata.cached  # per language and langdata search path
def _capitalised_nouns(lang: str | None) -> bool:
    """Whether every noun of ``lang`` is capitalised (German): then a capital alone does not make a name."""
    own = langdata.load(lang, "summary")
    return bool(own.get("capitalised_nouns")) if own else False


@langdata.cached  # per language and langdata search path
def _starters(lang: str | None) -> frozenset[str]:
    own = langdata.load(lang, "sentences")
    tables = [own] if own else [langdata.load(c, "sentences") for c in langdata.languages("sentences")]
    return frozenset(w for t in tables for w in t.get("sentence_starters", []))


def _quoted_share(s: str) -> float:
    """Rough share of ``s`` that stands inside quotation marks."""
    if not _ANY_MARK.search(s):
        return 0.0
    inside = sum(len(m.group(0)) for m in _QUOTED.finditer(s))
    return min(1.0, inside / max(1, len(s)))


@dataclass(frozen=True)
class _QuoteCuts:
    """Stretches inside quotation marks (a quote's inner text, per paragraph), sorted by start, with the running
    maximum of their ends: whether a position lies inside any stretch is one bisection, not a scan of all quotes."""

    starts: list[int]
    max_ends: list[int]

    @classmethod
    def of(cls, text: str) -> _QuoteCuts:
        spans = sorted(span for m in find_marked(text) if not m.orphan for span in m.spans)
        max_ends, top = [], -1
        for _, b in spans:
            top = max(top, b)
            max_ends.append(top)
        return cls([a for a, _ in spans], max_ends)

    def inside(self, pos: int) -> bool:
        """True when ``pos`` lies strictly inside a quoted stretch (some stretch has a < pos < b)."""
        i = bisect.bisect_left(self.starts, pos) - 1  # the last stretch starting before pos
        return i >= 0 and self.max_ends[i] > pos

    def cuts(self, s: int, e: int) -> bool:
        """True when the sentence ``[s, e)`` starts or ends strictly inside a quoted stretch."""
        return self.inside(s) or self.inside(e)


_DOUBLE_FAMILIES = ("«»", "„“”", '"')  # marks that pair among themselves: an odd count leaves a quote open
_SINGLE_OPEN = re.compile(r"[‘‚]|(?<![\w'’])'(?=[^\W\d_])")  # a straight ' opens only before a word
_SINGLE_ANY_CLOSE = re.compile(r"['’](?!\w)")  # may close a quote (or end a plural possessive: players')
_SINGLE_CLOSE = re.compile(r"(?<=[.!?,…])['’](?!\w)")  # surely closes one: after punctuation
_PAIRING_MARKS = re.compile("[" + re.escape("".join(_DOUBLE_FAMILIES) + "‘‚'’") + "]")  # every mark looked at below


def _unbalanced(sent: str) -> bool:
    """True when the sentence itself opens a quotation it does not close, or closes one opened before it
    (where the pairing of the whole text found nothing, e.g. single marks beside apostrophes)."""
    if not _PAIRING_MARKS.search(sent):  # most sentences hold no mark at all
        return False
    if any(sum(sent.count(ch) for ch in family) % 2 for family in _DOUBLE_FAMILIES):
        return True
    opens = [m.start() for m in _SINGLE_OPEN.finditer(sent)]
    closes = [m.start() for m in _SINGLE_ANY_CLOSE.finditer(sent)]
    sure = [m.start() for m in _SINGLE_CLOSE.finditer(sent)]
    # a single mark opened and never possibly closed, or surely closed and never opened
    return bool(opens and not any(c > opens[-1] for c in closes)) or bool(sure and not any(o < sure[0]
                                                                                            for o in opens))


def analyse(text: str, spans: list[tuple[int, int]], lang: str | None,
            names: Iterable[str | None] = ()) -> list[Sentence]:
    """Features of every sentence in ``spans``: computed once per digest and passed to the summary and the facts;
    ``names`` (the page's site and author) hold no figures."""
    stop = stopwords(lang)
    starters = _starters(lang)
    markers = _caption_markers(lang)
    pronouns = _pronouns(lang)
    capitalised = _capitalised_nouns(lang)
    figures = find_figures(text, lang, names=names)
    inner = _QuoteCuts.of(text)
    out: list[Sentence] = []
    paragraph = 0
    prev_end = 0
    fi = 0
    # sentences per paragraph, to recognise headings (a paragraph that is one short unpunctuated line)
    para_of: list[int] = []
    for s, _e in spans:
        if "\n" in text[prev_end:s]:
            paragraph += 1
        para_of.append(paragraph)
        prev_end = _e
    counts = Counter(para_of)
    for i, (s, e) in enumerate(spans):
        sent = text[s:e]
        tokens = WORD.findall(sent)
        words = [t.lower() for t in tokens]
        content = {w for w in words if w not in stop and not w.isdigit() and len(w) > 1}
        while fi < len(figures) and figures[fi].start < s:
            fi += 1
        figs = []
        j = fi
        while j < len(figures) and figures[j].end <= e:
            figs.append(figures[j])
            j += 1
        names = _count_names(tokens, stop, starters, capitalised)
        first = i == 0 or para_of[i - 1] != para_of[i]
        # a caption or heading has no stop; a colon ends a line before a list, a quotation its own title
        unpunctuated = not ends_like_sentence(sent, extra=CLAUSE_ENDS, alone=QUOTE_CLOSERS)
        credit = markers.search(sent) is not None
        out.append(Sentence(
            start=s, end=e, index=i, paragraph=para_of[i], first_in_paragraph=first, words=words,
            content=content, figures=figs, names=names,
            heading=unpunctuated and counts[para_of[i]] == 1 and len(tokens) <= HEADING_MAX_WORDS,
            question=bool(_QUESTION.search(sent)),
            caption=unpunctuated or credit,
            quoted=_quoted_share(sent),
            credit=credit,
            pronoun_start=bool(words) and words[0] in pronouns and not _ANY_MARK.match(sent),
            quote_cut=inner.cuts(s, e) or _unbalanced(sent),
        ))
    return out


def _count_names(tokens: list[str], stop: frozenset[str], starters: frozenset[str], nouns_capitalised: bool) -> int:
    """Name-like tokens: acronyms, and capitalised words (in runs of two or more where every noun is capitalised,
    as in German; a sentence's first word only inside such a run)."""
    names = 0
    n = len(tokens)
    for k, tok in enumerate(tokens):
        if not tok[0].isupper() or tok in starters or tok.lower() in stop:
            continue
        if tok.isupper() and len(tok) > 1:
            names += 1
            continue
        in_run = (k + 1 < n and tokens[k + 1][0].isupper()) or (k > 0 and tokens[k - 1][0].isupper()
                                                                  and tokens[k - 1] not in starters)
        if in_run or (k > 0 and not nouns_capitalised):
            names += 1
    return names


def term_weights(sentences: list[Sentence]) -> dict[str, float]:
    """How central each content word is: log of its frequency across sentences."""
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.content)
    return {w: math.log1p(n) for w, n in df.items() if n > 1}


def jaccard(a: set[str], b: set[str]) -> float:
    """Overlap of two word sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)

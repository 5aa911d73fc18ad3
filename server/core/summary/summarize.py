"""Extractive summary: the few sentences that best tell the story, in reading order."""

from __future__ import annotations

import math

from server.core.digest import Span
from server.core.summary.salience import Sentence, analyse, jaccard, stopwords, term_weights
from server.core.text.words import WORD

MAX_WORDS = 90  # SPEC §1: the whole summary, at most (in word tokens)
MIN_WORDS, LONG_WORDS = 6, 55  # a sentence shorter is no summary sentence; longer ones are penalised
# "auto" length: at least AUTO_MIN sentences, more while the summary is shorter than its word target, at most
# AUTO_MAX. The target grows with the article (a short story needs fewer words): AUTO_SHARE of its words,
# within AUTO_WORDS_MIN..AUTO_WORDS_MAX.
AUTO_MIN, AUTO_MAX = 2, 4
AUTO_LEAD, AUTO_SHARE, AUTO_WORDS_MIN, AUTO_WORDS_MAX = 3, 0.8, 35, 70
REDUNDANT = 0.5  # word overlap above which a sentence repeats one already chosen

WEIGHTS = {  # set on the summary dev sets (bench/quality.py); broad plateau, not a sharp optimum
    "position": 4.0,  # lead bias: the first sentences tell the story in news
    "decay": 0.5,  # how fast the lead bias falls off with the sentence's rank
    "paragraph_lead": 0.0,  # first sentence of a paragraph
    "centrality": 1.5,  # words the article keeps coming back to
    "title": 2.0,  # share of the title's content words in the sentence
    "names": 0.08,  # per name-like word (up to 5)
    "figures": 0.12,  # per figure (up to 3)
    "quoted": 0.8,  # penalty for sentences that are mostly a quotation
    "long": 0.02,  # penalty per word beyond LONG_WORDS
}


def _eligible(s: Sentence) -> bool:
    """A sentence a reader can stand on: no heading, caption, credit or question, not cut out of a quotation."""
    return (not (s.heading or s.caption or s.question or s.credit or s.quote_cut)
            and MIN_WORDS <= len(s.words) <= MAX_WORDS)


def score_sentences(sentences: list[Sentence], title: str | None, lang: str | None,
                    weights: dict[str, float] = WEIGHTS) -> dict[int, float]:
    """A summary-worthiness score for every eligible sentence (keyed by index)."""
    w = weights
    terms = term_weights(sentences)
    stop = stopwords(lang)
    title_words = {t.lower() for t in WORD.findall(title or "")} - stop
    eligible = [s for s in sentences if _eligible(s)]
    top = max((sum(terms.get(x, 0.0) for x in s.content) / math.sqrt(len(s.words) + 1) for s in eligible),
              default=0.0) or 1.0
    scores = {}
    for rank, s in enumerate(eligible):
        centrality = sum(terms.get(x, 0.0) for x in s.content) / math.sqrt(len(s.words) + 1) / top
        title_overlap = len(s.content & title_words) / len(title_words) if title_words else 0.0
        score = (w["position"] / (1.0 + w["decay"] * rank)
                 + w["paragraph_lead"] * s.first_in_paragraph
                 + w["centrality"] * centrality
                 + w["title"] * title_overlap
                 + w["names"] * min(s.names, 5)
                 + w["figures"] * min(len(s.figures), 3)
                 - w["quoted"] * s.quoted
                 - w["long"] * max(0, len(s.words) - LONG_WORDS))
        scores[s.index] = score
    return scores


def _with_referent(s: Sentence, sentences: list[Sentence], scores: dict[int, float],
                   chosen: dict[int, Sentence]) -> list[Sentence] | None:
    """``s`` with what it needs before it: a sentence opening with a pronoun stands only after the sentence
    that introduces its referent (the one before it), which comes along when it is not chosen yet;
    None when that sentence cannot stand in a summary itself."""
    if not s.pronoun_start or s.index - 1 in chosen:
        return [s]
    if s.index == 0:
        return None
    prev = sentences[s.index - 1]
    if prev.index not in scores or (prev.pronoun_start and prev.index - 1 not in chosen):
        return None
    return [prev, s]


def auto_words(sentences: list[Sentence]) -> int:
    """The word target of an "auto" summary: AUTO_SHARE of the first AUTO_LEAD story sentences (a news lead is
    as long as the article's sentences are), within AUTO_WORDS_MIN..AUTO_WORDS_MAX."""
    lead = [s for s in sentences if not (s.heading or s.caption)][:AUTO_LEAD]
    total = sum(len(s.words) for s in lead)
    return round(min(AUTO_WORDS_MAX, max(AUTO_WORDS_MIN, AUTO_SHARE * total)))


def select(sentences: list[Sentence], scores: dict[int, float], n: int | None,
           max_words: int = MAX_WORDS) -> list[Sentence]:
    """Best-first picks within the word budget, skipping repeats, never a pronoun start without its referent;
    ``n`` sentences, or with ``n=None`` ("auto") 2 to 4 by their length. Returned in reading order."""
    limit = n if n is not None else AUTO_MAX
    target = auto_words(sentences)
    chosen: dict[int, Sentence] = {}
    used = 0
    for idx in sorted(scores, key=lambda i: -scores[i]):
        if len(chosen) >= limit or (n is None and len(chosen) >= AUTO_MIN and used >= target):
            break
        if idx in chosen:
            continue
        group = _with_referent(sentences[idx], sentences, scores, chosen)
        if group is None or len(chosen) + len(group) > limit:
            continue
        size = sum(len(g.words) for g in group)
        if used + size > max_words:
            continue
        if any(jaccard(g.content, c.content) > REDUNDANT for g in group for c in chosen.values()):
            continue
        for g in group:
            chosen[g.index] = g
        used += size
    if not chosen and scores:  # every candidate is over the budget alone: the best one still answers
        best = sentences[max(scores, key=lambda i: scores[i])]
        chosen[best.index] = best
    return sorted(chosen.values(), key=lambda s: s.index)


def summarize(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None,
              title: str | None = None, n: int | None = None, analysed: list[Sentence] | None = None) -> list[Span]:
    """Up to ``n`` sentences of ``text`` (verbatim, reading order, at most 90 words) that summarise it;
    ``n=None`` lets the summary adapt between 2 and 4 sentences to their length."""
    feats = analysed if analysed is not None else analyse(text, sentences, lang)
    scores = score_sentences(feats, title, lang)
    if not scores:  # nothing summary-like: fall back to the first sentences that are no heading or credit
        pool = ([s for s in feats if not (s.heading or s.credit or s.quote_cut)]
                or [s for s in feats if not s.heading] or feats)
        scores = {s.index: -float(k) for k, s in enumerate(pool)}
    return [Span(text[s.start:s.end], s.start, s.end) for s in select(feats, scores, n, MAX_WORDS)]

"""Extractive summary: the few sentences that best tell the story, in reading order."""

from __future__ import annotations

import math
import re

from server.core.digest import Span
from server.core.summary.salience import Sentence, analyse, jaccard, stopwords, term_weights

MAX_WORDS = 90  # the whole summary, about
MIN_WORDS, LONG_WORDS = 6, 55  # a sentence shorter is no summary sentence; longer ones are penalised
REDUNDANT = 0.5  # word overlap above which a sentence repeats one already chosen
_TITLE_WORD = re.compile(r"[^\W_]+")

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
    return not (s.heading or s.caption or s.question) and len(s.words) >= MIN_WORDS


def score_sentences(sentences: list[Sentence], title: str | None, lang: str | None,
                    weights: dict[str, float] = WEIGHTS) -> dict[int, float]:
    """A summary-worthiness score for every eligible sentence (keyed by index)."""
    w = weights
    terms = term_weights(sentences)
    stop = stopwords(lang)
    title_words = {t.lower() for t in _TITLE_WORD.findall(title or "")} - stop
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


def select(sentences: list[Sentence], scores: dict[int, float], n: int,
           max_words: int = MAX_WORDS) -> list[Sentence]:
    """Best-first picks within the word budget, skipping repeats; returned in reading order."""
    chosen: list[Sentence] = []
    used = 0
    for idx in sorted(scores, key=lambda i: -scores[i]):
        if len(chosen) >= n:
            break
        s = sentences[idx]
        if chosen and used + len(s.words) > max_words:
            continue
        if any(jaccard(s.content, c.content) > REDUNDANT for c in chosen):
            continue
        chosen.append(s)
        used += len(s.words)
    return sorted(chosen, key=lambda s: s.index)


def summarize(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None,
              title: str | None = None, n: int = 3, analysed: list[Sentence] | None = None) -> list[Span]:
    """Up to ``n`` sentences of ``text`` (verbatim, reading order, about 90 words at most) that summarise it."""
    feats = analysed if analysed is not None else analyse(text, sentences, lang)
    scores = score_sentences(feats, title, lang)
    if not scores:  # nothing summary-like: fall back to the first sentences that are not headings
        pool = [s for s in feats if not s.heading] or feats
        scores = {s.index: -float(k) for k, s in enumerate(pool)}
    return [Span(text[s.start:s.end], s.start, s.end) for s in select(feats, scores, n, MAX_WORDS)]

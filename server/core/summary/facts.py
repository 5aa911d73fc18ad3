"""Key facts: sentences that carry figures and names, with each figure marked."""

from __future__ import annotations

import math

from server.core.digest import Fact, Span
from server.core.summary.figures import (
    KIND_DATE,
    KIND_MONEY,
    KIND_NUMBER,
    KIND_PERCENT,
    KIND_SCALED,
    KIND_UNIT,
    KIND_YEAR,
    figure_kind,
)
from server.core.summary.salience import Sentence, analyse, jaccard, term_weights

KIND_WEIGHT = {KIND_MONEY: 3.0, KIND_SCALED: 3.0, KIND_PERCENT: 3.0, KIND_UNIT: 2.0, KIND_DATE: 1.5,
               KIND_YEAR: 1.0, KIND_NUMBER: 1.0}
MIN_WORDS, MAX_WORDS = 5, 80
REDUNDANT = 0.6
MIN_FACTS = 3  # when fewer sentences hold figures, name-rich sentences fill up to this many
POSITION, CENTRALITY, NAMES = 1.5, 1.0, 0.3


def _figure_score(text: str, s: Sentence, lang: str | None) -> float:
    """How much the sentence's figures weigh: the strongest fully, further ones less (a list of scores is
    not many facts), and a conversion in brackets right after a figure (``100 Mrd Dollar (96 Mrd Euro)``) not."""
    weights = []
    prev_end = -10
    for f in s.figures:
        gap = text[prev_end:f.start]
        prev_end = f.end
        if gap.strip() == "(":
            continue
        weights.append(KIND_WEIGHT[figure_kind(f.text, lang)])
    weights.sort(reverse=True)
    return sum(w / (1 + k) for k, w in enumerate(weights))


def find_facts(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None, limit: int = 8,
               analysed: list[Sentence] | None = None) -> list[Fact]:
    """At most ``limit`` fact sentences of ``text``, most important first, each with its figures marked."""
    feats = analysed if analysed is not None else analyse(text, sentences, lang)
    pool = [s for s in feats if not (s.heading or s.caption or s.question)
            and MIN_WORDS <= len(s.words) <= MAX_WORDS]
    if not pool or limit <= 0:
        return []
    terms = term_weights(feats)
    top = max((sum(terms.get(w, 0.0) for w in s.content) / math.sqrt(len(s.words) + 1) for s in pool),
              default=0.0) or 1.0
    n = len(pool)

    def base(rank: int, s: Sentence) -> float:
        centrality = sum(terms.get(w, 0.0) for w in s.content) / math.sqrt(len(s.words) + 1) / top
        return POSITION * (1 - rank / n) + CENTRALITY * centrality + NAMES * min(s.names, 4)

    with_figures = [(_figure_score(text, s, lang) + base(r, s), s) for r, s in enumerate(pool) if s.figures]
    ranked = sorted(with_figures, key=lambda t: -t[0])
    if len(ranked) < MIN_FACTS:
        named = sorted(((base(r, s), s) for r, s in enumerate(pool) if not s.figures and s.names >= 2),
                       key=lambda t: -t[0])
        ranked += named[: MIN_FACTS - len(ranked)]
    chosen: list[Sentence] = []
    repeats: list[Sentence] = []  # facts whose figures all stand in an earlier fact already
    seen: set[str] = set()
    for _score, s in ranked:
        if len(chosen) >= limit:
            break
        if any(jaccard(s.content, c.content) > REDUNDANT for c in chosen):
            continue
        figures = {f.text.lower() for f in s.figures}
        if figures and figures <= seen:
            repeats.append(s)
            continue
        seen |= figures
        chosen.append(s)
    chosen += repeats[: limit - len(chosen)]
    return [Fact(text[s.start:s.end], s.start, s.end, [Span(f.text, f.start, f.end) for f in s.figures])
            for s in chosen]

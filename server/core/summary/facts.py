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
    KIND_SHARE,
    KIND_UNIT,
    KIND_YEAR,
    figure_key,
    figure_kind,
)
from server.core.summary.salience import Sentence, analyse, jaccard, term_weights

# how much a figure of each kind tells a reader: amounts and shares most, a bare year least
KIND_WEIGHT = {KIND_MONEY: 3.0, KIND_SCALED: 3.0, KIND_PERCENT: 3.0, KIND_SHARE: 2.5, KIND_UNIT: 2.0,
               KIND_DATE: 1.5, KIND_YEAR: 1.0, KIND_NUMBER: 1.0}
MIN_WORDS, MAX_WORDS = 5, 80  # a fact sentence is at least a clause and at most a long sentence (in words)
REDUNDANT = 0.6  # content-word overlap (Jaccard) above which a fact repeats one already chosen
MIN_FACTS = 3  # when fewer sentences hold figures, name-rich sentences fill up to this many
MAX_FACTS = 8  # SPEC §1: at most 8 facts
# weights of the importance beyond the figures: early position, central words, names (up to NAMES_CAP of them)
POSITION, CENTRALITY, NAMES, NAMES_CAP = 1.5, 1.0, 0.3, 4
# a sentence cut out of a quotation reads oddly alone: it ranks lower
QUOTE_CUT = POSITION  # as much as the distance from the lead to the last sentence


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


def find_facts(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None, limit: int = MAX_FACTS,
               analysed: list[Sentence] | None = None) -> list[Fact]:
    """At most ``limit`` fact sentences of ``text``, most important first, each with its figures marked (in text
    order); a sentence whose figures all stand in an earlier fact already (same value and unit) is left out."""
    feats = analysed if analysed is not None else analyse(text, sentences, lang)
    # an unpunctuated line (a picture caption) may hold a fact; a credit, heading or question does not
    pool = [s for s in feats if not (s.heading or s.credit or s.question)
            and MIN_WORDS <= len(s.words) <= MAX_WORDS]
    if not pool or limit <= 0:
        return []
    terms = term_weights(feats)
    top = max((sum(terms.get(w, 0.0) for w in s.content) / math.sqrt(len(s.words) + 1) for s in pool),
              default=0.0) or 1.0
    n = len(pool)

    def base(rank: int, s: Sentence) -> float:
        centrality = sum(terms.get(w, 0.0) for w in s.content) / math.sqrt(len(s.words) + 1) / top
        return (POSITION * (1 - rank / n) + CENTRALITY * centrality + NAMES * min(s.names, NAMES_CAP)
                - QUOTE_CUT * s.quote_cut)

    with_figures = [(_figure_score(text, s, lang) + base(r, s), s) for r, s in enumerate(pool) if s.figures]
    ranked = sorted(with_figures, key=lambda t: -t[0])
    if len(ranked) < MIN_FACTS:
        named = sorted(((base(r, s), s) for r, s in enumerate(pool) if not s.figures and s.names >= 2),
                       key=lambda t: -t[0])
        ranked += named[: MIN_FACTS - len(ranked)]
    chosen: list[Sentence] = []
    seen: set = set()
    for _score, s in ranked:
        if len(chosen) >= min(limit, MAX_FACTS):
            break
        if any(jaccard(s.content, c.content) > REDUNDANT for c in chosen):
            continue
        keys = {figure_key(f.text, lang) for f in s.figures}
        if keys and keys <= seen:  # its figures are told already, maybe written differently
            continue
        seen |= keys
        chosen.append(s)
    return [Fact(text[s.start:s.end], s.start, s.end, [Span(f.text, f.start, f.end) for f in s.figures])
            for s in chosen]

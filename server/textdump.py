"""A page copied as plain text → the article inside it (boilerplate lines dropped, title found)."""

from __future__ import annotations

import os
import re

from .digest import Article
from .errors import PithError
from .lines import Line, read_lines

_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")

VARIANT = os.environ.get("TD_VARIANT", "")
_P = dict(kv.split("=") for kv in os.environ.get("TD_P", "").split(",") if kv)

AFTER_COMMENTS = 0.3  # prose after a comments header counts this much
LATE = 0.5  # share of the page's characters after which prose counts less and less
LATE_DISCOUNT = 0.7  # ... down to this much less at the very end
TITLE_WINDOW = int(_P.get("tw", 20))  # lines looked at above the lead for the title
TITLE_WORDS = float(_P.get("tword", 16))  # more words than this make a line no more headline-like
TITLE_SHARED = float(_P.get("ts", 8))  # weight of the share of the title's words found in the article's start
TITLE_BODY_LINES = 5
TITLE_DISTANCE = float(_P.get("td", 0.25))  # score lost per line between a candidate and the lead
MAX_HEADING_WORDS = 20
LONG_COEF = float(_P.get("lc", 0.5))
LONG_BASE = float(_P.get("lb", 30))
DENSE_WEIGHT = float(_P.get("dw", 0.4))
SHORT_PENALTY = float(_P.get("sp", 25))
TEASER_PENALTY = float(_P.get("tp", 200))
TEASER_ZONE = float(_P.get("tz", 0.2))
MAX_GAP = int(_P.get("mg", 5))
GAP_COST = float(_P.get("gc", 10))
SHORT_SENTENCE = float(_P.get("ss", 0.2))  # a short sentence standing alone: weakly for the article
MIN_DENSITY = float(_P.get("md", 0.12))


def is_prose(line: Line) -> bool:
    """A line that reads like a paragraph of running text."""
    if line.marker or line.dateish:
        return False
    if not (line.words >= 8 or (line.words >= 1 and line.chars >= 40)):
        return False
    if not (line.sentence_end or line.words >= 20):
        return False
    if line.stop_density is None:
        return line.chars >= 60
    return line.stop_density >= MIN_DENSITY


def line_score(line: Line) -> float:
    """How much a line argues for being inside the article (positive) or outside it (negative)."""
    if line.marker == "comments":
        return float("-inf")
    if line.marker == "teaser":
        return -TEASER_PENALTY
    if line.marker == "drop" or line.dateish:
        return -5.0
    if is_prose(line):
        weight = 1.0 if line.isolated else DENSE_WEIGHT
        if line.repeats > 1:
            weight *= 0.3
        return min(line.chars, 600) * weight
    if line.words < 8:
        if line.isolated:
            return SHORT_SENTENCE * line.chars if line.sentence_end and line.words >= 3 else -5.0
        return -SHORT_PENALTY * (2 if line.repeats > 1 else 1)
    return -LONG_COEF * line.chars - LONG_BASE


def weigh_position(lines: list[Line], scores: list[float]) -> list[float]:
    """Prose late in the page counts less: footers and teasers sit there, articles seldom start there."""
    total = sum(ln.chars for ln in lines) or 1
    out, seen = [], 0
    for ln, s in zip(lines, scores, strict=True):
        frac = seen / total
        seen += ln.chars
        if s > 0 and frac > LATE:
            s *= 1 - LATE_DISCOUNT * (frac - LATE) / (1 - LATE)
        out.append(s)
    return out


def weigh_teaser_lists(lines: list[Line], scores: list[float]) -> list[float]:
    """Prose in the block under a teaser header ("Related", "Neueste Beiträge") counts little."""
    out, inside, first = [], False, False
    for ln, s in zip(lines, scores, strict=True):
        if ln.marker == "teaser":
            inside, first = True, True
        elif inside and ln.blank_before and not first:
            inside = False
        else:
            first = False
        out.append(s * TEASER_ZONE if inside and s > 0 else s)
    return out


def bridge_gaps(lines: list[Line], scores: list[float]) -> list[float]:
    """A few lines of furniture between two paragraphs (an ad, a caption, a short teaser box) cost little."""
    out = list(scores)
    i, n = 0, len(lines)
    while i < n:
        if scores[i] > 0:
            i += 1
            continue
        j = i
        while j < n and scores[j] <= 0:
            j += 1
        inside = (0 < i and j + 1 < n and lines[i - 1].isolated and lines[j].isolated
                  and scores[j + 1] > 0 and lines[j + 1].isolated)
        if inside and j - i <= MAX_GAP and all(s > float("-inf") for s in scores[i:j]):
            out[i:j] = [max(s, -GAP_COST) for s in scores[i:j]]
        i = j
    return out


def best_run(scores: list[float]) -> tuple[int, int]:
    """The contiguous run ``[start, end)`` with the highest total score (Kadane); ``-inf`` lines split runs."""
    best, best_span = float("-inf"), (0, 0)
    total, start = 0.0, 0
    for i, s in enumerate(scores):
        if s == float("-inf"):
            total, start = float("-inf"), i + 1
            continue
        if total <= 0:
            total, start = s, i
        else:
            total += s
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def is_heading(line: Line) -> bool:
    """A short line that can head a paragraph or an article: no marker, no sentence end, some words."""
    if line.marker or line.dateish or line.words == 0 or line.words > MAX_HEADING_WORDS:
        return False
    return not line.text.endswith((".", ",", ";", ":"))


def find_title(lines: list[Line], start: int, body: str) -> Line | None:
    """The title: a headline-like line above the article's first line whose words the article takes up."""
    body_words = set(_CONTENT_WORD.findall(body.lower()))
    best, best_score = None, 0.0
    for distance, ln in enumerate(reversed(lines[max(0, start - TITLE_WINDOW):start])):
        if not is_heading(ln) or is_prose(ln) or ln.words < 3 or ln.repeats > 2:
            continue
        words = set(_CONTENT_WORD.findall(ln.text.lower()))
        shared = len(words & body_words) / len(words) if words else 0.0
        score = min(ln.words, TITLE_WORDS) - TITLE_DISTANCE * distance + TITLE_SHARED * shared
        if score > best_score:
            best, best_score = ln, score
    return best


def keep(lines: list[Line], i: int, end: int) -> bool:
    """Whether line ``i`` of the article's run stays: prose, a block of its own, or a subheading."""
    ln = lines[i]
    if ln.marker or ln.dateish:
        return False
    if is_prose(ln) or ln.isolated:
        return True
    nxt = next((x for x in lines[i + 1:end] if not x.marker and not x.dateish), None)
    return nxt is not None and is_prose(nxt) and is_heading(ln)


def scores_of(lines: list[Line]) -> list[float]:
    """Each line's score after the page-level adjustments (comments, position, teaser lists, short gaps)."""
    scores = [line_score(ln) for ln in lines]
    comments = next((i for i, ln in enumerate(lines) if ln.marker == "comments"), len(lines))
    scores[comments:] = [s * AFTER_COMMENTS if s > 0 else s for s in scores[comments:]]
    scores = weigh_position(lines, scores)
    scores = weigh_teaser_lists(lines, scores)
    return bridge_gaps(lines, scores)


def select(lines: list[Line]) -> tuple[list[int], int | None]:
    """Indices of the article's lines and of its title (None when there is none)."""
    scores = scores_of(lines)
    if not scores or max(scores) <= 0:
        return [], None
    start, end = best_run(scores)
    kept = [i for i in range(start, end) if keep(lines, i, end)]
    title = find_title(lines, start, " ".join(lines[i].text for i in kept[:TITLE_BODY_LINES]))
    return kept, title.index if title else None


def extract_text(text: str) -> Article:
    """The article in a plain-text page dump; clean article text passes through whole.

    Raises ``PithError("no_article")`` when nothing article-like is left.
    """
    lines = read_lines(text)
    if not lines:
        raise PithError("no_article", "The text is empty.")
    kept, title = select(lines)
    if not kept:
        raise PithError("no_article", "No paragraph of running text was found in the text.")
    return Article(text="\n\n".join(lines[i].text for i in kept),
                   title=lines[title].text if title is not None else None)

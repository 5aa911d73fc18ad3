"""A page copied as plain text → the article inside it (boilerplate lines dropped, title found)."""

from __future__ import annotations

import re

from server.core.digest import Article
from server.core.errors import PithError
from server.core.extract.lines import Line, read_lines
from server.core.text.hygiene import clean_text

_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")

# line scores, in characters of prose
DENSE_WEIGHT = 0.4  # prose in a block with other lines (no blank line around it) counts this much
SHORT_SENTENCE = 0.2  # a short sentence standing alone counts this much per character
SHORT_PENALTY = 25.0  # a short line among others (menus, link lists)
LONG_COEF, LONG_BASE = 0.5, 30.0  # a long line that is not prose costs LONG_COEF per character + LONG_BASE
TEASER_PENALTY = 200.0  # a teaser header ("Related", "Neueste Beiträge"): the article seldom goes on past it
TABLE_NUMBERS, TABLE_PENALTY = 0.25, 5.0  # a line with this share of numbers is a table row; its cost
MIN_DENSITY = 0.12  # prose has at least this share of stop words
UNENDED, UNENDED_ALONE = 20, 10  # words that make prose of a line without a sentence end (in a block, alone)
MIN_ARTICLE = 50.0  # a best run scoring less is no article (an index page, a page of furniture)
# page-level adjustments
AFTER_COMMENTS = 0.3  # prose after a comments header counts this much
LATE = 0.5  # share of the page's characters after which prose counts less and less ...
LATE_DISCOUNT = 0.7  # ... down to this much less at the very end
TEASER_ZONE = 0.2  # prose in the block under a teaser header counts this much
MAX_GAP, GAP_COST = 5, 10.0  # up to MAX_GAP lines of furniture between paragraphs cost at most GAP_COST each
# title and subheadings
MAX_HEADING_WORDS = 20
MAX_REPEATS = 2  # a short line found more often than this in the page is a label, not a subheading
TITLE_WINDOW = 20  # lines looked at above the article's first line
TITLE_WORDS = 16  # more words than this make a line no more headline-like
TITLE_DISTANCE = 0.25  # score lost per line between a candidate and the article
TITLE_SHARED = 8.0  # weight of the share of a candidate's words that the article's start takes up
TITLE_BODY_LINES = 5


def is_prose(line: Line) -> bool:
    """A line that reads like a paragraph of running text."""
    if line.marker or line.dateish:
        return False
    if not (line.words >= 8 or (line.words >= 1 and line.chars >= 40)):
        return False
    if not (line.sentence_end or line.words >= (UNENDED_ALONE if line.isolated else UNENDED)):
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
    if line.numbers >= TABLE_NUMBERS:
        return -TABLE_PENALTY  # a row of a table: as likely the article's as not
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
        inside = (i > 0 and j + 1 < n and lines[i - 1].isolated and lines[j].isolated
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
        if not is_heading(ln) or is_prose(ln) or ln.words < 3 or ln.repeats > MAX_REPEATS or _LINK.search(ln.text):
            continue
        words = set(_CONTENT_WORD.findall(ln.text.lower()))
        shared = len(words & body_words) / len(words) if words else 0.0
        score = min(ln.words, TITLE_WORDS) - TITLE_DISTANCE * distance + TITLE_SHARED * shared
        if score > best_score:
            best, best_score = ln, score
    return best


def keep(lines: list[Line], i: int, end: int) -> bool:
    """Whether line ``i`` of the article's run stays: prose, a block of its own, a subheading, a table row."""
    ln = lines[i]
    if ln.marker:
        return False
    if ln.dateish:  # a date on its own goes; rows of figures under each other are a table
        return any(0 <= k < len(lines) and lines[k].numbers >= TABLE_NUMBERS
                   and (k > i or not ln.blank_before) and (k < i or not ln.blank_after) for k in (i - 1, i + 1))
    if is_prose(ln):
        return True
    if ln.repeats > MAX_REPEATS:
        return False  # a label that the page repeats ("Summary", "Video", "Advert")
    if ln.isolated:
        return True
    nxt = next((lines[k] for k in range(i + 1, end) if not lines[k].marker and not lines[k].dateish), None)
    if nxt is None or not is_prose(nxt) or not is_heading(ln):
        return False
    if ln.blank_before:
        return True  # on top of its paragraph
    if not ln.blank_after and i > 0 and is_prose(lines[i - 1]) and not lines[i - 1].blank_after:
        return True  # a page without blank lines: a heading between two paragraphs heads the second
    # closing a block: a heading only after a paragraph (else the last of a list, a caption, a byline)
    return ln.blank_after and is_prose(lines[i - 1])


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
    if not scores:
        return [], None
    start, end = best_run(scores)
    if sum(scores[start:end]) < MIN_ARTICLE:
        return [], None
    kept = [i for i in range(start, end) if keep(lines, i, end)]
    title = find_title(lines, start, " ".join(lines[i].text for i in kept[:TITLE_BODY_LINES]))
    return kept, title.index if title else None


def extract_text(text: str, *, clean: bool = True) -> Article:
    """The article in a plain-text page dump; clean article text passes through whole.

    ``clean=False`` skips the character hygiene for a caller that has already applied it (the pipeline).

    Raises ``PithError("no_article")`` when nothing article-like is left.
    """
    lines = read_lines(clean_text(text) if clean else text)
    if not lines:
        raise PithError("no_article", "The text is empty.")
    kept, title = select(lines)
    if not kept:
        raise PithError("no_article", "No paragraph of running text was found in the text.")
    return Article(text="\n\n".join(lines[i].text for i in kept),
                   title=lines[title].text if title is not None else None)

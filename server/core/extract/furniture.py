"""Furniture inside an extracted article: promo boxes, menu lines, bylines, date lines, initials, repeated captions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.core import langdata
from server.core.extract.metadata import markers
from server.core.text.sentences import CLAUSE_ENDS, CLOSERS, ends_like_sentence

PROMO_SHARE = 0.5  # a result whose paragraphs are at least this share (by characters) promo lines is a promo box
PROMO_BOX_CHARS = 3000  # a result longer than this is no promo box, whatever it says (and is not checked: time)
PROMO_SHORT_CHARS = 160  # a paragraph this short with one promo marker is a promo line (longer ones need two)
REPEAT_CHARS = 300  # a paragraph this short at the start that the page shows again is a caption or teaser
MENU_ITEM_WORDS = 3  # items of a menu line are this short
EDGE_BLOCKS = 3  # bylines and date lines are looked for among this many paragraphs at each end
BYLINE_CHARS = 100  # a byline or a date line is shorter than this
DATE_LINE_WORDS = 4  # words (other than the date) a date line may hold: "Updated", "Uhr", "PM EST"
_MENU_SEPARATOR = re.compile(r"\s+[|·•]\s+|\s+[|·•]|[|·•]\s+")
INITIALS = re.compile(r"\(?[a-zäöüéè]{2,5}(?:/[a-zäöüéè]{2,5})*\)?")
TRAILING_INITIALS = re.compile(r"(?<=[.!?“”\"»«])\s+\([a-zäöüéè]{2,5}(?:/[a-zäöüéè]{2,5})*\)$")
_HAS_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}\.\d{1,2}\.|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}:\d\d\b")
_DATE_BITS = re.compile(r"\b\d[\d.:/-]*\b|\b(?:a\.?m|p\.?m|uhr|utc|gmt|[ecmp][sd]t|cet|cest|mez|mesz|bst)\b|[,.:|–-]",
                        re.IGNORECASE)
_WORD_ONLY = re.compile(r"[^\W\d_]{2,}")
_NAME_JOINERS = {"and", "und", "&", "et", "y", "e", "von", "van", "de", "der", "den", "la", "le", "du", "di", "da"}
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(slots=True)
class Block:
    """One paragraph of the article: its text and whether it is a heading."""

    text: str
    heading: bool = False
    table: bool = False  # a table row ("cell | cell"), never taken for a menu


def _anchored(pattern: str) -> bool:
    """True when every match of ``pattern`` starts at the start of the text: it begins with ``^`` and has no
    ``|`` outside brackets and parentheses (``^a|b`` is not anchored)."""
    if not pattern.startswith("^"):
        return False
    depth, i, in_class = 0, 1, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1 if pattern[i + 1:i + 2] != "]" else 2  # "[]…]": a leading "]" is a member
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        i += 1
    return depth == 0 and not in_class


class Markers:
    """Regex markers searched as one alternation, case-insensitive. Those anchored at the start (``^…``) are
    matched at the start only: the same answer as searching the whole alternation, which tries every anchored
    branch at every position (several times slower on a paragraph)."""

    def __init__(self, patterns: list[str]) -> None:
        start = [p for p in patterns if _anchored(p)]
        other = [p for p in patterns if not _anchored(p)]
        self._start = re.compile("|".join(f"(?:{p})" for p in start) or r"(?!x)x", re.IGNORECASE)
        self._other = re.compile("|".join(f"(?:{p})" for p in other) or r"(?!x)x", re.IGNORECASE)

    def search(self, text: str) -> bool:
        """True when some marker occurs in ``text``."""
        return self._start.match(text) is not None or self._other.search(text) is not None


@langdata.cached
def promo_markers_table() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """All promo markers as one pattern (a fast first check) and one by one."""
    patterns = markers().get("promo_markers", [])
    any_of = re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", re.IGNORECASE)
    return any_of, tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def promo_hits(text: str) -> int:
    """How many different promo, consent or login markers a paragraph holds."""
    any_of, each = promo_markers_table()
    if not any_of.search(text):  # one scan for the common case: none
        return 0
    return sum(1 for marker in each if marker.search(text))


def is_promo(text: str) -> bool:
    """A subscription, consent, login or newsletter line: two markers, or one in a short line."""
    hits = promo_hits(text)
    return hits >= 2 or (hits == 1 and len(text) < PROMO_SHORT_CHARS)


def promo_like(blocks: list[Block]) -> bool:
    """True when the result reads like a paywall, consent or login box rather than an article."""
    total = chars(blocks)
    if total > PROMO_BOX_CHARS:
        return False
    promo = sum(len(b.text) for b in blocks if not b.heading and is_promo(b.text))
    return total > 0 and promo >= PROMO_SHARE * total


def trim_promo(blocks: list[Block]) -> list[Block]:
    """Promo lines at the start and the end of the article go (a paywall's teaser box, a subscribe footer)."""
    start, end = 0, len(blocks)
    while start < end and (blocks[start].heading or is_promo(blocks[start].text)):
        start += 1
    while end > start and (blocks[end - 1].heading or is_promo(blocks[end - 1].text)):
        end -= 1
    if start == 0 and end == len(blocks):
        return blocks
    # headings skipped at the start are kept when the paragraph after them stays
    while start > 0 and blocks[start - 1].heading:
        start -= 1
    return blocks[start:end]


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a page paragraph's sentence: a stop, a colon or semicolon, or a closing
    quotation mark or bracket (text/sentences' notion, with those variants)."""
    return ends_like_sentence(text, extra=CLAUSE_ENDS, alone=CLOSERS)


def chars(blocks: list[Block]) -> int:
    """Characters of the article's paragraphs (headings not counted)."""
    return sum(len(b.text) for b in blocks if not b.heading)


def text_key(text: str) -> str:
    """Letters and digits only, case-folded: for comparing paragraphs."""
    return _NON_WORD.sub("", text.casefold())


def is_menu(text: str) -> bool:
    """A site menu or a sidebar widget set as a line: short items split by bars or dots ("News | Archiv | Kontakt")."""
    if len(text) >= 160 or not _MENU_SEPARATOR.search(text):
        return False
    items = [i for i in _MENU_SEPARATOR.split(text) if i.strip()]
    return len(items) >= 2 and all(len(i.split()) <= MENU_ITEM_WORDS and not ends_sentence(i.strip())
                                   and _WORD_ONLY.search(i) and not any(c.isdigit() for c in i) for i in items)


def trim_edges(blocks: list[Block]) -> list[Block]:
    """Bylines ("Von Lea Beispiel", "Text: Lea Beispiel, 12.03.2022") and date lines among the first and last
    ``EDGE_BLOCKS`` paragraphs go."""
    drop = {i for i in (*range(min(EDGE_BLOCKS, len(blocks))), *range(max(0, len(blocks) - EDGE_BLOCKS), len(blocks)))
            if not blocks[i].heading and (is_byline(blocks[i].text) or is_date_line(blocks[i].text))}
    keys = [text_key(b.text) for b in blocks]
    for i in range(min(EDGE_BLOCKS, len(blocks))):  # a caption or teaser above the article, shown again below
        if blocks[i].heading or blocks[i].table or len(blocks[i].text) >= REPEAT_CHARS:
            continue
        copies = [k for k in range(i + 1, len(blocks)) if keys[k] == keys[i]]
        nxt = keys[i + 1] if i + 1 < len(blocks) else None
        if len(copies) == 1 and (copies[0] + 1 >= len(blocks) or keys[copies[0] + 1] != nxt):
            drop |= {i, copies[0]}  # shown twice on its own; a repeated run of paragraphs is page content
    return [b for i, b in enumerate(blocks) if i not in drop] if drop else blocks


def is_byline(text: str) -> bool:
    """A byline: a byline word ("Von", "By", "Text:") before a name, perhaps with a date."""
    if len(text) > BYLINE_CHARS or not (m := byline_prefix().match(text)):
        return False
    rest = _DATE_BITS.sub(" ", text[m.end():]).strip(" ,;:–-")
    words = rest.split()
    return 0 < len(words) <= 6 and not ends_sentence(rest) and all(
        w[:1].isupper() or w.lower() in _NAME_JOINERS for w in words)


def is_date_line(text: str) -> bool:
    """A line that is only a date and time, perhaps with a word such as "Updated"."""
    if len(text) > BYLINE_CHARS or not _HAS_DATE.search(text):
        return False
    return len(_WORD_ONLY.findall(_DATE_BITS.sub(" ", text))) <= DATE_LINE_WORDS


@langdata.cached
def byline_prefix() -> re.Pattern[str]:
    """The byline words of every language, as the start of a line."""
    prefixes = sorted(markers().get("byline_prefixes", []), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(re.escape(p) for p in prefixes) or '(?!x)x'})\s*:?\s+", re.IGNORECASE)

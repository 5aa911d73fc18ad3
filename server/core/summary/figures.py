"""Figures in text: amounts, counts, percentages, money, dates and durations, with their scale words and units."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from server.core import langdata
from server.core.digest import Span

_GAP = "[ \u00a0\u202f]"  # a space inside a figure never crosses a line
_LETTER_AFTER = r"(?![^\W\d_])"
_REACH_BACK, _REACH_ON = 30, 70  # how far a figure reaches before and after its first digit or number word
KIND_DATE, KIND_MONEY, KIND_PERCENT, KIND_SCALED, KIND_UNIT, KIND_NUMBER, KIND_YEAR = (
    "date", "money", "percent", "scaled", "unit", "number", "year")



def _alt(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (built as a trie: fast), each ending at a word edge when it ends
    in a letter or digit; a space inside a word matches any non-breaking gap."""
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    return _emit(trie) if trie else "(?!)"


def _emit(node: dict, last: str = "") -> str:
    branches = []
    for ch in sorted(k for k in node if k):
        piece = _GAP if ch == " " else re.escape(ch)
        branches.append(piece + _emit(node[ch], ch))
    if "" in node:
        branches.append(_LETTER_AFTER if last.isalnum() else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _tables(lang: str | None) -> list[dict]:
    own = langdata.load(lang, "numbers")
    return [own] if own else [langdata.load(code, "numbers") for code in langdata.languages("numbers")]


@cache
def _pattern(lang: str | None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The figure pattern of ``lang`` and the cheap pattern of what every figure holds (a digit, a word)."""
    tables = _tables(lang)

    def words(key: str) -> list[str]:
        return [w for t in tables for w in t.get(key, [])]

    seps = "".join(sorted({s for t in tables for s in t.get("thousands", [])} | {".", ","}))
    sep = "[" + re.escape(seps) + "]"
    digits = (rf"(?<![\w\-/.,])(?:\d{{1,2}}[:–-]\d{{1,2}}(?![\d:])|\d{{1,3}}(?:{sep}\d{{3}})+(?![\d])(?:[.,]\d+)?"
              r"|\d+(?:[.,]\d+)?)(?![\d])")
    compounds = [f"{t}-{u}" for t0 in tables for t in t0.get("number_word_compounds", {}).get("tens", [])
                 for u in t0.get("number_word_compounds", {}).get("units", [])]
    word_num = _alt(words("number_words") + compounds)
    article = _alt(words("article_numbers"))
    scales = words("scales")
    long_scales = [s for s in scales if len(s.rstrip(".")) > 2]
    short_scales = [s for s in scales if len(s.rstrip(".")) <= 2]
    suffixes = words("currencies") + words("units") + words("durations") + words("times")
    long_suf = [s for s in suffixes if len(s) > 2 or not s.isalpha()]
    short_suf = [s for s in suffixes if len(s) <= 2 and s.isalpha()]
    prefix_cur = [c for c in words("currencies") if not c.isalpha() or c.isupper()]
    months = _alt(words("months"))
    comp = _alt(words("comparisons"))

    scale = rf"(?:{_GAP}?{_alt(long_scales)}|{_alt(short_scales)})"
    suffix = rf"(?:(?:{_GAP}|-)?{_alt(long_suf)}|{_alt(short_suf)})"
    cur_pre = rf"(?:{_alt(prefix_cur)}{_GAP}?)"
    year = r"(?:1[5-9]|20)\d\d"
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    date = (
        rf"(?<![\w.])\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})(?!\d)"                  # 05.01.2026
        rf"|(?<![\w.]){day}\.?{_GAP}?{months}(?:,?{_GAP}{year}(?!\d))?"                  # 25. Januar 2026, 5 May 2024
        rf"|(?<!\w){months}{_GAP}{day}(?!\d)(?:,?{_GAP}{year}(?!\d))?"                   # Jan. 5, 2024
        rf"|(?<!\w){months}{_GAP}{year}(?!\d)"                                           # März 2024
    )
    amount = (
        rf"(?:(?<!\w)(?i:{comp}){_GAP})?(?:(?i:{cur_pre}))?"
        rf"(?:{digits}(?i:{scale})?(?i:{suffix})?"
        rf"|(?i:{article}){_GAP}(?i:{scale})(?i:{suffix})?"
        rf"|(?<!\w)(?i:{word_num})(?:(?i:{scale})(?i:{suffix})?|(?i:{suffix})))"
    )
    symbols = "".join(sorted({c for c in words("currencies") if len(c) == 1 and not c.isalnum()}))
    # every figure starts at a word start or a currency sign: a cheap guard keeps the scan fast
    firsts = {w[0] for key in ("number_words", "article_numbers", "months", "comparisons", "currencies")
              for w in words(key) if w[0].isalpha()}
    firsts = "".join(sorted({c for f in firsts for c in (f.lower(), f.upper())}))
    guard = rf"(?:(?<!\w)(?=[\d{re.escape(firsts)}])|(?=[{re.escape(symbols)}]))"
    full = re.compile(rf"{guard}(?:(?P<date>{date})|(?P<amount>{amount}))")
    word_firsts = {w[0] for key in ("number_words", "article_numbers", "months") for w in words(key)}
    word_firsts = "".join(sorted({c for f in word_firsts for c in (f.lower(), f.upper())}))
    anchor = re.compile(rf"\d+|[{re.escape(symbols)}]|\b(?=[{re.escape(word_firsts)}])"
                        rf"(?:(?i:{word_num})|{months}|(?i:{article}){_GAP}(?i:{scale}))")
    return full, anchor


@cache
def _kinds(lang: str | None) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    tables = _tables(lang)

    def words(key: str) -> list[str]:
        return [w for t in tables for w in t.get(key, [])]

    money = re.compile(_alt(words("currencies")), re.IGNORECASE)
    percent = re.compile(r"%|" + _alt(w for w in words("units") if "pro" in w.lower() or "cent" in w.lower()),
                         re.IGNORECASE)
    scaled = re.compile(_alt(w for w in words("scales") if len(w.rstrip(".")) > 2), re.IGNORECASE)
    return money, percent, scaled


def find_figures(text: str, lang: str | None = None, start: int = 0, end: int | None = None) -> list[Span]:
    """Every figure in ``text[start:end]`` (offsets into ``text``), in order."""
    full, anchor = _pattern(lang)
    stop = len(text) if end is None else end
    out: list[Span] = []
    last = start
    for a in anchor.finditer(text, start, stop):
        pos = a.start()
        if pos < last:
            continue
        m = full.search(text, max(last, pos - _REACH_BACK), min(stop, pos + _REACH_ON))
        if m is None:
            continue
        s, e = m.span()
        while e > s and text[e - 1] in " \u00a0\u202f":
            e -= 1
        if e > s:
            out.append(Span(text[s:e], s, e))
            last = e
    return out


def figure_kind(figure: str, lang: str | None = None) -> str:
    """What ``figure`` is: date, money, percent, scaled (millions …), unit, year or plain number."""
    money, percent, scaled = _kinds(lang)
    whole = _pattern(lang)[0].fullmatch(figure)
    if whole and whole.lastgroup == "date":
        return KIND_DATE
    if money.search(figure):
        return KIND_MONEY
    if percent.search(figure):
        return KIND_PERCENT
    if scaled.search(figure):
        return KIND_SCALED
    if re.fullmatch(r"(?:1[5-9]|20)\d\d", figure):
        return KIND_YEAR
    if re.fullmatch(r"[\d.,'’\u00a0\u202f:–-]+", figure):
        return KIND_NUMBER
    return KIND_UNIT

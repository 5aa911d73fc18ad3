"""Figures in text as a reader says them: amounts, ranges, shares, money, dates, with qualifiers, scales and units."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from server.core import langdata
from server.core.digest import Span

_GAP = "[ \u00a0\u202f]"  # a space inside a figure never crosses a line
_LETTER_AFTER = r"(?![^\W\d_])"
_REACH_BACK, _REACH_ON = 40, 90  # how far a figure reaches before and after its first digit or number word
KIND_DATE, KIND_MONEY, KIND_PERCENT, KIND_SCALED, KIND_UNIT, KIND_NUMBER, KIND_YEAR, KIND_SHARE = (
    "date", "money", "percent", "scaled", "unit", "number", "year", "share")
_QUOTE_MARKS = "«»„“”\"‹›‚‘’'"
_BARE = re.compile(r"\d{1,4}(?:\.\d{1,2})?")  # a plain number: the only kind a name ("Boeing 747") holds
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_WORD_BEFORE = re.compile(r"(\S+)[ \u00a0]$")
_TWO_WORDS_BEFORE = re.compile(r"(\S+)[ \u00a0](\S+)[ \u00a0]$")
_CAPITALISED_AFTER = re.compile(r"[ \u00a0]([A-Z][\w.]*)(?:[ \u00a0]([A-Z][\w.]*))?(?:[ \u00a0]([A-Z][\w.]*))?")
_SENTENCE_EDGE = re.compile(r"(?:^|[.!?:;«»„“”\"(\n])[ \u00a0]*$")


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


word_alternation = _alt  # for other modules: any of these words, as one fast pattern


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


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The number knowledge of one language (all known languages' when unknown), ready for matching."""

    full: re.Pattern[str]  # every figure form
    anchor: re.Pattern[str]  # what every figure holds: a digit, a currency sign, a number or fraction word
    months: frozenset[str]
    units: frozenset[str]  # scales, currencies, units, durations, comparisons: capitalised words that are no names
    digit_suffixes: frozenset[str]
    street_words: frozenset[str]
    street_suffixes: tuple[str, ...]
    title_nouns: frozenset[str]
    capitalised_nouns: bool


# Over 80 lines: one regex assembled from the language's word lists, read top down as a grammar of figures.
@langdata.cached  # per language and langdata search path
def _lexicon(lang: str | None) -> _Lexicon:
    """The figure pattern of ``lang``, built from its ``numbers`` table."""
    tables = _tables(lang)

    def words(key: str) -> list[str]:
        return [w for t in tables for w in t.get(key, [])]

    seps = "".join(sorted({s for t in tables for s in t.get("thousands", [])} | {".", ","}))
    sep = "[" + re.escape(seps) + "]"
    plain = rf"(?:\d{{1,3}}(?:{sep}\d{{3}})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
    odds = rf"(?!{_alt(words('number_names'))})\d{{1,3}}/\d{{1,3}}(?![\d/])"  # 40/1, 2/3
    digits = rf"(?<![\w\-/.,])(?:\d{{1,2}}[:–-]\d{{1,2}}(?![\d:])|{odds}|{plain})"
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
    fractions = _alt(words("fractions"))
    shares = _alt(words("shares"))
    share_det = _alt(words("share_determiners"))
    followers = words("fraction_followers")
    joiners = _alt(words("range_joiners"))
    pairs = [p for t in tables for p in t.get("range_pairs", [])]

    scale = rf"(?:(?:{_GAP}|-)?{_alt(long_scales)}|{_alt(short_scales)})"
    suffix = rf"(?:(?:{_GAP}|-)?{_alt(long_suf)}|{_alt(short_suf)})"
    cur_pre = rf"(?:{_alt(prefix_cur)}{_GAP}?)"
    year = r"(?:1[5-9]|20)\d\d"
    day = rf"\d{{1,2}}(?:{_alt(words('ordinal_suffixes'))})?"
    to = rf"(?:{_GAP}?[–-]{_GAP}?|{_GAP}(?i:{joiners}){_GAP})"  # what joins the two ends of a range
    date = (
        rf"(?<![\w.])\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})(?!\d)"                  # 05.01.2026
        rf"|(?<![\w./-]){year}-[01]\d-[0-3]\d(?![\d-])"                                  # 2026-01-05
        rf"|(?<![\w./-])\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})(?![\d/])"                # 1/5/2026
        rf"|(?<![\w./-])(?:0?[1-9]|1[0-2])/{year}(?![\d/])"                              # 3/2021
        rf"|(?<![\w.]){day}\.?{to}{day}\.?{_GAP}?{months}(?:,?{_GAP}{year}(?!\d))?"         # 12. bis 15. Juli
        rf"|(?<!\w){months}{_GAP}{day}{to}{day}(?!\d)(?:,?{_GAP}{year}(?!\d))?"            # July 12 to 15
        rf"|(?<![\w.]){day}\.?{_GAP}?{months}(?:,?{_GAP}{year}(?!\d))?"                  # 25. Januar 2026, 5 May 2024
        rf"|(?<!\w){months}{_GAP}{day}(?!\d)(?:,?{_GAP}{year}(?!\d))?"                   # Jan. 5, 2024
        rf"|(?<!\w){months}{_GAP}{year}(?!\d)"                                           # März 2024
        rf"|(?<![\w.])(?:1[5-9]|20)\d0s(?!\w)"                                             # the 1990s
    )
    # one amount, whole: currency, number, scale, unit ("$17-million", "3,2 Mrd. Euro", "zehn Milliarden Dollar")
    single = (rf"(?:(?i:{cur_pre}))?"
              rf"(?:{digits}(?i:{scale})?(?i:{suffix})?"
              rf"|(?i:{article}){_GAP}(?i:{scale})(?i:{suffix})?"
              rf"|(?<!\w)(?i:{word_num})(?:(?i:{scale})(?i:{suffix})?|(?i:{suffix})))")
    # the first end of a range stands bare or with a currency and scale ("300" in "300-400 metric tons", "$5 million"
    # in "$5 million to $7 million"); a unit after it ends the figure: "3.5 percent to $12,400" is a change, no range
    first = rf"(?:(?i:{cur_pre}))?(?:{digits}|(?<!\w)(?i:{word_num}))(?i:{scale})?"
    second = (rf"(?:(?i:{cur_pre}))?(?:{odds}|{plain}|(?i:{word_num})(?!\w))(?i:{scale})?(?i:{suffix})?")
    ranges = [rf"{first}{to}{second}"]
    ranges += [rf"(?<!\w)(?i:{_alt([a])}){_GAP}{first}{_GAP}(?i:{_alt([b])}){_GAP}{second}" for a, b in pairs]
    end = rf"(?=(?:{_GAP}{_alt(followers)})|[^\w\s-]|\s*$)" if followers else ""
    share = (rf"(?:(?<!\w)(?i:{article}|{word_num})|{digits})(?:{_GAP}|-)(?i:{fractions}){end}"  # a third, zwei Drittel
             rf"|(?<!\w)(?:(?i:{comp}){_GAP}(?:(?i:{share_det}){_GAP})?|(?i:{share_det}){_GAP})(?i:{shares})"
             rf"{_LETTER_AFTER}"                                                              # more than half
             + (rf"|(?<!\w)(?i:{shares}){end}" if followers else ""))                        # half of
    ratio_starts, ratio_joiners = words("ratio_starts"), words("ratio_joiners")
    if ratio_starts and ratio_joiners:  # one in five
        share += (rf"|(?<!\w)(?i:{_alt(ratio_starts)}){_GAP}(?i:{_alt(ratio_joiners)}){_GAP}"
                  rf"(?:(?i:{word_num})|\d{{1,3}}(?!\d)(?![.,]\d)){_LETTER_AFTER}")
    amount = rf"(?:(?<!\w)(?i:{comp}){_GAP})?(?:{'|'.join(ranges)}|{share}|{single})"
    symbols = "".join(sorted({c for c in words("currencies") if len(c) == 1 and not c.isalnum()}))
    # every figure starts at a word start or a currency sign: a cheap guard keeps the scan fast
    starts = [w for key in ("number_words", "article_numbers", "months", "comparisons", "currencies", "shares",
                            "share_determiners", "ratio_starts") for w in words(key)]
    starts += [w for p in pairs for w in p[:1]]
    firsts = {w[0] for w in starts if w[0].isalpha()}
    firsts_cls = "".join(sorted({c for f in firsts for c in (f.lower(), f.upper())}))
    guard = rf"(?:(?<!\w)(?=[\d{re.escape(firsts_cls)}])|(?=[{re.escape(symbols)}]))"
    full = re.compile(rf"{guard}(?:(?P<date>{date})|(?P<amount>{amount}))")
    anchor_words = words("number_words") + words("article_numbers") + words("months") + words("fractions") \
        + words("shares")
    word_firsts = "".join(sorted({c for w in anchor_words for c in (w[0].lower(), w[0].upper())}))
    anchor = re.compile(rf"\d+|[{re.escape(symbols)}]|\b(?=[{re.escape(word_firsts)}])"
                        rf"(?:(?i:{word_num})|{months}|(?i:{article}){_GAP}(?i:{scale})|(?i:{fractions})"
                        rf"|(?i:{shares}))")
    no_names = {w.lower() for key in ("scales", "currencies", "units", "durations", "comparisons", "months",
                                      "number_words") for w in words(key)}
    summary = [langdata.load(lang, "summary")] if langdata.load(lang, "summary") else []
    return _Lexicon(
        full=full, anchor=anchor, months=frozenset(w.lower() for w in words("months")),
        units=frozenset(no_names), digit_suffixes=frozenset(words("digit_suffixes")),
        street_words=frozenset(words("street_words")), street_suffixes=tuple(words("street_suffixes")),
        title_nouns=frozenset(w.lower() for w in words("title_nouns")),
        capitalised_nouns=any(t.get("capitalised_nouns") for t in summary),
    )


def _in_name(text: str, s: int, e: int, lex: _Lexicon) -> bool:
    """True when the plain number ``text[s:e]`` belongs to a name: a title in quotation marks ("2012"), a model
    (Boeing 747, VW Golf 8), an address (221 Baker Street, Bahnhofstrasse 12), a glued code (5G)."""
    before, after = text[max(0, s - 40):s], text[e:e + 40]
    if before[-1:] and before[-1] in _QUOTE_MARKS and after[:1] and after[0] in _QUOTE_MARKS:
        return True
    glued = re.match(r"[^\W\d_]+", after)
    if glued and glued.group(0) not in lex.digit_suffixes:
        return True
    if after[:1] == "/" and after[1:2].isdigit():  # 9/11, 24/7: no fraction a reader counts
        return True
    following = _CAPITALISED_AFTER.match(after)
    if following and any(w in lex.street_words or w.rstrip(".") in lex.street_words
                         for w in following.groups()[1:] if w):
        return True
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1).rstrip(",")
    if word.lower() in lex.title_nouns:  # the film 2012
        return True
    if word != m.group(1) or (not word[:1].isupper() and not re.search(r"[A-Z\d]", word[1:])):
        return False
    if word.lower().rstrip(".").endswith(tuple(x.rstrip(".") for x in lex.street_suffixes)) and lex.street_suffixes:
        return True
    if word.lower() in lex.units or word.lower().rstrip(".") in lex.months:
        return False
    if re.search(r"[A-Z\d]", word[1:]):  # iPhone 15, VW 3, A380 2: a code-like word
        return True
    if _SENTENCE_EDGE.search(before[:m.start(1)]):  # "In 2020", "Seit 2022": a sentence's first word
        return False
    if not lex.capitalised_nouns:  # where only names are capitalised, a capitalised word makes one
        return True
    two = _TWO_WORDS_BEFORE.search(before)  # where every noun is, it takes two ("Blade Runner 2049", not "Ende 2024")
    return bool(two and two.group(1)[:1].isupper() and not _SENTENCE_EDGE.search(before[:two.start(1)])
                and two.group(1).lower() not in lex.units)


def find_figures(text: str, lang: str | None = None, start: int = 0, end: int | None = None,
                 names: Iterable[str | None] = ()) -> list[Span]:
    """Every figure in ``text[start:end]`` (offsets into ``text``), in order. ``names`` are names known from
    the page (its site, its author): a number inside one of them ("20 Minuten", "Channel 4") is no figure."""
    lex = _lexicon(lang)
    stop = len(text) if end is None else end
    named = [(m.start(), m.end()) for n in names if n and any(ch.isdigit() for ch in n)
             for m in re.finditer(rf"(?<!\w){re.escape(n)}(?!\w)", text)]
    out: list[Span] = []
    last = start
    for a in lex.anchor.finditer(text, start, stop):
        pos = a.start()
        if pos < last:
            continue
        m = lex.full.search(text, max(last, pos - _REACH_BACK), min(stop, pos + _REACH_ON))
        if m is None:
            continue
        s, e = m.span()
        while e > s and text[e - 1] in " \u00a0\u202f":
            e -= 1
        if e <= s:
            continue
        if any(a < e and s < b for a, b in named):
            last = e
            continue
        if _BARE.fullmatch(text[s:e]):
            if _in_name(text, s, e, lex):
                last = e
                continue
            glued = re.match(r"[^\W\d_]+", text[e:e + 4])
            if glued and glued.group(0) in lex.digit_suffixes:  # 21st, 1990s
                e += len(glued.group(0))
        out.append(Span(text[s:e], s, e))
        last = e
    return out


@langdata.cached  # per language and langdata search path
def _kinds(lang: str | None) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    tables = _tables(lang)

    def words(key: str) -> list[str]:
        return [w for t in tables for w in t.get(key, [])]

    money = re.compile(_alt(words("currencies")), re.IGNORECASE)
    percent = re.compile(r"%|" + _alt(words("percent_units")), re.IGNORECASE)
    scaled = re.compile(_alt(w for w in words("scales") if len(w.rstrip(".")) > 2), re.IGNORECASE)
    ratio = (rf"|{_alt(words('ratio_starts'))}{_GAP}{_alt(words('ratio_joiners'))}{_GAP}"
             if words("ratio_starts") and words("ratio_joiners") else "")
    share = re.compile(_alt(words("fractions") + words("shares")) + ratio, re.IGNORECASE)
    return money, percent, scaled, share


def figure_kind(figure: str, lang: str | None = None) -> str:
    """What ``figure`` is: date, money, percent, scaled (millions …), share, unit, year or plain number."""
    money, percent, scaled, share = _kinds(lang)
    whole = _lexicon(lang).full.fullmatch(figure)
    if whole and whole.lastgroup == "date":
        return KIND_DATE
    if money.search(figure):
        return KIND_MONEY
    if percent.search(figure):
        return KIND_PERCENT
    if scaled.search(figure):
        return KIND_SCALED
    if share.search(figure):
        return KIND_SHARE
    if _YEAR.fullmatch(figure):
        return KIND_YEAR
    if re.fullmatch(r"[\d.,'’\u00a0\u202f:–-]+", figure):
        return KIND_NUMBER
    return KIND_UNIT


@langdata.cached  # per language and langdata search path
def _norm_tables(lang: str | None) -> tuple[dict[str, float], dict[str, str], str, re.Pattern[str]]:
    tables = _tables(lang)
    scales = {k.lower(): float(v) for t in tables for k, v in t.get("scale_values", {}).items()}
    codes = {k.lower(): v for t in tables for key in ("currency_codes", "unit_codes")
             for k, v in t.get(key, {}).items()}
    decimal = next((t.get("decimal") for t in tables if t.get("decimal")), ".")
    comps = re.compile(rf"^(?i:{_alt(w for t in tables for w in t.get('comparisons', []))}){_GAP}*")
    return scales, codes, decimal, comps


def figure_key(figure: str, lang: str | None = None) -> tuple[tuple[float, ...], str] | tuple[str, str]:
    """A figure's normalised value and unit, to tell figures written differently apart from new ones:
    ``12 %`` and ``12 Prozent``, ``$17 million`` and ``17 million dollars`` have the same key."""
    scales, codes, decimal, comps = _norm_tables(lang)
    rest = comps.sub("", figure.strip())
    numbers = re.findall(r"\d[\d.,'’\u00a0\u202f]*\d|\d", rest)
    if not numbers:
        return (rest.lower(), "")
    values = []
    for n in numbers:
        if (decimal == "," and re.fullmatch(r"\d+,\d{1,2}", n)) or (decimal == "." and re.fullmatch(r"\d+\.\d+", n)):
            values.append(float(n.replace(",", ".")))
        else:
            values.append(float(re.sub(r"\D", "", n)))
    words = re.findall(r"[^\W\d_]+\.?|[%$€£¥]", rest.lower())
    factor = 1.0
    unit = []
    for w in words:
        if w in scales or w.rstrip(".") in scales:
            factor = scales.get(w, scales.get(w.rstrip("."), 1.0))
        else:
            unit.append(codes.get(w, codes.get(w.rstrip("."), w.rstrip("."))))
    return (tuple(v * factor for v in values), " ".join(sorted(set(unit))))

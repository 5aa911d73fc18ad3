"""HTML page → clean article text and metadata: trafilatura, plus boilerplate pruning, lead recovery and repair."""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator
from copy import deepcopy
from functools import lru_cache

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement
from readability import Document as Readability
from trafilatura.utils import load_html

from server.core import langdata
from server.core.digest import Article
from server.core.errors import PithError
from server.core.extract.embedded import data_scripts, embedded_paragraphs
from server.core.extract.furniture import (
    INITIALS,
    TRAILING_INITIALS,
    Block,
    Markers,
    chars,
    ends_sentence,
    is_menu,
    promo_hits,
    promo_like,
    text_key,
    trim_edges,
    trim_promo,
)
from server.core.extract.metadata import PageMeta, markers, norm, read_metadata
from server.core.text.hygiene import clean_text
from server.core.text.sentences import CLOSERS, TERMINATORS
from server.core.text.words import WORD

log = logging.getLogger(__name__)

MAX_ELEMENTS = 40_000  # after pruning: news pages have a few thousand; far more makes extraction slow for nothing
PRE_PRUNE_ELEMENTS = 20_000  # more elements: pruned (and checked against MAX_ELEMENTS) before metadata; <= MAX_ELEMENTS
MAX_RAW_ELEMENTS = 1_500_000  # a page with more elements is not even pruned (about 30 MB of HTML; memory, time)
MIN_ARTICLE_WORDS = 15  # less than this is a menu or a stub, not an article
MIN_TEXT_CHARS = 250  # an extraction shorter than this is suspicious: try the fallbacks
TRUNCATED_SHARE = 0.5  # an extraction with less than this share of the page's prose may have stopped early
NOTHING_SHARE, NOTHING_CHARS = 0.25, 750  # below both, the first extraction missed the article altogether
THREAD_POSTS, THREAD_PARAGRAPHS = 5, 1.5  # extra text in this many containers or more, with fewer paragraphs
# each on average, is a thread of small posts (comments, teaser cards), not the rest of the article
EMBEDDED_CHECK_CHARS = 1500  # an HTML article shorter than this is compared with the page's embedded data
EMBEDDED_GAIN = 2.0  # the embedded article replaces a short HTML one only when at least this many times longer
MAX_PRUNED_SHARE = 0.4  # a boilerplate-looking element with more of the page's prose than this stays
MAX_LEAD_PARAGRAPHS = 2
PROSE_CHARS = 80  # a page paragraph this long that ends like a sentence counts as prose
DEK_WORDS = 7  # a heading this long before the first paragraph is a subtitle, not a section heading
INDEX_MAX_PARAGRAPH = 300  # a page whose paragraphs are all shorter than this may be a list of teasers
_KEY_HEAD_CHARS = 200  # an element's text is keyed whole only when the key of this many first characters fits
_LEAD_KEY_CHARS = 80  # the body's first paragraph is found on the page by this many characters of its key
NAME_CACHE = 16_384  # class/id strings whose furniture verdict is remembered (bounded: a server sees many pages)
STANDFIRST_WORDS = 20  # a heading above the body this long, of two sentences or more, is the lead (standfirst)
_SENTENCE_STOP = re.compile(f"[{re.escape(TERMINATORS)}](?=[\\s{re.escape(CLOSERS)}]|$)")  # stops, counted
_SUBTITLE_TOKENS = {"subtitle", "subheadline", "subhead", "dek", "kicker", "untertitel", "dachzeile"}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9äöüß]+")
_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "pre"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LEAD_TAGS = {"p", "div", "h2", "h3", "section", "span", "strong", "b"}
_NEVER_PRUNE = {"html", "body", "article", "main", "h1"}


@langdata.cached
def _tables() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], Markers, Markers]:
    table = markers()
    words = frozenset(m for m in table.get("class_markers", []) if "-" not in m)
    phrases = tuple(m for m in table.get("class_markers", []) if "-" in m)
    lead = frozenset(table.get("lead_markers", []))
    return words, phrases, lead, Markers(table.get("line_markers", [])), Markers(table.get("credit_markers", []))


def _tokens(el: HtmlElement) -> list[str]:
    """Lower-case tokens of an element's class and id ("shareTools" → share, tools)."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not raw.strip():
        return []
    return [t for t in _TOKEN_SPLIT.split(_CAMEL.sub(" ", raw).lower()) if t]


@lru_cache(maxsize=NAME_CACHE)
def _boilerplate_names(cls: str, ident: str, path: tuple[str, ...]) -> bool:
    """Whether a class and id mark page furniture (cached, bounded: pages repeat the same names many times;
    ``path`` is the langdata search path the answer was made with)."""
    raw = f"{cls} {ident}"
    tokens = [t for t in _TOKEN_SPLIT.split(_CAMEL.sub(" ", raw).lower()) if t] if raw.strip() else []
    if not tokens:
        return False
    words, phrases, _, _, _ = _tables()
    if any(t in words for t in tokens):
        return True
    joined = "-" + "-".join(tokens) + "-"
    return any(f"-{p}-" in joined for p in phrases)


_PROSE_MARK = "data-pith-prose"


def _mark_prose(tree: HtmlElement) -> int:
    """Mark every prose paragraph with its length (read again by :func:`_prose_spread`); the page's total."""
    total = 0
    for p in tree.iter("p"):
        text = norm(p.text_content())
        if len(text) >= PROSE_CHARS and ends_sentence(text):
            p.set(_PROSE_MARK, str(len(text)))
            total += len(text)
    return total


def _prose_spread(el: HtmlElement) -> tuple[int, int, int]:
    """Prose characters in ``el``'s marked paragraphs, how many paragraphs hold them and in how many parents."""
    total = count = 0
    parents = set()
    for p in el.iter("p"):
        if (n := p.get(_PROSE_MARK)) is not None:
            total += int(n)
            count += 1
            parents.add(p.getparent())
    return total, count, len(parents)


def _prune(tree: HtmlElement) -> int:
    """Remove share bars, teaser lists, tag lists, comments, banners and captions (never most of the prose).

    The tree is walked from the top and a removed element's subtree is not visited (big pages). A
    boilerplate-looking element with most of the page's prose stays, unless that prose is a thread of small
    posts (comments, teaser cards). Returns the prose characters left on the page.
    """
    lxml.etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    total = left = _mark_prose(tree)
    path = langdata.search_path()
    stack = list(tree.iterchildren(lxml.etree.Element, reversed=True))
    while stack:
        el = stack.pop()
        cls, ident, tag = el.get("class"), el.get("id"), el.tag
        # a caption, or an element whose class or id marks furniture
        if (tag == "figcaption" or ((cls or ident) and _boilerplate_names(cls or "", ident or "", path))) \
                and tag not in _NEVER_PRUNE and el.find(".//h1") is None:
            prose, paragraphs, parents = _prose_spread(el)
            thread = parents >= THREAD_POSTS and paragraphs < THREAD_PARAGRAPHS * parents
            if prose <= MAX_PRUNED_SHARE * total or thread:
                left -= prose
                el.drop_tree()
                continue
        stack.extend(el.iterchildren(lxml.etree.Element, reversed=True))  # elements only: no comments
    return left


_BLOCK_LEVEL = frozenset({"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                          "section", "article", "figure", "pre", "header", "footer", "aside", "nav", "form"})


LOOSE_TEXT_CHARS = 40  # loose text this long between blocks (after an image, a figure) is a paragraph
_CONTAINERS = frozenset({"div", "section", "article", "main", "body"})


def _loose_text_to_paragraphs(tree: HtmlElement) -> None:
    """Text standing loose between block elements (the first sentence after a figure) becomes a ``<p>``, and an
    e-mail link becomes its plain address, so that neither is lost as layout or navigation."""
    for a in list(tree.xpath('//a[starts-with(@href, "mailto:")]')):
        if a.getparent() is not None and not len(a):
            a.drop_tag()
    for el in list(tree.iter(*_BLOCK_LEVEL, "img", "picture")):
        parent = el.getparent()
        tail = el.tail or ""
        if parent is None or parent.tag not in _CONTAINERS or len(tail.strip()) < LOOSE_TEXT_CHARS:
            continue
        p = lxml.html.Element("p")
        p.text, el.tail = tail.strip(), tail[:len(tail) - len(tail.lstrip())]
        el.addnext(p)
        lead = parent.text or ""
        if len(lead.strip()) >= LOOSE_TEXT_CHARS:  # the text before the container's first block, too
            first = lxml.html.Element("p")
            first.text, parent.text = lead.strip(), None
            parent.insert(0, first)


def _br_divs_to_paragraphs(tree: HtmlElement) -> None:
    """A ``<div>`` of text lines split by ``<br>`` (no block inside) is a paragraph: trafilatura would drop its
    first line."""
    for div in list(tree.iter("div")):
        if not (div.text or "").strip() or div.find("br") is None:
            continue
        if any(isinstance(el.tag, str) and el.tag in _BLOCK_LEVEL for el in div.iterdescendants()):
            continue
        div.tag = "p"


def _blocks_of(body: lxml.etree._Element) -> list[Block]:
    blocks: list[Block] = []
    for el in body:
        if el.tag == "list":
            blocks.extend(Block(t) for item in el.iter("item") if (t := norm("".join(item.itertext()))))
        elif el.tag == "table":
            for row in el.iter("row"):
                cells = [norm("".join(c.itertext())) for c in row.iter("cell")]
                if line := " | ".join(c for c in cells if c):
                    blocks.append(Block(line, table=True))
        else:
            blocks.extend(Block(line, heading=el.tag == "head") for line in _lines(el))
        if el.tail and el.tail.strip():  # text between two block elements is a paragraph too
            blocks.append(Block(norm(el.tail)))
    return blocks


def _lines(el: lxml.etree._Element) -> list[str]:
    """The text of ``el`` cut at its ``<br>`` line breaks, each line normalised; the source's own line breaks
    inside a paragraph are spaces (except in code)."""
    if el.tag not in {"code", "pre"}:
        for node in el.iter():
            if node.text and "\n" in node.text:
                node.text = node.text.replace("\n", " ")
            if node is not el and node.tail and "\n" in node.tail:
                node.tail = node.tail.replace("\n", " ")
    for lb in el.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    text = (el.text or "") + "".join(lxml.etree.tostring(c, method="text", encoding="unicode", with_tail=True)
                                      for c in el)
    return [line for raw in text.split("\n") if (line := norm(raw))]


def _html_lines(el: HtmlElement) -> list[str]:
    """The text of a page element cut at its ``<br>`` (never glued: "seen.<br>Then" is two lines)."""
    chunks: list[str] = []
    _collect(el, chunks)
    return [line for raw in "".join(chunks).split("\n") if (line := norm(raw))]


def _collect(el: HtmlElement, chunks: list[str], depth: int = 0) -> None:
    if el.tag == "br":
        chunks.append("\n")
    elif isinstance(el.tag, str) and el.text:
        chunks.append(el.text.replace("\n", " "))
    if depth < 200:  # deeper markup inside one paragraph is not text worth reading
        for child in el:
            _collect(child, chunks, depth + 1)
            if child.tail:
                chunks.append(child.tail.replace("\n", " "))


def _trafilatura(tree: HtmlElement, url: str | None, **options: object) -> list[Block]:
    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, with_metadata=False, **options)
    if doc is None or doc.body is None:
        return []
    return _blocks_of(doc.body)


def _clean_blocks(blocks: list[Block], meta: PageMeta) -> list[Block]:
    """Drop the repeated title, boilerplate lines, credits, menus, initials, repeats and headings that head
    nothing; bylines and date lines at the article's edges."""
    _, _, _, lines, credits = _tables()
    titles = {text_key(t) for t in (meta.title, norm(meta.h1.text_content()) if meta.h1 is not None else "") if t}
    out: list[Block] = []
    last_key = ""  # the key of out[-1]
    for block in blocks:
        key = text_key(block.text)
        if not key or (not out and key in titles):
            continue
        if len(block.text) < 160 and (lines.search(block.text) or credits.search(block.text)):
            continue
        if out and key == last_key:
            continue  # the same paragraph twice in a row (responsive duplicates)
        if INITIALS.fullmatch(block.text) or (not block.table and is_menu(block.text)):
            continue
        out.append(block)
        last_key = key
    while out and out[-1].heading:
        out.pop()
    while out and out[0].heading and len(out[0].text.split()) >= DEK_WORDS:
        out.pop(0)  # a subtitle (dek) above the first paragraph: no article text
    out = trim_edges(out)
    while out and out[-1].heading:
        out.pop()
    if out and (m := TRAILING_INITIALS.search(out[-1].text)):
        out[-1] = Block(out[-1].text[:m.start()], out[-1].heading, out[-1].table)
    return out


def _iter_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    return tree.iter(lxml.etree.Element)  # elements only: no comments or processing instructions


def _is_bold_paragraph(el: HtmlElement) -> bool:
    """A ``<p>`` whose whole text is one bold run: how many sites set their lead."""
    if el.tag != "p" or len(el) != 1 or (el.text or "").strip() or (el[0].tail or "").strip():
        return False
    return el[0].tag in {"strong", "b"}


def _is_subtitle(el: HtmlElement) -> bool:
    """A heading marked as the subtitle (dek) or as the page's description: no article text."""
    tokens = _tokens(el)
    joined = "-" + "-".join(tokens) + "-"
    return any(t in _SUBTITLE_TOKENS for t in tokens) or "-sub-head" in joined or "-sub-title-" in joined \
        or "description" in (el.get("itemprop") or "").lower()


def _lead_candidate(el: HtmlElement, lead_words: frozenset[str]) -> bool:
    if el.tag in _HEADINGS and el.tag != "h1":  # a standfirst set as a heading: prose, not a one-line subtitle
        text = norm(el.text_content())
        return len(text.split()) >= STANDFIRST_WORDS and len(_SENTENCE_STOP.findall(text)) >= 2 \
            and not _is_subtitle(el)
    return el.tag in _LEAD_TAGS and (any(t in lead_words for t in _tokens(el)) or _is_bold_paragraph(el))


def _recover_lead(tree: HtmlElement, blocks: list[Block], meta: PageMeta) -> list[Block]:
    """Prepend the lead paragraph(s) that stand between the headline and the extracted body.

    Deks and subtitles are not leads: only elements whose class or id carries a lead marker (lead, intro,
    teaser…) or paragraphs set wholly in bold, that read as prose and that come after the ``<h1>`` and before
    the first extracted paragraph are taken, two at most.
    """
    first = next((b for b in blocks if not b.heading), None)
    h1 = next(iter(tree.iter("h1")), None)
    if first is None or h1 is None:
        return blocks
    _, _, lead_words, lines, credits = _tables()
    known: set[str] = set()  # the blocks' keys, made for the first candidate
    first_key = text_key(first.text)[:_LEAD_KEY_CHARS]
    candidates: list[tuple[HtmlElement, str]] = []
    after_h1 = reached_body = False
    for el in _iter_elements(tree):
        if el is h1:
            after_h1 = True
            continue
        if not after_h1:
            continue
        if el.tag == "p" and _key_start(el.text_content()) == first_key:
            reached_body = True
            break
        if not _lead_candidate(el, lead_words) or (candidates and _inside(el, candidates[-1][0])):
            continue
        text = " ".join(_html_lines(el))
        known = known or {text_key(b.text) for b in blocks}
        if not PROSE_CHARS <= len(text) <= 1200 or not ends_sentence(text) or text_key(text) in known:
            continue
        if lines.search(text) or credits.search(text) or _link_density(el, text) > 0.3 or _inside(el, h1) \
                or promo_hits(text):
            continue
        if el.xpath("ancestor::a|ancestor::figure|ancestor::nav|ancestor::aside"):
            continue
        candidates.append((el, text))
    if not reached_body or not candidates or len(candidates) > MAX_LEAD_PARAGRAPHS:
        return blocks
    return [Block(text) for _, text in candidates] + blocks


def _key_start(text: str) -> str:
    """``text_key(text)[:_LEAD_KEY_CHARS]``, keying only the text's head when that is enough (a key of a text's
    head is the start of the text's key)."""
    head = text_key(text[:_KEY_HEAD_CHARS])
    return head[:_LEAD_KEY_CHARS] if len(head) >= _LEAD_KEY_CHARS else text_key(text)[:_LEAD_KEY_CHARS]


def _inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _link_density(el: HtmlElement, text: str) -> float:
    linked = sum(len(norm(a.text_content())) for a in el.iter("a"))
    return linked / max(1, len(text))


def _readability_blocks(tree: HtmlElement) -> list[Block]:
    """The article as readability-lxml sees it (nothing when readability fails on the page)."""
    try:
        summary = lxml.html.fromstring(Readability(deepcopy(tree)).summary(html_partial=True))
    except Exception as err:  # readability's own failures must not cost the first extraction
        log.debug("readability failed: %r", err)
        return []
    blocks: list[Block] = []
    for el in summary.iter("p", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "td"):
        if any(a.tag in _BLOCKS or a.tag == "td" for a in el.iterancestors()):
            continue
        if el.tag == "p" and el.find(".//p") is not None:  # readability's paragraph around paragraphs
            blocks.extend(Block(t) for inner in el.iter("p") if inner is not el for t in _html_lines(inner))
            continue
        blocks.extend(Block(t, heading=el.tag in _HEADINGS) for t in _html_lines(el))
    return blocks


def _words(blocks: list[Block]) -> set[str]:
    return {w for b in blocks for w in WORD.findall(b.text.casefold())}


def _coherent_blocks(tree: HtmlElement) -> list[Block]:
    """The largest coherent prose block: the element whose own paragraphs hold the most prose, read in order.

    A comment thread does not win here: each comment is its own small container.
    """
    by_parent: dict[HtmlElement, int] = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        text = norm(p.text_content())
        if parent is not None and len(text) >= PROSE_CHARS and ends_sentence(text):
            by_parent[parent] = by_parent.get(parent, 0) + len(text)
    if not by_parent:
        return []
    best = max(by_parent, key=by_parent.__getitem__)
    blocks: list[Block] = []
    for el in best:
        if not isinstance(el.tag, str) or el.tag not in _BLOCKS | {"ul", "ol"}:
            continue
        items = list(el.iter("li")) if el.tag in {"ul", "ol"} else [el]
        blocks.extend(Block(t, heading=el.tag in _HEADINGS) for item in items for t in _html_lines(item))
    return blocks


def _thread_of_posts(tree: HtmlElement, found: list[Block], other: list[Block]) -> bool:
    """True when what ``other`` adds to ``found`` sits in many small sibling containers: posts, not article."""
    known = {text_key(b.text) for b in found}
    extra = {text_key(b.text) for b in other if not b.heading} - known
    if len(extra) < THREAD_POSTS:
        return False
    parents: dict[HtmlElement, int] = {}
    for p in tree.iter("p"):
        if text_key(p.text_content()) in extra and (parent := p.getparent()) is not None:
            parents[parent] = parents.get(parent, 0) + 1
    return len(parents) >= THREAD_POSTS and sum(parents.values()) / len(parents) < THREAD_PARAGRAPHS


def _repair(tree: HtmlElement, blocks: list[Block], meta: PageMeta, prose: int) -> list[Block]:
    """Swap a truncated, failed or promo-box extraction for a fallback's when the page holds much more prose.

    Runs only when the extraction covers less than half of the page's prose paragraphs (cheap check) or reads
    like a paywall, consent or login box. The fallbacks (readability, the largest coherent prose block) are
    accepted only when clearly longer, no promo box themselves, and either holding what was found (the first
    extraction stopped early) or the first extraction was next to nothing. A promo box with no credible
    fallback is no article: ``PithError("no_article")``.
    """
    promo = promo_like(blocks)
    if not promo:
        blocks = trim_promo(blocks)
    found = 0 if promo else chars(blocks)
    if not promo and (prose < MIN_TEXT_CHARS or found >= TRUNCATED_SHARE * prose):
        return blocks
    mine = _words(blocks)
    next_to_nothing = promo or (found < NOTHING_SHARE * prose and found < NOTHING_CHARS)
    best, best_chars = blocks, found
    for fallback in (_readability_blocks, _coherent_blocks):
        other = trim_promo(_clean_blocks(fallback(tree), meta))
        gained = chars(other)
        if gained < max(1.3 * max(found, 1), MIN_TEXT_CHARS) or gained > 1.5 * prose + 500 or gained <= best_chars:
            continue
        if promo_like(other):
            continue
        kept = len(mine & _words(other)) / max(1, len(mine))
        if found >= MIN_TEXT_CHARS and _thread_of_posts(tree, blocks, other):
            continue  # the first extraction stands: the "rest" is a comment thread below a short article
        if kept >= 0.8 or next_to_nothing:
            best, best_chars = other, gained
    if promo and best is blocks:
        raise PithError("no_article", "The page shows a subscription, consent or login box, not an article.")
    return best


def _is_headline_link(el: HtmlElement) -> bool:
    return el.tag == "a" or (el.tag in _HEADINGS and el.find(".//a") is not None)


def _looks_like_index(tree: HtmlElement, blocks: list[Block]) -> bool:
    """True for a front or section page: its paragraphs are short teasers, each in a card with a linked headline."""
    paragraphs = [b for b in blocks if not b.heading]
    if len(paragraphs) < 3 or any(len(b.text) >= INDEX_MAX_PARAGRAPH for b in paragraphs):
        return False
    wanted = {text_key(b.text) for b in paragraphs}
    ordered = sorted(wanted)
    teasers = 0
    for p in tree.iter("p", "div", "span"):
        if len(p) > 3:
            continue
        # the key of the text's head is a prefix of the whole key: when no wanted key starts with it (one
        # bisection), the whole text (a wrapper's, often long) need not be keyed
        text = p.text_content()
        head = text_key(text[:_KEY_HEAD_CHARS])
        i = bisect.bisect_left(ordered, head)
        if i == len(ordered) or not ordered[i].startswith(head) or text_key(text) not in wanted:
            continue
        card = p.getparent()
        if card is None:
            continue
        card_text = card.text_content()
        if len(card_text) > 2 * INDEX_MAX_PARAGRAPH and len(norm(card_text)) > 2 * INDEX_MAX_PARAGRAPH:
            continue
        if any(_is_headline_link(el) for el in card if el is not p):
            teasers += 1
    return teasers >= 0.6 * len(paragraphs)


def _extract(html: str, url: str | None) -> Article:
    tree = load_html(html)
    if tree is None or len(tree) == 0:
        raise PithError("no_article", "This does not look like an HTML page with an article.")
    _drop_inert(tree)
    elements = _count(tree)
    if elements > MAX_RAW_ELEMENTS:
        raise _too_large(elements)
    sources = data_scripts(tree)  # before pruning strips the scripts
    if elements > PRE_PRUNE_ELEMENTS:  # a big page: boilerplate goes before the expensive passes, metadata too
        prose = _prune(tree)
        if (left := _count(tree)) > MAX_ELEMENTS:
            raise _too_large(left)
        meta = read_metadata(tree, url)
    else:
        meta = read_metadata(tree, url)
        prose = _prune(tree)
    _br_divs_to_paragraphs(tree)
    _loose_text_to_paragraphs(tree)
    blocks = _clean_blocks(_trafilatura(tree, url, fast=True, favor_precision=True), meta)
    if chars(blocks) < MIN_TEXT_CHARS:
        for options in ({"favor_precision": True}, {"fast": True}, {}):
            alternative = _clean_blocks(_trafilatura(tree, url, **options), meta)
            if chars(alternative) > chars(blocks):
                blocks = alternative
            if chars(blocks) >= MIN_TEXT_CHARS:
                break
    try:
        blocks = _repair(tree, blocks, meta, prose)
    except PithError:
        blocks = _from_data(sources, [], meta)
        if not blocks:
            raise
    if _looks_like_index(tree, blocks):
        raise PithError("no_article", "This page lists articles (an index or front page) but holds none itself.")
    blocks = _recover_lead(tree, blocks, meta)
    if sources and chars(blocks) < EMBEDDED_CHECK_CHARS:
        blocks = _from_data(sources, blocks, meta) or blocks
    if sum(len(WORD.findall(b.text)) for b in blocks if not b.heading) < MIN_ARTICLE_WORDS:
        raise PithError("no_article", "No article text was found on this page.")
    return _finished(blocks, meta, url)


def _count(tree: HtmlElement) -> int:
    return int(tree.xpath("count(//*)"))


def _too_large(elements: int) -> PithError:
    return PithError("too_large", f"The page still has {elements} HTML elements after its menus, teasers and "
                                  f"comments were left out: more than the {MAX_ELEMENTS} Pith reads.")


def _from_data(sources: list[str], blocks: list[Block], meta: PageMeta) -> list[Block]:
    """The article from the page's embedded data when the HTML holds next to none of it ([] otherwise).

    Taken when the HTML gave no article, or when the data's article is at least ``EMBEDDED_GAIN`` times longer
    and holds most words of what the HTML gave (the HTML showed only its start).
    """
    other = trim_promo(_clean_blocks([Block(p) for p in embedded_paragraphs(sources)], meta))
    gained, found = chars(other), chars(blocks)
    if gained < MIN_TEXT_CHARS or promo_like(other):
        return []
    words = sum(len(WORD.findall(b.text)) for b in blocks if not b.heading)
    if words < MIN_ARTICLE_WORDS:
        return other
    mine = _words(blocks)
    kept = len(mine & _words(other)) / max(1, len(mine))
    return other if gained >= EMBEDDED_GAIN * found and kept >= 0.8 else []


def _finished(blocks: list[Block], meta: PageMeta, url: str | None) -> Article:
    """The article with every field through the hygiene step (entities such as ``&shy;`` decode only now)."""
    paragraphs = [t for raw in clean_text("\n".join(b.text for b in blocks)).split("\n") if (t := norm(raw))]
    return Article(text="\n\n".join(paragraphs), title=_clean_field(meta.title), author=_clean_field(meta.author),
                   date=meta.date, site=_clean_field(meta.site), url=url or meta.url)


def _clean_field(value: str | None) -> str | None:
    return (norm(clean_text(value)) or None) if value else None


_INERT_TAGS = ("svg", "style", "template", "canvas")


def _drop_inert(tree: HtmlElement) -> None:
    """Remove elements that never hold article text or metadata (inline SVG icons, styles) but swell the
    element count of rendered pages; their tails, which are page text, stay."""
    for el in list(tree.iter(*_INERT_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()


def extract_html(html: str, url: str | None = None, *, clean: bool = True) -> Article:
    """The article in ``html``: text (paragraphs split by blank lines, headings as their own) and cleaned metadata.

    ``clean=False`` skips the character hygiene for a caller that has already applied it (the pipeline).

    Raises ``PithError("no_article")`` when the page holds no extractable article, and never another kind of
    exception: parser failures and pathological trees become ``no_article`` too.
    """
    if not isinstance(html, str):
        raise PithError("bad_request", "The page must be given as decoded text.")
    if not html.strip():
        raise PithError("no_article", "The page is empty.")
    try:
        return _extract(clean_text(html) if clean else html, url)
    except PithError:
        raise
    except RecursionError:
        raise PithError("no_article", "The page's HTML is nested too deeply to read.") from None
    except Exception as err:  # lxml and trafilatura failures on malformed pages
        log.debug("extraction failed: %r", err)
        raise PithError("no_article", "The page's HTML could not be read as an article.") from None

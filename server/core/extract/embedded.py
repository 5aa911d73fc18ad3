"""The article shipped as data in the page: ``application/ld+json`` ``articleBody`` and hydration JSON
(``__NEXT_DATA__`` and the like), for pages whose HTML body holds none of it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml.html import HtmlElement

from server.core.text.sentences import CLOSERS, ends_like_sentence

MAX_SCRIPT_CHARS = 5_000_000  # a data blob larger than this is not read (time and memory)
MAX_DEPTH = 60  # JSON nesting followed this deep
MAX_NODES = 200_000  # JSON values visited per page at most
MIN_BODY_CHARS = 200  # a string shorter than this is no article body
MIN_LIST_ITEMS = 3  # a list of paragraph objects needs this many text items
_BODY_KEYS = {"articlebody", "body", "bodyhtml", "bodytext", "content", "contenthtml", "text", "html",
              "articletext", "description_html", "value", "paragraph", "markup"}
_HYDRATION = re.compile(r"__NEXT_DATA__|__NUXT__|__INITIAL_STATE__|__APOLLO_STATE__|__PRELOADED_STATE__|"
                        r"__INITIAL_DATA__|__STATE__|__DATA__")
_TAG = re.compile(r"<(p|br|div|h[1-6]|ul|li|blockquote)\b", re.IGNORECASE)
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")


def data_scripts(tree: HtmlElement) -> list[str]:
    """The JSON texts of a page's data scripts (read before scripts are stripped)."""
    found: list[str] = []
    for script in tree.iter("script"):
        text = script.text or ""
        if not text or len(text) > MAX_SCRIPT_CHARS:
            continue
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind or (kind == "application/json" and _HYDRATION.search(script.get("id") or "")):
            found.append(text)
        elif _HYDRATION.search(text[:2000]) and "{" in text:
            found.append(text[text.index("{"):text.rindex("}") + 1])
    return found


def embedded_paragraphs(sources: list[str]) -> list[str]:
    """The longest article body found in the data blobs, as paragraphs ([] when there is none)."""
    best: list[str] = []
    best_chars = 0
    for source in sources:
        try:
            data = json.loads(source)
        except (ValueError, RecursionError):
            continue
        budget = [MAX_NODES]
        for paragraphs in _candidates(data, 0, budget):
            # prose: paragraphs that end with a stop or a closing mark (text/sentences' notion)
            chars = sum(len(p) for p in paragraphs if ends_like_sentence(p, alone=CLOSERS))
            if chars > best_chars:
                best, best_chars = paragraphs, chars
    return best


def _candidates(data: Any, depth: int, budget: list[int]) -> Iterator[list[str]]:
    budget[0] -= 1
    if depth > MAX_DEPTH or budget[0] < 0:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key.lower() in _BODY_KEYS and len(value) >= MIN_BODY_CHARS:
                yield _paragraphs(value)
            elif isinstance(value, dict | list):
                yield from _candidates(value, depth + 1, budget)
    elif isinstance(data, list):
        texts = [t for item in data if isinstance(item, dict) for t in _item_texts(item)]
        if len(texts) >= MIN_LIST_ITEMS and sum(len(t) for t in texts) >= MIN_BODY_CHARS:
            yield [p for t in texts for p in _paragraphs(t)]
        for item in data:
            if isinstance(item, dict | list):
                yield from _candidates(item, depth + 1, budget)


def _item_texts(item: dict[str, Any]) -> list[str]:
    """The text of one paragraph object in a list of content blocks (``{"type": "paragraph", "text": …}``)."""
    return [v for k, v in item.items() if isinstance(v, str) and k.lower() in _BODY_KEYS and v.strip()][:1]


def _paragraphs(value: str) -> list[str]:
    if _TAG.search(value):
        try:
            root = lxml.html.fragment_fromstring(value, create_parent="div")
        except (ValueError, lxml.etree.ParserError):
            return []
        for br in root.iter("br"):
            br.tail = "\n" + (br.tail or "")
        out: list[str] = []
        blocks = [el for el in root.iter(*_BLOCK_TAGS)
                  if not any(a.tag in _BLOCK_TAGS for a in el.iterancestors())]
        for el in blocks or [root]:
            out.extend(line for raw in el.text_content().split("\n") if (line := " ".join(raw.split())))
        return out
    return [line for raw in value.split("\n") if (line := " ".join(raw.split()))]

"""The core: a page (HTML or plain text, already decoded) → a :class:`Digest`. No I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from server.core import langdata
from server.core.digest import Article, Digest, count_words, reading_minutes
from server.core.errors import PithError
from server.core.extract.html import extract_html
from server.core.extract.plaintext import extract_text
from server.core.quotes.finder import find_quotes
from server.core.summary.facts import find_facts
from server.core.summary.salience import analyse
from server.core.summary.summarize import summarize
from server.core.text.hygiene import clean_text
from server.core.text.language import detect_language
from server.core.text.sentences import split_sentences

InputKind = Literal["auto", "html", "text"]
MIN_SENTENCES, MAX_SENTENCES = 1, 5
DEFAULT_SENTENCES: int | None = None  # "auto": the summary adapts between 2 and 4 sentences to their length

# Binary data: more than this share of control characters (not tab, newline, CR, form feed) in the
# first BINARY_HEAD_CHARS. Random bytes have about 10 %; text with stray NULs from a PDF far less.
BINARY_HEAD_CHARS = 4096
BINARY_CONTROL_SHARE = 0.05

_HTML_SIGNS = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|div|p|meta|title|section|span|br|h[1-6])\b",
    re.IGNORECASE,
)


_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f]")  # control characters but tab, newlines, form feed and CR


def looks_binary_text(page: str) -> bool:
    """True when the start of ``page`` is mostly control characters (binary data); a stray NUL is not enough."""
    head = page[:BINARY_HEAD_CHARS]
    controls = len(_CONTROL_CHARS.findall(head))
    return bool(head) and controls > len(head) * BINARY_CONTROL_SHARE


def looks_like_html(page: str) -> bool:
    """True when ``page`` is markup rather than plain text (a few HTML tags near its start)."""
    head = page[:20_000]
    return len(_HTML_SIGNS.findall(head)) >= 2 or head.lstrip().lower().startswith(("<!doctype", "<html"))


def build_digest(page: str, *, input: InputKind = "auto", url: str | None = None,
                 sentences: int | None = DEFAULT_SENTENCES, lang: str | None = None,
                 langdata_dirs: Sequence[str] | None = None) -> Digest:
    """Digest ``page``: extract the article, then its summary, facts and quotes.

    ``input`` says whether ``page`` is HTML or a page copied as text (``auto`` decides by content);
    ``url`` is the page's address, used for metadata; ``lang`` and ``langdata_dirs`` as for
    :func:`digest_article` (the directories also serve the extraction). Raises :class:`PithError` for bad input.
    """
    if sentences is not None and not MIN_SENTENCES <= sentences <= MAX_SENTENCES:
        raise PithError("bad_request", f"sentences must be between {MIN_SENTENCES} and {MAX_SENTENCES}.")
    if isinstance(page, str) and looks_binary_text(page):
        raise PithError("not_html", "This is binary data, not an HTML page or a text.")
    page = clean_text(page) if isinstance(page, str) else page  # hygiene first: every offset is into clean text
    if not page or not page.strip():
        raise PithError("bad_request", "The page is empty.")
    kind = input if input != "auto" else ("html" if looks_like_html(page) else "text")
    with langdata.using(langdata_dirs):
        # the page is clean already: the extractors need not run the hygiene step again
        article = extract_html(page, url, clean=False) if kind == "html" else extract_text(page, clean=False)
        if url and not article.url:
            article.url = url
        return digest_article(article, sentences=sentences, lang=lang)


def digest_article(article: Article, *, sentences: int | None = DEFAULT_SENTENCES, lang: str | None = None,
                   langdata_dirs: Sequence[str] | None = None) -> Digest:
    """Summary, facts and quotes of an already extracted article.

    ``lang`` (an ISO 639-1 code such as ``de``) skips language detection; ``langdata_dirs`` are searched for
    ``<lang>/<topic>.json`` before the built-in tables, for this digest only (see :mod:`server.core.langdata`).
    """
    text = article.text
    if not text.strip():
        raise PithError("no_article", "No article text was found on this page.")
    if lang is not None and not (lang.isascii() and lang.isalpha() and 2 <= len(lang) <= 3):
        raise PithError("bad_request", "lang must be a language code such as 'de' or 'en'.")
    with langdata.using(langdata_dirs):
        return _digest_text(article, text, sentences, lang.lower() if lang else detect_language(text))


def _digest_text(article: Article, text: str, sentences: int | None, lang: str | None) -> Digest:
    """The digest of ``text`` in ``lang``, on the langdata search path in force."""
    spans = split_sentences(text, lang)
    # sentence features, once for the summary and the facts; a number in the site's or author's name is no figure
    analysed = analyse(text, spans, lang, names=(article.site, article.author))
    words = count_words(text)
    return Digest(
        text=text,
        url=article.url,
        title=article.title,
        author=article.author,
        date=article.date,
        site=article.site,
        language=lang,
        word_count=words,
        reading_minutes=reading_minutes(words),
        summary=summarize(text, spans, lang=lang, title=article.title, n=sentences, analysed=analysed),
        facts=find_facts(text, spans, lang=lang, analysed=analysed),
        quotes=find_quotes(text, spans, lang=lang),
    )

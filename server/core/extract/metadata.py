"""Page metadata (title, author, date, site, url) read from an HTML tree and cleaned as the page writes it."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
from htmldate import find_date
from lxml.html import HtmlElement

from server.core import langdata

TOPIC = "html_boilerplate"
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-([01]?\d)-([0-3]?\d)")
_COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([01]\d)([0-3]\d)(?!\d)")
_DMY_DATE = re.compile(r"(?<!\d)([0-3]?\d)\.\s?([01]?\d)\.\s?((?:19|20)\d\d)(?!\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/([01]?\d)/([0-3]?\d)/")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·•»«›‹:/-]\s+|\s+::\s+")
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "webpage", "report",
                  "scholarlyarticle", "techarticle", "liveblogposting", "posting", "socialmediaposting"}
_DATE_META = ("article:published_time", "datepublished", "og:published_time", "publishdate", "publish-date",
              "pubdate", "date", "dc.date.issued", "dc.date", "dcterms.date", "sailthru.date", "parsely-pub-date",
              "article.published", "published_time", "dc.date.created", "citation_publication_date")
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author",
                "twitter:creator", "citation_author")
_STRONG_SITE_META = ("og:site_name",)
_SITE_META = ("application-name", "apple-mobile-web-app-title", "twitter:site")


@dataclass(slots=True)
class PageMeta:
    """Cleaned metadata of a page; every field ``None`` when unknown."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    description: str | None = None
    h1: HtmlElement | None = None


@langdata.cached
def markers() -> dict[str, list[str]]:
    """All languages' HTML boilerplate tables merged (a page's language is not known before extraction)."""
    merged: dict[str, list[str]] = {}
    for lang in langdata.languages(TOPIC):
        for key, values in langdata.load(lang, TOPIC).items():
            if isinstance(values, list):
                merged.setdefault(key, [])
                merged[key].extend(v for v in values if v not in merged[key])
    return merged


def norm(text: str | None) -> str:
    """Whitespace collapsed and trimmed."""
    return " ".join(text.split()) if text else ""


def _key(text: str) -> str:
    """Letters and digits only, case-folded: for comparing names and titles."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = norm(el.get("content"))
        if name and content and name not in found:
            found[name] = content
    return found


def _json_ld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        yield from _ld_objects(data, 0)


def _ld_objects(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        types = data.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
            yield data
        if "@graph" in data:
            yield from _ld_objects(data["@graph"], depth + 1)


def _ld_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value[:10] for n in _ld_names(v)]
    return []


def host_name(url: str | None) -> str | None:
    """The host of ``url`` without a leading ``www.``."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def _like_host(name: str, host: str | None) -> bool:
    """True when ``name`` is plausibly the publication at ``host`` ("Oban Herald", "@obanherald", "OH")."""
    if not host:
        return False
    label = _key(host.rsplit(".", 1)[0] if "." in host else host)
    key = _key(name)
    if len(key) < 3 or not label:
        return False
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", name.casefold()))
    return key in label or label in key or (len(initials) >= 2 and label.startswith(initials))


def clean_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO, compact or day.month.year date string; ``None`` when there is none."""
    if not value:
        return None
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_DMY_DATE, (3, 2, 1)), (_COMPACT_DATE, (1, 2, 3))):
        if m := pattern.search(value):
            y, mo, d = (int(m.group(i)) for i in order)
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _site_matches(part: str, sites: Iterable[str]) -> bool:
    k = _key(part)
    if not k:
        return False
    for site in sites:
        s = _key(site)
        if s and (k == s or (len(s) >= 4 and (s in k or k in s) and len(k) <= 2 * len(s) + 4)):
            return True
    return False


def clean_title(title: str | None, sites: Iterable[str] = ()) -> str | None:
    """``title`` without a site name glued before or after it ("Title | Site", "Site - Title")."""
    title = norm(title)
    if not title:
        return None
    sites = [s for s in sites if s]
    if (head := title.partition(": ")[0]) != title and _site_matches(head, sites):
        return norm(title[len(head) + 2:]) or title  # "Site: Title" (a colon after a label is the title's own)
    parts = _TITLE_SEPARATORS.split(title)
    seps = _TITLE_SEPARATORS.findall(title)
    if len(parts) > 1:
        if _site_matches(parts[-1], sites) or _site_matches(parts[0], sites):
            while len(parts) > 1 and _site_matches(parts[-1], sites):  # "Site – Title | Site": both ends
                parts, seps = parts[:-1], seps[:-1]
            while len(parts) > 1 and _site_matches(parts[0], sites):
                parts, seps = parts[1:], seps[1:]
            return norm("".join(p + sep for p, sep in zip(parts, [*seps, ""], strict=True))) or title
        last = parts[-1]
        if seps[-1].strip() == "|" and len(last.split()) <= 4 and len(last) < len(title) / 2:
            return norm(title[: title.rfind(seps[-1])]) or title
    return title


def _strip_prefix(name: str, prefixes: list[str]) -> str:
    """``name`` without a byline word before it: "By X", "Von X", "Analysis by X", "Text: X"."""
    low = name.lower()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if low.startswith(prefix) and (len(name) == len(prefix) or not name[len(prefix)].isalnum()):
            return name[len(prefix):].lstrip(" :–-").strip()
    words = "|".join(re.escape(p) for p in prefixes if " " not in p)
    if words and (m := re.match(rf"(?:[^\W\d]+\s+){{1,2}}?(?:{words})\s+", name, re.IGNORECASE)):
        return name[m.end():].strip()
    if m := re.match(r"[^\W\d]+:\s+", name):  # a one-word label ("Text:", "Photos:")
        return name[m.end():].strip()
    return name


@langdata.cached
def _byline_date() -> re.Pattern[str]:
    """Where a byline's date starts: "Updated: May 3", "Aktualisiert am 12.03.", "on 3 May"."""
    words = "|".join(re.escape(w) for w in sorted(markers().get("byline_date_words", []), key=len, reverse=True))
    return re.compile(rf"\s+(?:{words or '(?!x)x'})\b\s*:?\s*(?:am\s+|on\s+)?(?=\d|[^\W\d]{{3,}}\.?\s+\d)",
                      re.IGNORECASE)


def clean_author(raw: str | Iterable[str] | None, sites: Iterable[str] = ()) -> str | None:
    """Author names as written, without "By"/"Von", several joined with ``"; "``; ``None`` when no name is left.

    A name that is one of ``sites`` (the publication's own name, "Site staff") is no author; an agency is.
    """
    if raw is None:
        return None
    values = [raw] if isinstance(raw, str) else list(raw)
    sites = [s for s in sites if s]
    table = markers()
    prefixes = [p.lower() for p in table.get("byline_prefixes", [])]
    boilerplate = re.compile("|".join(f"(?:{p})" for p in table.get("line_markers", [])) or r"(?!x)x", re.IGNORECASE)
    separators = table.get("author_separators", [", ", "; "])
    names: list[str] = []
    for value in values:
        value = norm(value)
        if not value or value.lower().startswith(("http://", "https://", "www.")) or "@" in value[:1]:
            continue
        value = re.split(r"\s+[|·•]\s+|\s+[-–—]\s+(?=\d)|\n", value)[0]
        value = _byline_date().split(value, maxsplit=1)[0]
        value = _strip_prefix(value, prefixes)
        pieces = [value]
        for sep in separators:
            pieces = [q for p in pieces for q in _split_names(p, sep)]
        for piece in pieces:
            piece = _strip_prefix(norm(piece).strip(" ,;:"), prefixes)
            if sites and _site_matches(piece, sites):
                continue
            if _is_name(piece) and not boilerplate.search(piece) and _key(piece) not in {_key(n) for n in names}:
                names.append(piece)
    return "; ".join(names) if names else None


def _split_names(text: str, sep: str) -> list[str]:
    low = text.lower()
    if sep.lower() not in low:
        return [text]
    parts = re.split(re.escape(sep), text, flags=re.IGNORECASE)
    if sep.strip() == "," and len(parts) == 2 and all(len(p.split()) == 1 for p in parts):
        return [text]  # "Doe, Jane": one name, last name first
    return parts


def _is_name(text: str) -> bool:
    if not text or len(text) > 80 or len(text.split()) > 7 or sum(c.isdigit() for c in text) > 2:
        return False
    if any(c in text for c in "()[]{}<>|=?!"):
        return False
    return any(c.isalpha() for c in text) and not text.lower().startswith(("http", "www."))


_BYLINE_CLASSES = ("byline", "author", "autor")  # in a class attribute: an element that may hold the byline
MAX_BYLINE_ELEMENTS = 12  # byline-looking elements read, in page order


def _byline_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements marked as the author's or the byline (rel, itemprop, class), in page order; no meta, link or
    script. A walk that the caller may stop early (an XPath query would first find all of them)."""
    for el in tree.iter(lxml.etree.Element):
        if el.tag in ("meta", "link", "script"):
            continue
        if el.get("rel") == "author" or "author" in (el.get("itemprop") or "") \
                or any(c in (el.get("class") or "") for c in _BYLINE_CLASSES):
            yield el


def _byline_texts(tree: HtmlElement) -> list[str]:
    found: list[str] = []
    for el in itertools.islice(_byline_elements(tree), MAX_BYLINE_ELEMENTS):
        if any(2 < len(norm(inner.text_content())) < 80 for inner in el.xpath(
                './/*[@rel="author" or contains(@itemprop, "author") or contains(@class, "author")'
                ' or contains(@class, "autor")]')):
            continue  # a byline section around the author's own element: the inner one names the author
        links = [norm(a.text_content()) for a in el.iter("a") if norm(a.text_content())]
        text = norm(el.text_content())
        if links and len(links) <= 4 and all(len(x) < 60 for x in links):
            found.extend(links)
            break
        if 2 < len(text) < 80:
            found.append(text)
            break
    return found


def read_metadata(tree: HtmlElement, url: str | None = None) -> PageMeta:
    """Title, author, date, site and url of the page in ``tree`` (cleaned; ``None`` for unknown)."""
    meta = _meta_tags(tree)
    ld = list(_json_ld(tree))[:3]
    canonical = next((norm(el.get("href")) for el in tree.iter("link")
                      if (el.get("rel") or "").lower() == "canonical" and el.get("href")), None)
    page_url = url or meta.get("og:url") or canonical
    host = host_name(page_url)
    site = next((meta[k] for k in _STRONG_SITE_META if meta.get(k) and not meta[k].startswith("@")), None)
    if not site:
        site = next((n for obj in ld for n in _ld_names(obj.get("publisher"))), None)
    if not site:  # an app name or a handle is a section or a brand as often as the publication: only when it
        # resembles the host
        site = next((meta[k] for k in _SITE_META
                     if meta.get(k) and not meta[k].startswith("@") and _like_host(meta[k], host)), None)
    site = norm(site).lstrip("/@#|:-– ") or host
    named_site = site if site != host else None
    h1 = next(iter(tree.iter("h1")), None)
    h1_text = norm(h1.text_content()) if h1 is not None else ""
    raw_title = (meta.get("og:title") or meta.get("twitter:title")
                 or next((o["headline"] for o in ld if isinstance(o.get("headline"), str)), None))
    title_el = next(iter(tree.iter("title")), None)
    doc_title = norm(title_el.text_content()) if title_el is not None else ""
    title = _choose_title(raw_title, doc_title, h1_text, [site or "", host or ""])
    own = [named_site] if named_site else []
    author = clean_author([n for obj in ld for n in _ld_names(obj.get("author"))], own)
    meta_author = next((meta[k] for k in _AUTHOR_META if meta.get(k) and not meta[k].startswith("@")), None)
    if meta_author and (not author or _key(meta_author) == _key(author.replace("; ", ""))):
        author = clean_author(meta_author, own) or author  # the meta tag keeps the page's own spelling
    if not author:
        author = clean_author(_byline_texts(tree), own)
    date = next((d for k in _DATE_META if (d := clean_date(meta.get(k)))), None)
    if not date:
        date = next((d for obj in ld if (d := clean_date(str(obj.get("datePublished") or "")))), None)
    if not date:
        date = next((d for el in tree.iter("time") if (d := clean_date(el.get("datetime")))), None)
    if not date and page_url and (m := _URL_DATE.search(page_url)):
        date = clean_date(f"{m.group(1)}-{m.group(2)}-{m.group(3)}")
    if not date:
        date = _htmldate(tree, page_url)
    description = meta.get("og:description") or meta.get("description") or meta.get("twitter:description")
    return PageMeta(title=title, author=author, date=date, site=site or None, url=page_url,
                    description=description, h1=h1)


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate's quick search (it reads the page text), for pages without a date in their metadata."""
    try:
        return clean_date(find_date(tree, url=url, extensive_search=False, original_date=True))
    except Exception:  # htmldate on a malformed page: the date stays unknown
        return None


def _choose_title(raw: str | None, doc_title: str, h1: str, sites: list[str]) -> str | None:
    """The page's headline: the ``<h1>`` when the meta title or ``<title>`` confirms it, else the cleaned meta title."""
    cleaned = clean_title(raw, sites) or clean_title(doc_title, sites)
    if h1 and len(h1) > 3 and not _site_matches(h1, sites):
        for candidate in (raw, doc_title):
            if candidate and _key(h1) in _key(candidate) and len(_key(h1)) >= 0.5 * len(_key(cleaned or "")):
                return h1
    return cleaned or (h1 or None)

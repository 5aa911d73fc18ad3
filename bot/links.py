"""Links and mentions in a Telegram message; entity offsets and lengths are UTF-16 code units."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

MAX_LINKS = 3
# Only for messages that come without any entities (Telegram always marks URLs; other clients may not).
_BARE_URL = re.compile(r"https?://[^\s<>\"«»“”„]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'’\"…"
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)
_ALMOST_HTTP = re.compile(r"^https?(?::/?[^/]|//)", re.IGNORECASE)  # http:/x, https//x


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    """``text[offset:offset+length]`` with offset and length in UTF-16 code units."""
    data = text.encode("utf-16-le", "surrogatepass")
    return data[2 * offset: 2 * (offset + length)].decode("utf-16-le", "replace")


def normalize_url(raw: str) -> str | None:
    """An http(s) URL from what the user wrote (``example.com/a`` → ``https://example.com/a``), else None."""
    url = raw.strip()
    if not url:
        return None
    if not _SCHEME.match(url):
        if _OTHER_SCHEME.match(url):
            return None  # mailto:, tg: and the like
        url = "https://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return url


def broken_link(text: str | None) -> str | None:
    """A message that is one word and almost a web address (``htps://x``, ``http:/x``, ``https//x``), else None."""
    word = (text or "").strip()
    if not word or any(ch.isspace() for ch in word):
        return None
    if _ALMOST_HTTP.match(word) or ("://" in word and normalize_url(word) is None):
        return word
    return None


def _kind(entity: Any) -> str:
    kind = getattr(entity, "type", None)
    return str(getattr(kind, "value", kind))


def _span(entity: Any) -> tuple[int, int] | None:
    """(offset, length) of an entity, None when they are not sane numbers."""
    try:
        offset, length = int(entity.offset), int(entity.length)
    except (AttributeError, TypeError, ValueError):
        return None
    return (offset, length) if offset >= 0 and length > 0 else None


def extract_links(text: str | None, entities: Iterable[Any] | None, *, limit: int | None = MAX_LINKS) -> list[str]:
    """The http(s) links of a message in order, without repeats: ``url`` entities and ``text_link`` targets.

    Only when the message has no entities at all is its text searched for ``http(s)://`` addresses.
    ``limit`` caps the result (None: all of them).
    """
    text = text or ""
    entities = list(entities or ())
    found: list[str] = []
    if entities:
        for entity in sorted(entities, key=lambda e: _span(e) or (0, 0)):
            kind = _kind(entity)
            if kind == "url":
                if (span := _span(entity)) is None:
                    continue
                raw = utf16_slice(text, *span)
            elif kind == "text_link":
                raw = getattr(entity, "url", None) or ""
            else:
                continue
            found.append(raw)
    else:
        found = [m.group(0).rstrip(_TRAILING) for m in _BARE_URL.finditer(text)]
    links: list[str] = []
    for raw in found:
        url = normalize_url(raw)
        if url and url not in links:
            links.append(url)
    return links if limit is None else links[:limit]


def mentions(text: str | None, entities: Iterable[Any] | None, *, username: str | None, user_id: int | None) -> bool:
    """True when the message mentions the bot (``@username`` or a text mention of its user id)."""
    text = text or ""
    want = f"@{username}".lower() if username else None
    for entity in entities or ():
        kind = _kind(entity)
        span = _span(entity)
        if kind == "mention" and want and span and utf16_slice(text, *span).lower() == want:
            return True
        if kind == "text_mention" and user_id is not None:
            user = getattr(entity, "user", None)
            if user is not None and getattr(user, "id", None) == user_id:
                return True
    return False


def without_entities(text: str | None, entities: Iterable[Any] | None, kinds: set[str]) -> str:
    """``text`` with the entities of the given kinds (e.g. ``bot_command``, ``mention``) cut out."""
    text = text or ""
    data = text.encode("utf-16-le", "surrogatepass")
    spans = [_span(e) for e in entities or () if _kind(e) in kinds]
    cuts = sorted((s[0], s[0] + s[1]) for s in spans if s)
    out, pos = [], 0
    for start, end in cuts:
        if start < pos:
            continue
        out.append(data[2 * pos: 2 * start])
        pos = end
    out.append(data[2 * pos:])
    return b"".join(out).decode("utf-16-le", "replace").strip()

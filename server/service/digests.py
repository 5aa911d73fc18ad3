"""What every face does with a request: fetch if needed, look in the cache, digest, store."""

from __future__ import annotations

import hashlib
import json

from server.core.digest import Digest
from server.core.pipeline import DEFAULT_SENTENCES, InputKind, build_digest
from server.service.cache import Cache, NullCache
from server.service.config import Config
from server.service.fetch import fetch

_NO_CACHE = NullCache()


def _key(*parts: object) -> str:
    raw = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return "pith:1:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def digest_url(url: str, config: Config, *, sentences: int = DEFAULT_SENTENCES,
               cache: Cache = _NO_CACHE) -> Digest:
    """Fetch ``url`` through the safe fetcher and digest it; the digest is cached by URL."""
    key = _key("url", url.strip(), sentences)
    if (hit := cache.get(key)) is not None:
        return Digest.from_dict(hit)
    page = fetch(url.strip(), config)
    digest = build_digest(page.text, input=page.content_type, url=page.url, sentences=sentences)
    cache.set(key, digest.to_dict())
    return digest


def digest_document(page: str, *, input: InputKind = "auto", url: str | None = None,
                    sentences: int = DEFAULT_SENTENCES, cache: Cache = _NO_CACHE) -> Digest:
    """Digest a page the caller already has (posted HTML or text); cached by a hash of its content."""
    key = _key("doc", hashlib.sha256(page.encode("utf-8", "surrogatepass")).hexdigest(), input, url, sentences)
    if (hit := cache.get(key)) is not None:
        return Digest.from_dict(hit)
    digest = build_digest(page, input=input, url=url, sentences=sentences)
    cache.set(key, digest.to_dict())
    return digest

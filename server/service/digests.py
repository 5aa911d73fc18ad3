"""What every face does with a request: fetch if needed, look in the cache, digest, store."""

from __future__ import annotations

import hashlib
import json

from server.core.digest import Digest
from server.core.pipeline import DEFAULT_SENTENCES, InputKind
from server.service.budget import digest_within
from server.service.cache import Cache, NullCache
from server.service.config import Config
from server.service.fetch import fetch

_NO_CACHE = NullCache()


def _key(*parts: object) -> str:
    raw = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return "pith:1:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def digest_url(url: str, config: Config, *, sentences: int | None = DEFAULT_SENTENCES,
               cache: Cache = _NO_CACHE, timeout: float | None = None) -> Digest:
    """Fetch ``url`` through the safe fetcher and digest it; the digest is cached by URL.

    ``timeout`` (seconds; the API and the bot pass ``PITH_DIGEST_TIMEOUT``) bounds the digest, not the fetch:
    past it the digest's process is killed and ``digest_timeout`` raised. A cache hit never leaves this process.
    """
    key = _key("url", url.strip(), sentences, *config.langdata_dirs)
    if (hit := cache.get(key)) is not None:
        return Digest.from_dict(hit)
    page = fetch(url.strip(), config)
    digest = digest_within(page.text, timeout, input=page.content_type, url=page.url, sentences=sentences,
                           langdata_dirs=config.langdata_dirs)
    cache.set(key, digest.to_dict())
    return digest


def digest_document(page: str, *, input: InputKind = "auto", url: str | None = None,
                    sentences: int | None = DEFAULT_SENTENCES, cache: Cache = _NO_CACHE,
                    timeout: float | None = None, langdata_dirs: tuple[str, ...] = ()) -> Digest:
    """Digest a page the caller already has (posted HTML or text); cached by a hash of its content.

    ``timeout`` as for :func:`digest_url`; ``langdata_dirs`` is the face's ``config.langdata_dirs``.
    """
    key = _key("doc", hashlib.sha256(page.encode("utf-8", "surrogatepass")).hexdigest(), input, url, sentences,
               *langdata_dirs)
    if (hit := cache.get(key)) is not None:
        return Digest.from_dict(hit)
    digest = digest_within(page, timeout, input=input, url=url, sentences=sentences, langdata_dirs=langdata_dirs)
    cache.set(key, digest.to_dict())
    return digest

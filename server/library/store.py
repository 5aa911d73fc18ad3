"""The library's queries, written once for both backends (SQLite FTS5 and PostgreSQL tsvector)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from server.core.errors import PithError
from server.library import speakers as spk
from server.library.words import Term, fold, index_terms, query_terms

log = logging.getLogger("pith.library")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_FILTER_CHARS = 300  # a speaker or site filter longer than this names nothing
MAX_CURSOR_CHARS = 200


class LibraryUnavailable(Exception):
    """The database cannot be read or written (corrupt, gone, unreachable)."""


class Backend(Protocol):
    """What the library needs from a database: transactions and a few dialect differences."""

    name: str
    offset_all: str  # "LIMIT -1 OFFSET ?" in SQLite, "OFFSET ?" in PostgreSQL
    terms_value: str  # the SQL that turns the space-separated index terms into what the backend indexes
    filtered_order: str  # ORDER BY's first key when a speaker or words filter the quotes (see PostgresBackend)

    def transaction(self, write: bool = False) -> AbstractContextManager[Any]: ...  # yields a cursor-like
    def fts_clause(self, terms: list[Term]) -> tuple[str, list[Any]]: ...
    def health(self) -> dict[str, Any]: ...
    def export(self) -> Iterator[dict[str, Any]]: ...
    def close(self) -> None: ...


def bad(message: str) -> PithError:
    return PithError("bad_request", message)


def iso(ts: float) -> str:
    """Seconds since the epoch as ISO 8601 UTC (``2026-12-04T16:40:00Z``)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_day(value: str | None, field: str) -> date | None:
    """A YYYY-MM-DD date from a query parameter, or a clear 400."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) != len("2026-01-31"):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise bad(f"{field} must be a date like 2026-01-31.") from None


def parse_limit(value: Any) -> int:
    """``limit`` from 1 to MAX_LIMIT (default DEFAULT_LIMIT), or a clear 400."""
    if value is None or value == "":
        return DEFAULT_LIMIT
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_LIMIT:  # "¹".isdigit() is True
        raise bad(f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(text)


def encode_cursor(*parts: float | int) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def decode_cursor(value: str | None, size: int) -> list[float] | None:
    """A cursor from a previous page (``size`` numbers), or a clear 400 for anything else."""
    if value is None or value == "":
        return None
    try:
        if len(value) > MAX_CURSOR_CHARS:
            raise ValueError
        raw = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if not (isinstance(raw, list) and len(raw) == size
                and all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in raw)):
            raise ValueError
        return raw
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad("cursor is not one this server gave out; start again without it.") from None


def entry_key(digest: dict[str, Any]) -> str:
    """An entry's identity within its owner: the URL, or a hash of the article text when there is none."""
    if digest.get("url"):
        return "url:" + str(digest["url"]).strip()
    return "text:" + hashlib.sha256(str(digest.get("text", "")).encode("utf-8", "surrogatepass")).hexdigest()


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def _site_key(site: str | None) -> str | None:
    return " ".join(fold(site).split()) if site else None


@dataclass(slots=True)
class _SpeakerCache:
    version: int
    index: spk.SpeakerIndex


class Library:
    """One library per owner ("web", "tg:<chat id>") in one database; every method is safe across threads."""

    def __init__(self, backend: Backend, *, max_entries: int = 10_000) -> None:
        self.backend = backend
        self.max_entries = max_entries
        self._speakers: dict[str, _SpeakerCache] = {}
        self._lock = threading.Lock()

    # --- writing ------------------------------------------------------------------------------

    def keep(self, owner: str, digest: dict[str, Any], *, kept_at: float | None = None) -> int:
        """Upsert the digest as the owner's entry for its URL (or text), with its quotes; prune the oldest."""
        now = time.time() if kept_at is None else kept_at
        quotes = [q for q in digest.get("quotes") or [] if isinstance(q, dict) and q.get("text")]
        lang = digest.get("language")
        site_key, host = _site_key(digest.get("site")), _host(digest.get("url"))
        body = json.dumps(digest, ensure_ascii=False, separators=(",", ":"))
        with self.backend.transaction(write=True) as cur:
            cur.execute("SELECT id, digest FROM entries WHERE owner = ? AND key = ?", (owner, entry_key(digest)))
            row = cur.fetchone()
            if row is not None and row[1] == body:  # the same digest again (a cache hit): only its time moves
                cur.execute("UPDATE entries SET kept_at = ? WHERE id = ?", (now, row[0]))
                cur.execute("UPDATE quotes SET kept_at = ? WHERE entry_id = ?", (now, row[0]))
                return row[0]
            cur.execute(
                "INSERT INTO entries (owner, key, url, title, site, date, language, kept_at, quote_count, digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner, key) DO UPDATE SET url = excluded.url, "
                "title = excluded.title, site = excluded.site, date = excluded.date, language = excluded.language, "
                "kept_at = excluded.kept_at, quote_count = excluded.quote_count, digest = excluded.digest "
                "RETURNING id",
                (owner, entry_key(digest), digest.get("url"), digest.get("title"), digest.get("site"),
                 digest.get("date"), lang, now, len(quotes), body))
            entry_id = cur.fetchone()[0]
            cur.execute("DELETE FROM quotes WHERE entry_id = ?", (entry_id,))
            rows = [(entry_id, owner, pos, now, site_key, host, q["text"], json.dumps(q.get("spans") or []),
                     q.get("speaker") or None, q.get("speaker_type") or None, index_terms(q["text"], lang))
                    for pos, q in enumerate(quotes)]
            if rows:
                cur.executemany(
                    "INSERT INTO quotes (entry_id, owner, pos, kept_at, site_key, host, text, spans, speaker, "
                    f"speaker_type, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {self.backend.terms_value})", rows)
            if self.max_entries > 0:
                cur.execute("DELETE FROM entries WHERE id IN (SELECT id FROM entries WHERE owner = ? "
                            f"ORDER BY kept_at DESC, id DESC {self.backend.offset_all})", (owner, self.max_entries))
            self._bump(cur, owner)
        return entry_id

    def _bump(self, cur: Any, owner: str) -> None:
        cur.execute("INSERT INTO owners (owner, version) VALUES (?, 1) "
                    "ON CONFLICT (owner) DO UPDATE SET version = owners.version + 1", (owner,))

    def delete(self, owner: str, entry_id: int) -> bool:
        """Forget one entry of the owner; False when there is none."""
        with self.backend.transaction(write=True) as cur:
            cur.execute("DELETE FROM entries WHERE owner = ? AND id = ?", (owner, entry_id))
            gone = cur.rowcount > 0
            self._bump(cur, owner)
        return gone

    def clear(self, owner: str | None = None) -> int:
        """Forget everything of one owner (or of every owner): the number of entries removed."""
        with self.backend.transaction(write=True) as cur:
            if owner is None:
                cur.execute("DELETE FROM quotes")
                cur.execute("DELETE FROM entries")
                n = cur.rowcount
                cur.execute("UPDATE owners SET version = version + 1")
            else:
                cur.execute("DELETE FROM quotes WHERE owner = ?", (owner,))
                cur.execute("DELETE FROM entries WHERE owner = ?", (owner,))
                n = cur.rowcount
                self._bump(cur, owner)
        return max(n, 0)

    # --- reading ------------------------------------------------------------------------------

    def get(self, owner: str, entry_id: int) -> dict[str, Any] | None:
        """The kept Digest with ``id`` and ``kept_at``, or None."""
        with self.backend.transaction() as cur:
            cur.execute("SELECT digest, kept_at FROM entries WHERE owner = ? AND id = ?", (owner, entry_id))
            row = cur.fetchone()
        if row is None:
            return None
        digest = json.loads(row[0])
        return {**digest, "id": entry_id, "kept_at": iso(row[1])}

    def pages(self, owner: str, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
              ) -> tuple[list[dict[str, Any]], str | None]:
        """The owner's entries, newest kept first, and the cursor of the next page."""
        after = decode_cursor(cursor, 2)
        sql = "SELECT id, url, title, site, date, kept_at, quote_count FROM entries WHERE owner = ?"
        args: list[Any] = [owner]
        if after is not None:
            sql += " AND (kept_at < ? OR (kept_at = ? AND id < ?))"
            args += [after[0], after[0], int(after[1])]
        sql += " ORDER BY kept_at DESC, id DESC LIMIT ?"
        with self.backend.transaction() as cur:
            cur.execute(sql, (*args, limit + 1))
            rows = cur.fetchall()
        items = [{"id": r[0], "url": r[1], "title": r[2], "site": r[3], "date": r[4], "kept_at": iso(r[5]),
                  "quotes": r[6]} for r in rows[:limit]]
        nxt = encode_cursor(rows[limit - 1][5], rows[limit - 1][0]) if len(rows) > limit else None
        return items, nxt

    def speakers(self, owner: str) -> spk.SpeakerIndex:
        """The owner's speakers with their merged forms (cached until the library changes)."""
        with self.backend.transaction() as cur:
            cur.execute("SELECT version FROM owners WHERE owner = ?", (owner,))
            row = cur.fetchone()
            version = row[0] if row else 0
            cached = self._speakers.get(owner)
            if cached is not None and cached.version == version:
                return cached.index
            cur.execute("SELECT speaker, speaker_type, COUNT(*) FROM quotes WHERE owner = ? AND speaker IS NOT NULL "
                        "GROUP BY speaker, speaker_type", (owner,))
            index = spk.SpeakerIndex(spk.merge(cur.fetchall()))
        with self._lock:
            self._speakers[owner] = _SpeakerCache(version, index)
        return index

    def complete(self, owner: str, prefix: str, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
        """Speakers for autocomplete: name, type, quote count and every name form."""
        if len(prefix) > MAX_FILTER_CHARS:
            return []
        return [{"name": s.name, "speaker_type": s.speaker_type, "quotes": s.quotes,
                 "forms": sorted(s.forms, key=lambda f: (-s.forms[f], f))}
                for s in self.speakers(owner).complete(prefix, limit)]

    def search(self, owner: str, *, speaker: str | None = None, q: str | None = None, site: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = DEFAULT_LIMIT,
               cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """Quotes of the owner's library matching every given filter, newest kept first; and the next cursor."""
        after = decode_cursor(cursor, 3)
        start, end = parse_day(since, "since"), parse_day(until, "until")
        where, args = ["q.owner = ?"], [owner]
        if speaker is not None and speaker.strip():
            if len(speaker) > MAX_FILTER_CHARS:
                return [], None
            forms = [f for s in self.speakers(owner).find(speaker) for f in s.forms]
            if not forms:
                return [], None
            where.append(f"q.speaker IN ({', '.join('?' * len(forms))})")
            args += forms
        if site is not None and site.strip():
            key = _site_key(site[:MAX_FILTER_CHARS])
            where.append("(q.site_key = ? OR q.host = ?)")
            args += [key, (key or "").removeprefix("www.")]
        if start is not None:
            where.append("q.kept_at >= ?")
            args.append(_epoch(start))
        if end is not None and end < date.max:
            where.append("q.kept_at < ?")
            args.append(_epoch(end + timedelta(days=1)))
        if q is not None and q.strip():
            terms = query_terms(q)
            if not terms:
                return [], None
            clause, values = self.backend.fts_clause(terms)
            where.append(clause)
            args += values
        if after is not None:
            where.append("(q.kept_at < ? OR (q.kept_at = ? AND (q.entry_id < ? OR (q.entry_id = ? AND q.pos > ?))))")
            args += [after[0], after[0], int(after[1]), int(after[1]), int(after[2])]
        first = self.backend.filtered_order if (speaker or "").strip() or (q or "").strip() else "q.kept_at"
        sql = ("SELECT q.entry_id, q.pos, q.text, q.spans, q.speaker, q.speaker_type, q.kept_at, "
               "e.url, e.title, e.site, e.date FROM quotes q JOIN entries e ON e.id = q.entry_id WHERE "
               + " AND ".join(where) + f" ORDER BY {first} DESC, q.entry_id DESC, q.pos ASC LIMIT ?")
        with self.backend.transaction() as cur:
            cur.execute(sql, (*args, limit + 1))
            rows = cur.fetchall()
        items = [{"text": r[2], "speaker": r[4], "speaker_type": r[5],
                  "page": {"id": r[0], "url": r[7], "title": r[8], "site": r[9], "date": r[10]},
                  "kept_at": iso(r[6]), "spans": json.loads(r[3]), "index": r[1]} for r in rows[:limit]]
        last = rows[limit - 1] if len(rows) > limit else None
        return items, (encode_cursor(last[6], last[0], last[1]) if last else None)

    def count(self, owner: str | None = None) -> tuple[int, int]:
        """(entries, quotes) of one owner or of the whole library."""
        where, args = ("WHERE owner = ?", (owner,)) if owner is not None else ("", ())
        with self.backend.transaction() as cur:
            cur.execute(f"SELECT COUNT(*) FROM entries {where}", args)
            entries = cur.fetchone()[0]
            cur.execute(f"SELECT COUNT(*) FROM quotes {where}", args)
            return entries, cur.fetchone()[0]

    def export(self) -> Iterator[dict[str, Any]]:
        """Every readable entry as ``{"owner", "kept_at", "digest"}`` (for `pith library export`)."""
        yield from self.backend.export()

    def health(self) -> dict[str, Any]:
        return self.backend.health()

    def close(self) -> None:
        self.backend.close()


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


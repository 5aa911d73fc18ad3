"""The shared backend: PostgreSQL (psycopg 3 with a connection pool) and tsvector search, for several instances."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from server.library.store import LibraryUnavailable
from server.library.words import Term

log = logging.getLogger("pith.library")

POOL_MIN, POOL_MAX = 1, 8  # connections per process (gunicorn worker or bot)
CONNECT_TIMEOUT = 5.0  # seconds to wait for a pooled connection before the library counts as unavailable
MIGRATION_LOCK = 7_046_112  # pg_advisory_xact_lock key: one process migrates at a time
# After a failed connection the library is skipped for this many seconds, so an unreachable server costs
# one CONNECT_TIMEOUT now and then, not one per digest answered.
RETRY_AFTER_FAILURE = 10.0

MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        "CREATE TABLE entries (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner TEXT NOT NULL, "
        "key TEXT NOT NULL, url TEXT, title TEXT, site TEXT, date TEXT, language TEXT, "
        "kept_at DOUBLE PRECISION NOT NULL, quote_count INTEGER NOT NULL, digest TEXT NOT NULL, UNIQUE (owner, key))",
        "CREATE INDEX entries_owner_kept ON entries (owner, kept_at DESC, id DESC)",
        "CREATE TABLE quotes (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entry_id BIGINT NOT NULL "
        "REFERENCES entries (id) ON DELETE CASCADE, owner TEXT NOT NULL, pos INTEGER NOT NULL, "
        "kept_at DOUBLE PRECISION NOT NULL, site_key TEXT, host TEXT, text TEXT NOT NULL, spans TEXT NOT NULL, "
        "speaker TEXT, speaker_type TEXT, terms TSVECTOR NOT NULL)",
        "CREATE INDEX quotes_owner_kept ON quotes (owner, kept_at DESC, entry_id DESC, pos)",
        "CREATE INDEX quotes_owner_speaker ON quotes (owner, speaker, speaker_type, kept_at DESC)",
        "CREATE INDEX quotes_entry ON quotes (entry_id)",
        "CREATE INDEX quotes_terms ON quotes USING GIN (terms)",
        "CREATE TABLE owners (owner TEXT PRIMARY KEY, version BIGINT NOT NULL)",
    ]),
]


class _Cursor:
    """A psycopg cursor that takes the library's ``?`` placeholders."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: str, args: Any = ()) -> None:
        self._cur.execute(sql.replace("?", "%s"), args)

    def executemany(self, sql: str, rows: Any) -> None:
        self._cur.executemany(sql.replace("?", "%s"), rows)

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall()

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount


class PostgresBackend:
    """PostgreSQL through a psycopg_pool pool opened lazily in each process (gunicorn forks after loading)."""

    name = "postgresql"
    offset_all = "OFFSET ?"
    terms_value = "array_to_tsvector(string_to_array(?, ' '))"  # the terms as they are: no parser, no dictionary
    # PostgreSQL underestimates how rare a word is and walks the date index filtering every row (75,000 rows for
    # a rare word in the benchmark); an ORDER BY key no index has makes it use the GIN or speaker index and sort.
    filtered_order = "(q.kept_at + 0)"

    def __init__(self, url: str) -> None:
        self.url = url
        self._pool: Any = None
        self._pid = 0
        self._lock = threading.Lock()
        self.error: str | None = None
        self._down_until = 0.0

    def _get_pool(self) -> Any:
        from psycopg_pool import ConnectionPool

        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                pool = ConnectionPool(self.url, min_size=POOL_MIN, max_size=POOL_MAX, timeout=CONNECT_TIMEOUT,
                                      open=True, kwargs={"connect_timeout": int(CONNECT_TIMEOUT)})
                try:
                    self._migrate(pool)
                except BaseException:
                    pool.close()
                    raise
                self._pool, self._pid = pool, os.getpid()
            return self._pool

    @staticmethod
    def _migrate(pool: Any) -> None:
        with pool.connection() as conn, conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            cur.execute("CREATE TABLE IF NOT EXISTS library_migrations (version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            cur.execute("SELECT COALESCE(MAX(version), 0) FROM library_migrations")
            done = cur.fetchone()[0]
            for version, statements in MIGRATIONS:
                if version > done:
                    for statement in statements:
                        cur.execute(statement)
                    cur.execute("INSERT INTO library_migrations (version) VALUES (%s)", (version,))

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[_Cursor]:
        import psycopg
        from psycopg_pool import PoolTimeout

        if time.monotonic() < self._down_until:
            raise LibraryUnavailable(f"PostgreSQL was unreachable a moment ago ({self.error})")
        try:
            pool = self._get_pool()
            with pool.connection() as conn, conn.cursor() as cur:
                yield _Cursor(cur)
            self.error = None
        except (psycopg.OperationalError, PoolTimeout) as exc:
            self.error = exc.__class__.__name__
            self._down_until = time.monotonic() + RETRY_AFTER_FAILURE
            raise LibraryUnavailable(str(exc)) from exc

    def fts_clause(self, terms: list[Term]) -> tuple[str, list[Any]]:
        """A tsquery cast from quoted lexemes (letters and digits only): no user syntax reaches PostgreSQL."""
        expr = " & ".join("(" + " | ".join(f"'{f}'" + (":*" if t.prefix else "") for f in t.forms) + ")"
                          for t in terms)
        return "q.terms @@ CAST(? AS tsquery)", [expr]

    def health(self) -> dict[str, Any]:
        try:
            with self.transaction() as cur:
                cur.execute("SELECT 1")
        except LibraryUnavailable:
            return {"backend": self.name, "ok": False, "read_only": False}
        return {"backend": self.name, "ok": True, "read_only": False}

    def export(self) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            with self.transaction() as cur:
                cur.execute("SELECT id, owner, kept_at, digest FROM entries WHERE id > ? ORDER BY id LIMIT 500",
                            (last,))
                rows = cur.fetchall()
            if not rows:
                return
            for entry_id, owner, kept_at, body in rows:
                yield {"id": entry_id, "owner": owner, "kept_at": kept_at, "digest": json.loads(body)}
            last = rows[-1][0]

    def close(self) -> None:
        if self._pool is not None and self._pid == os.getpid():
            self._pool.close()
        self._pool = None

"""The embedded backend: SQLite with FTS5 in PITH_DATA_DIR, WAL mode, one connection per thread and process."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from server.library.store import LibraryUnavailable
from server.library.words import Term

log = logging.getLogger("pith.library")

FILENAME = "library.sqlite3"
BUSY_TIMEOUT_MS = 15_000  # a writer waits this long for another process's write (gunicorn workers, the bot)
ANALYZE_EVERY = 500  # writes between refreshes of the planner's statistics (which index suits a speaker or a word)
ANALYSIS_LIMIT = 1000  # rows sampled per index by ANALYZE: approximate statistics in milliseconds
EXPORT_CHUNK = 500  # entries read at once by export; a failing chunk is retried one entry at a time
_CORRUPT = ("malformed", "not a database", "corrupt", "disk i/o error", "file is not")

# Versioned schema: each migration runs once, in order, recorded in library_migrations.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, key TEXT NOT NULL, url TEXT, "
        "title TEXT, site TEXT, date TEXT, language TEXT, kept_at REAL NOT NULL, quote_count INTEGER NOT NULL, "
        "digest TEXT NOT NULL, UNIQUE (owner, key))",
        "CREATE INDEX entries_owner_kept ON entries (owner, kept_at DESC, id DESC)",
        "CREATE TABLE quotes (id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entries (id) "
        "ON DELETE CASCADE, owner TEXT NOT NULL, pos INTEGER NOT NULL, kept_at REAL NOT NULL, site_key TEXT, "
        "host TEXT, text TEXT NOT NULL, spans TEXT NOT NULL, speaker TEXT, speaker_type TEXT, terms TEXT NOT NULL)",
        "CREATE INDEX quotes_owner_kept ON quotes (owner, kept_at DESC, entry_id DESC, pos)",
        "CREATE INDEX quotes_owner_speaker ON quotes (owner, speaker, speaker_type, kept_at DESC)",
        "CREATE INDEX quotes_entry ON quotes (entry_id)",
        "CREATE VIRTUAL TABLE quotes_fts USING fts5 (terms, content='quotes', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')",
        "CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN "
        "INSERT INTO quotes_fts (rowid, terms) VALUES (new.id, new.terms); END",
        "CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN "
        "INSERT INTO quotes_fts (quotes_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
        "CREATE TABLE owners (owner TEXT PRIMARY KEY, version INTEGER NOT NULL)",
    ]),
]


def is_corrupt(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and any(m in str(exc).lower() for m in _CORRUPT)


class SQLiteBackend:
    """SQLite in one file; a corrupt file turns the library read-only, and is never replaced silently."""

    name = "sqlite"
    offset_all = "LIMIT -1 OFFSET ?"
    terms_value = "?"
    filtered_order = "q.kept_at"  # with statistics, SQLite picks the speaker index or the FTS match by itself

    def __init__(self, path: Path, *, check: bool = True) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self.broken: str | None = None
        self._writes = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._migrate()
            if check:
                result = self._conn().execute("PRAGMA quick_check(1)").fetchone()[0]
                if result != "ok":
                    self._broke(result)
        except sqlite3.DatabaseError as exc:
            self._broke(str(exc))
        except OSError as exc:
            self._broke(str(exc))

    def _broke(self, why: str) -> None:
        if self.broken is None:
            log.error("The library %s cannot be used (%s): it is read-only now; "
                      "`pith library export` saves what is readable, `pith library repair` rebuilds it", self.path, why)
        self.broken = why

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            if is_corrupt(exc):
                raise
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _migrate(self) -> None:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS library_migrations (version INTEGER PRIMARY KEY, "
                         "applied_at REAL NOT NULL)")
            done = conn.execute("SELECT COALESCE(MAX(version), 0) FROM library_migrations").fetchone()[0]
            for version, statements in MIGRATIONS:
                if version > done:
                    for statement in statements:
                        conn.execute(statement)
                    conn.execute("INSERT INTO library_migrations VALUES (?, ?)", (version, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[sqlite3.Cursor]:
        if write and self.broken:
            raise LibraryUnavailable(f"the library is read-only: {self.broken}")
        try:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.DatabaseError as exc:
            if is_corrupt(exc):
                self._broke(str(exc))
            raise LibraryUnavailable(str(exc)) from exc
        try:
            yield conn.cursor()
            conn.execute("COMMIT")
            if write:
                self._after_write(conn)
        except sqlite3.DatabaseError as exc:
            conn.execute("ROLLBACK")
            if is_corrupt(exc):
                self._broke(str(exc))
            if isinstance(exc, sqlite3.OperationalError | sqlite3.IntegrityError) and not is_corrupt(exc) \
                    and "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise LibraryUnavailable(str(exc)) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _after_write(self, conn: sqlite3.Connection) -> None:
        """Now and then, refresh the statistics: without them SQLite scans by date for a rare speaker."""
        self._writes += 1
        if self._writes % ANALYZE_EVERY != 1:
            return
        try:
            conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            conn.execute("ANALYZE")
        except sqlite3.OperationalError as exc:  # busy: another process writes; next time
            log.info("library statistics not refreshed: %s", exc)

    def fts_clause(self, terms: list[Term]) -> tuple[str, list[Any]]:
        """FTS5 MATCH over quoted terms only: words are letters and digits, so no user syntax gets through."""
        expr = " AND ".join("(" + " OR ".join(f'"{f}"' + ("*" if t.prefix else "") for f in t.forms) + ")"
                            for t in terms)
        return "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", [expr]

    def health(self) -> dict[str, Any]:
        return {"backend": self.name, "ok": self.broken is None, "read_only": self.broken is not None}

    def export(self) -> Iterator[dict[str, Any]]:
        """Every entry that can still be read, even from a damaged file (unreadable ones are skipped and logged)."""
        conn = self._conn()
        try:
            top = conn.execute("SELECT MAX(id) FROM entries").fetchone()[0] or 0
        except sqlite3.DatabaseError as exc:
            log.error("Cannot read the entries' ids (%s); trying one by one up to a guess", exc)
            top = 10_000_000
        sql = "SELECT id, owner, kept_at, digest FROM entries WHERE id BETWEEN ? AND ? ORDER BY id"
        for low in range(1, top + 1, EXPORT_CHUNK):
            try:
                rows = conn.execute(sql, (low, low + EXPORT_CHUNK - 1)).fetchall()
            except sqlite3.DatabaseError:
                rows = []
                for one in range(low, low + EXPORT_CHUNK):
                    try:
                        rows += conn.execute(sql, (one, one)).fetchall()
                    except sqlite3.DatabaseError as exc:
                        log.warning("entry %s is unreadable (%s)", one, exc)
            for entry_id, owner, kept_at, body in rows:
                try:
                    yield {"id": entry_id, "owner": owner, "kept_at": kept_at, "digest": json.loads(body)}
                except (ValueError, TypeError) as exc:
                    log.warning("entry %s holds no readable digest (%s)", entry_id, exc)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

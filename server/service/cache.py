"""Digest cache: SQLite in the data directory by default, Redis when ``PITH_CACHE_URL`` says so."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from server.service.config import Config

log = logging.getLogger("pith.cache")

KEY_PREFIX = "pith:"
# After a failure the cache is skipped for this many seconds, so a dead Redis or a locked
# database costs one short timeout now and then, not one per request.
RETRY_AFTER_FAILURE = 5.0
_PURGE_EVERY = 200  # sets between sweeps of expired SQLite rows


class Cache(Protocol):
    """Stores digests (as JSON-able dicts) by key for a time; never the pages themselves."""

    def get(self, key: str) -> dict[str, Any] | None: ...
    def set(self, key: str, value: dict[str, Any]) -> None: ...
    def clear(self) -> int: ...
    def health(self) -> dict[str, Any]: ...


class NullCache:
    """No caching (``PITH_CACHE_TTL=0``)."""

    def get(self, key: str) -> dict[str, Any] | None:
        return None

    def set(self, key: str, value: dict[str, Any]) -> None:
        return None

    def clear(self) -> int:
        return 0

    def health(self) -> dict[str, Any]:
        return {"backend": "none", "ok": True}


class _Guarded:
    """Shared failure handling: errors are logged, never raised, and pause the cache briefly."""

    backend = "?"

    def __init__(self) -> None:
        self._down_until = 0.0
        self._last_error: str | None = None

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, what: str, exc: BaseException) -> None:
        self._last_error = exc.__class__.__name__
        if "locked" in str(exc) or "busy" in str(exc):  # another worker is writing: skip just this one
            log.info("%s cache %s skipped (%s)", self.backend, what, exc)
            return
        self._down_until = time.monotonic() + RETRY_AFTER_FAILURE
        log.warning("%s cache %s failed (%s: %s); going on without the cache for %.0f s",
                    self.backend, what, exc.__class__.__name__, exc, RETRY_AFTER_FAILURE)

    def _ok(self) -> None:
        self._down_until = 0.0
        self._last_error = None


def _loads(raw: str | bytes | None) -> dict[str, Any] | None:
    """A stored digest, or None for a miss or a value that is not one (treated as a miss)."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        log.warning("ignoring a cached value that is not JSON")
        return None
    return value if isinstance(value, dict) else None


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# Errors that mean the file is damaged (not merely busy): the cache moves it aside and starts afresh.
_CORRUPT = ("malformed", "not a database", "disk image", "file is encrypted", "database corrupt")
_HEADER = b"SQLite format 3\x00"
# Connections to a file that was replaced are kept, never closed: closing the last one would make SQLite
# remove "<path>-wal", which by then belongs to the new file.
_ABANDONED: list[sqlite3.Connection] = []


# Descriptors for reading a cache file's header, one per process and file, never closed: closing any
# descriptor of a SQLite file drops all of this process's POSIX locks on it, after which another process may
# take itself for the last user and remove the WAL that this process still relies on.
_HEADER_FDS: dict[tuple[int, tuple[int, int]], int] = {}
_HEADER_FDS_LOCK = threading.Lock()


def _read_header(path: Path) -> bytes | None:
    """The first bytes of the file at ``path`` (None when there is none), without ever closing a descriptor."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (os.getpid(), (st.st_dev, st.st_ino))
    with _HEADER_FDS_LOCK:
        fd = _HEADER_FDS.get(key)
        if fd is None:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                return None
            opened = os.fstat(fd)
            key = (os.getpid(), (opened.st_dev, opened.st_ino))
            fd = _HEADER_FDS.setdefault(key, fd)
    return os.pread(fd, len(_HEADER), 0)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _is_corruption(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and any(word in str(exc).lower() for word in _CORRUPT)


class SQLiteCache(_Guarded):
    """A SQLite file (WAL mode) shared by all worker processes on one machine; heals itself.

    Every use compares the file's device and inode with those of this thread's connection and reopens
    when they differ, so all workers follow a file that was deleted, replaced or moved aside. A file that
    fails its integrity check (when first opened by a process, or after a corruption error) is renamed to
    ``<name>.corrupt-<time>`` with its WAL, and a fresh one is started.
    """

    backend = "sqlite"

    def __init__(self, path: Path, ttl: int, *, timeout: float = 0.5) -> None:
        super().__init__()
        self.path, self.ttl, self.timeout = Path(path), ttl, timeout
        self._local = threading.local()
        self._sets = 0
        self._checked: set[tuple[int, int]] = set()  # file identities this process found sound
        self._heal_lock = threading.Lock()
        self.moved_aside: list[Path] = []

    def _conn(self) -> sqlite3.Connection:
        """One connection per process and thread (connections must not cross a fork), on the current file."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            if self._local.ident == _identity(self.path):
                return conn
            _ABANDONED.append(conn)  # the file was replaced: follow it
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._check_once()
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE IF NOT EXISTS digests (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
                     " expires REAL NOT NULL)")
        self._local.conn, self._local.pid, self._local.ident = conn, os.getpid(), _identity(self.path)
        return conn

    def _sound(self) -> bool:
        """The integrity check: a SQLite header and a clean ``PRAGMA quick_check`` (a missing file is sound)."""
        head = _read_header(self.path)
        if head is None:
            return True
        if head and head != _HEADER:
            return False
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout)
            try:
                return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            return not _is_corruption(exc)  # locked or busy is no verdict on the file

    def _check_once(self) -> None:
        ident = _identity(self.path)
        if ident is None or ident in self._checked:
            return
        if not self._sound():
            self._move_aside(ident)
            return
        self._checked.add(ident)

    def _move_aside(self, ident: tuple[int, int] | None) -> None:
        """Rename the damaged file (still the one with ``ident``) and its WAL; one process does it, under a lock."""
        import fcntl

        with self._heal_lock, open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if _identity(self.path) != ident or ident is None:
                return  # another worker has healed it already
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
                except FileNotFoundError:
                    continue
            self.moved_aside.append(aside)
            log.error("the cache file %s is damaged; moved it aside to %s and started a new one", self.path, aside)

    def _heal(self, exc: BaseException) -> bool:
        """After ``exc``: move a damaged file aside (True) so the next use starts a fresh one."""
        if not _is_corruption(exc):
            return False
        ident = getattr(self._local, "ident", None) or _identity(self.path)
        if _identity(self.path) == ident and not self._sound():
            self._move_aside(ident)
        elif _identity(self.path) == ident:
            return False
        self._local.conn = None
        return True

    def _run(self, what: str, action: Any, default: Any) -> Any:
        """``action(conn)`` with failure handling; after a corruption error it heals and tries once more."""
        if not self._available():
            return default
        for attempt in (1, 2):
            try:
                result = action(self._conn())
                self._ok()
                return result
            except (sqlite3.Error, OSError, ValueError, TypeError) as exc:
                if attempt == 1 and self._heal(exc):
                    continue
                self._failed(what, exc)
                return default
        return default

    def get(self, key: str) -> dict[str, Any] | None:
        row = self._run("read", lambda c: c.execute("SELECT value FROM digests WHERE key = ? AND expires > ?",
                                                    (key, time.time())).fetchone(), None)
        return _loads(row[0]) if row else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        def write(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.execute("INSERT OR REPLACE INTO digests (key, value, expires) VALUES (?, ?, ?)",
                         (key, _dumps(value), now + self.ttl))
            self._sets += 1
            if self._sets % _PURGE_EVERY == 1:
                conn.execute("DELETE FROM digests WHERE expires <= ?", (now,))

        self._run("write", write, None)

    def clear(self) -> int:
        """Remove every cached digest; returns how many were removed (raises nothing)."""
        if not self.path.exists():
            return 0
        return max(self._run("clear", lambda c: c.execute("DELETE FROM digests").rowcount, 0), 0)

    def health(self) -> dict[str, Any]:
        """The file's state now: a damaged file reports ``ok: false`` (and is moved aside for the next use)."""
        try:
            head = _read_header(self.path)
            if head is None:
                return {"backend": self.backend, "ok": True, "entries": 0}
            if head and head != _HEADER:
                raise sqlite3.DatabaseError("file is not a database")
            entries = self._conn().execute("SELECT COUNT(*) FROM digests WHERE expires > ?",
                                           (time.time(),)).fetchone()[0]
            self._ok()
            return {"backend": self.backend, "ok": True, "entries": entries}
        except (sqlite3.Error, OSError) as exc:
            if self._heal(exc):  # reported once as broken; the next use starts the fresh file
                self._last_error = exc.__class__.__name__
                return {"backend": self.backend, "ok": False, "error": self._last_error, "healing": True}
            self._failed("health check", exc)
            return {"backend": self.backend, "ok": False, "error": self._last_error}


class RedisCache(_Guarded):
    """Redis, shared by several instances; keys expire by themselves."""

    backend = "redis"

    def __init__(self, url: str, ttl: int, *, timeout: float = 0.5) -> None:
        super().__init__()
        import redis

        self.ttl = ttl
        self._redis = redis
        self.client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                           health_check_interval=30)

    def get(self, key: str) -> dict[str, Any] | None:
        if not self._available():
            return None
        try:
            raw = self.client.get(key)
            self._ok()
            return _loads(raw)
        except (self._redis.RedisError, OSError, ValueError) as exc:
            self._failed("read", exc)
            return None

    def set(self, key: str, value: dict[str, Any]) -> None:
        if not self._available():
            return
        try:
            self.client.set(key, _dumps(value), ex=self.ttl)
            self._ok()
        except (self._redis.RedisError, OSError, ValueError, TypeError) as exc:
            self._failed("write", exc)

    def clear(self) -> int:
        """Remove Pith's keys only (other applications may share the Redis database)."""
        removed = 0
        try:
            batch: list[bytes] = []
            for key in self.client.scan_iter(match=KEY_PREFIX + "*", count=500):
                batch.append(key)
                if len(batch) >= 500:
                    removed += self.client.delete(*batch)
                    batch.clear()
            if batch:
                removed += self.client.delete(*batch)
            self._ok()
        except (self._redis.RedisError, OSError) as exc:
            self._failed("clear", exc)
        return removed

    def health(self) -> dict[str, Any]:
        try:
            self.client.ping()
            self._ok()
            return {"backend": self.backend, "ok": True}
        except (self._redis.RedisError, OSError) as exc:
            self._failed("health check", exc)
            return {"backend": self.backend, "ok": False, "error": self._last_error}


def sqlite_path(config: Config) -> Path:
    """Where the embedded cache lives."""
    return Path(config.data_dir) / "cache.sqlite3"


def open_cache(config: Config) -> Cache:
    """The cache ``config`` asks for: none when the TTL is 0, Redis for ``redis://`` URLs, else SQLite."""
    if config.cache_ttl <= 0:
        return NullCache()
    url = config.cache_url or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisCache(url, config.cache_ttl)
    if url:
        log.warning("PITH_CACHE_URL %r is not a redis:// URL; using the SQLite cache instead", url.split("@")[-1])
    return SQLiteCache(sqlite_path(config), config.cache_ttl)

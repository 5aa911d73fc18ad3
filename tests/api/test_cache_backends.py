"""The cache backends themselves: SQLite file, real Redis, and how they fail (quietly)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from server.service.cache import NullCache, RedisCache, SQLiteCache, open_cache, sqlite_path
from server.service.config import Config

DIGEST = {"schema": 1, "text": "Ein Text.", "title": "Titel", "summary": [], "facts": [], "quotes": []}


def test_open_cache_picks_the_backend(tmp_path):
    assert isinstance(open_cache(Config(data_dir=tmp_path, cache_ttl=0)), NullCache)
    assert isinstance(open_cache(Config(data_dir=tmp_path, cache_url="redis://127.0.0.1:1/0")), RedisCache)
    sqlite = open_cache(Config(data_dir=tmp_path))
    assert isinstance(sqlite, SQLiteCache) and sqlite.path == tmp_path / "cache.sqlite3"
    assert isinstance(open_cache(Config(data_dir=tmp_path, cache_url="memcached://x")), SQLiteCache)


def test_sqlite_round_trip_ttl_and_clear(tmp_path):
    cache = SQLiteCache(tmp_path / "sub" / "c.sqlite3", ttl=60)
    assert cache.get("pith:1:a") is None
    cache.set("pith:1:a", DIGEST)
    cache.set("pith:1:b", {**DIGEST, "title": "B"})
    assert cache.get("pith:1:a") == DIGEST
    assert cache.health() == {"backend": "sqlite", "ok": True, "entries": 2}
    assert sqlite3.connect(cache.path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other = SQLiteCache(cache.path, ttl=60)  # another worker sees the same file
    assert other.get("pith:1:b")["title"] == "B"
    assert other.clear() == 2
    assert cache.get("pith:1:a") is None
    assert cache.clear() == 0


def test_sqlite_expired_entries_are_gone(tmp_path):
    cache = SQLiteCache(tmp_path / "c.sqlite3", ttl=-1)  # already expired when written
    cache.set("pith:1:a", DIGEST)
    assert cache.get("pith:1:a") is None
    assert cache.health()["entries"] == 0


def test_clear_on_a_missing_file_creates_nothing(tmp_path):
    cache = SQLiteCache(tmp_path / "none" / "c.sqlite3", ttl=60)
    assert cache.clear() == 0
    assert not (tmp_path / "none").exists()


def test_a_damaged_file_is_moved_aside_and_a_fresh_one_started(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    cache = SQLiteCache(path, ttl=60)
    cache.set("pith:1:a", DIGEST)
    assert cache.get("pith:1:a") == DIGEST
    assert cache.health() == {"backend": "sqlite", "ok": True, "entries": 1}
    aside = list(tmp_path.glob("c.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"garbage" * 1000


def test_damage_under_open_connections_is_reported_then_healed(tmp_path):
    path = tmp_path / "c.sqlite3"
    first, second = SQLiteCache(path, ttl=60), SQLiteCache(path, ttl=60)  # two workers
    first.set("pith:1:a", DIGEST)
    assert second.get("pith:1:a") == DIGEST
    size = path.stat().st_size
    with open(path, "r+b") as f:  # garbage over the main file, WAL left alone
        f.write(b"\xde\xad" * (size // 2))
    health = first.health()
    assert health["ok"] is False  # broken: said so, with status 200 in the API
    first.set("pith:1:b", DIGEST)
    assert first.health() == {"backend": "sqlite", "ok": True, "entries": 1}
    assert second.health() == {"backend": "sqlite", "ok": True, "entries": 1}  # the other worker follows
    assert second.get("pith:1:b") == DIGEST
    assert len([p for p in tmp_path.glob("c.sqlite3.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]) == 1


def test_workers_follow_a_deleted_file(tmp_path):
    path = tmp_path / "c.sqlite3"
    first, second = SQLiteCache(path, ttl=60), SQLiteCache(path, ttl=60)
    first.set("pith:1:a", DIGEST)
    assert second.health()["entries"] == 1
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    assert first.health()["entries"] == 0 and second.health()["entries"] == 0
    second.set("pith:1:b", DIGEST)
    assert first.get("pith:1:b") == DIGEST
    assert first.health()["entries"] == second.health()["entries"] == 1


def test_sqlite_failures_are_logged_not_raised(tmp_path, caplog):
    path = tmp_path / "dir-not-file"
    path.mkdir()
    cache = SQLiteCache(path, ttl=60)
    cache.set("pith:1:a", DIGEST)
    assert cache.get("pith:1:a") is None
    assert cache.health()["ok"] is False
    assert cache.clear() == 0
    assert "going on without the cache" in caplog.text


def test_an_unwritable_data_dir_does_not_raise(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the directory should be")
    cache = SQLiteCache(blocker / "c.sqlite3", ttl=60)
    cache.set("pith:1:a", DIGEST)
    assert cache.get("pith:1:a") is None


def test_redis_round_trip_and_clear_only_touches_pith_keys(redis_server):
    import redis

    r = redis.Redis.from_url(redis_server.url)
    r.set("someone-else", "x")
    cache = RedisCache(redis_server.url, ttl=60)
    cache.clear()
    for i in range(3):
        cache.set(f"pith:1:{i}", {**DIGEST, "title": str(i)})
    assert cache.get("pith:1:2")["title"] == "2"
    assert 0 < r.ttl("pith:1:0") <= 60
    assert cache.health() == {"backend": "redis", "ok": True}
    assert cache.clear() == 3
    assert r.get("someone-else") == b"x"
    r.delete("someone-else")


def test_redis_down_is_quiet_and_short(closed_port):
    cache = RedisCache(f"redis://127.0.0.1:{closed_port}/0", ttl=60)
    t0 = time.monotonic()
    cache.set("pith:1:a", DIGEST)
    assert cache.get("pith:1:a") is None  # skipped: the backend is paused after the failure
    assert cache.clear() == 0
    assert cache.health() == {"backend": "redis", "ok": False, "error": "ConnectionError"}
    assert time.monotonic() - t0 < 5  # short timeouts, no hanging request


def test_sqlite_path_is_in_the_data_dir():
    assert sqlite_path(Config(data_dir=Path("/srv/pith"))) == Path("/srv/pith/cache.sqlite3")


@pytest.mark.parametrize("bad", [b"not json", b"[1, 2]"])
def test_a_bad_stored_value_is_a_miss(tmp_path, bad):
    cache = SQLiteCache(tmp_path / "c.sqlite3", ttl=60)
    cache.set("pith:1:a", DIGEST)
    with sqlite3.connect(cache.path) as conn:
        conn.execute("UPDATE digests SET value = ?", (bad.decode(),))
    assert cache.get("pith:1:a") is None
    cache.set("pith:1:b", DIGEST)  # a bad value is a miss, not a broken cache
    assert cache.get("pith:1:b") == DIGEST

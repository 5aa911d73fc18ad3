"""URL digests through the safe fetcher, the SQLite and Redis caches, and `pith cache clear`."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from server.core.errors import STATUS


def _entries(c: httpx.Client) -> int:
    return c.get("/healthz").json()["cache"]["entries"]


def _text(tag: str) -> str:
    return (f"Harbour report {tag}\n\n"
            f"The harbour of Eastport handled 2.4 million containers last year, the port authority said on "
            f"Tuesday. That is 8 % more than a year earlier. Report {tag} was filed in the evening.\n\n"
            "The authority plans to invest 300 million euros in new cranes by 2030.")


# --- URLs -----------------------------------------------------------------------------------------

def test_get_url_gives_the_digest_of_the_fetched_page(client, page_server, as_json, conforms, verbatim):
    url = page_server.base + "/article.html"
    response = client.get("/api/v1/digest", params={"url": url, "sentences": "2"})
    body = as_json(response)
    assert response.status_code == 200, body
    conforms("Digest", body)
    verbatim(body)
    assert body["url"] == url
    assert body["title"]
    assert len(body["summary"]) <= 2


def test_post_url_is_the_same_as_get(client, page_server, as_json):
    url = page_server.base + "/article.html"
    posted = as_json(client.post("/api/v1/digest", json={"url": url}))
    got = as_json(client.get("/api/v1/digest", params={"url": url}))
    assert posted == got


def test_the_same_link_costs_one_fetch(client, page_server, as_json):
    url = page_server.base + "/cached.html"
    before = page_server.hits["/cached.html"]
    first = as_json(client.get("/api/v1/digest", params={"url": url}))
    for _ in range(3):  # two workers share the SQLite file
        assert as_json(client.post("/api/v1/digest", json={"url": url})) == first
    assert page_server.hits["/cached.html"] == before + 1


@pytest.mark.parametrize(("path", "code", "words"), [
    ("/broken", "upstream_error", "500"),
    ("/gone", "upstream_error", "404"),
    ("/image.png", "not_html", ""),
    ("/slow", "fetch_timeout", ""),
])
def test_fetch_failures_map_to_spec_codes(client, page_server, as_json, conforms, path, code, words):
    response = client.get("/api/v1/digest", params={"url": page_server.base + path})
    body = as_json(response)
    assert response.status_code == STATUS[code], body
    assert body["error"]["code"] == code
    assert words in body["error"]["message"]
    conforms("Error", body)


def test_unreachable_host_is_fetch_failed(client, as_json, closed_port):
    response = client.get("/api/v1/digest", params={"url": f"http://127.0.0.1:{closed_port}/x.html"})
    assert response.status_code == 502
    assert as_json(response)["error"]["code"] == "fetch_failed"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file.html", "file:///etc/passwd", "not a url at all"])
def test_non_web_addresses_are_refused(client, as_json, url):
    response = client.post("/api/v1/digest", json={"url": url})
    body = as_json(response)
    assert response.status_code == 400
    assert body["error"]["code"] in {"bad_request", "blocked_address"}
    assert "root:" not in response.text


def test_private_addresses_are_blocked_unless_allowed(pith_factory, page_server, as_json):
    server = pith_factory("public-only", {"PITH_ALLOW_PRIVATE_NETWORK": "0"})
    before = sum(page_server.hits.values())
    with httpx.Client(base_url=server.url, timeout=30) as c:
        for host in ("127.0.0.1", "localhost", "[::1]"):
            url = f"http://{host}:{page_server.port}/article.html"
            response = c.get("/api/v1/digest", params={"url": url})
            assert response.status_code == 400, url
            assert as_json(response)["error"]["code"] == "blocked_address"
    assert sum(page_server.hits.values()) == before


# --- SQLite cache ---------------------------------------------------------------------------------

def test_posted_pages_are_cached_by_content_but_never_stored(pith, client, as_json):
    marker = "secret-marker-7f3a91"
    html = (f"<html><head><title>Harbour</title><!-- {marker} --></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in _text("html").split("\n\n")[1:]) + "</article></body></html>")
    before = _entries(client)
    first = as_json(client.post("/api/v1/digest", json={"html": html}))
    assert _entries(client) == before + 1
    assert as_json(client.post("/api/v1/digest", json={"html": html})) == first
    assert _entries(client) == before + 1
    client.post("/api/v1/digest", json={"html": html, "sentences": 1})
    assert _entries(client) == before + 2  # another summary length is another digest
    db = pith.data_dir / "cache.sqlite3"
    with sqlite3.connect(db) as conn:
        values = [json.loads(v) for (v,) in conn.execute("SELECT value FROM digests")]
    assert values and all(v["schema"] == 1 and "text" in v for v in values)
    assert marker not in db.read_bytes().decode("utf-8", "replace")
    assert not any(marker in p.read_bytes().decode("utf-8", "replace") for p in pith.data_dir.glob("cache.sqlite3*"))


def test_cache_clear_empties_the_cache(pith, client, page_server, as_json):
    client.post("/api/v1/digest", json={"text": _text("clear")})
    assert _entries(client) >= 1
    done = pith.cli("cache", "clear")
    assert done.returncode == 0, done.stderr
    removed = int(re.search(r"Removed (\d+)", done.stdout).group(1))
    assert removed >= 1
    assert _entries(client) == 0
    assert pith.cli("cache", "clear").stdout.startswith("Removed 0 ")


def test_cache_clear_after_a_fetch_means_fetching_again(pith, client, page_server, as_json):
    url = page_server.base + "/article.html"
    client.get("/api/v1/digest", params={"url": url})
    before = page_server.hits["/article.html"]
    client.get("/api/v1/digest", params={"url": url})
    assert page_server.hits["/article.html"] == before
    assert pith.cli("cache", "clear").returncode == 0
    assert client.get("/api/v1/digest", params={"url": url}).status_code == 200
    assert page_server.hits["/article.html"] == before + 1


def test_ttl_zero_turns_the_cache_off(pith_factory, page_server, as_json):
    server = pith_factory("nocache", {"PITH_CACHE_TTL": "0"})
    with httpx.Client(base_url=server.url, timeout=30) as c:
        assert as_json(c.get("/healthz"))["cache"] == {"backend": "none", "ok": True}
        url = page_server.base + "/article.html"
        before = page_server.hits["/article.html"]
        for _ in range(2):
            assert c.get("/api/v1/digest", params={"url": url}).status_code == 200
        assert page_server.hits["/article.html"] == before + 2
    assert not (server.data_dir / "cache.sqlite3").exists()


def test_expired_digests_are_not_served(pith_factory, as_json):
    server = pith_factory("shortttl", {"PITH_CACHE_TTL": "3"})
    with httpx.Client(base_url=server.url, timeout=30) as c:
        c.post("/api/v1/digest", json={"text": _text("ttl")})
        t0 = time.monotonic()  # stored before the answer, so it expires at most 3 s from here
        assert _entries(c) == 1
        time.sleep(max(0.0, t0 + 3.3 - time.monotonic()))
        assert _entries(c) == 0


def test_a_broken_cache_file_does_not_fail_requests(pith_factory, as_json):
    server = pith_factory("brokencache")
    (server.data_dir / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    with httpx.Client(base_url=server.url, timeout=30) as c:
        response = c.post("/api/v1/digest", json={"text": _text("broken")})
        assert response.status_code == 200
        health = as_json(c.get("/healthz"))
        assert health["status"] == "ok"
        assert health["cache"] == {"backend": "sqlite", "ok": True, "entries": 1}  # moved aside, started afresh
    assert list(server.data_dir.glob("cache.sqlite3.corrupt-*"))


def _cache_states(c: httpx.Client, as_json, n: int = 12) -> list[dict]:
    """/healthz's cache part, asked ``n`` times (the answers come from both workers); every answer is 200."""
    states = []
    for _ in range(n):
        response = c.get("/healthz")
        assert response.status_code == 200
        states.append(as_json(response)["cache"])
    return states


def test_the_cache_heals_when_its_files_are_overwritten_or_deleted_under_a_running_server(pith_factory, as_json):
    server = pith_factory("healing", workers=2)
    path = server.data_dir / "cache.sqlite3"
    with httpx.Client(base_url=server.url, timeout=30) as c:
        for i in range(3):
            assert c.post("/api/v1/digest", json={"text": _text(f"heal {i}")}).status_code == 200
        assert {s.get("entries") for s in _cache_states(c, as_json)} == {3}

        for suffix in ("", "-wal"):  # garbage over the real files
            target = Path(f"{path}{suffix}")
            if target.exists():
                target.write_bytes(b"\x00garbage\xff" * max(1, target.stat().st_size // 10))
        states = _cache_states(c, as_json)
        assert any(s["ok"] is False for s in states) or list(server.data_dir.glob("cache.sqlite3.corrupt-*"))
        assert c.post("/api/v1/digest", json={"text": _text("after damage")}).status_code == 200
        assert all(s == {"backend": "sqlite", "ok": True, "entries": 1} for s in _cache_states(c, as_json))
        assert [p for p in server.data_dir.glob("cache.sqlite3.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]

        for suffix in ("", "-wal", "-shm"):  # deleted under the running server
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        assert c.post("/api/v1/digest", json={"text": _text("after deletion")}).status_code == 200
        states = _cache_states(c, as_json, 20)
        assert all(s == {"backend": "sqlite", "ok": True, "entries": 1} for s in states), states  # workers agree


# --- Redis ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def redis_pith(pith_factory, redis_server):
    server = pith_factory("redis", {"PITH_CACHE_URL": redis_server.url}, workers=2)
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield server, c


def test_redis_cache_is_used_and_reported(redis_pith, redis_server, page_server, as_json):
    import redis

    server, c = redis_pith
    health = as_json(c.get("/healthz"))
    assert health["cache"] == {"backend": "redis", "ok": True}
    r = redis.Redis.from_url(redis_server.url)
    r.delete(*r.keys("pith:*") or ["none"])
    first = as_json(c.post("/api/v1/digest", json={"text": _text("redis")}))
    assert as_json(c.post("/api/v1/digest", json={"text": _text("redis")})) == first
    keys = r.keys("pith:*")
    assert len(keys) == 1
    assert 0 < r.ttl(keys[0]) <= 86_400
    assert json.loads(r.get(keys[0]))["text"] == first["text"]
    assert not (server.data_dir / "cache.sqlite3").exists()
    # a fetched link costs one fetch across both workers
    before = page_server.hits["/redis.html"]
    for _ in range(3):
        assert c.get("/api/v1/digest", params={"url": page_server.base + "/redis.html"}).status_code == 200
    assert page_server.hits["/redis.html"] == before + 1
    done = server.cli("cache", "clear")
    assert done.returncode == 0
    assert done.stdout.startswith("Removed 2 ")
    assert r.keys("pith:*") == []


def test_redis_rate_limit_is_shared_by_all_workers(pith_factory, redis_server, as_json):
    server = pith_factory("redis-limited", {"PITH_CACHE_URL": redis_server.url, "PITH_RATE_LIMIT": "5/minute"},
                          workers=2)
    statuses = []
    for _ in range(10):  # a new connection each time, so both workers answer
        with httpx.Client(base_url=server.url, timeout=30) as c:
            statuses.append(c.post("/api/v1/digest", json={}).status_code)
    assert statuses.count(400) == 5 and statuses.count(429) == 5
    import redis

    assert redis.Redis.from_url(redis_server.url).keys("*pith-rl*")


def test_a_redis_outage_does_not_fail_requests(pith_factory, own_redis, as_json):
    server = pith_factory("redis-outage", {"PITH_CACHE_URL": own_redis.url, "PITH_RATE_LIMIT": "100/minute"})
    with httpx.Client(base_url=server.url, timeout=30) as c:
        assert c.post("/api/v1/digest", json={"text": _text("up")}).status_code == 200
        own_redis.stop()
        response = c.post("/api/v1/digest", json={"text": _text("down")})
        assert response.status_code == 200
        assert c.post("/api/v1/digest", json={}).status_code == 400  # the limiter falls back, too
        health = as_json(c.get("/healthz"))
        assert health["status"] == "ok"
        assert health["cache"]["backend"] == "redis" and health["cache"]["ok"] is False
    assert server.alive()

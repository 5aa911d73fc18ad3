"""The library over real HTTP (SPEC §7): keeping digest answers, search, pages, deletion, auth, limits, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.library.servers import article, start_server
from tests.support.pith import PithServer


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, PithServer]]:
    started = {
        "main": start_server(tmp_path_factory.mktemp("lib-main"), {}, workers=2),
        "token": start_server(tmp_path_factory.mktemp("lib-token"), {
            "PITH_API_TOKEN": "s3cret", "PITH_RATE_LIMIT": "3/minute", "PITH_LIBRARY_RATE_LIMIT": "50/minute"}),
        "off": start_server(tmp_path_factory.mktemp("lib-off"), {"PITH_LIBRARY": "0"}),
        "tight": start_server(tmp_path_factory.mktemp("lib-tight"), {"PITH_LIBRARY_RATE_LIMIT": "3/minute"}),
    }
    yield started
    for server in started.values():
        server.stop()


@pytest.fixture(scope="module")
def client(servers: dict[str, PithServer]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=servers["main"].url, timeout=60) as c:
        yield c


def keep(client: httpx.Client, text: str, url: str | None = None) -> dict:
    response = client.post("/api/v1/digest", json={"text": text, **({"url": url} if url else {})})
    assert response.status_code == 200, response.text
    return response.json()


def test_every_digest_answer_is_kept_and_searchable(client: httpx.Client) -> None:
    digest = keep(client, article("die Steuerreform", "Jan Muster"), url="https://news.example/steuer")
    assert digest["quotes"] and digest["quotes"][0]["speaker"] == "Jan Muster"
    keep(client, article("die Steuerreform", "Jan Muster"), url="https://news.example/steuer")  # cached: one entry
    found = client.get("/api/v1/quotes", params={"q": "Lösungen Steuer*"}).json()
    assert [q["page"]["url"] for q in found["quotes"]] == ["https://news.example/steuer"]
    hit = found["quotes"][0]
    assert hit["speaker"] == "Jan Muster" and hit["text"].startswith("Wir brauchen") and found["next_cursor"] is None
    kept = client.get(f"/api/v1/library/{hit['page']['id']}").json()
    assert kept["text"] == digest["text"] and kept["kept_at"] == hit["kept_at"]
    start, end = hit["spans"][0]
    assert kept["text"][start:end] == hit["text"]
    assert client.get("/api/v1/speakers", params={"prefix": "must"}).json()["speakers"][0]["name"] == "Jan Muster"
    pages = client.get("/api/v1/library").json()["pages"]
    assert [p["url"] for p in pages].count("https://news.example/steuer") == 1


def test_library_answers_conform_to_the_openapi_document(client: httpx.Client) -> None:
    from jsonschema import Draft202012Validator

    doc = client.get("/openapi.json").json()
    keep(client, article("den Veloweg", "Eva Beispiel"), url="https://news.example/velo")

    def check(name: str, instance: object) -> None:
        Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": doc["components"]}).validate(
            instance)

    results = client.get("/api/v1/quotes", params={"speaker": "Beispiel"}).json()
    assert results["quotes"]
    check("QuoteResults", results)
    check("Speakers", client.get("/api/v1/speakers").json())
    check("LibraryPages", client.get("/api/v1/library").json())
    check("KeptDigest", client.get(f"/api/v1/library/{results['quotes'][0]['page']['id']}").json())
    check("Health", client.get("/healthz").json())
    for path in ("/api/v1/quotes", "/api/v1/speakers", "/api/v1/library", "/api/v1/library/{id}"):
        assert path in doc["paths"]


# gunicorn refuses request lines over 8,190 bytes before the app sees them; 10,000-character queries are tested
# on the storage directly (test_store.py).
BAD = ['"', "*", "NEAR(", "'; DROP TABLE entries; --", "((a", ")", "x" * 7_500, "%00", "\\", "Steuer* OR 1=1"]


@pytest.mark.parametrize("value", BAD)
def test_syntax_in_parameters_never_breaks_the_server(client: httpx.Client, value: str) -> None:
    for name in ("q", "speaker", "site", "prefix"):
        response = client.get("/api/v1/quotes" if name != "prefix" else "/api/v1/speakers", params={name: value})
        assert response.status_code in (200, 400), (name, value, response.text[:200])
        assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("params", [{"since": "gestern"}, {"until": "2026-02-30"}, {"cursor": "abc"},
                                    {"cursor": "W1tdXQ"}, {"limit": "0"}, {"limit": "101"}, {"limit": "zwanzig"},
                                    {"limit": "-1"}, {"limit": "¹"}, {"limit": "٣"}])
def test_bad_dates_limits_and_cursors_are_400(client: httpx.Client, params: dict) -> None:
    response = client.get("/api/v1/quotes", params=params)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


def test_unknown_things(client: httpx.Client) -> None:
    assert client.get("/api/v1/quotes", params={"speaker": "Niemand Unbekannt"}).json() == {
        "quotes": [], "next_cursor": None}
    assert client.get("/api/v1/library/999999").status_code == 404
    assert client.get("/api/v1/library/99999999999999999999999").status_code == 404
    assert client.delete("/api/v1/library/999999").json()["error"]["code"] == "not_found"


def test_cursor_pages_through_everything(client: httpx.Client) -> None:
    for n in range(3):
        keep(client, article("den Stadtpark", "Paul Beispielmann", n))
    seen, cursor = [], None
    while True:
        body = client.get("/api/v1/quotes", params={"speaker": "Paul Beispielmann", "limit": 1,
                                                    **({"cursor": cursor} if cursor else {})}).json()
        seen += [(q["page"]["id"], q["index"]) for q in body["quotes"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 3


def test_32_concurrent_clients_lose_no_entry(servers: dict[str, PithServer]) -> None:
    def one(n: int) -> int:
        with httpx.Client(base_url=servers["main"].url, timeout=120) as c:
            return c.post("/api/v1/digest", json={"text": article("die Parkplätze", "Anna Muster", 100 + n),
                                                  "url": f"https://news.example/park/{n}"}).status_code

    with ThreadPoolExecutor(32) as pool:
        assert list(pool.map(one, range(32))) == [200] * 32
    urls: set[str] = set()
    with httpx.Client(base_url=servers["main"].url, timeout=60) as c:
        cursor = None
        while True:
            body = c.get("/api/v1/library", params={"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
            urls |= {p["url"] for p in body["pages"] if p["url"] and "/park/" in p["url"]}
            if not (cursor := body["next_cursor"]):
                break
    assert len(urls) == 32


def test_delete_one_and_all(client: httpx.Client) -> None:
    keep(client, article("die Brücke", "Eva Brückner"), url="https://news.example/bruecke")
    hit = client.get("/api/v1/quotes", params={"speaker": "Eva Brückner"}).json()["quotes"][0]
    assert client.delete(f"/api/v1/library/{hit['page']['id']}").status_code == 204
    assert client.get("/api/v1/quotes", params={"speaker": "Eva Brückner"}).json()["quotes"] == []
    assert client.delete("/api/v1/library").status_code == 204
    assert client.get("/api/v1/library").json() == {"pages": [], "next_cursor": None}


def test_token_guards_the_web_library_and_reads_have_their_own_limit(servers: dict[str, PithServer]) -> None:
    url = servers["token"].url
    with httpx.Client(base_url=url, timeout=60) as anon:
        assert anon.get("/api/v1/quotes").status_code == 401
        assert anon.get("/api/v1/library").status_code == 401
        assert anon.delete("/api/v1/library").status_code == 401
    with httpx.Client(base_url=url, timeout=60, headers={"Authorization": "Bearer s3cret"}) as c:
        assert c.post("/api/v1/digest", json={"text": article("den Bahnhof", "Jan Muster")}).status_code == 200
        statuses = [c.get("/api/v1/speakers", params={"prefix": "mu"}).status_code for _ in range(8)]
        assert statuses == [200] * 8  # more than PITH_RATE_LIMIT (3/minute): the library has its own limit
        assert c.get("/api/v1/quotes", params={"q": "Bahnhof"}).json()["quotes"]


def test_a_cached_answer_is_kept_too(client: httpx.Client) -> None:
    text = article("den Kreisel", "Paula Beispiel")
    keep(client, text)
    hit = client.get("/api/v1/quotes", params={"q": "Kreisel"}).json()["quotes"][0]
    assert client.delete(f"/api/v1/library/{hit['page']['id']}").status_code == 204
    keep(client, text)  # answered from the digest cache this time
    assert [q["speaker"] for q in client.get("/api/v1/quotes", params={"q": "Kreisel"}).json()["quotes"]] == [
        "Paula Beispiel"]


def test_library_off(servers: dict[str, PithServer]) -> None:
    with httpx.Client(base_url=servers["off"].url, timeout=60) as c:
        assert c.post("/api/v1/digest", json={"text": article("das Hallenbad")}).status_code == 200
        assert c.get("/api/v1/quotes").status_code == 404
        assert c.get("/healthz").json()["library"] == {"enabled": False, "ok": True}


def test_a_damaged_library_is_reported_and_digests_still_work(tmp_path_factory: pytest.TempPathFactory) -> None:
    data = tmp_path_factory.mktemp("lib-damaged")
    (data / "library.sqlite3").write_bytes(b"not a database at all " * 200)
    server = start_server(data, {})
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            health = c.get("/healthz").json()
            assert health["library"]["ok"] is False and health["library"]["read_only"] is True
            assert c.post("/api/v1/digest", json={"text": article("die Turnhalle")}).status_code == 200
            response = c.get("/api/v1/quotes", params={"q": "Turnhalle"})
            assert response.status_code == 503 and response.json()["error"]["code"] == "library_unavailable"
    finally:
        server.stop()
    assert (data / "library.sqlite3").read_bytes().startswith(b"not a database")  # kept for repair or export


def test_library_limit_holds_without_the_api_limit(servers: dict[str, PithServer]) -> None:
    with httpx.Client(base_url=servers["tight"].url, timeout=60) as c:
        statuses = [c.get("/api/v1/speakers").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = c.get("/api/v1/quotes")
        assert limited.json()["error"]["code"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1
        assert [c.post("/api/v1/digest", json={"text": article("den Markt", n=n)}).status_code
                for n in range(4)] == [200] * 4  # PITH_RATE_LIMIT=0: digests are not limited


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["q", "speaker", "site", "since", "until", "limit", "cursor", "prefix"]),
                              st.text(max_size=40), max_size=5))
def test_random_parameters_never_give_a_500(client: httpx.Client, params: dict[str, str]) -> None:
    for path in ("/api/v1/quotes", "/api/v1/speakers", "/api/v1/library"):
        response = client.get(path, params=params)
        assert response.status_code in (200, 400), (path, params, response.text[:200])

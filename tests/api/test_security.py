"""CORS, bearer token, rate limits and the proxy setting, against real `pith serve` processes."""

from __future__ import annotations

import httpx
import pytest

TOKEN = "s3cret-token"
EXTRA_ORIGIN = "https://reader.example"


@pytest.fixture(scope="module")
def guarded(pith_factory):
    """A server with a token and one extra CORS origin."""
    server = pith_factory("guarded", {"PITH_API_TOKEN": TOKEN, "PITH_CORS_ORIGINS": EXTRA_ORIGIN + ", https://b.example"})
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _preflight(c: httpx.Client, origin: str) -> httpx.Response:
    return c.options("/api/v1/digest", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})


@pytest.mark.parametrize("origin", ["chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                                    "moz-extension://5c1b6b4e-8d1f-4c53-9a57-2f0e7bd2b3a1"])
def test_extension_origins_are_allowed(client, origin):
    response = client.post("/api/v1/digest", json={}, headers={"Origin": origin})
    assert response.headers["access-control-allow-origin"] == origin
    assert "Origin" in response.headers.get("vary", "")


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:1234", "null",
                                    "chrome-extension://abc/../evil", "https://chrome-extension.evil"])
def test_other_origins_are_not_allowed(client, origin):
    response = client.post("/api/v1/digest", json={}, headers={"Origin": origin})
    assert "access-control-allow-origin" not in response.headers
    preflight = _preflight(client, origin)
    assert "access-control-allow-origin" not in preflight.headers


def test_configured_origins_are_allowed_exactly(guarded):
    ok = _preflight(guarded, EXTRA_ORIGIN)
    assert ok.headers["access-control-allow-origin"] == EXTRA_ORIGIN
    assert "access-control-allow-origin" not in _preflight(guarded, EXTRA_ORIGIN + ".evil.example").headers
    assert "access-control-allow-origin" not in _preflight(guarded, "https://evil.example").headers


def test_preflight_needs_no_token_and_allows_the_authorization_header(guarded):
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    response = _preflight(guarded, origin)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert "POST" in response.headers["access-control-allow-methods"]


def test_token_is_required_on_the_api_only(guarded, as_json):
    assert guarded.get("/healthz").status_code == 200
    assert guarded.get("/openapi.json").status_code == 200
    assert guarded.get("/").status_code == 200
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"},
                    {"Authorization": f"Bearer {TOKEN[:-1]}"}):
        response = guarded.post("/api/v1/digest", json={"text": "Some text."}, headers=headers)
        assert response.status_code == 401, headers
        assert as_json(response)["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert guarded.get("/api/v1/digest", params={"url": "http://127.0.0.1:9/"}).status_code == 401
    # unknown /api/ paths need the token too, so they do not reveal what exists
    assert guarded.get("/api/v1/other").status_code == 401


def test_the_right_token_passes(guarded, as_json):
    response = guarded.post("/api/v1/digest", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400  # past the auth check, then the empty request is refused
    response = guarded.post("/api/v1/digest", json={}, headers={"Authorization": f"bearer  {TOKEN}"})
    assert response.status_code == 400
    assert as_json(response)["error"]["code"] == "bad_request"


def test_a_401_still_carries_cors_headers_so_the_extension_can_read_it(guarded):
    origin = "moz-extension://5c1b6b4e-8d1f-4c53-9a57-2f0e7bd2b3a1"
    response = guarded.post("/api/v1/digest", json={}, headers={"Origin": origin})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == origin


@pytest.fixture(scope="module")
def limited(pith_factory):
    server = pith_factory("limited", {"PITH_RATE_LIMIT": "3/minute"})
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def test_rate_limit_gives_json_429_with_retry_after(limited, as_json, conforms):
    statuses = [limited.post("/api/v1/digest", json={}).status_code for _ in range(3)]
    assert statuses == [400, 400, 400]
    response = limited.post("/api/v1/digest", json={})
    body = as_json(response)
    assert response.status_code == 429
    assert body["error"]["code"] == "rate_limited"
    conforms("Error", body)
    retry = int(response.headers["retry-after"])
    assert 30 < retry <= 60  # the first of the three requests leaves the minute's window then
    assert f"try again in {retry} s" in body["error"]["message"]
    # other routes and preflights are not limited, and X-Forwarded-For is ignored without PITH_TRUST_PROXY
    assert limited.get("/healthz").status_code == 200
    assert limited.get("/").status_code == 200
    assert _preflight(limited, "chrome-extension://abcdefghijklmnop").status_code == 200
    spoofed = limited.post("/api/v1/digest", json={}, headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status_code == 429
    assert limited.get("/api/v1/digest", params={"url": "x"}).status_code == 429


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(pith_factory):
    server = pith_factory("proxied", {"PITH_RATE_LIMIT": "2/minute", "PITH_TRUST_PROXY": "1"})
    with httpx.Client(base_url=server.url, timeout=30) as c:
        first = {"X-Forwarded-For": "198.51.100.1"}
        assert [c.post("/api/v1/digest", json={}, headers=first).status_code for _ in range(3)] == [400, 400, 429]
        second = {"X-Forwarded-For": "198.51.100.2"}
        assert c.post("/api/v1/digest", json={}, headers=second).status_code == 400


def test_rate_limit_zero_turns_it_off(client):
    # the main server runs with PITH_RATE_LIMIT=0
    assert all(client.post("/api/v1/digest", json={}).status_code == 400 for _ in range(30))


def test_a_bad_rate_limit_setting_stops_the_server_with_a_message(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PITH_RATE_LIMIT": "lots", "PITH_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "server", "serve", "--port", "1"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "PITH_RATE_LIMIT" in done.stderr
    assert "Traceback" not in done.stderr

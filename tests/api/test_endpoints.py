"""The HTTP API over real HTTP: endpoints, error codes, the OpenAPI document and its schemas."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

from server import __version__
from server.core.errors import STATUS


def test_healthz_reports_version_and_cache(client, as_json, conforms):
    response = client.get("/healthz")
    body = as_json(response)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["cache"]["backend"] == "sqlite" and body["cache"]["ok"] is True
    conforms("Health", body)


def test_openapi_is_a_valid_31_document_that_lists_the_endpoints(openapi_doc):
    validate(openapi_doc)  # raises on an invalid document
    assert openapi_doc["openapi"].startswith("3.1")
    assert set(openapi_doc["paths"]) == {"/healthz", "/api/v1/digest", "/openapi.json", "/api/v1/quotes",
                                         "/api/v1/speakers", "/api/v1/library", "/api/v1/library/{id}"}
    assert set(openapi_doc["paths"]["/api/v1/digest"]) == {"get", "post"}
    error_codes = openapi_doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    assert set(error_codes) == set(STATUS)


def test_post_html_gives_a_digest_that_matches_the_schema(client, article_html, as_json, conforms, verbatim):
    response = client.post("/api/v1/digest", json={"html": article_html.decode("utf-8"), "sentences": 2})
    body = as_json(response)
    assert response.status_code == 200, body
    conforms("Digest", body)
    verbatim(body)
    assert body["schema"] == 1
    assert body["title"] and body["text"]
    assert 1 <= len(body["summary"]) <= 2


def test_post_text_with_url_keeps_the_url(client, as_json, conforms, verbatim):
    text = ("Town council approves new bridge\n\n"
            "The town council of Millbrook approved a new bridge over the river on Monday. "
            "The bridge will cost 12 million euros and open in 2028, the mayor said.\n\n"
            "Construction starts in spring. About 4,000 cars a day are expected to cross it.")
    response = client.post("/api/v1/digest", json={"text": text, "url": "https://news.example/bridge"})
    body = as_json(response)
    assert response.status_code == 200, body
    conforms("Digest", body)
    verbatim(body)
    assert body["url"] == "https://news.example/bridge"
    assert "12 million euros" in body["text"]


def test_the_body_is_read_as_json_whatever_the_content_type(client, as_json):
    payload = json.dumps({"text": "A short text about a river. It has two sentences."})
    response = client.post("/api/v1/digest", content=payload, headers={"Content-Type": "text/plain"})
    assert response.status_code in (200, 422)
    as_json(response)


@pytest.mark.parametrize(("payload", "fragment"), [
    ({}, "Send a url"),
    ({"text": ""}, "text is empty"),
    ({"text": "   \n "}, "text is empty"),
    ({"text": 5}, "text must be a string"),
    ({"html": ["<p>a</p>"]}, "html must be a string"),
    ({"url": 42}, "url must be a string"),
    ({"url": "   "}, "url is empty"),
    ({"html": "<p>x</p>", "text": "x"}, "not both"),
    ({"text": "Some text.", "sentences": 0}, "between 1 and 5"),
    ({"text": "Some text.", "sentences": 9}, "between 1 and 5"),
    ({"text": "Some text.", "sentences": True}, "whole number"),
    ({"text": "Some text.", "sentences": 2.5}, "whole number"),
    ({"text": "Some text.", "url": "javascript:alert(1)"}, "http:// or https://"),
])
def test_bad_requests_get_400_with_a_clear_message(client, as_json, conforms, payload, fragment):
    response = client.post("/api/v1/digest", json=payload)
    body = as_json(response)
    assert response.status_code == 400
    assert body["error"]["code"] == "bad_request"
    assert fragment in body["error"]["message"]
    conforms("Error", body)


@pytest.mark.parametrize("raw", [b"", b"{", b"[1, 2]", b'"text"', b"\xff\xfe{}", b"[" * 100_000])
def test_malformed_bodies_get_400(client, as_json, raw):
    response = client.post("/api/v1/digest", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert as_json(response)["error"]["code"] == "bad_request"


def test_get_without_url_is_400(client, as_json):
    response = client.get("/api/v1/digest")
    assert response.status_code == 400
    assert "url=" in as_json(response)["error"]["message"]


def test_get_with_bad_sentences_is_400(client, as_json):
    response = client.get("/api/v1/digest", params={"url": "http://127.0.0.1:9/", "sentences": "many"})
    assert response.status_code == 400
    assert as_json(response)["error"]["code"] == "bad_request"


def test_binary_text_is_415(client, as_json, conforms):
    response = client.post("/api/v1/digest", json={"text": "abc\x00\x01\x02" * 100})
    body = as_json(response)
    assert response.status_code == 415
    assert body["error"]["code"] == "not_html"
    conforms("Error", body)


def test_a_page_without_an_article_is_422(client, as_json):
    response = client.post("/api/v1/digest", json={"html": "<html><head><title>x</title></head><body></body></html>"})
    body = as_json(response)
    assert response.status_code == 422
    assert body["error"]["code"] == "no_article"


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v2/digest", "/nothing-here", "/static/nope.js"])
def test_unknown_paths_are_json_404(client, as_json, path):
    response = client.get(path)
    assert response.status_code == 404
    assert as_json(response)["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_methods_are_json_405_with_allow(client, as_json, method):
    response = client.request(method, "/api/v1/digest")
    assert response.status_code == 405
    assert as_json(response)["error"]["code"] == "method_not_allowed"
    assert "POST" in response.headers["allow"]


def test_body_over_the_limit_is_json_413(client, as_json, conforms):
    response = client.post("/api/v1/digest", json={"html": "<p>" + "x" * 1_100_000 + "</p>"})
    body = as_json(response)
    assert response.status_code == 413
    assert body["error"]["code"] == "too_large"
    assert "PITH_MAX_BODY_BYTES" in body["error"]["message"]
    conforms("Error", body)


def test_body_just_under_the_limit_is_accepted(client, article_html, as_json):
    page = article_html.decode("utf-8").replace("</body>", "<!-- " + "padding " * 110_000 + "--></body>")
    assert 850_000 < len(page) < 1_000_000
    response = client.post("/api/v1/digest", json={"html": page})
    assert response.status_code == 200
    assert as_json(response)["title"]


def test_responses_carry_no_traces_or_paths(client):
    for response in (client.post("/api/v1/digest", content=b"{"), client.get("/api/v1/x"),
                     client.post("/api/v1/digest", json={"text": "\x00" * 10})):
        assert "Traceback" not in response.text
        assert "/work/" not in response.text and "site-packages" not in response.text
        assert "server/" not in response.text


def test_the_page_has_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert 'id="input"' in response.text
    for asset in ("/static/ui.js", "/static/pith.js", "/static/style.css"):
        r = client.get(asset)
        assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"


def test_api_responses_are_not_stored_by_browsers(client):
    response = client.post("/api/v1/digest", json={})
    assert response.headers["cache-control"] == "no-store"


def test_server_survives_a_client_that_hangs_up(pith, client):
    import socket

    with socket.create_connection(("127.0.0.1", pith.port)) as s:
        s.sendall(b"POST /api/v1/digest HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{\"text\": \"")
    assert client.get("/healthz").status_code == 200


def test_a_chunked_body_over_the_limit_is_413_too(client, as_json):
    def chunks():
        yield b'{"text": "'
        for _ in range(40):
            yield b"x" * 50_000
        yield b'"}'

    response = client.post("/api/v1/digest", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert as_json(response)["error"]["code"] == "too_large"


@pytest.mark.parametrize("link", ["htps://x", "ftp://example.org/file", "hxxp://example.org/"])
def test_a_link_that_is_not_http_is_a_clear_bad_request(client, as_json, link):
    posted = client.post("/api/v1/digest", json={"url": link})
    for response in (posted, client.get("/api/v1/digest", params={"url": link})):
        body = as_json(response)
        assert response.status_code == 400
        assert body["error"]["code"] == "bad_request"
        assert "only http and https links" in body["error"]["message"]

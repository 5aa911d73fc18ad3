"""The digest's Markdown rendering on request (``include``), over real HTTP."""

from __future__ import annotations

import json

import httpx
import pytest

from server.core.digest import Digest
from server.core.render import to_markdown

ENGLISH = ("Harbour board approves new ferry line\n\n"
           "The harbour board approved a ferry line costing 4.5 million euros on Monday. "
           "Boats will run every 20 minutes from May. "
           "\"This line connects both shores at last,\" said board chair Mara Lind. "
           "Critics say 4.5 million euros is too much for a route used by 900 people a day.\n")


def test_post_include_markdown_is_the_canonical_rendering(client, article_html, as_json, conforms):
    page = article_html.decode("utf-8")
    response = client.post("/api/v1/digest", json={"html": page, "include": ["markdown"]})
    body = as_json(response)
    assert response.status_code == 200, body
    conforms("Digest", body)
    markdown = body.pop("markdown")
    assert markdown == to_markdown(Digest.from_dict(body))
    assert body["language"] == "de"
    assert markdown.startswith(f"# {body['title']}\n")
    assert "## Zusammenfassung" in markdown  # headings in the page's language
    plain = as_json(client.post("/api/v1/digest", json={"html": page}))
    assert "markdown" not in plain and plain == body


def test_english_text_gets_english_headings_and_bold_figures(client, as_json):
    body = as_json(client.post("/api/v1/digest", json={"text": ENGLISH, "include": ["markdown"]}))
    assert body["language"] == "en"
    md = body["markdown"]
    assert md.startswith("# Harbour board approves new ferry line\n")
    assert "## Summary" in md and "## Zusammenfassung" not in md
    if body["facts"]:
        assert "## Key facts" in md and "**" in md


def test_get_include_markdown(client, page_server, as_json):
    response = client.get("/api/v1/digest", params={"url": f"{page_server.base}/article.html",
                                                      "include": "markdown"})
    body = as_json(response)
    assert response.status_code == 200, body
    assert body["markdown"].startswith("# ")


@pytest.mark.parametrize("include", [["html"], "markdown", [1], ["markdown", "pdf"]])
def test_post_unknown_or_malformed_include_is_a_bad_request(client, as_json, include):
    response = client.post("/api/v1/digest", json={"text": ENGLISH, "include": include})
    if include == "markdown":  # a single name as a string is accepted, like the query parameter
        assert response.status_code == 200 and "markdown" in as_json(response)
        return
    assert response.status_code == 400
    assert as_json(response)["error"]["code"] == "bad_request"


def test_get_unknown_include_is_a_bad_request(client, page_server, as_json):
    response = client.get("/api/v1/digest", params={"url": f"{page_server.base}/article.html", "include": "pdf"})
    assert response.status_code == 400
    assert "markdown" in as_json(response)["error"]["message"]


def test_openapi_documents_include(openapi_doc):
    request = openapi_doc["components"]["schemas"]["DigestRequest"]["properties"]
    assert request["include"]["items"]["enum"] == ["markdown"]
    params = {p["name"] for p in openapi_doc["paths"]["/api/v1/digest"]["get"]["parameters"]}
    assert "include" in params
    assert "markdown" in openapi_doc["components"]["schemas"]["Digest"]["properties"]


def test_pith_langdata_dirs_reaches_the_digest_and_its_markdown(pith_factory, tmp_path_factory, as_json):
    """A server with PITH_LANGDATA_DIRS: the digest (run in the budget's child process) and the Markdown
    rendering both see the extra directory."""
    extra = tmp_path_factory.mktemp("langdata")
    (extra / "en").mkdir()
    (extra / "en" / "render.json").write_text(json.dumps({"summary": "Gist", "quotes": "Said"}), encoding="utf-8")
    (extra / "en" / "quotes.json").write_text(json.dumps({"cues": ["mused"]}), encoding="utf-8")
    server = pith_factory("langdata", {"PITH_LANGDATA_DIRS": str(extra)})
    text = ENGLISH + '"We will see about that," mused harbour master Olaf Brink.\n'
    with httpx.Client(base_url=server.url, timeout=60) as c:
        response = c.post("/api/v1/digest", json={"text": text, "include": ["markdown"]})
    body = as_json(response)
    assert response.status_code == 200, body
    assert "## Gist" in body["markdown"] and "## Said" in body["markdown"]
    assert {q["cue"] for q in body["quotes"]} == {"mused"}, "only the cues of the extra table"

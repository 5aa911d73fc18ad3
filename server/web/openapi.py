"""The OpenAPI 3.1 document of the HTTP API (SPEC §3), built from SPEC §1's Digest shape."""

from __future__ import annotations

from typing import Any

from server.core.errors import STATUS
from server.core.pipeline import DEFAULT_SENTENCES, MAX_SENTENCES, MIN_SENTENCES
from server.web.library_openapi import LIBRARY_PATHS, LIBRARY_SCHEMAS


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


_OFFSET = {"type": "integer", "minimum": 0}
# the summary length: a number of sentences, or "auto" (the default, DEFAULT_SENTENCES = None)
_SENTENCES: dict[str, Any] = {
    "oneOf": [{"type": "integer", "minimum": MIN_SENTENCES, "maximum": MAX_SENTENCES},
              {"type": "string", "enum": ["auto"]}],
    "default": "auto" if DEFAULT_SENTENCES is None else DEFAULT_SENTENCES,
}
_SENTENCES_HELP = (f"Summary length: {MIN_SENTENCES}-{MAX_SENTENCES} sentences, given as far as 90 words and the "
                   "article allow; \"auto\" (the default) adapts between 2 and 4 sentences to their length.")
# What the API really accepts (server/web/api.py, the fetcher): an http(s) address with a host name and no
# spaces or control characters; a page with at least one visible character.
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://" + _HOST + r"(?::[1-9][0-9]{0,3})?(?:[/?#][^\x00-\x20\x7f]*)?$"
_URL = {"type": "string", "minLength": 8, "maxLength": 4096, "pattern": URL_PATTERN}
VISIBLE_PATTERN = (r"[^\s\x00-\x1f\x7f-\x9f\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e"
                   r"\u2060-\u206f\u3164\ufeff\uffa0]")
# A text that really digests, for the request examples.
EXAMPLE_TEXT = (
    "Riverside opens a new footbridge\n\n"
    "The town of Riverside opened its new footbridge over the Mill river on Saturday, two months ahead of "
    "schedule. The bridge cost 4.2 million euros, 10 % less than planned.\n\n"
    "\u201cIt connects the old town with the station in five minutes,\u201d said mayor Anna Example at the "
    "opening. About 3,000 people crossed it on the first day.\n\n"
    "The old ferry will keep running on weekends until the end of the year, the town council decided.")
_PAGE = {"type": "string", "minLength": 1, "pattern": VISIBLE_PATTERN}
_SPAN = {
    "type": "object",
    "required": ["text", "start", "end"],
    "properties": {"text": {"type": "string"}, "start": _OFFSET, "end": _OFFSET},
}

SCHEMAS: dict[str, Any] = {
    "Span": {**_SPAN, "description": "A verbatim piece of the text: text == digest.text[start:end]."},
    "Fact": {
        "type": "object",
        "required": ["text", "start", "end", "figures"],
        "properties": {"text": {"type": "string"}, "start": _OFFSET, "end": _OFFSET,
                       "figures": {"type": "array", "items": {"$ref": "#/components/schemas/Span"}}},
    },
    "Quote": {
        "type": "object",
        "required": ["text", "spans", "speaker", "speaker_mention", "cue", "partial"],
        "properties": {
            "text": {"type": "string",
                     "description": "Words inside the marks; parts of a split quote joined by ' … '."},
            "spans": {"type": "array", "minItems": 1,
                      "items": {"type": "array", "prefixItems": [_OFFSET, _OFFSET], "minItems": 2, "maxItems": 2}},
            "speaker": _nullable("string"),
            "speaker_mention": _nullable("string"),
            "cue": _nullable("string"),
            "partial": {"type": "boolean"},
        },
    },
    "Digest": {
        "type": "object",
        "description": "The pith of a page (schema 1). Offsets are code-point indices into text, end exclusive.",
        "required": ["schema", "url", "title", "author", "date", "site", "language", "text", "word_count",
                     "reading_minutes", "summary", "facts", "quotes"],
        "properties": {
            "schema": {"const": 1},
            "url": _nullable("string"),
            "title": _nullable("string"),
            "author": _nullable("string"),
            "date": _nullable("string", pattern=r"^\d{4}-\d{2}-\d{2}$"),
            "site": _nullable("string"),
            "language": _nullable("string"),
            "text": {"type": "string"},
            "word_count": {"type": "integer", "minimum": 0},
            "reading_minutes": {"type": "integer", "minimum": 1},
            "summary": {"type": "array", "maxItems": MAX_SENTENCES, "items": {"$ref": "#/components/schemas/Span"}},
            "facts": {"type": "array", "maxItems": 8, "items": {"$ref": "#/components/schemas/Fact"}},
            "quotes": {"type": "array", "items": {"$ref": "#/components/schemas/Quote"}},
            "markdown": {"type": "string", "description": "The digest as Markdown (headings in the page's language, "
                                                          "de or en, else en); only when asked with include."},
        },
    },
    "DigestRequest": {
        "type": "object",
        "description": "Exactly one source: url alone (the server fetches it), or html or text (url then optional).",
        "properties": {
            "url": {**_URL, "description": "Page to fetch (http or https), or the posted page's address."},
            "html": {**_PAGE, "description": "The page's HTML."},
            "text": {**_PAGE, "description": "The page copied as plain text."},
            "sentences": {**_SENTENCES, "description": _SENTENCES_HELP},
            "include": {"type": "array", "items": {"enum": ["markdown"]},
                        "description": 'Extra renderings to add to the digest: ["markdown"] adds a markdown field.'},
        },
        "anyOf": [{"required": ["url"]}, {"required": ["html"]}, {"required": ["text"]}],
        "not": {"required": ["html", "text"]},
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string", "enum": sorted(STATUS)}, "message": {"type": "string"}},
        }},
    },
    "Health": {
        "type": "object",
        "required": ["status", "version", "cache"],
        "properties": {
            "status": {"const": "ok"},
            "version": {"type": "string"},
            "library": {"type": "object", "required": ["enabled", "ok"],
                        "properties": {"enabled": {"type": "boolean"}, "ok": {"type": "boolean"},
                                       "backend": {"enum": ["sqlite", "postgresql"]},
                                       "read_only": {"type": "boolean"}}},
            "cache": {"type": "object", "required": ["backend", "ok"],
                      "properties": {"backend": {"enum": ["none", "sqlite", "redis"]}, "ok": {"type": "boolean"},
                                     "entries": {"type": "integer", "minimum": 0},
                                     "error": {"type": "string"}}},
        },
    },
}

_DIGEST_ERRORS = ["400", "401", "413", "414", "415", "422", "429", "431", "500", "502", "503", "504"]
_DESCRIPTIONS = {
    "400": "Malformed request, empty input, wrong types, or an address the fetcher refuses "
           "(bad_request, blocked_address).",
    "401": "A token is required (PITH_API_TOKEN is set) and was missing or wrong (unauthorized).",
    "405": "Method not allowed (method_not_allowed).",
    "413": "Request body over PITH_MAX_BODY_BYTES or page over PITH_MAX_PAGE_BYTES (too_large).",
    "414": "The request line (the address with its query) is too long (too_large).",
    "415": "The page is not HTML or text (not_html).",
    "422": "Nothing extractable on the page (no_article).",
    "429": "Too many requests from this client (rate_limited); see Retry-After.",
    "431": "The request's headers are too large (too_large).",
    "500": "Internal error (internal).",
    "502": "The page's server answered 4xx/5xx (upstream_error) or could not be reached (fetch_failed).",
    "503": "The digest took longer than PITH_DIGEST_TIMEOUT and was stopped (digest_timeout); see Retry-After.",
    "504": "Fetching the page took too long (fetch_timeout).",
}


def _error(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": _DESCRIPTIONS[status],
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if status in ("429", "503"):
        response["headers"] = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
    return response


def _digest_ok() -> dict[str, Any]:
    return {"description": "The digest.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Digest"}}}}


def openapi_document(version: str) -> dict[str, Any]:
    """The whole document; ``version`` is Pith's version."""
    errors = {s: _error(s) for s in _DIGEST_ERRORS}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pith API",
            "version": version,
            "summary": "The pith of a news page: clean text, summary, key facts and quotes with their speakers.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/"}],
        "security": [{}, {"bearerAuth": []}],
        "paths": {
            "/healthz": {"get": {
                "operationId": "health",
                "summary": "Liveness, version and the cache backend's state.",
                "security": [{}],
                "responses": {"200": {"description": "The server is up.", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}},
            }},
            "/api/v1/digest": {
                "post": {
                    "operationId": "digest",
                    "summary": "Digest a URL (fetched by the server), a posted HTML page or a posted text.",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/DigestRequest"},
                        "examples": {"url": {"value": {"url": "https://example.org/news/article.html"}},
                                     "text": {"value": {"text": EXAMPLE_TEXT, "sentences": 2}}},
                    }}},
                    "responses": {"200": _digest_ok(), **errors},
                },
                "get": {
                    "operationId": "digestUrl",
                    "summary": "Digest ?url= (same as posting {\"url\": …}).",
                    "parameters": [
                        {"name": "url", "in": "query", "required": True, "schema": _URL},
                        {"name": "sentences", "in": "query", "required": False,
                         "schema": _SENTENCES, "description": _SENTENCES_HELP},
                        {"name": "include", "in": "query", "required": False,
                         "description": "markdown: add the digest as Markdown in a markdown field.",
                         "schema": {"type": "string", "enum": ["markdown"]}},
                    ],
                    "responses": {"200": _digest_ok(), **errors},
                },
            },
            **LIBRARY_PATHS,
            "/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This document.",
                "security": [{}],
                "responses": {"200": {"description": "The OpenAPI document.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
        },
        "components": {
            "schemas": {**SCHEMAS, **LIBRARY_SCHEMAS},
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "Required on /api/ when the server sets PITH_API_TOKEN."}},
        },
    }

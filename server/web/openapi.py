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
            "url": {"type": "string", "maxLength": 4096, "description": "Page to fetch, or the posted page's address."},
            "html": {"type": "string", "description": "The page's HTML."},
            "text": {"type": "string", "description": "The page copied as plain text."},
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

_DIGEST_ERRORS = ["400", "401", "413", "415", "422", "429", "500", "502", "504"]
_DESCRIPTIONS = {
    "400": "Malformed request, empty input, wrong types, or an address the fetcher refuses "
           "(bad_request, blocked_address).",
    "401": "A token is required (PITH_API_TOKEN is set) and was missing or wrong (unauthorized).",
    "405": "Method not allowed (method_not_allowed).",
    "413": "Request body over PITH_MAX_BODY_BYTES or page over PITH_MAX_PAGE_BYTES (too_large).",
    "415": "The page is not HTML or text (not_html).",
    "422": "Nothing extractable on the page (no_article).",
    "429": "Too many requests from this client (rate_limited); see Retry-After.",
    "500": "Internal error (internal).",
    "502": "The page's server answered 4xx/5xx (upstream_error) or could not be reached (fetch_failed).",
    "504": "Fetching the page took too long (fetch_timeout).",
}


def _error(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": _DESCRIPTIONS[status],
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if status == "429":
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
                                     "text": {"value": {"text": "Title\n\nThe article's text …", "sentences": 2}}},
                    }}},
                    "responses": {"200": _digest_ok(), **errors},
                },
                "get": {
                    "operationId": "digestUrl",
                    "summary": "Digest ?url= (same as posting {\"url\": …}).",
                    "parameters": [
                        {"name": "url", "in": "query", "required": True, "schema": {"type": "string"}},
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

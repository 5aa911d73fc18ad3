"""The library's part of the OpenAPI document (SPEC §7): its schemas and paths."""

from __future__ import annotations

from typing import Any

_ERR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_ERRORS = {
    "400": {"description": "A bad parameter: limit, date or cursor (bad_request).", **_ERR},
    "401": {"description": "The API token is missing or wrong (unauthorized).", **_ERR},
    "404": {"description": "No such page, or the library is off (not_found).", **_ERR},
    "429": {"description": "Too many requests (rate_limited; PITH_LIBRARY_RATE_LIMIT).", **_ERR},
    "503": {"description": "The library's database cannot be read (library_unavailable).", **_ERR},
}
_NULLSTR = {"type": ["string", "null"]}
_PAGE = {"type": "object", "required": ["id", "url", "title", "site", "date"],
         "properties": {"id": {"type": "integer"}, "url": _NULLSTR, "title": _NULLSTR, "site": _NULLSTR,
                        "date": _NULLSTR}}
_CURSOR = {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
           "description": "next_cursor of the previous page."}
_LIMIT = {"name": "limit", "in": "query", "required": False,
          "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", **schema}}


def _ok(description: str, ref: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


LIBRARY_SCHEMAS: dict[str, Any] = {
    "LibraryQuote": {
        "type": "object", "required": ["text", "speaker", "speaker_type", "page", "kept_at", "spans"],
        "properties": {"text": {"type": "string"}, "speaker": _NULLSTR, "speaker_type": _NULLSTR, "page": _PAGE,
                       "kept_at": {"type": "string", "format": "date-time"},
                       "spans": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                       "index": {"type": "integer", "description": "The quote's place in the kept digest's quotes."}},
    },
    "QuoteResults": {
        "type": "object", "required": ["quotes", "next_cursor"],
        "properties": {"quotes": {"type": "array", "items": {"$ref": "#/components/schemas/LibraryQuote"}},
                       "next_cursor": _NULLSTR},
    },
    "Speakers": {
        "type": "object", "required": ["speakers"],
        "properties": {"speakers": {"type": "array", "items": {
            "type": "object", "required": ["name", "speaker_type", "quotes", "forms"],
            "properties": {"name": {"type": "string"}, "speaker_type": _NULLSTR,
                           "quotes": {"type": "integer", "minimum": 1},
                           "forms": {"type": "array", "items": {"type": "string"}}}}}},
    },
    "LibraryPages": {
        "type": "object", "required": ["pages", "next_cursor"],
        "properties": {"pages": {"type": "array", "items": {
            **_PAGE, "required": [*_PAGE["required"], "kept_at", "quotes"],
            "properties": {**_PAGE["properties"], "kept_at": {"type": "string", "format": "date-time"},
                           "quotes": {"type": "integer", "minimum": 0}}}},
            "next_cursor": _NULLSTR},
    },
    "KeptDigest": {"allOf": [{"$ref": "#/components/schemas/Digest"}, {
        "type": "object", "required": ["id", "kept_at"],
        "properties": {"id": {"type": "integer"}, "kept_at": {"type": "string", "format": "date-time"}}}]},
}

LIBRARY_PATHS: dict[str, Any] = {
    "/api/v1/quotes": {"get": {
        "operationId": "searchQuotes",
        "summary": "Search the quotes of every digest kept in the web library, newest kept first.",
        "parameters": [
            _query("speaker", "A speaker's name; matches every name form merged with it."),
            _query("q", "Words of the quote (case- and accent-insensitive, stemmed; a trailing * for prefixes)."),
            _query("site", "The publication's name or host name."),
            _query("since", "First day of keeping (YYYY-MM-DD).", format="date"),
            _query("until", "Last day of keeping (YYYY-MM-DD).", format="date"),
            _LIMIT, _CURSOR],
        "responses": {"200": _ok("Matching quotes and the next page's cursor.", "QuoteResults"), **_ERRORS},
    }},
    "/api/v1/speakers": {"get": {
        "operationId": "speakers",
        "summary": "Speakers for autocomplete, most quoted first, with every name form.",
        "parameters": [_query("prefix", "The start of a name or of any of its words."), _LIMIT],
        "responses": {"200": _ok("Speakers.", "Speakers"), **_ERRORS},
    }},
    "/api/v1/library": {
        "get": {"operationId": "libraryPages", "summary": "The kept pages, newest first.",
                "parameters": [_LIMIT, _CURSOR],
                "responses": {"200": _ok("Kept pages and the next page's cursor.", "LibraryPages"), **_ERRORS}},
        "delete": {"operationId": "forgetLibrary", "summary": "Forget everything the web library holds.",
                   "responses": {"204": {"description": "Forgotten."}, **_ERRORS}},
    },
    "/api/v1/library/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "get": {"operationId": "keptDigest", "summary": "A kept digest, as it was when it was kept.",
                "responses": {"200": _ok("The kept digest with id and kept_at.", "KeptDigest"), **_ERRORS}},
        "delete": {"operationId": "forgetPage", "summary": "Forget one kept page.",
                   "responses": {"204": {"description": "Forgotten."}, **_ERRORS}},
    },
}

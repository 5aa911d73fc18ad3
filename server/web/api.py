"""The JSON API blueprint (SPEC §3): ``/healthz``, ``/api/v1/digest``, ``/openapi.json``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from server.core import langdata
from server.core.errors import PithError
from server.core.pipeline import DEFAULT_SENTENCES, MAX_SENTENCES, MIN_SENTENCES
from server.core.render import to_markdown
from server.service.digests import digest_document, digest_url
from server.web.context import pith_cache, pith_config
from server.web.library_api import library_health
from server.web.openapi import openapi_document

api = Blueprint("api", __name__)
health = Blueprint("health", __name__)

MAX_URL_CHARS = 4096
_FIELDS = ("url", "html", "text")
# Extra renderings of the digest a request may ask for (``?include=`` / ``"include"``), each made from the digest.
INCLUDES = {"markdown": to_markdown}


def _bad(message: str) -> PithError:
    return PithError("bad_request", message)


def _clean(value: str) -> str:
    """Lone surrogates (valid JSON escapes, invalid text) become U+FFFD instead of crashing later."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _sentences(value: Any) -> int | None:
    """The requested summary length; None (absent, null or "auto") lets it adapt between 2 and 4 sentences."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "auto")):
        return DEFAULT_SENTENCES
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # not "¹" or "٣"
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(f"sentences must be a whole number from {MIN_SENTENCES} to {MAX_SENTENCES}, or \"auto\".")
    if not MIN_SENTENCES <= value <= MAX_SENTENCES:
        raise _bad(f"sentences must be between {MIN_SENTENCES} and {MAX_SENTENCES}.")
    return value


def _includes(value: Any) -> list[str]:
    """The extras asked for: a list of names (POST) or a comma-separated string (GET); unknown names are refused."""
    if value is None:
        return []
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _bad('include must be a list of names, e.g. ["markdown"].')
    names = [n.strip() for n in names if n.strip()]
    if unknown := [n for n in names if n not in INCLUDES]:
        raise _bad(f"include: unknown {', '.join(map(repr, unknown[:3]))}; known: {', '.join(INCLUDES)}.")
    return names


def _url(value: Any, *, to_fetch: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad("url must be a string.")
    value = _clean(value).strip()
    if not value:
        if to_fetch:
            raise _bad("url is empty.")
        return None
    if len(value) > MAX_URL_CHARS:
        raise _bad(f"url is longer than {MAX_URL_CHARS} characters.")
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if to_fetch and scheme not in {"http", "https"} and (scheme.isalpha() or "//" in value):
        raise _bad(f"{value[:200]} does not look like a web address: only http and https links can be digested.")
    if not to_fetch:  # only metadata: it must be a web address, as it may become a link
        parts = urlsplit(value)
        if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
            raise _bad("url must be an http:// or https:// address.")
    return value


def _body() -> dict[str, Any]:
    """The posted JSON object (whatever the Content-Type says), or a clear 400."""
    data = request.get_data(cache=False)
    if request.content_length is None and len(data) >= pith_config().max_body_bytes:
        raise RequestEntityTooLarge()  # a chunked body is cut at the limit without an error of its own
    if not data.strip():
        raise _bad('The request body is empty; send a JSON object such as {"url": "https://…"}.')
    try:
        payload = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _bad("The request body is not valid UTF-8.") from None
    except (ValueError, RecursionError):
        raise _bad("The request body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise _bad('The request body must be a JSON object such as {"url": "https://…"}.')
    return payload


def _digest(payload: dict[str, Any]) -> Response:
    given = [f for f in _FIELDS if payload.get(f) is not None]
    sentences = _sentences(payload.get("sentences"))
    includes = _includes(payload.get("include"))
    page_fields = [f for f in given if f != "url"]
    if len(page_fields) > 1:
        raise _bad("Send either html or text, not both.")
    config, cache = pith_config(), pith_cache()
    if not page_fields:
        url = _url(payload.get("url"), to_fetch=True)
        if url is None:
            raise _bad('Send a url, an html page or a text, e.g. {"url": "https://…"}.')
        digest = digest_url(url, config, sentences=sentences, cache=cache, timeout=config.digest_timeout)
    else:
        kind = page_fields[0]
        page = payload[kind]
        if not isinstance(page, str):
            raise _bad(f"{kind} must be a string.")
        if not page.strip():
            raise _bad(f"{kind} is empty.")
        digest = digest_document(_clean(page), input=kind, url=_url(payload.get("url"), to_fetch=False),
                                 sentences=sentences, cache=cache, timeout=config.digest_timeout,
                                 langdata_dirs=config.langdata_dirs)
    body = digest.to_dict()
    with langdata.using(config.langdata_dirs):  # the headings of a language added there
        for name in includes:
            body[name] = INCLUDES[name](digest)
    return jsonify(body)


@api.post("/api/v1/digest")
def post_digest() -> Response:
    """Digest a URL, a posted HTML page or a posted text."""
    return _digest(_body())


@api.get("/api/v1/digest")
def get_digest() -> Response:
    """Digest ``?url=`` (same as posting ``{"url": …}``)."""
    if "url" not in request.args:
        raise _bad("Add ?url=https://… to the address.")
    return _digest({"url": request.args.get("url", ""), "sentences": request.args.get("sentences"),
                    "include": ",".join(request.args.getlist("include")) if "include" in request.args else None})


@health.get("/healthz")
def healthz() -> Response:
    """Liveness, version and the cache backend's state; needs no token."""
    ext = current_app.extensions["pith"]
    return jsonify({"status": "ok", "version": ext["version"], "cache": pith_cache().health(),
                    "library": library_health()})


@health.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document(current_app.extensions["pith"]["version"]))

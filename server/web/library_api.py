"""The library's HTTP face (SPEC §7): quotes, speakers, kept pages; and keeping every digest the API answers."""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from server.core.errors import PithError
from server.library import WEB_OWNER, Library, LibraryUnavailable, keep_quietly, open_library
from server.library.store import parse_limit
from server.service.config import Config

log = logging.getLogger("pith.library")

library_api = Blueprint("library", __name__)

DIGEST_ENDPOINTS = frozenset({"api.post_digest", "api.get_digest"})
_NOT_KEPT = ("markdown",)  # renderings a request may add to a digest answer; the library keeps the digest only
MAX_PARAM_CHARS = 10_000  # longer query parameters are refused before any work


def _library() -> Library:
    library = current_app.extensions["pith"].get("library")
    if library is None:
        raise PithError("not_found", "The library is off on this server (PITH_LIBRARY=0).")
    return library


def _arg(name: str) -> str | None:
    value = request.args.get(name)
    if value is not None and len(value) > MAX_PARAM_CHARS:
        raise PithError("bad_request", f"{name} is longer than {MAX_PARAM_CHARS} characters.")
    return value


def _unavailable(exc: LibraryUnavailable) -> PithError:
    log.error("library unavailable: %s", exc)
    return PithError("library_unavailable", "The library cannot be read right now; the server's log says why.")


@library_api.get("/api/v1/quotes")
def quotes() -> Response:
    """Search the quotes of the web library."""
    try:
        items, cursor = _library().search(WEB_OWNER, speaker=_arg("speaker"), q=_arg("q"), site=_arg("site"),
                                          since=_arg("since"), until=_arg("until"),
                                          limit=parse_limit(_arg("limit")), cursor=_arg("cursor"))
    except LibraryUnavailable as exc:
        raise _unavailable(exc) from None
    return jsonify({"quotes": items, "next_cursor": cursor})


@library_api.get("/api/v1/speakers")
def speakers() -> Response:
    """Speakers for autocomplete, with quote counts and every name form."""
    try:
        found = _library().complete(WEB_OWNER, _arg("prefix") or "", parse_limit(_arg("limit")))
    except LibraryUnavailable as exc:
        raise _unavailable(exc) from None
    return jsonify({"speakers": found})


@library_api.get("/api/v1/library")
def pages() -> Response:
    """The kept pages, newest first."""
    try:
        items, cursor = _library().pages(WEB_OWNER, limit=parse_limit(_arg("limit")), cursor=_arg("cursor"))
    except LibraryUnavailable as exc:
        raise _unavailable(exc) from None
    return jsonify({"pages": items, "next_cursor": cursor})


@library_api.get("/api/v1/library/<int:entry_id>")
def page(entry_id: int) -> Response:
    """One kept digest, with its ``id`` and ``kept_at``: the target of every result's link."""
    try:
        kept = _library().get(WEB_OWNER, entry_id) if entry_id < 2**63 else None
    except LibraryUnavailable as exc:
        raise _unavailable(exc) from None
    if kept is None:
        raise PithError("not_found", "There is no such page in the library.")
    return jsonify(kept)


@library_api.delete("/api/v1/library/<int:entry_id>")
def forget_page(entry_id: int) -> Response:
    """Forget one kept page."""
    try:
        gone = entry_id < 2**63 and _library().delete(WEB_OWNER, entry_id)
    except LibraryUnavailable as exc:
        raise _unavailable(exc) from None
    if not gone:
        raise PithError("not_found", "There is no such page in the library.")
    return Response(status=204)


@library_api.delete("/api/v1/library")
def forget_all() -> Response:
    """Forget everything the web library holds."""
    try:
        _library().clear(WEB_OWNER)
    except LibraryUnavailable as exc:
        raise _unavailable(exc) from None
    return Response(status=204)


def _keep_answer(response: Response) -> Response:
    """After a successful digest answer (fresh or cached), keep the digest in the web library."""
    if request.endpoint not in DIGEST_ENDPOINTS or response.status_code != 200 or response.direct_passthrough:
        return response
    library = current_app.extensions["pith"].get("library")
    if library is None:
        return response
    try:
        digest: dict[str, Any] = json.loads(response.get_data())
    except ValueError:
        return response
    for name in _NOT_KEPT:
        digest.pop(name, None)
    keep_quietly(library, WEB_OWNER, digest)
    return response


def library_health() -> dict[str, Any]:
    """The library's part of /healthz."""
    library = current_app.extensions["pith"].get("library")
    return {"enabled": False, "ok": True} if library is None else {"enabled": True, **library.health()}


def _own_limiter(app: Flask, config: Config) -> Limiter:
    """A limiter for the library alone, when PITH_RATE_LIMIT=0 left the app without one (same storage rules)."""
    url = config.cache_url or ""
    shared = url.startswith(("redis://", "rediss://"))  # all workers and instances share the counts
    options: dict[str, Any] = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5} if shared else {}
    limiter = Limiter(get_remote_address, app=app, storage_uri=url if shared else "memory://",
                      storage_options=options, headers_enabled=True, swallow_errors=True,
                      in_memory_fallback_enabled=shared, strategy="moving-window", key_prefix="pith-rl-library")
    limiter.request_filter(lambda: request.method == "OPTIONS")
    return limiter


def install_library(app: Flask, config: Config, limiter: Limiter | None) -> None:
    """Open the library, add its endpoints (on their own rate limit) and keep every digest answer."""
    app.extensions["pith"]["library"] = open_library(config)
    rate = (config.library_rate_limit or "").strip()
    if rate not in {"", "0"}:
        try:
            parse_many(rate)
        except ValueError:
            raise ValueError(f"PITH_LIBRARY_RATE_LIMIT {rate!r} is not a rate limit like '600/minute'") from None
        (limiter or _own_limiter(app, config)).shared_limit(rate, scope="library")(library_api)
    app.register_blueprint(library_api)
    app.after_request(_keep_answer)

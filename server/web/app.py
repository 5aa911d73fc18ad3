"""The Flask app factory: API and page blueprints, JSON errors, auth, CORS, body and rate limits."""

from __future__ import annotations

import hmac
import logging
import re
import time
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from flask_cors import CORS
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from server import __version__
from server.core.errors import STATUS, PithError
from server.service.budget import RETRY_AFTER
from server.service.cache import open_cache
from server.service.config import Config
from server.web.context import pith_config
from server.web.pages import PAGE_CSP

log = logging.getLogger("pith.app")

# Unpacked extensions have varying ids, so any id is allowed (SPEC §3).
EXTENSION_ORIGINS = re.compile(r"^(?:chrome-extension|moz-extension)://[A-Za-z0-9._-]+$", re.IGNORECASE)
# werkzeug's HTTP errors → SPEC §3 codes; anything else in 4xx is a bad request.
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
               413: "too_large", 415: "not_html", 429: "rate_limited"}
_MESSAGES = {
    "not_found": "There is nothing at this address.",
    "method_not_allowed": "This method is not allowed here.",
    "bad_request": "The request is malformed.",
    "internal": "Internal error; the server's log has the details.",
}
# Bodies a little over the limit are read and dropped before answering 413, so the client
# sees the JSON error instead of a connection reset; anything bigger is cut off.
_DRAIN_LIMIT = 64 * 1024 * 1024


def error_response(code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """SPEC §3's JSON error body with its status."""
    response = jsonify(PithError(code, message).to_dict())
    response.status_code = STATUS[code]
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _cors_origins(config: Config) -> list[re.Pattern[str]]:
    extra = [re.compile(".*") if o == "*" else re.compile(re.escape(o.rstrip("/")) + "$", re.IGNORECASE)
             for o in config.cors_origins]
    return [EXTENSION_ORIGINS, *extra]


def _limiter(app: Flask, config: Config) -> Limiter | None:
    rate = (config.rate_limit or "").strip()
    if rate in {"", "0"}:
        return None
    try:
        parse_many(rate)
    except ValueError:
        raise ValueError(f"PITH_RATE_LIMIT {rate!r} is not a rate limit like '120/minute'") from None
    url = config.cache_url or ""
    shared = url.startswith(("redis://", "rediss://"))  # all workers and instances share the counts
    storage = url if shared else "memory://"
    options: dict[str, Any] = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5} if shared else {}
    limiter = Limiter(get_remote_address, app=app, storage_uri=storage, storage_options=options,
                      headers_enabled=True, swallow_errors=True, in_memory_fallback_enabled=shared,
                      strategy="moving-window", key_prefix="pith-rl")
    limiter.request_filter(lambda: request.method == "OPTIONS")
    app.extensions["pith"]["rate_limit"] = rate
    app.extensions["pith"]["limiter"] = limiter
    return limiter


def _check_token() -> Response | None:
    """Bearer-token check for every ``/api/`` request but CORS preflights."""
    token = pith_config().api_token
    if not token or request.method == "OPTIONS" or not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode("utf-8", "replace"),
                                                          token.encode("utf-8")):
        return None
    message = "A valid API token is required (Authorization: Bearer <token>)." if header \
        else "This server needs an API token (Authorization: Bearer <token>)."
    return error_response("unauthorized", message, {"WWW-Authenticate": 'Bearer realm="pith"'})


def _drain_body() -> None:
    length = request.content_length
    if length is None or length > _DRAIN_LIMIT:
        return
    stream = request.environ.get("wsgi.input")
    try:
        while length > 0 and stream is not None:
            chunk = stream.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)
    except Exception:  # a client gone away is not our failure
        return


def _register_errors(app: Flask) -> None:
    @app.errorhandler(PithError)
    def _pith_error(exc: PithError) -> Response:
        headers = {"Retry-After": str(RETRY_AFTER)} if exc.code == "digest_timeout" else None
        return error_response(exc.code, exc.message, headers)

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded) -> Response:
        limit = current_app.extensions["pith"].get("rate_limit", "")
        retry = 1
        limiter = current_app.extensions["pith"].get("limiter")
        current = limiter.current_limit if limiter is not None else None
        if current is not None:
            retry = max(1, int(current.reset_at - time.time()))
        return error_response("rate_limited", f"Too many requests (limit {limit}); try again in {retry} s.",
                              {"Retry-After": str(retry)})

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        _drain_body()
        limit = pith_config().max_body_bytes
        return error_response("too_large",
                              f"The request body is larger than the limit of {limit} bytes (PITH_MAX_BODY_BYTES).")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = _HTTP_CODES.get(status, "bad_request" if status < 500 else "internal")
        headers = {k: v for k, v in exc.get_headers() if k.lower() in {"allow", "retry-after"}}
        return error_response(code, _MESSAGES.get(code, exc.description or code), headers)

    @app.errorhandler(TimeoutError)
    def _stalled(exc: TimeoutError) -> Response:  # the server's read deadline: the body stopped arriving
        log.info("request body on %s stopped arriving: %s", request.path, exc)
        return error_response("bad_request", "The request body stopped arriving before it was complete.")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response("internal", _MESSAGES["internal"])


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/static/"):
        headers.setdefault("Content-Security-Policy", PAGE_CSP)
    headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
    if request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    return response


def create_app(config: Config | None = None) -> Flask:
    """A configured Pith app; ``config`` defaults to the environment (SPEC §5)."""
    from server.web.api import api, health
    from server.web.library_api import install_library
    from server.web.pages import web

    config = config or Config.from_env()
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["pith"] = {"config": config, "cache": open_cache(config), "version": __version__}
    if config.trust_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    CORS(app, resources={r"/api/*": {}, r"/healthz": {}, r"/openapi.json": {}},
         origins=_cors_origins(config), allow_headers=["Authorization", "Content-Type"],
         methods=["GET", "POST", "DELETE", "OPTIONS"], max_age=600, vary_header=True)
    limiter = _limiter(app, config)
    app.before_request(_check_token)  # after the limiter's check: failed tokens count too
    if limiter is not None:
        limiter.shared_limit(config.rate_limit, scope="api")(api)
    app.register_blueprint(api)
    app.register_blueprint(health)
    app.register_blueprint(web)
    install_library(app, config, limiter)
    _register_errors(app)
    app.after_request(_security_headers)
    return app

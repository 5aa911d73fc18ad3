"""The web page blueprint: ``/`` serves the plain HTML/JS page that talks to the same API."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
# No inline scripts or styles anywhere: the page's JS and CSS are files under /static/.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

web = Blueprint("web", __name__)


@web.get("/")
def index() -> Response:
    """The page where a person pastes a link or a text and reads the digest."""
    response = send_from_directory(STATIC, "index.html", max_age=0)
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["Cache-Control"] = "no-cache"
    return response

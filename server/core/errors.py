"""Pith's error codes (SPEC §3), shared by the CLI, the API and the bot."""

from __future__ import annotations

STATUS: dict[str, int] = {
    "bad_request": 400,
    "blocked_address": 400,
    "unauthorized": 401,
    "not_found": 404,
    "method_not_allowed": 405,
    "too_large": 413,
    "not_html": 415,
    "no_article": 422,
    "rate_limited": 429,
    "internal": 500,
    "upstream_error": 502,
    "fetch_failed": 502,
    "fetch_timeout": 504,
    "library_unavailable": 503,
    "digest_timeout": 503,
}


class PithError(Exception):
    """A failure the user can understand: a snake_case ``code`` from SPEC §3 and a human sentence."""

    def __init__(self, code: str, message: str) -> None:
        if code not in STATUS:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def status(self) -> int:
        """The HTTP status that goes with the code."""
        return STATUS[self.code]

    def to_dict(self) -> dict[str, dict[str, str]]:
        """``{"error": {"code": …, "message": …}}`` as the API and the CLI print it."""
        return {"error": {"code": self.code, "message": self.message}}

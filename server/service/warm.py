"""Loads the digest models once on import (the digest workers' fork server imports it before forking)."""

from __future__ import annotations

import logging

log = logging.getLogger("pith.warm")

_TEXT = "Warm-up\n\nThis short text is digested once at start. It loads the models."
_HTML = ("<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
         "<p>This short page is digested once at start. It loads the models for HTML pages, "
         "and «this quote», said Anna Example, «is only a test».</p></article></body></html>")


def warm_up() -> None:
    """Digest a tiny text and page once, so models load before processes fork (shared memory, fast first use)."""
    from server.core.pipeline import build_digest

    for page, kind in ((_TEXT, "text"), (_HTML, "html")):
        try:
            build_digest(page, input=kind)
        except Exception as exc:  # a failed warm-up only costs time later
            log.debug("warm-up (%s) failed: %s", kind, exc)


warm_up()

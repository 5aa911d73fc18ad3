"""Bytes of a page → text: charset from BOM, header, ``<meta>``, then UTF-8 with a windows-1252 fallback."""

from __future__ import annotations

import codecs
import re

from .errors import PithError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        found = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # Browsers treat ISO-8859-1 and ASCII labels as windows-1252 (WHATWG Encoding).
    return "cp1252" if found in {"latin-1", "iso8859-1", "ascii"} else found


def looks_binary(data: bytes) -> bool:
    """True for data that is no text page: NUL bytes or many control characters near its start."""
    head = data[:4096]
    if not head:
        return False
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def decode_page(data: bytes, content_type: str | None = None) -> str:
    """Decode a page's bytes the way a browser would; raises ``PithError("not_html")`` for binary data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    if looks_binary(data):
        raise PithError("not_html", "This is binary data, not an HTML page or a text.")
    candidates: list[str | None] = []
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        candidates.append(_codec(m.group(1)))
    if m := _META_CHARSET.search(data[:8192]):
        candidates.append(_codec(m.group(1).decode("ascii", "ignore")))
    for name in candidates:
        if name and name != "utf-8":
            return data.decode(name, errors="replace")
        if name == "utf-8":
            break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if candidates and candidates[0] == "utf-8":
            return data.decode("utf-8", errors="replace")
        return data.decode("cp1252", errors="replace")

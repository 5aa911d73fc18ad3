"""Bytes of a page → text: charset from BOM, header, ``<meta>``, then UTF-8 with a windows-1252 fallback."""

from __future__ import annotations

import codecs
import re

from server.core.errors import PithError
from server.core.pipeline import BINARY_HEAD_CHARS, looks_binary_text

_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels whose WHATWG Encoding decoder is a superset of the codec Python would pick for them.
_WHATWG = {
    "iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
    "tis-620": "cp874", "iso8859-11": "cp874", "windows-874": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "big5": "big5hkscs", "euc_kr": "cp949", "x-mac-roman": "mac_roman", "macintosh": "mac_roman",
    "utf-16": "utf-16-le", "unicode": "utf-16-le", "ucs-2": "utf-16-le", "utf-32": "utf-32-le",
    "x-user-defined": "cp1252",
}
_WIDE = ("utf-16", "utf-32")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_MAGIC = (b"%PDF-", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
          b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!", b"OggS", b"ID3", b"fLaC", b"\x00\x00\x01\x00", b"RIFF", b"wOFF",
          b"wOF2", b"\x7fELF", b"MZ", b"%!PS", b"{\\rtf")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|meta|script|style|div|p|h[1-6]|table|a|"
    rb"article|main|section|header|nav|link|iframe|font|br|b|center)[\s>/]", re.IGNORECASE | re.DOTALL)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    label = name.strip().lower()
    if label in _WHATWG:
        return _WHATWG[label]
    try:
        found = codecs.lookup(label).name
    except LookupError:
        return None
    # Browsers treat ISO-8859-1 and ASCII labels as windows-1252 (WHATWG Encoding) and so on.
    return _WHATWG.get(found, found)


def looks_binary(data: bytes) -> bool:
    """True for data that is no text page: a known binary signature, or mostly control bytes near its start.

    A stray NUL (text pasted from a PDF) is not binary: the core's hygiene step removes it.
    """
    head = data[:BINARY_HEAD_CHARS]
    if not head:
        return False
    if head.startswith(tuple(bom for bom, _name in _BOMS)):
        return False  # UTF-16/32 text is full of NULs
    if head.startswith(_MAGIC[:12]) or head[4:8] == b"ftyp":  # ftyp: MP4, MOV, HEIC and kin
        return True
    return looks_binary_text(head.decode("latin-1"))


def sniff_kind(data: bytes) -> str | None:
    """``"html"``, ``"text"`` or None (binary) for a body that came without a usable content type."""
    head = data[:4096]
    for bom, _name in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):].decode(_name, errors="replace").encode("utf-8")
            break
    else:
        if head.startswith(_MAGIC) or looks_binary(head):
            return None
    return "html" if _HTML_START.match(head) else "text"


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The codec a page declares: header first, then an XML declaration or ``<meta>`` near the start."""
    if content_type and (m := _HEADER_CHARSET.search(content_type)) and (name := _codec(m.group(1))):
        return name
    head = data[:16384]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        if (m := pattern.search(head)) and (name := _codec(m.group(1).decode("ascii", "ignore"))):
            # A page that could be read to find <meta> is ASCII-compatible: a "UTF-16" there is wrong.
            return "utf-8" if name.startswith(_WIDE) else name
    return None


def decode_page(data: bytes, content_type: str | None = None) -> str:
    """Decode a page's bytes the way a browser would; raises ``PithError("not_html")`` for binary data.

    Two repairs over a browser: bytes that are valid UTF-8 (with some non-ASCII) are read as UTF-8 whatever
    the page claims, since legacy text almost never forms valid UTF-8 by chance; and a page that claims UTF-8
    but is mostly not is read as windows-1252.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    declared = declared_charset(data, content_type)
    if declared and declared.startswith(_WIDE):
        return data.decode(declared, errors="replace")
    if looks_binary(data):
        raise PithError("not_html", "This is binary data, not an HTML page or a text.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and (declared in (None, "utf-8") or _UTF8_MULTIBYTE.search(data)):
        return text
    if declared and declared != "utf-8":
        return data.decode(declared, errors="replace")
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= len(_UTF8_MULTIBYTE.findall(data)):
        return lenient  # UTF-8 with a few broken bytes
    return data.decode("cp1252", errors="replace")

"""Character hygiene, the first step for every input: NFC, one line break, no invisible or control characters."""

from __future__ import annotations

import re
import unicodedata

# Dropped everywhere: C0 controls except tab and newline (carriage returns become newlines first), DEL, C1
# controls, the soft hyphen and the invisible zero-width space, word joiner and byte-order mark. The zero-width
# joiner and non-joiner (U+200D, U+200C) stay: they change how scripts and emoji are written.
_DROPPED = frozenset(
    [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + [0x7F, *range(0x80, 0xA0), 0xAD, 0x200B, 0x2060, 0xFEFF]
)
_DROP = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_DROPPED)) + "]+")
# The same set found fast (most pages hold none): single bytes deleted from the UTF-8 by bytes.translate, the
# two-byte ones searched by their lead byte, the three wide ones as characters (a str search for one character
# is far faster than a bytes search for a sequence starting with the common lead byte of curly quotes and dashes).
_SINGLE_BYTES = bytes(c for c in _DROPPED if c < 0x80)
_C1_OR_SHY = re.compile(rb"\xc2[\x80-\x9f\xad]")
_WIDE = ("\u200b", "\u2060", "\ufeff")


def _has_dropped(text: str) -> bool:
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _SINGLE_BYTES)) != len(data):
        return True
    return not text.isascii() and (_C1_OR_SHY.search(data) is not None or any(w in text for w in _WIDE))


def clean_text(text: str) -> str:
    """``text`` in Unicode NFC with ``\\r\\n`` and lone ``\\r`` turned into ``\\n`` and invisible or control
    characters (C0 but tab and newline, C1, soft hyphen, U+200B, U+2060, U+FEFF) removed.

    Every offset in a digest refers to text cleaned this way; cleaning twice changes nothing.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _has_dropped(text):
        text = _DROP.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text

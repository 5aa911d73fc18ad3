"""Language identification of the clean text (py3langid, offline)."""

from __future__ import annotations

from functools import cache

SAMPLE_CHARS = 1000


@cache
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when the text is too short or unclear."""
    sample = text[:SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < 20:
        return None
    lang, prob = _identifier().classify(sample)
    return lang if prob >= 0.5 else None

"""Part-of-speech tags for the words of a few spans (the sentences around speech cues), by the tagger langdata names."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .. import langdata
from ..text.words import WORD

TOPIC = "tagging"
# Words a digest may send through the tagger when the language's table names no `max_words`: HanTa reads about
# 8,000 words/s on these cores, so 200 words cost at most ~25 ms; six words either side of each cue word fit
# into 200 on 22 of the 25 German gold articles (bench/tagging.py).
DEFAULT_MAX_WORDS = 200

# A token is a word of the core (server/core/text/words.py) or one other non-space character (punctuation),
# so that every word's tag is keyed by the offset the rest of the core uses for it.
_TOKEN = re.compile(WORD.pattern + r"|\S")
_MODEL_NAME = re.compile(r"[\w.-]+")  # a file name inside the tagger's package: never a path of the language data
_load_lock = threading.Lock()


@dataclass
class TagBudget:
    """The tagger's words for one digest: spans beyond ``max_words`` get the dictionary fallback, counted here.

    ``max_words=None`` takes the language's ``max_words``; ``fallback_words > 0`` is what the caller reports
    in the Digest's notices (tags of those words came from the word list alone, not from their context)."""

    max_words: int | None = None
    tagged_words: int = 0
    fallback_words: int = 0

    @property
    def exhausted(self) -> bool:
        """Whether some words got the fallback because the cap was reached."""
        return self.fallback_words > 0


class _HanTa:
    """The Hanover Tagger (PyPI ``HanTa``) with one of the models it ships; read-only after loading."""

    def __init__(self, model: str) -> None:
        try:
            from HanTa import HanoverTagger  # the optional extra "tagging", imported only by languages naming it
        except ImportError as e:
            raise RuntimeError("part-of-speech tagging needs HanTa: pip install 'pith[tagging]'") from e

        if not resources.files("HanTa").joinpath(model).is_file():
            raise ValueError(f"language data names a tagging model HanTa does not ship: {model}")
        self._tagger = HanoverTagger.HanoverTagger(model)

    def tag(self, tokens: list[str]) -> list[str]:
        """One tag per token, the tokens read as one sentence."""
        return list(self._tagger.tag_sent(tokens, taglevel=0))

    def lookup(self, token: str, first: bool) -> str | None:
        """The token's most likely tag from the model's word list alone (capitalisation counts except sentence-
        first); ``None`` for a word the list does not hold (guessing its tag would cost the analysis we skip)."""
        if self._tagger.normalize(token) not in self._tagger.cache:
            return None
        best = self._tagger.tag_word(token, casesensitive=not first)
        return best[0][0] if best else None


_TAGGERS: dict[str, Callable[[str], Any]] = {"hanta": _HanTa}
_models: dict[tuple[str, str], Any] = {}


def _model(tagger: str, model: str) -> Any:
    """The loaded model, once per process (lazily; threads of one worker wait for the first load)."""
    key = (tagger, model)
    if key not in _models:
        with _load_lock:
            if key not in _models:
                _models[key] = _TAGGERS[tagger](model)
    return _models[key]


def _tagger_for(table: dict[str, Any]) -> Any | None:
    tagger, model = table.get("tagger"), table.get("model")
    if tagger not in _TAGGERS or not isinstance(model, str) or not _MODEL_NAME.fullmatch(model):
        return None
    return _model(tagger, model)


def has_tagger(lang: str | None) -> bool:
    """Whether ``lang`` has a tagger in its language data (no model is loaded to answer)."""
    table = langdata.load(lang, TOPIC)
    return table.get("tagger") in _TAGGERS and bool(table.get("model"))


def _merged(spans: Iterable[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(size, e)) for s, e in spans):
        if start >= end:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _tokens(text: str, start: int, end: int, read_as: dict[str, str]) -> list[tuple[int, str, bool]]:
    """``(offset, token as the tagger reads it, is a word)`` for ``text[start:end]``."""
    out = []
    for m in _TOKEN.finditer(text, start, end):
        token = m.group()
        is_word = WORD.fullmatch(token) is not None
        out.append((m.start(), token if is_word else read_as.get(token, token), is_word))
    return out


def _normal(tag: str) -> str:
    return tag.replace("(", "").replace(")", "")  # HanTa writes STTS "VVFIN" as "VV(FIN)"


def tag_spans(text: str, spans: Iterable[tuple[int, int]], lang: str | None,
              budget: TagBudget | None = None) -> dict[int, str]:
    """The tag of every word inside ``spans`` of ``text``, keyed by the word's start offset (``WORD`` matches).

    Each span (overlapping ones merged) is read as one sentence, in text order: a span is tagged whole if it
    fits in what is left of ``budget``, else it gets the word-list fallback (words the list lacks get no tag);
    call again with the same budget to tag the spans that matter most first. A language without a ``tagging``
    table gets ``{}`` and loads nothing."""
    table = langdata.load(lang, TOPIC)
    if not table or not spans:
        return {}
    tagger = _tagger_for(table)
    if tagger is None:
        return {}
    budget = budget if budget is not None else TagBudget()
    cap = budget.max_words if budget.max_words is not None else int(table.get("max_words", DEFAULT_MAX_WORDS))
    read_as = {char: token for token, chars in table.get("read_as", {}).items() for char in chars}
    tags: dict[int, str] = {}
    for start, end in _merged(spans, len(text)):
        tokens = _tokens(text, start, end, read_as)
        words = sum(is_word for _, _, is_word in tokens)
        if not words:
            continue
        if budget.tagged_words + words <= cap:
            budget.tagged_words += words
            got: list[str | None] = list(tagger.tag([t for _, t, _ in tokens]))
        else:
            budget.fallback_words += words
            got = [tagger.lookup(t, k == 0) for k, (_, t, _) in enumerate(tokens)]
        tags.update((offset, _normal(tag)) for (offset, _, is_word), tag in zip(tokens, got, strict=True)
                    if is_word and tag)
    return tags


def noun_run(text: str, start: int, end: int, tags: dict[int, str], lang: str | None) -> list[tuple[int, str]]:
    """``(offset, tag)`` of the words of the mention ``text[start:end]`` up to the end of its first run of nouns
    (``nominal_tags``): ``die Sprecherin der Stadtwerke`` → ``die Sprecherin``; its last word is the head noun.
    Words without a tag are ``""``; no noun at all gives every word."""
    nominal = set(langdata.load(lang, TOPIC).get("nominal_tags", ()))
    out: list[tuple[int, str]] = []
    for m in WORD.finditer(text, start, end):
        tag = tags.get(m.start(), "")
        if out and tag not in nominal and out[-1][1] in nominal:
            break
        out.append((m.start(), tag))
    return out


def is_proper(tag: str | None, lang: str | None) -> bool:
    """Whether ``tag`` marks a proper noun in ``lang``'s tag set (``NE``); ``False`` for no tag."""
    return tag is not None and tag in langdata.load(lang, TOPIC).get("proper_tags", ())


def is_common_noun(tag: str | None, lang: str | None) -> bool:
    """Whether ``tag`` marks a common noun in ``lang``'s tag set (``NN``); ``False`` for no tag."""
    return tag is not None and tag in langdata.load(lang, TOPIC).get("common_noun_tags", ())

"""Words of quotes as search terms: folded, Snowball-stemmed per language, the same for every backend."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from server.core.langdata import languages, load

_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 12  # words of a search used; the rest are ignored (a 10,000-character query stays cheap)
STEM_CACHE = 200_000  # words whose stems are remembered: words repeat, and the pure-Python stemmer costs ~80 µs
MAX_TERM_CHARS = 60  # longer "words" are cut: no real word is longer, and the index stays small


def fold(word: str) -> str:
    """Lower case without accents: ``Ärzte`` → ``arzte``, ``Straße`` → ``strasse``."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _stemmer(lang: str | None):  # snowballstemmer has no types
    name = load(lang, "library").get("stemmer")
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=STEM_CACHE)
def stem(word: str, lang: str | None) -> str:
    """The folded stem of one word in ``lang`` (just folded when Pith has no stemmer for it)."""
    stemmer = _stemmer(lang)
    lowered = word.casefold()[:MAX_TERM_CHARS]
    return fold(stemmer.stemWord(lowered) if stemmer is not None else lowered)


def words(text: str) -> list[str]:
    """The words of a text (letters and digits), in order."""
    return _WORD.findall(text)


def index_terms(text: str, lang: str | None) -> str:
    """What the index stores for a quote: its stemmed, folded words separated by spaces."""
    return " ".join(t for t in (stem(w, lang) for w in words(text)) if t)


@cache
def stem_languages() -> tuple[str, ...]:
    """Every language with a stemmer: a query is stemmed in each, since its language is unknown."""
    return tuple(lang for lang in languages("library") if _stemmer(lang) is not None)


@dataclass(frozen=True, slots=True)
class Term:
    """One word of a search: the index terms that may stand for it, and whether it is a prefix (``Steuer*``)."""

    forms: tuple[str, ...]
    prefix: bool = False


def query_terms(query: str) -> list[Term]:
    """A search string as terms (all must match); any other character, FTS or SQL syntax included, is a separator."""
    terms: list[Term] = []
    for match in _WORD.finditer(query):
        word = match.group()[:MAX_TERM_CHARS]
        prefix = query[match.end():match.end() + 1] == "*"
        stems = () if prefix else (stem(word, lang) for lang in stem_languages())  # a prefix is taken as typed
        forms = dict.fromkeys([fold(word), *stems])
        terms.append(Term(tuple(f for f in forms if f), prefix))
        if len(terms) == MAX_QUERY_WORDS:
            break
    return [t for t in terms if t.forms]

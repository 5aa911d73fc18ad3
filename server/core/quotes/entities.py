"""The people and organisations an article names: full names, surnames, genders, roles bound to names."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from server.core.text.words import WORD  # the core's one word, also for names: "U.S.", "Amazon.com"

FRONTED_ROLE_WORDS = 8  # words between a fronted role noun and the comma before the name ("Chef der Firma XY, …")
_MID_CLAUSE_GAP = re.compile(r"\s*|[»«“”\"'’]*,[»«“”\"'’]*\s+")  # a space, or a comma and marks ("…," X said)
_INCLUSIVE_MARKS = ":*_/"  # marks of gender-inclusive forms ("Nutzer:innen", "Lehrer*innen", "Leser_innen")
_AGE = re.compile(r"\s*(?:,\s*\d{1,3}\s*[,.;:]|\(\d{1,3}\))")


@cache
def _detector() -> Any:
    try:
        import gender_guesser.detector as gg
    except ImportError:  # pragma: no cover - dependency declared, but stay usable without it
        return None
    return gg.Detector(case_sensitive=False)


@cache
def first_name_gender(word: str) -> str | None:
    """'m', 'f', '?' (a first name of unclear gender) or None (not a known first name)."""
    det = _detector()
    if det is None or not word[:1].isupper() or len(word) < 2:
        return None
    g = det.get_gender(word)
    if g == "male":
        return "m"
    if g == "female":
        return "f"
    if g in ("mostly_male", "mostly_female", "andy"):
        return "?"
    return None


def inflected(word: str, head: str) -> bool:
    """``word`` is ``head`` or ``head`` with a short ending (a plural or case form: "studios", "Stadtwerke")."""
    return word.startswith(head) and len(word) - len(head) <= INFLECTION_CHARS


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


INFLECTION_CHARS = 2  # letters a case or plural ending adds to a noun ("Patient" → "Patienten", "studio" → "studios")
MIN_GENITIVE_STEM = 3  # letters a surname keeps when its genitive ending is taken off ("Kohls" → "Kohl")
LONE_FIRST_NAME_USES = 3  # a first name standing alone this often in an article is someone's name
MAX_NAME_WORDS = 4  # a person's name has two to four words ("Anna B. van Muster")
MIN_ROLE_SUFFIX = 4  # a role noun this long may end a compound ("Regierungssprecherin")
SURNAME_ENDING = 4  # letters by which a surname used once may run on from a more frequent one (a typo, a case)
REQUEST_CHARS = 12  # characters after an organisation searched for "auf Anfrage" / "on request"
MIN_COMPOUND_HEAD = 5  # an organisation or document noun this long may end a compound ("Stadtverwaltung")
MAX_ACRONYM = 6  # the longest acronym of an organisation ("UNESCO")
ORG_USES = 3  # a capitalised word (no organisation ending) used this often is an organisation, in German
ACRONYM_WORDS = 6  # words before "(ABC)" searched for the name it abbreviates
ACRONYM_REACH = 120  # characters before "(ABC)" searched for those words
ROLE_PHRASE_WORDS = 5  # words of a role phrase after an article or a name ("die neue Chefin der Firma")
NEXT_WORD_REACH = 40  # characters searched for the word next to a name
MARKS_BEFORE = 4  # characters before a word searched for a sentence end, marks and spaces aside
RECENT_REACH = 3000  # characters back in which the last person or organisation named is recent
MAX_LEXICONS = 64  # language tables kept prepared (one per language and search path)
MAX_CACHED_WORDS = 200_000  # words whose role or name-likeness is remembered, per language


@dataclass(slots=True)
class _TokenTable:
    """Per-token facts for the name scan (see ``Entities._token_table``)."""

    caps: list[bool]
    nm: list[bool]
    sp: list[bool]
    gapok: list[bool]
    ext: list[bool]
    lone: Counter
    bare: Counter
    surname_counts: Counter
    german: bool


@dataclass(slots=True)
class Person:
    name: str
    parts: list[str]
    gender: str | None  # 'm', 'f' or None
    kind: str = "person"  # or "org"
    group: bool = False  # people speaking together ("die Forscher um X", "A und B"), kept as an "org"
    mentions: list[tuple[int, int]] = field(default_factory=list)
    _sorted: list[int] = field(default_factory=list)  # mention starts, sorted (organisations; filled on demand)
    _reporter: list[int] | None = None  # those of them outside quotations


def tokens(text: str, lo: int = 0, hi: int | None = None) -> list[Token]:
    """Word tokens of ``text[lo:hi]`` with offsets into ``text``."""
    return [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text, lo, len(text) if hi is None else hi)]


def _join_inclusive(text: str, toks: list[Token], endings: tuple[str, ...]) -> list[Token]:
    """Tokens with "Nutzer" ":" "innen" joined into "Nutzer:innen" (one mark between, no space)."""
    out: list[Token] = []
    for t in toks:
        prev = out[-1] if out else None
        if prev is not None and t.text in endings and t.start == prev.end + 1 and text[prev.end] in _INCLUSIVE_MARKS:
            out[-1] = Token(text[prev.start : t.end], prev.start, t.end)
        else:
            out.append(t)
    return out


@dataclass(slots=True)
class WordTable:
    """The word tokens of one article, found once; any stretch of it is a slice (bisected by offset)."""

    text: str
    toks: list[Token]
    starts: list[int]

    @classmethod
    def of(cls, text: str, inclusive: tuple[str, ...] = ()) -> WordTable:
        """The table of ``text``; ``inclusive`` are the endings of gender-inclusive forms joined to their word by a
        mark ("Nutzer:innen", "Forscher*innen"), which make one word with it."""
        toks = tokens(text)
        if inclusive:
            toks = _join_inclusive(text, toks, inclusive)
        return cls(text, toks, [t.start for t in toks])

    def span(self, lo: int, hi: int) -> list[Token]:
        """Word tokens of ``text[lo:hi]``; a word cut by a limit is cut there, as a fresh scan would."""
        a = bisect.bisect_left(self.starts, lo)
        b = bisect.bisect_left(self.starts, hi)
        cut_lo = a > 0 and self.toks[a - 1].end > lo  # a word runs across a limit: scan the stretch itself
        cut_hi = b > a and self.toks[b - 1].end > hi
        if cut_lo or cut_hi:
            return tokens(self.text, lo, hi)
        return self.toks[a:b]


def _gap_ok(text: str, a: Token, b: Token, abbrevs: set[str]) -> bool:
    gap = text[a.end : b.start]
    if gap == " ":
        return True
    return gap == ". " and (len(a.text) == 1 or a.text.lower() in abbrevs)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


_SENT_BEFORE = re.compile(r"[.!?:]\s*$|\n\s*$")


class Suffixes:
    """Words of a table as suffixes, looked up by length: the longest one a word ends with, in a few set probes."""

    __slots__ = ("lens", "words")

    def __init__(self, words: set[str], min_len: int):
        self.words = {w for w in words if len(w) >= min_len}
        self.lens = sorted({len(w) for w in self.words}, reverse=True)

    def longest(self, low: str) -> str | None:
        n = len(low)
        for k in self.lens:
            if k <= n and low[n - k :] in self.words:
                return low[n - k :]
        return None

    def __contains__(self, low: str) -> bool:  # ``low`` ends with one of the words
        return self.longest(low) is not None


class _Lexicon:
    """The word tables of one language's data, prepared once for fast lookups (shared by all articles)."""

    def __init__(self, data: dict[str, Any]):
        self._data = data
        self._words: dict[str, frozenset[str]] = {}
        self._mappings: dict[str, dict[str, Any]] = {}
        self.stop = {w.lower() for w in data.get("stop_capitalised", [])}
        self.roles = {w.lower() for w in data.get("role_nouns", [])} | {w.lower() for w in data.get("spokes_nouns", [])}
        self.titles = {w.lower() for w in data.get("titles", [])}
        self.org_nouns = {w.lower() for w in data.get("org_nouns", [])}
        self.particles = {w.lower() for w in data.get("particles", [])}
        self.org_suffixes = {w.lower() for w in data.get("org_suffixes", [])}
        self.determiners = {w.lower() for w in data.get("determiners", {})}
        self.place_preps = {w.lower() for w in data.get("place_prepositions", [])}
        self.preps = {w.lower() for w in data.get("org_prepositions", [])} | self.place_preps
        self.cues = {w.lower() for w in data.get("cues", [])}
        self.female_roles = {w.lower() for w in data.get("female_roles", [])}
        self.male_roles = {w.lower() for w in data.get("male_roles", [])}
        self.article_preps = {w.lower() for w in data.get("article_prepositions", [])}
        self.adjective_endings = tuple(data.get("adjective_endings", []))
        self.indefinite = {w.lower() for w in data.get("indefinite", [])}
        self.recipients = {w.lower() for w in data.get("recipient_words", [])}
        self.descriptor_endings = tuple(data.get("descriptor_endings", []))
        self.role_suffixes = Suffixes(self.roles, MIN_ROLE_SUFFIX)
        self.org_suffixes5 = Suffixes(self.org_nouns, MIN_COMPOUND_HEAD)
        self.role_cache: dict[str, str | None] = {}
        self.namey: dict[str, bool] = {}
        self.conjunctions = {w.lower() for w in data.get("conjunctions", [])}
        self.generic_people = {w.lower() for w in data.get("generic_person_nouns", [])}
        self.place_openers = {w.lower() for w in data.get("place_openers", [])}
        self.place_heads = {w.lower() for w in data.get("place_heads", [])}
        self.honorifics: dict[str, str] = {k.lower(): v for k, v in data.get("honorifics", {}).items()}

    def words(self, key: str) -> frozenset[str]:
        """The list ``key`` of the language data, lower-cased, prepared once per language (read-only)."""
        got = self._words.get(key)
        if got is None:
            got = self._words[key] = frozenset(w.lower() for w in self._data.get(key, []))
        return got

    def mapping(self, key: str) -> dict[str, Any]:
        """The table ``key`` of the language data with lower-cased keys, prepared once per language (read-only)."""
        got = self._mappings.get(key)
        if got is None:
            got = self._mappings[key] = {k.lower(): v for k, v in self._data.get(key, {}).items()}
        return got

    def role_of(self, low: str) -> str | None:
        r = self.role_cache.get(low, _MISSING)
        if r is _MISSING:
            if len(self.role_cache) > MAX_CACHED_WORDS:
                self.role_cache.clear()
            r = low if low in self.roles else self.role_suffixes.longest(low)
            self.role_cache[low] = r
        return r  # type: ignore[return-value]


_MISSING = object()
_LEXICONS: dict[int, tuple[dict[str, Any], _Lexicon]] = {}


def lexicon(data: dict[str, Any]) -> _Lexicon:
    """The prepared tables of ``data`` (a ``langdata.load`` table, which is loaded once and kept)."""
    hit = _LEXICONS.get(id(data))
    if hit is None or hit[0] is not data:
        if len(_LEXICONS) > MAX_LEXICONS:
            _LEXICONS.clear()
        hit = _LEXICONS[id(data)] = (data, _Lexicon(data))
    return hit[1]


class Entities:
    """The article's named people and organisations, with their mentions in reading order."""

    def __init__(self, text: str, data: dict[str, Any]):
        self.text = text
        self.data = data
        lex = self.lex = lexicon(data)
        self.stop = lex.stop
        self.roles = lex.roles
        self.titles = lex.titles
        self.particles = lex.particles
        self.org_suffixes = lex.org_suffixes
        self.org_nouns = lex.org_nouns
        self.determiners = lex.determiners
        self.place_preps = lex.place_preps
        self.preps = lex.preps
        self.possessive = tuple(data.get("possessive_suffix", []))
        owners = [*data.get("possessive_determiners", []), *data.get("possessive_gender", {})]
        self._poss_dets = {w.lower() for w in owners}  # "seine", "his": an honorific after them is kin
        self.genitive_name = data.get("genitive_name_suffix", "")
        self.cues = lex.cues
        self._namey = lex.namey  # a word's name-likeness depends on the language tables only: shared
        self.word_table = WordTable.of(text, tuple(data.get("inclusive_endings", [])))
        self.toks = self.word_table.toks
        self.lows = [t.text.lower() for t in self.toks]
        self.persons: list[Person] = []
        self.by_part: dict[str, Person] = {}
        self.role_bindings: list[tuple[int, str, Person]] = []
        self.orgs: list[Person] = []
        self.quoted: list[tuple[int, int]] = []
        self.group_names: set[str] = set()  # people resolution joined into one speaker ("A und B")
        self.org_names: set[str] = set()  # organisations resolution named ("eine Sprecherin der Stadtwerke")
        self._suffixed_orgs: list[str] = []
        self._media: dict[int, bool] = {}
        self._nm: list[bool] = []
        self._words: set[str] | None = None
        self._first_before: dict[str, list[int]] | None = None  # word → first names right before it
        self._pairs: Counter[tuple[str, str]] | None = None  # two words side by side, one space apart
        self._find_persons()
        self._find_orgs()
        self.mentions = self._all_mentions()
        self._add_role_mentions()

    # -- people
    def _is_namey(self, tok: Token) -> bool:
        w = tok.text
        r = self._namey.get(w)
        if r is None:
            low = w.lower()
            if not w[:1].isupper() or low in self.stop or w.isdigit():
                r = False
            else:
                r = self.lex.role_of(low) is None and self.lex.org_suffixes5.longest(low) is None
            if len(self._namey) > MAX_CACHED_WORDS:
                self._namey.clear()
            self._namey[w] = r
        return r

    def _token_table(self) -> _TokenTable:
        """Per-token facts for the name scan, computed once: capitalised, name-like, a single space before it, a
        name gap before it, may go on a name; and counts of words standing alone."""
        toks, text, lows = self.toks, self.text, self.lows
        n = len(toks)
        abbrevs = self.titles | {"st"}
        caps = [t.text[:1].isupper() for t in toks]
        namey, is_namey = self._namey, self._is_namey
        nm = self._nm = [r if (r := namey.get(t.text)) is not None else is_namey(t) for t in toks]
        sp = [False] + [text[toks[k - 1].end : toks[k].start] == " " for k in range(1, n)]
        gapok = [False] + [sp[k] or _gap_ok(text, toks[k - 1], toks[k], abbrevs) for k in range(1, n)]
        german = bool(self.data.get("capitalised_nouns"))
        surname_counts = Counter() if german else Counter(t.text for k, t in enumerate(toks) if caps[k])
        lone = Counter(
            t.text
            for k, t in enumerate(toks)
            if caps[k]
            and (k + 1 >= n or not caps[k + 1] or not sp[k + 1])
            and (k == 0 or not caps[k - 1] or not sp[k])
        )
        # German: a surname stands alone without article or adjective ("Vogt sagte"), a common noun does not
        bare = Counter(
            t.text
            for k, t in enumerate(toks)
            if german and caps[k] and k > 0 and (not sp[k] or not (caps[k - 1] or self._noun_context(toks[k - 1])))
        )
        # a surname that ends like a role compound ("Jan Holzmann", "Eva Baumann"): after a first name, a
        # capitalised word is a surname unless it is a role noun itself ("Kellnerin")
        surname_like = {
            k
            for k in range(1, n)
            if caps[k] and sp[k] and not nm[k] and lows[k] not in self.stop and lows[k] not in self.roles
            and not toks[k].text.isupper() and first_name_gender(toks[k - 1].text) in ("m", "f")
        }
        # a word that may go on a name: name-like, such a surname, an initial ("A."), a particle before a capital
        ext = [
            nm[k]
            or k in surname_like
            or (len(t.text) == 1 and t.text.isupper() and text[t.end : t.end + 2] == ". ")
            or (lows[k] in self.particles and k + 1 < n and caps[k + 1])
            for k, t in enumerate(toks)
        ]
        self._surname_like = {toks[k].start for k in surname_like}
        return _TokenTable(caps, nm, sp, gapok, ext, lone, bare, surname_counts, german)

    def _find_persons(self) -> None:
        """The people the article names, scanned once over its tokens; then merged, checked and indexed by part."""
        tt = self._token_table()
        found: dict[str, Person] = {}
        i, n = 0, len(self.toks)
        while i < n:
            if not tt.nm[i] and not (i + 1 < n and tt.gapok[i + 1] and tt.ext[i + 1]):
                i += 1  # a lone word that is no name: nothing below applies
                continue
            i = self._scan_name(i, tt, found)
        self._find_initialled(found)
        self._merge_glued()
        self._drop_false_pairs()
        self._merge_singletons()
        self._bind_surnames()
        self._index_parts()

    def _index_parts(self) -> None:
        """Surnames and first names point at the fullest name holding them (shared: the one named most)."""
        def named(p: Person, part: str) -> tuple[int, int]:  # mentions with this surname, earliest first
            hits = [s for s, e in p.mentions if part in self.text[s:e]]
            return len(hits), -min(hits, default=len(self.text))

        for p in sorted(self.persons, key=lambda p: len(p.parts)):
            for part in p.parts[1:]:
                q = self.by_part.get(part.lower())
                if q is None or len(q.parts) < len(p.parts) or named(p, part) > named(q, part):
                    self.by_part[part.lower()] = p
        for p in sorted(self.persons, key=lambda p: len(p.parts)):
            self.by_part.setdefault(p.parts[0].lower(), p)
        if self.genitive_name:  # "Brandauers Motto", "Muster's": the genitive of a surname is its bearer
            for part, p in list(self.by_part.items()):
                if part == p.parts[-1].lower() and p.kind == "person":
                    self.by_part.setdefault(part + self.genitive_name, p)

    def _name_run(self, i: int, tt: _TokenTable) -> tuple[int, list[Token], int, str | None]:
        """The run of name-like words from ``i`` without trailing particles and leading titles or roles: its
        first index, its tokens, the index after it and the gender of its first word."""
        toks, n = self.toks, len(self.toks)
        t = toks[i]
        seq = [t]
        j = i + 1
        while j < n and tt.gapok[j] and tt.ext[j]:
            seq.append(toks[j])
            j += 1
        g = first_name_gender(t.text) if tt.nm[i] else None
        while len(seq) > 1 and (
            seq[-1].text.lower() in self.particles
            or not (self._is_namey(seq[-1]) or seq[-1].start in self._surname_like)
        ):
            seq.pop()
        lead = 0
        while (
            len(seq) - lead > 2
            and first_name_gender(seq[lead + 1].text)
            and (seq[lead].text.lower() in self.titles or first_name_gender(seq[lead].text) is None)
        ):
            # "Sen. Maria Alvarez", "Sprecher Jan Muster", "Secretary of State Tom Example": a capitalised
            # word that is no first name, before a first name, is a title or role; the name starts after it
            lead += 1
        if lead:
            i += lead
            seq = seq[lead:]
            g = first_name_gender(toks[i].text)
        return i, seq, j, g

    def _one_surname(self, i: int, seq: list[Token]) -> tuple[list[Token], int]:
        """German capitalises nouns: first names, then one surname ("Jan Lukas Wendel", not "… Startgelder")."""
        k = 1
        while k < len(seq) - 1 and (
            first_name_gender(seq[k].text) is not None or seq[k].text.lower() in self.particles
        ):
            k += 1
        if k + 2 == len(seq) and self._double_surname(seq[k], seq[k + 1]):
            k += 1  # "Priska Seiler Graf"
        seq = seq[: k + 1]
        return seq, i + len(seq)

    def _add(self, found: dict[str, Person], name: str, parts: list[str], g: str | None,
             span: tuple[int, int]) -> Person:
        """The person of ``name`` (new or known), with one more mention."""
        p = found.get(name)
        if p is None:
            p = found[name] = Person(name, parts, g)
            self.persons.append(p)
        p.mentions.append(span)
        return p

    def _scan_name(self, i: int, tt: _TokenTable, found: dict[str, Person]) -> int:
        """Take the name starting at token ``i`` when it is one (a person, or an organisation with a suffix);
        returns where the scan goes on."""
        toks, text, lows, n = self.toks, self.text, self.lows, len(self.toks)
        i, seq, j, g = self._name_run(i, tt)
        t = toks[i]
        if 2 <= len(seq) <= MAX_NAME_WORDS + 1 and seq[-1].text.lower() in self.org_suffixes and self._is_namey(t):
            self._suffixed_orgs.append(text[seq[0].start : seq[-1].end])  # "Blue Harbor Records"
            return j
        if tt.german and len(seq) > 2:
            seq, j = self._one_surname(i, seq)
        hon = self.lex.honorifics.get(lows[i]) if len(seq) == 2 and tt.nm[i + 1] else None
        # "seine Frau Eva": after a possessive the honorific is a kin noun before a first name, not a title
        kin = hon is not None and i > 0 and lows[i - 1] in self._poss_dets and first_name_gender(seq[1].text)
        if hon in ("m", "f") and not kin and (j >= n or not tt.caps[j] or not tt.sp[j]):
            # "Frau Meier": the honorific gives the gender
            self._add(found, f"{t.text} {seq[1].text}", [seq[1].text], hon, (t.start, seq[1].end))
            return j
        described = tt.german and len(seq) == 2 and g is None and (bool(kin) or self._descriptor(t, seq[1]))
        if described:
            i += 1  # "Taubenhalter Rolf (63)", "Kellnerin Maria": a noun before a first name
            t, seq, j = toks[i], [toks[i]], i + 1
            g = first_name_gender(t.text)
        after_det = i > 0 and toks[i - 1].text in self.determiners and text[toks[i - 1].end : t.start] == " "
        if after_det and self._role_of(t.text.lower()) is None:
            return i + 1
        if self._single_name(i, seq, j, g, described, tt):
            p = self._add(found, t.text, [t.text], g, (t.start, t.end))
            self._bind_role(i, p)
            if described:
                self.role_bindings.append((t.start, self.lows[i - 1], p))  # later "die Kellnerin"
            return i + 1
        if self._full_name(i, seq, j, g, tt):
            self._add_full_name(i, seq, g, found)
            return j
        return i + 1

    def _single_name(self, i: int, seq: list[Token], j: int, g: str | None, described: bool,
                     tt: _TokenTable) -> bool:
        """A first name alone is a person next to a speech verb or a role, with an age, used on its own again and
        again, opening a German sentence before its verb, or after a describing noun."""
        toks, text, n = self.toks, self.text, len(self.toks)
        t = toks[i]
        if len(seq) != 1 or g not in ("m", "f") or (i > 0 and toks[i - 1].text.lower() in self.preps):
            return False
        if j < n and toks[j].cap and text[t.end : toks[j].start] == " ":
            return False
        return (
            (
                i > 0
                and (not toks[i - 1].cap or self._role_of(toks[i - 1].text.lower()) is not None)
                and not self._sentence_initial(t)
                and self._speechy(i)
            )
            or _AGE.match(text, t.end) is not None  # "Mara, 31, wollte …"
            or tt.lone[t.text] >= LONE_FIRST_NAME_USES  # a first name the article keeps using on its own
            or (tt.german and self._sentence_initial(t) and j < n and tt.sp[j] and self._verb_like(j))
            or described
        )

    def _full_name(self, i: int, seq: list[Token], j: int, g: str | None, tt: _TokenTable) -> bool:
        """Two to four words are a name: with a known first name, a middle initial, an age after them, or a surname
        that recurs (in German: on its own, without article)."""
        toks, text = self.toks, self.text
        t = toks[i]
        if not 2 <= len(seq) <= MAX_NAME_WORDS:
            return False
        if g is not None or (len(seq) == 3 and len(seq[1].text) == 1 and seq[1].text.isupper()):  # "Anna B. Sample"
            return True
        if len(seq) == 2 and self._is_namey(t) and not t.text.isupper() and _AGE.match(text, seq[-1].end) is not None:
            return True
        # "Ruritanian Foreign Minister": a role after the run
        if len(seq) > MAX_NAME_WORDS - 1 or (j < len(toks) and self._role_of(toks[j].text.lower())):
            return False
        if tt.german:
            recurs = (len(seq) == 2 and tt.bare[seq[-1].text] >= 2 and not t.text.isupper()
                      and not (i > 0 and self._noun_context(toks[i - 1])))
        else:
            recurs = tt.surname_counts[seq[-1].text] >= 2
        # not opening a sentence, where any word is capitalised: in a clause, or right after «…», (inverted "said")
        return (recurs and self._is_namey(t) and i > 0 and t.text.lower() not in self.titles
                and _MID_CLAUSE_GAP.fullmatch(text, toks[i - 1].end, t.start) is not None)

    def _add_full_name(self, i: int, seq: list[Token], g: str | None, found: dict[str, Person]) -> None:
        """Record a full name, unless it is an organisation ("Tom Baker Productions"), a place ("South Carolina",
        "Gull Island") or opens with a possessive ("Tuesday's Democratic primary")."""
        text = self.text
        if any(s.text.lower() in self.org_suffixes for s in seq):
            self._suffixed_orgs.append(text[seq[0].start : seq[-1].end])  # "Tom Baker Productions"
            return
        if self.possessive and any(x.text.endswith(self.possessive) for x in seq[:-1]):
            return
        if seq[0].text.lower() in self.lex.place_openers or seq[-1].text.lower() in self.lex.place_heads:
            return
        end = seq[-1].end
        if self.possessive and seq[-1].text.endswith(self.possessive):
            end -= 2
            seq[-1] = Token(seq[-1].text[:-2], seq[-1].start, end)
        if self._genitive_before_noun(seq[-1]):
            end -= len(self.genitive_name)  # "Karl Brandauers Motto": Karl Brandauer
            seq[-1] = Token(seq[-1].text[: -len(self.genitive_name)], seq[-1].start, end)
        name = text[seq[0].start : end]
        if len(seq[-1].text) == 1 and text[end : end + 1] == ".":
            name += "."  # "Gisela M."
        p = self._add(found, name, [s.text for s in seq], g if g in ("m", "f") else None, (seq[0].start, seq[-1].end))
        self._bind_role(i, p)

    def _genitive_before_noun(self, last: Token) -> bool:
        """A surname in the genitive before the noun it governs ("Brandauers Motto"), in languages marking it by
        an ending without apostrophe; a stem ending in a vowel or a sibilant keeps its own "s" (Haas, Voss)."""
        suffix = self.genitive_name
        stem = last.text[: -len(suffix)] if suffix and last.text.endswith(suffix) else ""
        if len(stem) < MIN_GENITIVE_STEM or stem[-1].lower() in "aeiouyäöüsxzß":
            return False
        nxt = self.word_table.span(last.end, last.end + NEXT_WORD_REACH)[:1]
        return bool(nxt) and nxt[0].cap and self.text[last.end : nxt[0].start] == " " and (
            self.by_part.get(nxt[0].text.lower()) is None and first_name_gender(nxt[0].text) is None)

    def _find_initialled(self, found: dict[str, Person]) -> None:
        """People named by a role and an initial only ("Leserin K.", "Anwohnerin S."); then "K." is them."""
        toks, text = self.toks, self.text
        for k in [k - 1 for k in range(1, len(toks)) if len(toks[k].text) == 1]:  # one-letter words only
            t, nt = toks[k], toks[k + 1]
            if not (len(nt.text) == 1 and nt.text.isupper() and text[t.end : nt.start] == " "):
                continue
            if text[nt.end : nt.end + 1] != "." or not t.cap or self._role_of(t.text.lower()) is None:
                continue
            name = f"{t.text} {nt.text}."
            p = found.get(name)
            if p is None:
                g = self._role_gender(t.text.lower()) or ("m" if self.data.get("capitalised_nouns") else None)
                p = Person(name, [t.text, nt.text], g)
                found[name] = p
                self.persons.append(p)
            p.mentions.append((t.start, nt.end + 1))
        initials = {p.parts[-1]: p for p in self.persons if len(p.parts[-1]) == 1}
        for t in toks:
            p = initials.get(t.text)
            if p is not None and text[t.end : t.end + 1] == "." and not any(s <= t.start < e for s, e in p.mentions):
                p.mentions.append((t.start, t.end + 1))

    def _merge_singletons(self) -> None:
        """A one-word name that is part of a fuller name ("Muster", "Jan Muster") is that person."""
        full: dict[str, Person] = {}
        for q in self.persons:
            if len(q.parts) >= 2:
                for part in (q.parts[0], q.parts[-1]):
                    full.setdefault(part, q)
        keep = []
        for p in self.persons:
            q = full.get(p.parts[0]) if len(p.parts) == 1 else None
            if q is None:
                keep.append(p)
                continue
            q.mentions.extend(p.mentions)
            if q.gender is None and p.parts[0] == q.parts[0]:
                q.gender = p.gender  # a first name's gender; a surname alone may look like a first name
            self.role_bindings = [(s, r, q if b is p else b) for s, r, b in self.role_bindings]
        self.persons = keep

    def _drop_false_pairs(self) -> None:
        """Drop two-word "names" that are two people side by side ("zahlte Thomas Beispiel …" after Jan Thomas and
        Eva Beispiel). Two people sharing a first name ("Stefan A" and "Stefan B") are two people."""
        lasts: dict[str, list[Person]] = {}
        for p in self.persons:
            if len(p.parts) >= 2:
                lasts.setdefault(p.parts[-1], []).append(p)
        keep = []
        for p in self.persons:
            if len(p.parts) == 2:
                a, b = p.parts
                if any(q is not p for q in lasts.get(a, [])) and any(q is not p for q in lasts.get(b, [])):
                    continue
            keep.append(p)
        self.persons = keep

    def _merge_glued(self) -> None:
        """Drop a name whose surname is another's with a word glued on by a lost space ("Fennellyein")."""
        counts = Counter(t.text for t in self.toks)
        keep: list[Person] = []
        for p in self.persons:
            twin = next(
                (
                    q
                    for q in self.persons
                    if q is not p
                    and len(q.parts) == len(p.parts) >= 2
                    and q.parts[:-1] == p.parts[:-1]
                    and p.parts[-1].startswith(q.parts[-1])
                    and len(p.parts[-1]) - len(q.parts[-1]) <= SURNAME_ENDING
                    and counts[q.parts[-1]] > counts[p.parts[-1]] == 1
                ),
                None,
            )
            if twin is None:
                keep.append(p)
            else:
                twin.mentions.extend(p.mentions)
                self.role_bindings = [(s, r, twin if b is p else b) for s, r, b in self.role_bindings]
        self.persons = keep

    def _bind_surnames(self) -> None:
        """Roles before a surname alone ("Kantonschemiker Tanner") bind to the person of that surname."""
        last = {p.parts[-1]: p for p in self.persons if len(p.parts) > 1}
        for k in range(1, len(self.toks)):
            p = last.get(self.toks[k].text)
            if p is None or self.text[self.toks[k - 1].end : self.toks[k].start] != " ":
                continue
            role = self._role_of(self.toks[k - 1].text.lower())
            if role:
                self.role_bindings.append((self.toks[k].start, role, p))
        self._bind_appositions()
        self._bind_fronted_roles()
        self.role_bindings.sort(key=lambda x: x[0])

    def _bind_appositions(self) -> None:
        """A role in apposition after a name binds to it: "Anna Muster, Chefin der Firma XY, …", "Niki Lauda,
        his team chairman, …"."""
        toks, lows, text = self.toks, self.lows, self.text
        starts = [t.start for t in toks]
        for p in self.persons:
            for _s, e in p.mentions:
                k = bisect.bisect_left(starts, e)
                if k >= len(toks) or not re.fullmatch(r",\s*", text[e : toks[k].start]):
                    continue
                for m in range(k, min(k + ROLE_PHRASE_WORDS - 1, len(toks))):
                    if m > k and text[toks[m - 1].end : toks[m].start] != " ":
                        break  # the apposition is one phrase
                    role = self._role_of(lows[m])
                    if role:
                        self.role_bindings.append((toks[m].start, role, p))
                        break
                    if lows[m] in self.cues or (m > k and self._nm[m] and toks[m].cap):
                        break  # "Muster, sagte …", or another name

    def _bind_fronted_roles(self) -> None:
        """A role before a comma and a name binds to it: "der Kantonschemiker von Beispielkanton, Jan Muster",
        "the city's planning director, Jo Kim" (the role phrase opens with a determiner, within a few words)."""
        toks, lows, text = self.toks, self.lows, self.text
        starts = [t.start for t in toks]
        for p in self.persons:
            for s, _e in p.mentions:
                k = bisect.bisect_left(starts, s)
                if k < 2 or not re.fullmatch(r",\s*", text[toks[k - 1].end : s]):
                    continue
                for m in range(k - 1, max(0, k - 1 - FRONTED_ROLE_WORDS), -1):
                    if m < k - 1 and text[toks[m].end : toks[m + 1].start] not in (" ", " (", ") "):
                        break  # the role phrase is one phrase without punctuation (an acronym in brackets aside)
                    role = self._role_of(lows[m])
                    if role and m > 0 and lows[m - 1] in self.determiners:
                        self.role_bindings.append((s, role, p))
                        break

    def _speechy(self, i: int) -> bool:
        """A lone first name counts as a person next to a speech verb or after a role noun."""
        near = [self.toks[k].text.lower() for k in (i - 1, i + 1) if 0 <= k < len(self.toks)]
        if any(w in self.cues for w in near):
            return True
        return i > 0 and self._role_of(self.toks[i - 1].text.lower()) is not None

    def _descriptor(self, a: Token, b: Token) -> bool:
        """German "Taubenhalter Rolf": an agent noun ("-er", "-in", "-ist") before a first name, when that first
        name is nobody's surname in the article ("Ayse Özdemir" … "Mehmet Özdemir")."""
        if first_name_gender(b.text) not in ("m", "f") or not a.text.lower().endswith(self.lex.descriptor_endings):
            return False
        return not any(s != a.start for s in self._after_first_name().get(b.text, ()))

    def _after_first_name(self) -> dict[str, list[int]]:
        """Each word with the starts of the first names standing right before it ("Mehmet Özdemir"), found once."""
        if self._first_before is None:
            self._first_before = {}
            toks, text = self.toks, self.text
            for k in range(1, len(toks)):
                if text[toks[k - 1].end : toks[k].start] == " " and first_name_gender(toks[k - 1].text):
                    self._first_before.setdefault(toks[k].text, []).append(toks[k - 1].start)
        return self._first_before

    def _double_surname(self, a: Token, b: Token) -> bool:
        """German double surnames without a hyphen ("Priska Seiler Graf"): the pair recurs in the article, or
        a bracket (party, age) follows it."""
        if self._pairs is None:
            toks, text = self.toks, self.text
            self._pairs = Counter((toks[k - 1].text, toks[k].text) for k in range(1, len(toks))
                                  if text[toks[k - 1].end : toks[k].start] == " ")
        return self._pairs[(a.text, b.text)] >= 2 or self.text[b.end : b.end + 2] == " ("

    def _verb_like(self, k: int) -> bool:
        """German: a lower-case word that is no pronoun, article or particle, as the verb after a subject
        opening its sentence ("Reto schleicht um den Kuchen")."""
        low = self.lows[k]
        return self.toks[k].text[:1].islower() and low not in self.stop and low not in self.determiners

    def _sentence_initial(self, t: Token) -> bool:
        before = self.text[max(0, t.start - MARKS_BEFORE) : t.start]
        return t.start == 0 or bool(re.search(r"[.!?:\n]\s*[«»„“\"'‚‘]?\s*$", before))

    def _bind_role(self, i: int, p: Person) -> None:
        """Remember a role noun standing right before a name ("Sprecherin Karoline Leavitt", "CEO Jo Kim")."""
        k = i - 1
        while k >= 0 and self.text[self.toks[k].end : self.toks[k + 1].start] in (" ", ". "):
            low = self.toks[k].text.lower()
            if low in self.titles and low not in self.roles:
                title_role = self.data.get("title_roles", {}).get(low)
                if title_role:  # "Sen. Maria Alvarez" is "the senator"
                    self.role_bindings.append((self.toks[i].start, title_role, p))
                k -= 1
                continue
            role = self._role_of(low) or self._unlisted_role(k)
            if role:
                self.role_bindings.append((self.toks[i].start, role, p))
                if p.gender is None:
                    p.gender = self._role_gender(low)
            break

    def _unlisted_role(self, k: int) -> str | None:
        """In a language capitalising nouns, a noun between an article and a name is that person's role even
        when no list knows it ("dem Landrat Uwe Kern"); later "der Landrat" is that person."""
        if not self.data.get("capitalised_nouns") or k < 1 or not self.toks[k].cap:
            return None
        low = self.lows[k]
        if self.lows[k - 1] not in self.determiners or self.text[self.toks[k - 1].end : self.toks[k].start] != " ":
            return None
        if low in self.stop or low in self.org_nouns or first_name_gender(self.toks[k].text) is not None:
            return None
        return low

    def _role_of(self, low: str) -> str | None:
        """The role noun inside a (compound) word: 'Präsidentensprecherin' → 'sprecherin'."""
        return self.lex.role_of(low)

    def _role_gender(self, low: str) -> str | None:
        fem = self.data.get("female_suffixes", [])
        for suf in fem:
            base = low[: -len(suf)]
            if low.endswith(suf) and (base in self.roles or self._role_of(base)):
                return "f"
        if low in self.lex.female_roles:
            return "f"
        if low in self.lex.male_roles:
            return "m"
        return None

    # -- organisations
    def _find_orgs(self) -> None:
        toks, text = self.toks, self.text
        person_parts = {part.lower() for p in self.persons for part in p.parts}
        nm = self._nm
        counts: Counter[str] = Counter()
        det_before: Counter[str] = Counter()
        first: dict[str, int] = {}
        for k, t in enumerate(toks):
            if not nm[k] or self.lows[k] in person_parts or self.lows[k] in self.org_nouns:
                continue
            before = text[max(0, t.start - MARKS_BEFORE + 1) : t.start]
            if t.start == 0 or _SENT_BEFORE.search(before) or before.endswith(("«", "„", "“", '"', "»")):
                continue  # sentence-initial: no evidence
            counts[t.text] += 1
            first.setdefault(t.text, t.start)
            if k > 0 and self._noun_context(toks[k - 1]) and text[toks[k - 1].end : t.start] == " ":
                det_before[t.text] += 1
        common = tuple(self.data.get("common_noun_suffixes", []))
        strict = bool(self.data.get("capitalised_nouns"))
        heads = self._compound_heads(person_parts)
        for w, n in counts.items():
            if w in heads:
                continue
            acronym = w.isupper() and 2 <= len(w) <= MAX_ACRONYM and w.isalpha()
            if acronym:
                self.orgs.append(Person(w, [w], None, kind="org"))  # one mention is enough: "die SVP"
                continue
            if n < 2 or det_before[w] * 2 > n or (strict and det_before[w] and not self._orgish(w)):
                continue
            if strict and not self._orgish(w) and n < ORG_USES:
                continue
            if common and w.lower().endswith(common) and not w.isupper():
                continue
            self.orgs.append(Person(w, [w], None, kind="org"))
        self.orgs.extend(Person(w, [w], None, kind="org") for w in sorted(heads))
        if strict:
            self._suffixed_orgs.extend(self._named_bodies())
        self.orgs.extend(self._groups())
        self._suffixed_orgs.extend(self._suffix_runs(person_parts))
        for name in dict.fromkeys(self._suffixed_orgs):
            o = Person(name, [name], None, kind="org")
            o.mentions = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            self.orgs.append(o)
        wanted = {o.name for o in self.orgs if not o.mentions}
        where: dict[str, list[tuple[int, int]]] = {}  # a word, or a hyphenated word's leading parts, wanted
        for t in toks if wanted else ():
            w = t.text
            if w in wanted:
                where.setdefault(w, []).append((t.start, t.end))
            k = w.find("-")
            while k >= 0:
                if w[:k] in wanted:
                    where.setdefault(w[:k], []).append((t.start, t.end))
                k = w.find("-", k + 1)
        for o in self.orgs:
            if not o.mentions:
                o.mentions = list(where.get(o.name, ()))
        self._find_acronyms()

    def _groups(self) -> list[Person]:
        """A group led by a named person ("die Forscher um die Biologin Sarah Meier", "the team led by Jo Kim"):
        what a later "sie"/"they" most likely points at."""
        out: list[Person] = []
        links = [w.lower().split() for w in self.data.get("group_links", [])]
        toks, lows = self.toks, self.lows
        for k in range(len(toks) - 2):
            if lows[k] not in self.determiners:
                continue
            head = toks[k + 1]
            for link in links:
                j = k + 2
                if lows[j : j + len(link)] != link:
                    continue
                rest = " ".join(t.text for t in toks[j + len(link) : j + len(link) + ROLE_PHRASE_WORDS])
                p = self.person_for(rest) if rest else None
                if p is not None and p.parts[-1] in rest:
                    g = Person(f"{head.text} {' '.join(link)} {p.name}", [head.text], None, kind="org", group=True)
                    g.mentions = [(toks[k].start, head.end)]
                    out.append(g)
        return out

    def _suffix_runs(self, person_parts: set[str]) -> list[str]:
        """Capitalised words ending in an organisation word ("Northwind Studios", "Beispiel AG", "Sample Agency"),
        also at a sentence's start, where a lone capital proves nothing: the last word is the evidence."""
        out = []
        toks, text, lows = self.toks, self.text, self.lows
        for k, t in enumerate(toks):
            if not t.cap or lows[k] not in self.org_suffixes:
                continue
            j = k
            while j > 0 and toks[j - 1].cap and text[toks[j - 1].end : toks[j].start] == " " and (
                    lows[j - 1] not in self.stop and lows[j - 1] not in person_parts
                    and lows[j - 1] not in self.org_nouns):  # "die Firma Velotech AG" is "Velotech AG"
                j -= 1
            if j < k and not (k - j == 1 and first_name_gender(toks[j].text) is not None):  # "Anna Bank"
                out.append(text[toks[j].start : t.end])
        return out

    def _named_bodies(self) -> list[str]:
        """German "die Stadt Köln", "die Polizei Hamburg", "der Kanton Bern": an organisation noun and a place."""
        out = []
        toks, text = self.toks, self.text
        person_parts = {part for p in self.persons for part in p.parts}
        for k in range(1, len(toks) - 1):
            t, nt = toks[k], toks[k + 1]
            if toks[k - 1].text.lower() not in self.determiners or not t.cap or text[t.end : nt.start] != " ":
                continue
            low = t.text.lower()
            if low not in self.org_nouns and not any(
                    low.endswith(o) for o in self.org_nouns if len(o) >= MIN_COMPOUND_HEAD):
                continue
            if nt.cap and nt.text.lower() not in self.stop and nt.text not in person_parts:
                nn = toks[k + 2] if k + 2 < len(toks) else None
                if nn is None or not nn.cap or text[nt.end : nn.start] != " ":  # "die Stadt Köln prüft"
                    out.append(f"{t.text} {nt.text}")
        return out

    def _compound_heads(self, person_parts: set[str]) -> set[str]:
        """Names that head several hyphenated compounds and also stand alone ("Beispielmarkt": "Beispielmarkt-Kasse",
        "Beispielmarkt-Filiale", "der Beispielmarkt"): hyphens join proper names, common nouns compound without."""
        seconds: dict[str, set[str]] = {}
        alone: Counter[str] = Counter()
        for t in self.toks:
            if "-" in t.text:
                head, rest = t.text.split("-", 1)
                if len(head) >= MIN_GENITIVE_STEM and head[:1].isupper() and head.isalpha():
                    seconds.setdefault(head, set()).add(rest.lower())
            else:
                alone[t.text] += 1
        out = set()
        for w, rest in seconds.items():
            low = w.lower()
            if len(rest) < 2 or not alone[w] or low in self.stop or low in person_parts or self._role_of(low):
                continue
            if low in self.org_nouns or first_name_gender(w) is not None:
                continue
            out.add(w)
        return out

    def _find_acronyms(self) -> None:
        """An acronym defined in brackets after a name ("Bundesamt für Beispiele (BfB)") names that organisation."""
        self.aliases: dict[str, str] = {}
        for m in re.finditer(r"\((\w{2,8})\)", self.text):
            acr = m.group(1)
            if not acr[:1].isupper() or not acr.isalpha():
                continue
            words = WORD.findall(self.text[max(0, m.start() - ACRONYM_REACH) : m.start()])
            for k in range(len(words) - 1, max(-1, len(words) - ACRONYM_WORDS - 1), -1):
                if words[k][:1].upper() != acr[:1].upper() or not words[k][:1].isupper():
                    continue
                phrase = " ".join(words[k:])
                initials = "".join(part[:1] for part in phrase.split("-")).lower()  # "Lotte-Brenner-Institut"
                if (len(words) - k >= 2 and _subsequence(acr.lower(), phrase.lower())) or initials == acr.lower():
                    self.aliases[acr] = phrase
                    break
        for o in self.orgs:
            if o.name in self.aliases:
                o.name = self.aliases[o.name]

    def _noun_context(self, prev: Token) -> bool:
        """The word before is one a common noun takes: a determiner, and in German also a preposition or an
        inflected adjective ("zum Zeitpunkt", "im Alter", "der junge Golfer")."""
        low = prev.text.lower()
        if low in self.determiners:
            return True
        if not self.data.get("capitalised_nouns"):
            return False
        if low in self.lex.article_preps:
            return True
        if prev.cap or low in self.preps or low in self.stop or low in self.cues or len(low) < MIN_ROLE_SUFFIX:
            return False
        return low.endswith(self.lex.adjective_endings)

    def _orgish(self, w: str) -> bool:
        """Looks like a proper name even in German: acronym, inner capital, org suffix."""
        return (w.isupper() and len(w) >= 2) or any(c.isupper() for c in w[1:]) or w.lower() in self.org_suffixes

    def _add_role_mentions(self) -> None:
        """A definite role noun bound to a person earlier ("Sen. Maria Alvarez" … "the 62-year-old senator")
        mentions that person, so that a later pronoun can find them."""
        indef = self.lex.indefinite
        toks, lows = self.toks, self.lows
        for k, t in enumerate(toks):
            low = lows[k]
            if low not in self.determiners or low in indef:
                continue
            for m in range(k + 1, min(len(toks), k + ROLE_PHRASE_WORDS)):
                if not re.fullmatch(r"[ -]", self.text[toks[m - 1].end : toks[m].start]):
                    break  # one noun phrase: "the vote, Minister …" is two
                role = self._role_of(lows[m])
                if role:
                    p = self.bound_role(role, t.start)
                    if p is not None:
                        self.add_mention(t.start, toks[m].end, p)
                    break

    def add_mention(self, pos: int, end: int, p: Person) -> None:
        """Record a resolved mention (a pronoun or role that named ``p``) so later pronouns can find it."""
        bisect.insort(self.mentions, (pos, end, p), key=lambda x: x[0])

    def _all_mentions(self) -> list[tuple[int, int, Person]]:
        out: list[tuple[int, int, Person]] = []
        for p in self.persons:
            out.extend((s, e, p) for s, e in p.mentions)
        seen = {s for s, _, _ in out}
        starts = [t.start for t in self.toks]
        covered: set[tuple[int, int]] = set()  # (person, token start) inside one of that person's mentions
        for p in self.persons:
            for s, e in p.mentions:
                k = bisect.bisect_left(starts, s)
                while k < len(starts) and starts[k] < e:
                    covered.add((id(p), starts[k]))
                    k += 1
        for k, t in enumerate(self.toks):
            p = self.by_part.get(self.lows[k])
            if p is not None and t.cap and t.start not in seen and (id(p), t.start) not in covered:
                out.append((t.start, t.end, p))
        for o in self.orgs:
            out.extend((s, e, o) for s, e in o.mentions)
        out.sort(key=lambda x: x[0])
        return out

    def words(self) -> set[str]:
        """Every word form of the article."""
        if self._words is None:
            self._words = {t.text for t in self.toks}
        return self._words

    def inside_quote(self, pos: int) -> bool:
        """True when ``pos`` lies inside a quotation (names there are the speaker's words, not the reporter's)."""
        k = bisect.bisect_right(self.quoted, (pos, len(self.text) + 1)) - 1
        return k >= 0 and self.quoted[k][0] <= pos < self.quoted[k][1]

    def quoted_between(self, lo: int, hi: int) -> bool:
        """True when a quotation starts in ``text[lo:hi]``."""
        k = bisect.bisect_left(self.quoted, (lo, -1))
        return k < len(self.quoted) and self.quoted[k][0] < hi

    def mentions_before(self, pos: int, window: int | None = None) -> list[tuple[int, int, Person]]:
        """The mentions starting before ``pos`` (and, with ``window``, at most that many characters before)."""
        hi = bisect.bisect_left(self.mentions, pos, key=lambda x: x[0])
        lo = 0 if window is None else bisect.bisect_left(self.mentions, pos - window, key=lambda x: x[0])
        return self.mentions[lo:hi]

    # -- lookups
    def person_for(self, words: str) -> Person | None:
        """The known person that a name mention ("Musk", "Grünen-Hofer", "Elon Musk") refers to."""
        parts = [w for w in WORD.findall(words) if w[:1].isupper()]
        if len(parts) >= 2:  # "Julia Brenner" is not "Tobias Brenner", though both are "Brenner"
            low = [w.lower() for w in parts]
            for p in self.persons:
                pl = [x.lower() for x in p.parts]
                if pl[-1] == low[-1] and pl[0] in low:
                    return p
            first, q = low[-2], self.by_part.get(low[-1])
            if (
                q is not None
                and len(q.parts) >= 2
                and q.parts[-1].lower() == low[-1]
                and first != q.parts[0].lower()
                and first not in self.stop
                and first not in self.titles
                and self._role_of(first) is None
                and not parts[-2].isupper()
                and "-" not in parts[-2]
            ):
                return None  # "Ayse Özdemir" is not "Mehmet Özdemir"
        for w in reversed(parts):
            if w is not parts[-1] and first_name_gender(w) and self._unknown_surname(parts[-1]):
                return None  # "Stefan Kornmayer" is not the "Stefan Albinger" named before
            p = self.by_part.get(w.lower())
            if p is not None:
                return p
            if "-" in w:
                p = self.by_part.get(w.rsplit("-", 1)[1].lower())
                if p is not None:
                    return p
        return None

    def speaker_type(self, speaker: str | None) -> str | None:
        """What a resolved speaker is (SPEC §1): a known person, an organisation, a group of people, an unnamed
        person described by a role noun; None when the table cannot tell."""
        if not speaker:
            return None
        if speaker in self.group_names:
            return "group"
        if speaker in self.org_names:
            return "org"
        p = self.person_for(speaker)
        if p is not None and p.kind == "person" and p.name == speaker:
            return "person"
        org = next((o for o in self.orgs if o.name == speaker), None)
        if org is not None:
            return "group" if org.group else "org"
        words = WORD.findall(speaker)
        lows = [w.lower() for w in words]
        cut = next((k for k, w in enumerate(lows) if k and (w in self.preps or w in self.determiners)), len(lows))
        head, head_word = lows[cut - 1], words[cut - 1]  # "Anwalt der Kanzlei X", "Bundesamt für Beispiele"
        person_noun = head in self.lex.generic_people or self._role_of(head) is not None or (
            bool(self.data.get("capitalised_nouns")) and head.endswith(self.lex.descriptor_endings or ("\0",)))
        if person_noun and (head_word.islower() or self.data.get("capitalised_nouns")):
            return "unnamed"  # "Augenzeugin", "police officer"; but "King" in English is a name
        if any(self.lex.org_suffixes5.longest(w) or w in self.org_nouns or w in self.org_suffixes for w in lows[:cut]):
            return "org"
        return None

    def _unknown_surname(self, w: str) -> bool:
        """A name-like word that is nobody's name part here, nor a role, title or stop word."""
        low = w.lower()
        return (self.by_part.get(low) is None and low not in self.stop and low not in self.titles
                and self._role_of(low) is None and "-" not in w and not w.isupper())

    def org_for(self, words: str) -> Person | None:
        """The organisation ``words`` name: the longest one of several words inside them ("Firma Beispiel GmbH"
        holds "Beispiel GmbH"), else one named by a single word or its alias."""
        inside = [o for o in self.orgs if " " in o.name and o.kind == "org" and not o.group and o.name in words]
        if inside:
            return max(inside, key=lambda o: len(o.name))
        for w in WORD.findall(words):
            w = self.aliases.get(w, w)
            for o in self.orgs:
                if o.name == w or o.parts[0] == w:
                    return o
        return None

    def recent(self, pos: int, *, kind: str = "person", gender: str | None = None,
               window: int = RECENT_REACH) -> Person | None:
        """The most recent ``kind`` mentioned before ``pos`` (matching ``gender`` when given)."""
        fallback = None
        for _s, _e, p in reversed(self.mentions_before(pos, window)):
            if p.kind != kind:
                continue
            if gender is None or p.gender == gender:
                return p
            if p.gender is None and fallback is None:
                fallback = p
        return fallback

    def salient_org(self, pos: int, window: int | None = None) -> Person | None:
        """The organisation named most often before ``pos`` (ties: the latest); with ``window``, only
        organisations named within that many characters before ``pos``."""
        best, score = None, 0
        for o in self.orgs:
            if self._medium(o):
                continue
            starts = self._org_starts(o)
            near = window is None or bisect.bisect_left(o._sorted, pos) > bisect.bisect_left(o._sorted, pos - window)
            if not near:
                continue
            n = bisect.bisect_left(starts, pos)
            if n and n >= score:
                best, score = o, n
        return best

    def _org_starts(self, o: Person) -> list[int]:
        """The starts of an organisation's mentions in the reporter's words, sorted (and all of them in
        ``o._sorted``), computed once per organisation."""
        if o._reporter is None or len(o._sorted) != len(o.mentions):
            o._sorted = sorted(s for s, _e in o.mentions)
            o._reporter = [s for s in o._sorted if not self.inside_quote(s)]
        return o._reporter

    def _medium(self, o: Person) -> bool:
        """An outlet the article only talks to ("sagte sie dem SPIEGEL", "gegenüber EXPRESS", "told CNN",
        "auf EXPRESS-Anfrage"): someone listening, never the speaker of a quote."""
        if o.kind != "org" or not o.mentions:
            return False
        cached = self._media.get(id(o))
        if cached is not None:
            return cached
        recip = self.lex.recipients
        requests = [w.lower() for w in self.data.get("request_nouns", [])]
        facing = {w.lower() for w in self.data.get("recipient_prepositions_alone", [])}  # "gegenüber X": no verb needed
        hits = 0
        for s, e in o.mentions:
            before = WORD.findall(self.text[max(0, s - NEXT_WORD_REACH) : s])[-3:]
            low = [w.lower() for w in before]
            after = self.text[e : e + REQUEST_CHARS].lstrip("- ").lower()
            asked = any(after.startswith(w) for w in requests)  # "auf EXPRESS-Anfrage", "on request"
            told = bool(low) and low[-1] in recip and (low[-1] in facing or any(w in self.cues for w in low))
            hits += asked or told
        self._media[id(o)] = result = hits * 2 >= len(o.mentions)
        return result

    def salient_person(self, pos: int, gender: str | None = None) -> Person | None:
        """The person mentioned most often before ``pos`` (ties: the latest), of ``gender`` when known."""
        counts: dict[int, int] = {}
        last: dict[int, int] = {}
        for s, _e, p in self.mentions:
            if s >= pos or p.kind != "person" or (gender and p.gender not in (gender, None)):
                continue
            if self.inside_quote(s):
                continue
            counts[id(p)] = counts.get(id(p), 0) + 1
            last[id(p)] = s
        if not counts:
            return None
        best = max(counts, key=lambda k: (counts[k], last[k]))
        return next(p for _s, _e, p in self.mentions if id(p) == best)

    def bound_role(self, head: str, pos: int) -> Person | None:
        """The person last introduced with role ``head`` (or a compound ending in it) before ``pos``."""
        head = head.lower()
        k = bisect.bisect_left(self.role_bindings, pos, key=lambda x: x[0])
        for _s, role, p in reversed(self.role_bindings[:k]):
            if role == head or head.endswith(role) or role.endswith(head) or (
                    inflected(role, head)):  # "den Patienten"
                return p
        return None

"""Speakers as people, not strings: conservative merging of the name forms one owner's library holds."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from server.core.langdata import languages, load
from server.library.words import fold

_INITIAL = re.compile(r"^[^\W\d_]\.?$")
MIN_ROLE_SUFFIX = 4  # a compound ending in a role noun at least this long is a role ("Bankchef", "Finanzministerin")
PERSONLIKE = (None, "person")  # types whose names are merged by the person rules


@cache
def _vocab() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], frozenset[str]]:
    """Titles and role nouns, name particles and organisation suffixes of every language Pith knows."""
    roles: set[str] = set()
    particles: set[str] = set()
    org_suffixes: set[str] = set()
    for lang in languages("quotes"):
        data = load(lang, "quotes")
        for key in ("titles", "role_nouns", "spokes_nouns", "abbreviated_titles"):
            roles.update(fold(w) for w in data.get(key, []))
        particles.update(fold(w) for w in data.get("particles", []))
        org_suffixes.update(fold(w) for w in data.get("org_suffixes", []))
    suffixes = tuple(sorted(r for r in roles if len(r) >= MIN_ROLE_SUFFIX))
    return frozenset(roles), suffixes, frozenset(particles), frozenset(org_suffixes)


def _is_role(token: str) -> bool:
    roles, suffixes, _, _ = _vocab()
    word = fold(token).rstrip(".")
    return word in roles or any(word.endswith(s) and len(word) > len(s) for s in suffixes)


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name split for merging: given names (folded, initials as one letter) and the folded surname."""

    given: tuple[str, ...]
    surname: str
    role: bool = False  # a role or title stood before the name ("Bankchef Muster")

    def initial_only(self) -> bool:
        return bool(self.given) and len(self.given[0]) == 1


def parse_name(name: str) -> Name | None:
    """``Jan Muster`` → given ("jan",), surname "muster"; ``Bankchef Muster`` → bare "muster"; None if no name."""
    _, _, particles, _ = _vocab()
    tokens = [t for t in re.split(r"\s+", name.strip()) if t]
    role = False
    while len(tokens) > 1 and _is_role(tokens[0]):
        tokens, role = tokens[1:], True
    if not tokens:
        return None
    # the surname starts at its first particle ("von der Leyen") or is the last word
    start = len(tokens) - 1
    while start > 1 and fold(tokens[start - 1]) in particles:
        start -= 1
    if start == 1 and fold(tokens[0]) in particles:
        start = 0
    surname = " ".join(fold(t) for t in tokens[start:])
    given = tuple(fold(t).rstrip(".") if _INITIAL.match(t) else fold(t) for t in tokens[:start])
    if not surname or any(not g for g in given):
        return None
    return Name(given, surname, role)


def compatible(a: str, b: str) -> bool:
    """First names that may be one person's: equal, or an initial and a name starting with it."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def looks_like_org(name: str) -> bool:
    """A name ending in an organisation suffix ("… AG", "… Bank") when the digest gave no speaker_type."""
    words = fold(name).split()
    return len(words) > 1 and words[-1].strip(".") in _vocab()[3]


@dataclass(slots=True)
class Speaker:
    """One speaker of a library: its display name, type, every name form merged into it and their quote counts."""

    name: str
    speaker_type: str | None
    forms: dict[str, int] = field(default_factory=dict)  # surface form → quotes

    @property
    def quotes(self) -> int:
        return sum(self.forms.values())


def _display(forms: dict[str, int]) -> str:
    """The fullest form: most non-initial given names, without a role, then the most quoted."""
    def rank(form: str) -> tuple[int, int, int, int]:
        n = parse_name(form)
        full = sum(1 for g in n.given if len(g) > 1) if n else 0
        return (full, len(n.given) if n else 0, 0 if (n and n.role) else 1, forms[form])
    return max(forms, key=rank)


def _merge_people(rows: list[tuple[str, int]]) -> list[dict[str, int]]:
    """Cluster person-like names by surname; see the module docstring of merging rules in :func:`merge`."""
    by_surname: dict[str, list[tuple[str, Name, int]]] = defaultdict(list)
    clusters: list[dict[str, int]] = []
    for form, count in rows:
        parsed = parse_name(form)
        if parsed is None:
            clusters.append({form: count})
        else:
            by_surname[parsed.surname].append((form, parsed, count))
    for group in by_surname.values():
        full: dict[str, dict[str, int]] = {}  # first given name → its cluster
        for form, n, count in group:
            if n.given and not n.initial_only():
                full.setdefault(n.given[0], {})[form] = count
        pending: dict[str, dict[str, int]] = {}  # initials and bare surnames that merge with nobody
        for form, n, count in group:
            if n.given and not n.initial_only():
                continue
            if n.given:
                fits = [c for first, c in full.items() if compatible(first, n.given[0])]
                target = fits[0] if len(fits) == 1 else pending.setdefault(f"{n.given[0]}.", {})
            else:
                target = next(iter(full.values())) if len(full) == 1 else pending.setdefault("", {})
            target[form] = count
        clusters.extend(full.values())
        clusters.extend(pending.values())
    return clusters


def merge(rows: Iterable[tuple[str, str | None, int]]) -> list[Speaker]:
    """The speakers of one library from its (speaker, speaker_type, quotes) rows, most quoted first.

    People: "Muster", "Bankchef Muster" and "Jan Muster" are one when "Jan Muster" is the only full name with
    that surname; "J. Muster" joins the only full name whose first name starts with J; otherwise forms stay
    apart (a wrong merge is worse than two entries). Organisations and groups merge by their folded name;
    unnamed speakers ("Augenzeugin") are never merged across pages, so they are no speakers here.
    """
    people: dict[str, int] = defaultdict(int)
    others: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for form, kind, count in rows:
        if not form or kind == "unnamed":
            continue
        if kind in PERSONLIKE and not looks_like_org(form):
            people[form] += count
        else:
            key = (kind or "org", " ".join(fold(form).split()))
            others[key][form] = others[key].get(form, 0) + count
    speakers = [Speaker(_display(c), "person", c) for c in _merge_people(sorted(people.items()))]
    speakers += [Speaker(_display(c), kind, c) for (kind, _), c in sorted(others.items())]
    speakers.sort(key=lambda s: (-s.quotes, fold(s.name)))
    return speakers


def _key(name: str) -> str:
    return " ".join(fold(name).split())


class SpeakerIndex:
    """One library's speakers with lookups by folded name form and by surname, built once per library version."""

    def __init__(self, speakers: list[Speaker]) -> None:
        self.speakers = speakers
        self.by_form: dict[str, list[Speaker]] = defaultdict(list)
        self.by_surname: dict[str, list[Speaker]] = defaultdict(list)
        self.folded: list[tuple[Speaker, list[str]]] = []
        for s in speakers:
            keys = list(dict.fromkeys(_key(f) for f in s.forms))
            self.folded.append((s, keys))
            for k in keys:
                self.by_form[k].append(s)
            if s.speaker_type == "person":
                for surname in {n.surname for f in s.forms if (n := parse_name(f)) is not None}:
                    self.by_surname[surname].append(s)

    def find(self, name: str) -> list[Speaker]:
        """The speakers a name given by a user means: those with that form (any case and accents), else that surname."""
        wanted = _key(name)
        if not wanted:
            return []
        if wanted in self.by_form:
            return self.by_form[wanted]
        parsed = parse_name(name)
        if parsed is None or parsed.given:
            return []
        return self.by_surname.get(parsed.surname, [])

    def complete(self, prefix: str, limit: int) -> list[Speaker]:
        """Autocomplete: speakers with a form or a word of a form starting with ``prefix``, most quoted first."""
        wanted = _key(prefix)
        if not wanted:
            return self.speakers[:limit]
        hits = []
        for s, keys in self.folded:
            if any(k.startswith(wanted) or any(w.startswith(wanted) for w in k.split()) for k in keys):
                hits.append(s)
                if len(hits) == limit:
                    break
        return hits


def find(speakers: list[Speaker], name: str) -> list[Speaker]:
    """:meth:`SpeakerIndex.find` over a list of speakers."""
    return SpeakerIndex(speakers).find(name)

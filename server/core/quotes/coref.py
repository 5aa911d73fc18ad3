"""Who a pronoun or a bare noun phrase points back to: people by gender and salience, groups, and gender evidence."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from server.core.quotes.cues import CueFinder
from server.core.quotes.entities import MIN_COMPOUND_HEAD, Entities, Person, Token, first_name_gender

PP_REACH = 5  # words back from a name over which a preposition may govern it
SUBJECT_REACH = 160  # characters from a sentence's start searched for its subject and verb ("But a spokesperson …")
GROUP_SENTENCES = 5  # sentences back in which "they"/"sie" finds the group it refers to
ANTECEDENT_REACH = 2500  # characters back in which a pronoun finds its person
ROLE_SUBJECT_WORDS = 4  # the farthest word of a sentence where an English role subject may start
APPOSITION_REACH = 60  # characters before a name searched for the role phrase it is in apposition to


@dataclass(slots=True)
class Mention:
    kind: str  # person | name | pron | np
    start: int
    end: int
    text: str
    person: Person | None = None


class Coreference:
    """Antecedents for pronouns and epithets over the article's mentions, for one article."""

    def __init__(self, text: str, data: dict[str, Any], ents: Entities, cues: CueFinder,
                 mentions: Callable[[list[Token], list[tuple[int, int]]], list[Mention]],
                 adjacent: Callable[[Token, Token], bool]):
        self.text, self.data, self.ents = text, data, ents
        self.pronouns, self.dets, self.conj = cues.pronouns, cues.dets, cues.conj
        self.indef = ents.lex.words("indefinite")
        self.obj_dets = ents.lex.words("object_determiners")
        self.org_nouns = ents.lex.words("org_nouns")
        self.bounds = cues.bounds
        self.sentence_index = cues.sentence_index
        self.mentions = mentions  # the attribution's reader of speaker mentions in a run of tokens
        self._adjacent = adjacent
        self.gender_from_pronouns()

    def gender_from_pronouns(self) -> None:
        """A person whose sentence goes on with "she"/"sie" or "he"/"er" ("Demirel asked …, saying she …") has that
        gender, whatever the first name suggests: votes over the article, the majority wins."""
        gendered = {w: v["gender"] for w, v in self.pronouns.items() if v.get("gender") in ("m", "f")}
        if not gendered:
            return
        votes: dict[int, Counter[str]] = {}
        people: dict[int, Person] = {}
        seen_sentences: set[int] = set()
        pron_re = re.compile(r"\b(" + "|".join(map(re.escape, gendered)) + r")\b", re.IGNORECASE)
        for s, e, p in self.ents.mentions:
            if p.kind != "person" or self.ents.inside_quote(s):
                continue
            idx = self.sentence_index(s)
            if idx in seen_sentences:
                continue  # only the first person of a sentence: its subject, usually
            seen_sentences.add(idx)
            hi = self.bounds[idx] if idx < len(self.bounds) else len(self.text)
            for m in pron_re.finditer(self.text, e, hi):
                if self.ents.inside_quote(m.start()):
                    continue
                if any(p2 is not p for _s2, _e2, p2 in self._mentions_between(e, m.start())):
                    break  # another person came in between
                votes.setdefault(id(p), Counter())[gendered[m.group(1).lower()]] += 1
                people[id(p)] = p
                break
        for k, c in votes.items():
            (g, n), *rest = c.most_common()
            p = people[k]
            named = first_name_gender(p.parts[0]) is not None
            if (not rest or n > rest[0][1]) and (named or n >= 2):
                p.gender = g  # an unknown first name needs two votes: it may be a band or a label

    def _mentions_between(self, lo: int, hi: int) -> list[tuple[int, int, Person]]:
        k = bisect.bisect_left(self.ents.mentions, lo, key=lambda x: x[0])
        out = []
        while k < len(self.ents.mentions) and self.ents.mentions[k][0] < hi:
            out.append(self.ents.mentions[k])
            k += 1
        return out

    def group_antecedent(self, pos: int, sentences: int = GROUP_SENTENCES) -> Person | None:
        """What "they"/"it"/"sie" (plural) points at: the first organisation, or name that is no known person's,
        in the nearest of the last few reporter sentences naming one (the subject comes first)."""
        here = self.sentence_index(pos)
        by_sentence: dict[int, list[Person]] = {}
        people: dict[int, list[tuple[int, int, Person]]] = {}
        lo = self.bounds[here - sentences - 1] if here - sentences - 1 >= 0 else 0
        for s, e, p in self.ents.mentions_before(pos, pos - lo):
            if self.ents.inside_quote(s):
                continue
            idx = self.sentence_index(s)
            if here - idx > sentences:
                continue
            groupish = (p.kind == "org" and not self.ents._medium(p)) or (
                p.kind == "person" and p.gender is None and first_name_gender(p.parts[0]) is None
            )
            by_sentence.setdefault(idx, [])
            if groupish:
                by_sentence[idx].append(p)
            if p.kind == "person":
                people.setdefault(idx, []).append((s, e, p))
        for idx in sorted(by_sentence, reverse=True):
            pair = self._coordinated_people(people.get(idx, []))
            if pair is not None:
                return pair
            if by_sentence[idx]:
                return by_sentence[idx][0]
        return None

    def _coordinated_people(self, ments: list[tuple[int, int, Person]]) -> Person | None:
        """Two people joined by "and"/"und" ("John Smith and Mary Jones", "Hans Meier und seine Frau Anna")."""
        and_word = (self.data.get("conjunctions") or ["&"])[0]
        conj = "|".join(re.escape(w) for w in (and_word, "&"))
        for (_s1, e1, p1), (s2, _e2, p2) in pairwise(ments):
            if p1 is not p2 and re.fullmatch(rf"\s+(?:{conj})\s+(?:\w+\s+){{0,2}}", self.text[e1:s2]):
                group = Person(f"{p1.name} {and_word} {p2.name}", [p1.name, p2.name], None, "org", group=True)
                self.ents.group_names.add(group.name)
                return group
        return None

    def antecedent(self, pos: int, gender: str | None, window: int = ANTECEDENT_REACH) -> Person | None:
        """The person a pronoun at ``pos`` refers to: the nearest sentence naming a person of its gender,
        and in it the first such person (the subject is named first more often than not)."""
        by_sentence: dict[int, list[tuple[bool, Person]]] = {}
        for s, _e, p in self.ents.mentions_before(pos, window):
            if p.kind != "person" or self.ents.inside_quote(s):
                continue
            by_sentence.setdefault(self.sentence_index(s), []).append((self.in_pp(s), p))
        fallback = None
        for idx in sorted(by_sentence, reverse=True):
            fits = [(pp, p) for pp, p in by_sentence[idx] if gender is None or p.gender in (gender, None)]
            subjects = [p for pp, p in fits if not pp]
            if subjects:
                return subjects[0]
            if fits and fallback is None:
                fallback = fits[0][1]
        return fallback

    def main_person(self, pos: int, gender: str | None) -> Person | None:
        """The article's main person: the first person named in the reporter's words before ``pos`` (the
        title and the lead name who the article is about), named at least twice, when their gender allows it."""
        first = None
        named = 0
        for s, _e, p in self.ents.mentions:
            if s >= pos:
                break
            if p.kind == "person" and not self.ents.inside_quote(s):
                first = first or p
                named += p is first
                if named >= 2:
                    break  # named twice is all that is asked
        if first is None or named < 2 or (gender is not None and first.gender not in (gender, None)):
            return None  # named once is no main person
        return first

    def in_pp(self, s: int) -> bool:
        """True when the mention at ``s`` follows a preposition ("gegen Tomas Verbeek"): not a subject."""
        # an apposition after a comma
        before = re.split(r"[\n.!?:;,«»„“”\"]", self.text[max(0, s - APPOSITION_REACH) : s])[-1]
        words = re.findall(r"[\w-]+", before)
        for k in range(len(words) - 1, max(-1, len(words) - PP_REACH - 1), -1):
            w = words[k]
            low = w.lower()
            if low in self.ents.place_preps:
                # inside a capitalised title the preposition governs no one: "Minister of Finance Tom Example"
                inside_title = 0 < k < len(words) - 1 and words[k - 1][:1].isupper() and words[k + 1][:1].isupper()
                return not inside_title
            if not (w[:1].isupper() or low in self.dets or w[:1].isdigit()):
                return False  # "gegen den Kanadier Rory Blackwood": back over the noun phrase only
        return False

    def noun_subject(self, pos: int, gender: str | None, sentences: int = 2) -> Mention | None:
        """A sentence of the last few opening with a noun phrase of the pronoun's gender ("Der Mann, der …",
        "Die Verwaltung bedauert …", "One nurse, who …") is a nearer antecedent than a person named further back."""
        if gender not in ("m", "f"):
            return None
        german = bool(self.data.get("capitalised_nouns"))
        here = self.sentence_index(pos)
        for idx in range(here, max(-1, here - sentences - 1), -1):
            lo = self.bounds[idx - 1] if idx > 0 else 0
            toks = self.ents.word_table.span(lo, min(pos, lo + SUBJECT_REACH))
            if toks and toks[0].text.lower() in self.conj:
                toks = toks[1:]  # "But a spokesperson for X said …": the conjunction opens, the subject follows
            if len(toks) < 2 or self.ents.inside_quote(toks[0].start):
                continue
            det = toks[0].text.lower()
            if not german:
                np = self._english_role_subject(toks, gender) if det in self.dets else None
                if np is not None:
                    return np
                continue
            if self.dets.get(det) != gender or det in self.obj_dets or det in self.indef:
                np = self._inner_role_subject(lo, pos, gender)
                if np is not None:
                    return np
                continue
            if not toks[1].text[:1].isupper() or not self._adjacent(toks[0], toks[1]):
                continue
            noun = toks[1].text.lower()
            orgish = noun in self.org_nouns or any(
                noun.endswith(o) for o in self.org_nouns if len(o) >= MIN_COMPOUND_HEAD)
            if self.ents.person_for(toks[1].text) is not None or not (orgish or self.ents._role_of(noun)):
                continue
            return Mention("np", toks[0].start, toks[1].end, self.text[toks[0].start : toks[1].end])
        return None

    def _inner_role_subject(self, lo: int, pos: int, gender: str) -> Mention | None:
        """German: a definite role noun of the pronoun's gender after the verb ("Wie schwer das war, hat der
        Vater nun erzählt."): the subject of a sentence that does not open with it."""
        hi = min(pos, self.bounds[self.sentence_index(lo)] if self.sentence_index(lo) < len(self.bounds) else pos)
        toks = [t for t in self.ents.word_table.span(lo, hi) if not self.ents.inside_quote(t.start)]
        for k in range(1, len(toks) - 1):
            det = toks[k].text.lower()
            if self.dets.get(det) != gender or det in self.obj_dets or det in self.indef or det in self.pronouns:
                continue
            before = toks[k - 1].text.lower()
            if before in self.ents.preps or before in self.dets or not self._adjacent(toks[k - 1], toks[k]):
                continue  # "für den Vater", "mit der Sängerin": not a subject
            j = k + 1
            while j < len(toks) - 1 and j - k <= 2 and toks[j].text[:1].islower():
                if not self._adjacent(toks[j - 1], toks[j]):
                    break
                j += 1  # adjectives: "der ehemalige Bergführer"
            noun = toks[j]
            if not noun.text[:1].isupper() or not self._adjacent(toks[j - 1], noun):
                continue
            low = noun.text.lower()
            if self.ents._role_of(low) is None or self.ents.person_for(noun.text) is not None:
                continue
            if (self.ents._role_gender(low) or ("m" if not low.endswith("in") else "f")) != gender:
                continue
            return Mention("np", toks[k].start, noun.end, self.text[toks[k].start : noun.end])
        return None

    def _english_role_subject(self, toks: list[Any], gender: str) -> Mention | None:
        """English "One nurse, who …", "A police spokesman said …": a sentence opening with a role noun phrase."""
        for k in range(1, min(ROLE_SUBJECT_WORDS, len(toks))):
            w = toks[k]
            if not w.text.islower() or self.text[toks[k - 1].end : w.start] != " ":
                return None
            role = self.ents._role_of(w.text.lower())
            if role is None:
                continue
            if self.ents._role_gender(w.text.lower()) not in (None, gender):
                return None
            after = self.text[w.end : w.end + 1]
            nxt = toks[k + 1].text.lower() if k + 1 < len(toks) else ""
            if after in ",;" or nxt in self.ents.cues:
                return Mention("np", toks[0].start, w.end, self.text[toks[0].start : w.end])
            if nxt in self.ents.preps:  # "a spokesperson for the Employers Association said"
                end = k + 2
                while end < len(toks) and (toks[end].text[:1].isupper() or toks[end].text.lower() in self.dets
                                           or toks[end].text.lower() in self.ents.preps
                                           or toks[end].text.lower() in self.conj):
                    end += 1
                if end < len(toks) and toks[end].text.lower() in self.ents.cues and end > k + 2:
                    return Mention("np", toks[0].start, toks[end - 1].end, self.text[toks[0].start : toks[end - 1].end])
            return None
        return None

    def role_np(self, pos: int, gender: str | None, sentences: int = 2) -> Mention | None:
        """The nearest noun phrase of the last few sentences whose role noun has the pronoun's gender."""
        if gender not in ("m", "f"):
            return None
        here = self.sentence_index(pos)
        lo = self.bounds[here - sentences - 1] if here - sentences - 1 >= 0 else 0
        toks = [t for t in self.ents.word_table.span(lo, pos) if not self.ents.inside_quote(t.start)]
        for m in reversed(self.mentions(toks, [])):
            if m.kind != "np":
                continue
            head = m.text.split()[-1].lower()
            role = self.ents._role_of(head)
            default = "m" if self.data.get("capitalised_nouns") else None  # German roles: masculine unless -in
            if role and (self.ents._role_gender(head) or default) == gender:
                return m
        return None

    def last_mention(self, p: Person, pos: int) -> int:
        ments = self.ents.mentions
        for k in range(bisect.bisect_left(ments, pos, key=lambda x: x[0]) - 1, -1, -1):
            if ments[k][2] is p:
                return ments[k][0]
        return -1

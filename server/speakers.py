"""Who said a quote: speech cues, speaker mentions near them, and resolution of names, pronouns and roles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .names import Entities, Person, Token, first_name_gender, tokens

_CLAUSE_BREAK = re.compile(r"[!?;:]\s|\.\s+(?![a-zäöü])")
_NP_MARKS = {"«", "»", "„", "“", "”", '"'}
_SENT_END = re.compile(r"[.!?…]+[»«“”\"'’)]*(?=\s|$)")


@dataclass(slots=True)
class Mention:
    kind: str  # person | name | pron | np
    start: int
    end: int
    text: str
    person: Person | None = None


@dataclass(slots=True)
class Cue:
    start: int
    end: int
    text: str
    strong: bool = True


@dataclass(slots=True)
class Attribution:
    speaker: str | None
    mention: str | None
    cue: str | None
    pos: int


class Attributor:
    """Finds cues and speaker mentions in the reporter's words around a quote, and resolves them."""

    def __init__(self, text: str, lang: str | None, data: dict[str, Any], ents: Entities):
        self.text, self.lang, self.data, self.ents = text, lang, data, ents
        self.cues = {w.lower() for w in data.get("cues", [])}
        self.weak = {w.lower() for w in data.get("weak_cues", [])}
        self.phrases = [p.lower().split() for p in data.get("phrase_cues", [])]
        self.prefix = [p.lower().split() for p in data.get("prefix_cues", [])]
        self.post_only = {w.lower() for w in data.get("post_only_cues", [])}
        self.non_cue = [p.lower().split() for p in data.get("non_cue_phrases", [])]
        self.separable = [
            ({f.lower() for f in s["forms"]}, s["particle"].lower().split()) for s in data.get("separable", [])
        ]
        self.pronouns = {k.lower(): v for k, v in data.get("pronouns", {}).items()}
        self.dets = {k.lower(): v for k, v in data.get("determiners", {}).items()}
        self.indef = {w.lower() for w in data.get("indefinite", [])}
        self.spokes = {w.lower() for w in data.get("spokes_nouns", [])}
        self.org_nouns = {w.lower() for w in data.get("org_nouns", [])}
        self.plural_verbs = {w.lower() for w in data.get("plural_verbs", [])}
        self.preps = {w.lower() for w in data.get("org_prepositions", [])}
        self.stop = ents.stop
        self.impersonal = {w.lower() for w in data.get("impersonal_cues", [])}
        self.possessive = tuple(data.get("possessive_suffix", []))
        self.poss_dets = {w.lower() for w in data.get("possessive_determiners", [])}
        self.base_after = {w.lower() for w in data.get("base_form_after", [])}
        self.conj = {w.lower() for w in data.get("conjunctions", [])}
        self.obj_dets = {w.lower() for w in data.get("object_determiners", [])}
        self.generic_orgs = {w.lower() for w in data.get("generic_org_nouns", [])}
        self._looking_back = False
        ends = {m.end() for m in _SENT_END.finditer(text) if self._real_end(m.start())}
        # a line break right after a sentence end is the same boundary, not a second one
        lines = {m.start(1) for m in re.finditer(r"(?<=\S)([ \t]*)\n", text) if m.start(1) not in ends}
        self.bounds = sorted(ends | lines)
        self._gender_from_pronouns()

    def _gender_from_pronouns(self) -> None:
        """A person whose sentence goes on with "she"/"sie" or "he"/"er" ("Omar asked …, saying she …") has that
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
        import bisect

        k = bisect.bisect_left(self.ents.mentions, lo, key=lambda x: x[0])
        out = []
        while k < len(self.ents.mentions) and self.ents.mentions[k][0] < hi:
            out.append(self.ents.mentions[k])
            k += 1
        return out

    # -- sentence limits
    def sentence_end(self, pos: int, hi: int) -> int:
        for m in _SENT_END.finditer(self.text, pos, hi):
            if self._real_end(m.start()):
                return m.end()
        return hi

    def sentence_start(self, pos: int, lo: int) -> int:
        best = lo
        for m in _SENT_END.finditer(self.text, lo, pos):
            if self._real_end(m.start()) and m.end() <= pos:
                best = m.end()
        return best

    def _real_end(self, i: int) -> bool:
        nxt = re.match(r"[.!?…]*[»«“”\"'’)]*\s+(\S)", self.text[i : i + 8])
        if nxt and nxt.group(1).islower():
            return False  # "Jr. said", "Inc. announced": no sentence ends before a lower-case word
        if self.text[i] != ".":
            return True
        m = re.search(r"(\w+)$", self.text[max(0, i - 20) : i])
        if not m:
            return True
        w = m.group(1)
        return not ((len(w) == 1 and w.isupper()) or (w.isdigit() and len(w) <= 2) or w.lower() in self.ents.titles)

    # -- cues
    def find_cues(self, toks: list[Token], *, first_only: bool = False) -> list[Cue]:
        low = [t.text.lower() for t in toks]
        out: list[Cue] = []
        i = 0
        skip: set[int] = set()
        for ph in self.non_cue:
            for k in range(len(low) - len(ph) + 1):
                if low[k : k + len(ph)] == ph:
                    skip.update(range(k, k + len(ph)))
        while i < len(toks):
            hit = None
            if i in skip or (toks[i].text[:1].isupper() and not self._sentence_initial(toks[i].start)):
                i += 1  # cue words are lower-case inside a sentence: "Secretary of State", "United States"
                continue
            for ph in self.phrases + self.prefix:
                if low[i : i + len(ph)] == ph:
                    hit = Cue(toks[i].start, toks[i + len(ph) - 1].end, " ".join(t.text for t in toks[i : i + len(ph)]))
                    break
            if hit is None:
                for forms, particle in self.separable:
                    if low[i] in forms:
                        for k in range(i + 1, min(len(toks), i + 14)):
                            if low[k : k + len(particle)] == particle and (
                                k + len(particle) == len(toks)
                                or self._clause_gap(toks[k + len(particle) - 1], toks[k + len(particle)])
                            ):
                                hit = Cue(toks[i].start, toks[i].end, toks[i].text + " " + " ".join(particle))
                                break
                    if hit:
                        break
            if hit is None and low[i] in self.cues and (low[i] not in self.post_only or (first_only and i == 0)):
                hit = Cue(toks[i].start, toks[i].end, toks[i].text, low[i] not in self.weak)
            if hit is not None and " " not in hit.text and i > 0 and self._cue_blocked(toks, low, i, out):
                hit = None
            if hit is not None:
                out.append(hit)
            i += 1
        return out

    def _cue_blocked(self, toks: list[Token], low: list[str], i: int, found: list[Cue]) -> bool:
        """A one-word cue used as a noun or adjective: after a determiner or possessive ("Trump's call",
        "the report"), or right after another cue ("told cheering teachers")."""
        if self.text[toks[i - 1].end : toks[i].start] != " ":
            return False
        prev = low[i - 1]
        if (prev in self.dets and prev not in self.pronouns) or prev in self.poss_dets:
            return True
        if self.base_after and self._base_form(low[i]) and prev not in self.base_after and not prev.endswith("s"):
            return True  # "an independent state", "a strong claim": a bare verb needs a subject that takes it
        if self.possessive and prev.endswith(self.possessive):
            return True
        return bool(found) and found[-1].end == toks[i - 1].end and self.lang != "de"

    def _base_form(self, w: str) -> bool:
        """An English cue verb in its bare form ("say", "state"), whose third person ("says") is a cue too."""
        return not w.endswith(("s", "ed", "ing")) and (w + "s" in self.cues or w + "es" in self.cues)

    def _sentence_initial(self, pos: int) -> bool:
        return pos == 0 or bool(re.search(r"(^|[.!?:\n])[\s«»„“”\"'‚‘’(–—-]*$", self.text[max(0, pos - 6) : pos]))

    def _clause_gap(self, a: Token, b: Token) -> bool:
        return bool(re.search(r"[,.;:!?]", self.text[a.end : b.start]))

    # -- mentions
    def mentions(self, toks: list[Token], cue_spans: list[tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
        text = self.text
        i = 0
        cue_starts = {s for s, _ in cue_spans}
        while i < len(toks):
            t = toks[i]
            low = t.text.lower()
            if t.start in cue_starts:
                i += 1
                continue
            if low in self.pronouns:
                out.append(Mention("pron", t.start, t.end, t.text))
                i += 1
                continue
            if low in self.dets and i + 1 < len(toks) and self._adjacent(t, toks[i + 1], marks=True):
                j = i + 1
                head = None
                while (
                    j < len(toks)
                    and self._adjacent(toks[j - 1], toks[j], marks=True)
                    and toks[j].start not in cue_starts
                ):
                    w = toks[j]
                    wl = w.text.lower()
                    cap = w.text[:1].isupper()
                    if wl in self.pronouns or wl in self.dets or wl in self.preps:
                        break
                    if self.lang == "de":
                        if not cap and head is not None and any(toks[k].text[:1].isupper() for k in range(i + 1, j)):
                            break
                        if wl in self.stop and not cap:
                            break
                    elif wl in self.stop and wl not in ("and",):
                        break
                    head = j
                    j += 1
                if head is not None:
                    end = toks[head].end
                    # "of/for/des ORG" completes a role noun
                    k = head + 1
                    if k < len(toks) and toks[k].text.lower() in self.preps and self._adjacent(toks[head], toks[k]):
                        m = k + 1
                        while (
                            m < len(toks)
                            and self._adjacent(toks[m - 1], toks[m])
                            and (
                                toks[m].text[:1].isupper()
                                or toks[m].text.lower() in self.dets
                                or toks[m].text.lower() in ("für", "of", "for")
                            )
                        ):
                            m += 1
                        if m > k + 1:
                            end = toks[m - 1].end
                            head_np = Mention("np", t.start, end, text[t.start : end])
                            out.append(head_np)
                            i = m
                            continue
                    out.append(Mention("np", t.start, end, text[t.start : end]))
                    i = head + 1
                    continue
            if self._namey(t):
                j = i + 1
                while (
                    j < len(toks)
                    and self._adjacent(toks[j - 1], toks[j], allow_dot=True)
                    and (self._namey(toks[j]) or toks[j].text.lower() in self.ents.particles)
                    and toks[j].start not in cue_starts
                ):
                    j += 1
                chunk = text[t.start : toks[j - 1].end]
                p = self.ents.person_for(chunk)
                k = j
                if self.possessive and toks[j - 1].text.endswith(self.possessive):
                    while (
                        k < len(toks)
                        and self._adjacent(toks[k - 1], toks[k])
                        and toks[k].start not in cue_starts
                        and toks[k].text.lower() not in self.stop | self.preps | self.cues
                    ):
                        k += 1
                if k > j:  # "Russia's foreign ministry", "the Agency's Advisory Panel": the possessed noun speaks
                    out.append(Mention("np", t.start, toks[k - 1].end, text[t.start : toks[k - 1].end]))
                    i = k
                    continue
                if p is not None:
                    out.append(Mention("person", t.start, toks[j - 1].end, chunk, p))
                elif self.lang == "de" and j - i == 1 and self._noun_like(t):
                    pass
                elif (
                    self.data.get("capitalised_nouns")
                    and j - i == 1
                    and i > 0
                    and not toks[i - 1].text[:1].isupper()
                    and toks[i - 1].start not in cue_starts
                    and toks[i - 1].text.lower() not in self.cues
                    and not self.ents.org_for(chunk)
                ):
                    pass  # "auf Anfrage", "mit Blick": a capitalised common noun after a small word
                elif (
                    j - i > 1
                    or not re.search(r"(^|[.!?:;\n]\s*)$", text[max(0, t.start - 4) : t.start])
                    or self.ents.org_for(chunk)
                ):
                    out.append(Mention("name", t.start, toks[j - 1].end, chunk))
                i = j
                continue
            i += 1
        return out

    def _noun_like(self, t: Token) -> bool:
        return t.text.lower() in self.ents.roles or t.text.lower() in self.org_nouns

    def _namey(self, t: Token) -> bool:
        low = t.text.lower()
        return (
            t.text[:1].isupper()
            and low not in self.stop
            and low not in self.dets
            and low not in self.pronouns
            and low not in self.cues
            and low not in self.ents.place_preps
        )

    def _adjacent(self, a: Token, b: Token, allow_dot: bool = False, marks: bool = False) -> bool:
        gap = self.text[a.end : b.start]
        if marks and gap.strip() in _NP_MARKS and " " in gap:
            return True  # der «König von Burgdorf»
        return gap == " " or (allow_dot and gap == ". " and len(a.text) <= 3)

    # -- attribution of one region
    def attribute(
        self,
        lo: int,
        hi: int,
        *,
        post: bool,
        anchor: int,
        quote_pos: int,
        require_cue: bool = True,
        first_cue: bool = False,
    ) -> Attribution | None:
        """Attribution found in ``text[lo:hi]`` (the reporter's words before or after a quote)."""
        toks = tokens(self.text, lo, hi)
        if not toks:
            return None
        cues = self.find_cues(toks, first_only=post)
        if post and not cues and len(toks) > 12:
            return None
        ments = self.mentions(toks, [(c.start, c.end) for c in cues])
        if not cues:
            if require_cue:
                return None
            # colon introduction without a verb: "Grünen-Trede: «…»"
            named = [m for m in ments if m.kind == "person" or (m.kind == "name" and self.ents.org_for(m.text))]
            if not post and named and self.text[hi - 3 : hi].rstrip().endswith(":"):
                m = named[-1]
                return self._resolve(m, None, quote_pos)
            return None
        strong = [c for c in cues if c.strong] or cues
        if post:
            cue = min(cues, key=lambda c: abs(c.start - anchor))
        else:
            cue = (min if first_cue else max)(strong, key=lambda c: c.start)
            cue = self._coordinated(toks, cues, cue)
        if not ments:
            if cue.text.lower() in self.impersonal:
                o = self.ents.salient_org(quote_pos)
                return Attribution(o.name if o else None, None, cue.text, cue.start)
            return Attribution(None, None, cue.text, cue.start)
        before = [m for m in ments if m.end <= cue.start]
        after = [m for m in ments if m.start >= cue.end]
        cue_i = next(k for k, t in enumerate(toks) if t.start == cue.start)

        def dist(m: Mention) -> int:
            ks = [k for k, t in enumerate(toks) if m.start <= t.start < m.end]
            if not ks:
                return 99
            return cue_i - ks[-1] if m.end <= cue.start else ks[0] - cue_i

        before = [m for m in before if not _CLAUSE_BREAK.search(self.text[m.end : cue.start + 1])]
        before = [m for m in before if not self._object_np(m)]
        after = [m for m in after if not self._object_np(m)]
        apposed = None
        if post:  # after a quote, a speaker before the verb stands right after the quote ("„…“, Zverev sagte")
            before = [
                m
                for m in before
                if m.start <= toks[min(2, len(toks) - 1)].start
                or (dist(m) <= 2 and self.text[lo : m.start].rstrip().endswith(","))  # "… of X", Dempsey said
            ]
            head = before[0] if before else None
            if (
                head is not None
                and head.kind in ("person", "name")
                and head.start <= toks[min(2, len(toks) - 1)].start
                and self.text[head.end : cue.start].lstrip().startswith(",")
                and self.text[head.end : cue.start].rstrip().endswith(",")
            ):
                before = [head]  # "…," Alvarez, a Democrat from New Mexico, said on the floor
                apposed = head
        elif self.data.get("subject_before_verb") and before:
            subj = self._apposed_subject(before, cue, lo)
            if subj is not None:
                before = [subj]
                apposed = subj
        if not post and apposed is None and before and self._after_conjunction(toks, cue):
            first = [m for m in before if not self._after_prep(toks, m) and not self._object_np(m)]
            if first:
                before = first[:1]  # "X verweist auf Y und fügt an": X is the subject of both verbs
                apposed = before[0]
        b = before[-1] if before else None
        a = after[0] if after else None
        if b is not None and b.kind not in ("person", "pron"):
            people = [m for m in before if m.kind in ("person", "pron") and dist(m) <= 12]
            named = [m for m in before if m.kind == "name" and dist(m) <= 12]
            if people:
                b = people[-1]
            elif named and b.kind == "np" and dist(b) > 2:
                b = named[-1]
        prefix = cue.text.lower().split() in self.prefix
        if prefix:
            chosen = a or b
        elif b and a:
            if not post and self.data.get("subject_before_verb"):
                chosen = b  # English: the subject precedes the verb outside the inverted "said X"
            elif not post and self.lang == "de":
                if dist(b) == dist(a) == 1 and self._in_pp(b.start):
                    chosen = a  # "Gegenüber SRF ergänzte Süssli"
                else:
                    chosen = b if dist(b) == 1 else a if dist(a) == 1 else (b if dist(b) <= dist(a) else a)
            else:
                chosen = b if dist(b) <= dist(a) else a
        else:
            chosen = b or a
        if apposed is not None and not prefix and b is apposed:
            chosen = apposed
        if chosen is None and cue.text.lower() in self.impersonal:
            o = self.ents.salient_org(quote_pos)
            return Attribution(o.name if o else None, None, cue.text, cue.start)
        if chosen is None:
            return Attribution(None, None, cue.text, cue.start)
        if chosen.kind in ("np", "pron") and chosen is a:
            later = [m for m in after if m.kind == "person" and m.start > chosen.start]
            if later and chosen.kind == "np" and "," in self.text[chosen.end : later[0].start]:
                chosen = apposed = later[0]  # "said another witness, former adviser Fiona Hill"
        if chosen is not apposed and dist(chosen) > (12 if chosen is b else 6):
            return Attribution(None, None, cue.text, cue.start)
        return self._resolve(chosen, cue, quote_pos)

    def _after_conjunction(self, toks: list[Token], cue: Cue) -> bool:
        k = next(k for k, t in enumerate(toks) if t.start == cue.start)
        return (k >= 1 and toks[k - 1].text.lower() in self.conj) or (k >= 2 and toks[k - 2].text.lower() in self.conj)

    def _object_np(self, m: Mention) -> bool:
        """German "den Clip", "dem Sprecher": a determiner of the accusative or dative never opens a subject."""
        return m.kind == "np" and m.text.split(" ", 1)[0].lower() in self.obj_dets

    def _after_prep(self, toks: list[Token], m: Mention) -> bool:
        k = next((k for k, t in enumerate(toks) if t.start == m.start), 0)
        return k >= 1 and toks[k - 1].text.lower() in self.ents.preps

    def _coordinated(self, toks: list[Token], cues: list[Cue], cue: Cue) -> Cue:
        """For "X verweist auf Y und fügt an:" the subject belongs to the first verb of the coordination."""
        k = next(k for k, t in enumerate(toks) if t.start == cue.start)
        while True:
            conj = k >= 1 and toks[k - 1].text.lower() in self.conj
            conj = conj or (k >= 2 and toks[k - 2].text.lower() in self.conj)
            earlier = [c for c in cues if c.end <= cue.start]
            if not conj or not earlier:
                return cue
            cue = earlier[-1]
            k = next(k for k, t in enumerate(toks) if t.start == cue.start)

    def topic(self, lo: int, hi: int) -> str | None:
        """The person the reporter's sentences in ``text[lo:hi]`` are about: the first person or personal pronoun
        of the last sentence naming one ("Leser M. kann es kaum fassen. «…»")."""
        toks = [t for t in tokens(self.text, lo, hi) if not self.ents.inside_quote(t.start)]
        if len(toks) < 3:
            return None
        ments = [m for m in self.mentions(toks, []) if m.kind in ("person", "pron")]
        if not ments:
            return None
        last_sent = self.sentence_index(ments[-1].start)
        m = next(m for m in ments if self.sentence_index(m.start) == last_sent)
        if m.kind == "person" and m.person is not None:
            return m.person.name
        info = self.pronouns.get(m.text.lower(), {})
        if m.kind == "pron" and info.get("gender") in ("m", "f") and info.get("number") != "pl":
            return self._resolve(m, None, m.start).speaker
        return None

    def _apposed_subject(self, before: list[Mention], cue: Cue, lo: int) -> Mention | None:
        """English "X, an expert at Y who …, told Z": a comma right before the verb closes an apposition or
        relative clause, and the subject is the mention opening the clause, before its first comma."""
        if not self.text[lo : cue.start].rstrip().endswith(","):
            return None
        start = sent = self.sentence_start(cue.start, lo)
        for c in re.finditer(r",\s+(\w+)\s", self.text[sent : cue.start]):
            if c.group(1).lower() in self.conj:  # "X wants to go, but General Y, chairman of Z, told"
                start = sent + c.end()
        first = [m for m in before if m.start >= start]
        if not first or "," not in self.text[first[0].end : cue.start]:
            return None
        head = first[0]
        if head.kind in ("person", "name", "np", "pron") and "," not in self.text[start : head.start]:
            if head.kind == "np" and len(first) > 1 and first[1].kind == "person":
                gap, after = self.text[head.end : first[1].start], self.text[first[1].end : cue.start]
                if gap.strip() == "," and after.lstrip().startswith(","):
                    return first[1]  # "His wife, Joan, added"
            return head
        return None

    def _resolve(self, m: Mention, cue: Cue | None, pos: int) -> Attribution:
        ents = self.ents
        cue_text = cue.text if cue else None
        speaker: str | None = None
        if m.kind == "person" and m.person is not None:
            speaker = m.person.name
        elif m.kind == "name":
            p = ents.person_for(m.text) or ents.org_for(m.text)
            speaker = p.name if p else ents.aliases.get(m.text, m.text)
        elif m.kind == "pron":
            info = self.pronouns.get(m.text.lower(), {})
            g, num = info.get("gender"), info.get("number")
            plural = num == "pl" or (
                num is None and cue is not None and cue.text.split()[0].lower() in self.plural_verbs
            )
            if g == "n" or plural:
                p = self.group_antecedent(m.start) or ents.salient_org(m.start, window=1200)
                speaker = p.name if p else None
                if p is not None:
                    ents.add_mention(m.start, m.end, p)
            else:
                p = self.antecedent(m.start, g)
                speaker = p.name if p else None
                subject = self._noun_subject(m.start, g)
                if subject is None and p is None:
                    subject = self._role_np(m.start, g)  # "sagte eine Sprecherin … «…», sagte sie"
                if subject is not None and (p is None or subject.start > self._last_mention(p, m.start)):
                    speaker = self._resolve_np(subject, m.start)  # "Der Mann … alarmierte die Feuerwehr. … sagt er"
                elif p is not None:
                    ents.add_mention(m.start, m.end, p)
        elif m.kind == "np":
            speaker = self._resolve_np(m, pos)
        return Attribution(speaker, m.text, cue_text, m.start)

    def _org_phrase(self, words: list[Token], pos: int) -> str | None:
        """The organisation a "des/of …" phrase names: a known one, the article's company for a generic
        noun ("der Firma", "of the company"), else the words themselves ("des Verbands Bitkom")."""
        words = [w for w in words if w.text.lower() not in self.dets]
        if not words:
            return None
        text = " ".join(w.text for w in words)
        o = self.ents.org_for(text)
        if o is not None:
            return o.name
        if len(words) == 1 and words[0].text.lower() in self.generic_orgs:
            o = self.ents.salient_org(pos)
            return o.name if o else text
        return text

    def _named_np(self, content: list[Token], head_i: int, is_org: bool, is_spokes: bool) -> str | None:
        """A noun phrase that names its own speaker: "the Arab League", "the French foreign ministry",
        "das Strassenverkehrsamt Bern", "the United Nations High Commissioner for Human Rights"."""
        if is_spokes or len(content) < 2:
            return None
        words = [w.text for w in content if w.text.lower() not in self.preps and w.text.lower() not in self.dets]
        caps = [w for w in words if w[:1].isupper()]
        text = self.text[content[0].start : content[-1].end]
        if is_org and head_i > 0 and (caps or self.lang != "de"):
            return text
        orgish_word = any(
            any(w.lower().endswith(o) for o in self.org_nouns if len(o) >= 3) for w in words[:-1] if w[:1].isupper()
        )
        if orgish_word and caps and words[-1][:1].isupper():
            return text
        if self.lang != "de" and len(caps) >= 2 and len(caps) == len(words):
            return text
        return None

    def group_antecedent(self, pos: int, sentences: int = 5) -> Person | None:
        """What "they"/"it"/"sie" (plural) points at: the first organisation, or name that is no known person's,
        in the nearest of the last few reporter sentences naming one (the subject comes first)."""
        here = self.sentence_index(pos)
        by_sentence: dict[int, list[Person]] = {}
        for s, _e, p in self.ents.mentions:
            if s >= pos or self.ents.inside_quote(s):
                continue
            idx = self.sentence_index(s)
            if here - idx > sentences:
                continue
            groupish = (p.kind == "org" and not self.ents._medium(p)) or (
                p.kind == "person" and p.gender is None and first_name_gender(p.parts[0]) is None
            )
            if groupish:
                by_sentence.setdefault(idx, []).append(p)
        for idx in sorted(by_sentence, reverse=True):
            return by_sentence[idx][0]
        return None

    def antecedent(self, pos: int, gender: str | None, window: int = 2500) -> Person | None:
        """The person a pronoun at ``pos`` refers to: the nearest sentence naming a person of its gender,
        and in it the first such person (the subject is named first more often than not)."""
        by_sentence: dict[int, list[tuple[bool, Person]]] = {}
        for s, _e, p in self.ents.mentions:
            if s >= pos or pos - s > window or p.kind != "person" or self.ents.inside_quote(s):
                continue
            by_sentence.setdefault(self.sentence_index(s), []).append((self._in_pp(s), p))
        fallback = None
        for idx in sorted(by_sentence, reverse=True):
            fits = [(pp, p) for pp, p in by_sentence[idx] if gender is None or p.gender in (gender, None)]
            subjects = [p for pp, p in fits if not pp]
            if subjects:
                return subjects[0]
            if fits and fallback is None:
                fallback = fits[0][1]
        return fallback

    def _in_pp(self, s: int) -> bool:
        """True when the mention at ``s`` follows a preposition ("gegen Denis Shapovalov"): not a subject."""
        before = re.split(r"[\n.!?:;«»„“”\"]", self.text[max(0, s - 60) : s])[-1]
        words = re.findall(r"[\w-]+", before)[-5:]
        for w in reversed(words):
            low = w.lower()
            if low in self.ents.place_preps:
                return True
            if not (w[:1].isupper() or low in self.dets or w[:1].isdigit()):
                return False  # "gegen den Amerikaner Mackenzie McDonald": back over the noun phrase only
        return False

    def sentence_index(self, pos: int) -> int:
        import bisect

        return bisect.bisect_right(self.bounds, pos)

    def _resolve_np(self, m: Mention, pos: int) -> str | None:
        ents = self.ents
        p = ents.person_for(m.text)
        if p is not None and (m.text.endswith(p.parts[-1]) or p.kind == "org"):
            return p.name
        words = tokens(self.text, m.start, m.end)
        det = words[0].text.lower()
        content = [w for w in words[1:]]
        if not content:
            return None
        # head noun: the last word before a preposition phrase
        head_i = len(content) - 1
        for k, w in enumerate(content):
            if w.text.lower() in self.preps:
                head_i = k - 1
                break
        head = content[max(0, head_i)].text.lower()
        rest = " ".join(w.text for w in content[head_i + 2 :]) if head_i + 1 < len(content) else ""
        is_spokes = head in self.spokes or any(head.endswith(s) for s in self.spokes if len(s) >= 6)
        is_org = head in self.org_nouns or any(head.endswith(s) for s in self.org_nouns if len(s) >= 5)
        if det not in self.indef and head_i == len(content) - 1 == 0:
            o = next((o for o in reversed(ents.orgs) if o.name.lower().endswith(" " + head)), None)
            if o is not None:
                return o.name  # "the commission" after "the Consumer Product Safety Commission"
        if rest and (is_spokes or is_org):
            return self._org_phrase(content[head_i + 2 :], pos)  # "ein Sprecher der Firma", "a statement from X"
        if head in self.data.get("document_nouns", []) and det not in self.indef and len(content) == 1:
            author = self._document_author(head, m.start)
            if author:
                return author  # "the US military said in a statement … 'the statement said'"
        named = self._named_np(content, head_i, is_org, is_spokes)
        if named is not None:
            return m.text if self.possessive and det.endswith(self.possessive) else named
        if p is not None:
            return p.name
        if is_org and head not in self.generic_orgs:
            return " ".join(w.text for w in content)  # "die Kantonspolizei", "the police"
        if is_spokes:
            if det not in self.indef:
                b = ents.bound_role(head, pos)
                if b is not None:
                    return b.name
            mod = [w.text for w in content[:head_i] if w.text[:1].isupper() or self.lang != "de"]
            for w in mod:
                o = ents.org_for(w)
                if o is not None:
                    return o.name
            prefix = self._compound_prefix(head)
            if prefix and prefix not in self.generic_orgs:  # "ein Stadtsprecher": the first part names the body
                o = next((o for o in ents.orgs if prefix in o.name.lower().replace("-", " ").split()), None)
                return o.name if o else prefix.capitalize()
            o = ents.salient_org(pos)
            return o.name if o else (prefix.capitalize() if prefix else None)
        if is_org:
            o = ents.salient_org(pos)
            return o.name if o else None
        b = ents.bound_role(head, pos)
        if b is not None:
            return b.name
        words = " ".join(w.text for w in content)
        o = ents.org_for(words) if all(w.text[:1].isupper() for w in content) else None
        if o is not None:
            return o.name  # "die Credit Suisse", "die Migros"
        role = head in ents.roles or ents._role_of(head) is not None
        age = self.data.get("age_epithet")
        role = role or bool(age and head.endswith(age))  # "the 25-year-old"
        if not role and len(content) >= 2 and all(w.text[:1].isupper() for w in content):
            return words  # a name with its article: "die Credit Suisse"
        gender = self.dets.get(det)
        if head in self.data.get("generic_person_nouns", []):
            return words  # "der Mann", "the woman": someone the article does not name
        if det not in self.indef and (self.lang == "de" or role):
            g = gender if gender in ("m", "f") else None
            p = self.antecedent(m.start, g)  # an epithet ("der Hamburger") names the current subject
            if p is not None and not (role and self._other_role(p, head)):
                return p.name
        return words

    def _noun_subject(self, pos: int, gender: str | None, sentences: int = 2) -> Mention | None:
        """German: a sentence of the last few opening with a noun phrase of the pronoun's gender ("Der Mann, der …",
        "Die Verwaltung bedauert …") is a nearer antecedent than a person named further back."""
        if not self.data.get("capitalised_nouns") or gender not in ("m", "f"):
            return None
        here = self.sentence_index(pos)
        for idx in range(here, max(-1, here - sentences - 1), -1):
            lo = self.bounds[idx - 1] if idx > 0 else 0
            toks = tokens(self.text, lo, min(pos, lo + 80))
            if len(toks) < 2 or self.ents.inside_quote(toks[0].start):
                continue
            det = toks[0].text.lower()
            if self.dets.get(det) != gender or det in self.obj_dets or det in self.indef:
                continue
            if not toks[1].text[:1].isupper() or not self._adjacent(toks[0], toks[1]):
                continue
            noun = toks[1].text.lower()
            orgish = noun in self.org_nouns or any(noun.endswith(o) for o in self.org_nouns if len(o) >= 5)
            if self.ents.person_for(toks[1].text) is not None or not (orgish or self.ents._role_of(noun)):
                continue
            return Mention("np", toks[0].start, toks[1].end, self.text[toks[0].start : toks[1].end])
        return None

    def _role_np(self, pos: int, gender: str | None, sentences: int = 2) -> Mention | None:
        """The nearest noun phrase of the last few sentences whose role noun has the pronoun's gender."""
        if gender not in ("m", "f"):
            return None
        here = self.sentence_index(pos)
        lo = self.bounds[here - sentences - 1] if here - sentences - 1 >= 0 else 0
        toks = [t for t in tokens(self.text, lo, pos) if not self.ents.inside_quote(t.start)]
        for m in reversed(self.mentions(toks, [])):
            if m.kind != "np":
                continue
            head = m.text.split()[-1].lower()
            role = self.ents._role_of(head)
            default = "m" if self.data.get("capitalised_nouns") else None  # German roles: masculine unless -in
            if role and (self.ents._role_gender(head) or default) == gender:
                return m
        return None

    def _last_mention(self, p: Person, pos: int) -> int:
        return max((s for s, _e, q in self.ents.mentions if q is p and s < pos), default=-1)

    def _document_author(self, noun: str, pos: int, sentences: int = 3) -> str | None:
        """Who issued the statement that "the statement" points back to: the speaker of the last few sentences'
        speech cue that names such a document ("X said in a statement")."""
        if self._looking_back:
            return None  # one level only: no chains of statements about statements
        here = self.sentence_index(pos)
        self._looking_back = True
        try:
            for idx in range(here - 1, max(-1, here - sentences - 1), -1):
                lo = self.bounds[idx - 1] if idx > 0 else 0
                hi = self.bounds[idx] if idx < len(self.bounds) else len(self.text)
                names_it = re.search(rf"\b{re.escape(noun)}\b", self.text[lo:hi], re.IGNORECASE)
                if hi > pos or self.ents.inside_quote(lo) or not names_it:
                    continue
                a = self.attribute(lo, hi, post=False, anchor=hi, quote_pos=pos, first_cue=True)
                if a is not None and a.speaker:
                    return a.speaker
        finally:
            self._looking_back = False
        return None

    def _compound_prefix(self, head: str) -> str | None:
        """'stadtsprecher' → 'stadt', 'regierungssprecherin' → 'regierung' (German compounds only)."""
        if not self.data.get("capitalised_nouns"):
            return None
        for sp in sorted(self.spokes, key=len, reverse=True):
            if head.endswith(sp) and len(head) - len(sp) >= 3:
                pre = head[: -len(sp)].rstrip("-")
                if pre.endswith(("ungs", "heits", "keits", "schafts", "tions", "täts")):
                    pre = pre[:-1]  # the linking s of "Regierungssprecher"
                return pre
        return None

    def _other_role(self, p: Person, head: str) -> bool:
        """True when ``p`` was introduced with a role unlike ``head`` ("Verteidiger Gerber" is not "der Angeklagte")."""
        head = self.ents._role_of(head) or head
        mine = [r for _s, r, q in self.ents.role_bindings if q is p]
        same = {head} | {w for group in self.data.get("role_synonyms", []) if head in group for w in group}
        return bool(mine) and not any(r == h or r.endswith(h) or h.endswith(r) for r in mine for h in same)

"""Who a speaker mention names: an entity of the article's table (a person, an organisation, a group) or the
description of someone unnamed — never a raw string that names no one; None when the evidence is weak."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from server.core.quotes.coref import Coreference, Mention
from server.core.quotes.cues import Cue, CueFinder
from server.core.quotes.entities import MIN_COMPOUND_HEAD, WORD, Entities, Person, Suffixes, Token, inflected

MIN_STEM = 3  # letters a word keeps when an ending or a compound's head is taken off
MIN_GENITIVE_WORD = 4  # a word this short is never put back from the genitive
MIN_SPOKES_SUFFIX = 6  # a spokesperson noun this long may end a compound ("Regierungssprecher")
AUTHOR_SENTENCES = 3  # sentences back searched for who issued a statement
INDEFINITE_ROLE_WORDS = 3  # words after "ein/eine/a" searched for the role it introduces
GROUP_ORG_REACH = 1200  # characters back in which "they"/"es" finds an organisation


@dataclass(slots=True)
class Attribution:
    """A quote's attribution: the resolved speaker, the words naming them, the cue, where the mention stands."""

    speaker: str | None
    mention: str | None
    cue: str | None
    pos: int


@dataclass(slots=True)
class _NP:
    """A noun phrase taken apart for resolution."""

    det: str
    content: list[Token]  # the words after the determiner
    head_i: int
    head: str  # the head noun, lower-case
    rest: str  # the words after the head's preposition ("der Firma X" in "Sprecher der Firma X")
    spokes: bool  # a spokesperson noun
    org: bool  # an organisation noun
    doc: bool  # a statement, report or letter
    proper: bool  # the head is capitalised where nouns are not


class Resolver:
    """Resolves speaker mentions of one article against its entity table and coreference."""

    def __init__(self, text: str, data: dict[str, Any], ents: Entities, cuef: CueFinder, coref: Coreference,
                 attribute: Callable[..., Attribution | None]):
        self.text, self.data, self.ents, self.coref = text, data, ents, coref
        # the events' attribution of a stretch: a statement's author is looked up in the sentences before it
        self.attribute = attribute
        self.sentence_index = cuef.sentence_index
        self.bounds = cuef.bounds
        self.cues, self.possessive, self.conj = cuef.cues, cuef.possessive, cuef.conj
        self.capitalised = bool(data.get("capitalised_nouns"))  # every noun capitalised: capitals prove no name
        self.pronouns = ents.lex.mapping("pronouns")
        self.dets = ents.lex.mapping("determiners")
        self.indef = ents.lex.words("indefinite")
        self.spokes = ents.lex.words("spokes_nouns")
        self.org_nouns = ents.lex.words("org_nouns")
        self.plural_verbs = ents.lex.words("plural_verbs")
        self.preps = ents.lex.words("org_prepositions")
        self.generic_orgs = ents.lex.words("generic_org_nouns")
        self.documents = {w.lower() for w in data.get("document_nouns", []) + data.get("document_parts", [])}
        self._document_suffixes = Suffixes(self.documents, MIN_COMPOUND_HEAD)
        self.genitive = ents.lex.words("genitive_determiners")
        self.kin = ents.lex.words("kin_roles")
        self.group_dets = ents.lex.words("group_determiners")
        self._indefinite_roles: dict[str | None, int] | None = None
        # words a noun phrase never ends in: articles, prepositions, "and", pronouns, auxiliaries
        self._function_words = (set(self.dets) | self.preps | set(ents.preps) | self.conj | set(self.pronouns)
                                | cuef.base_after)

    def resolve(self, m: Mention, cue: Cue | None, pos: int, nested: bool = False) -> Attribution:
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
                p = self.coref.group_antecedent(m.start) or ents.salient_org(m.start, window=GROUP_ORG_REACH)
                speaker = p.name if p else None
                if p is not None:
                    ents.add_mention(m.start, m.end, p)
            else:
                p = self.coref.antecedent(m.start, g)
                speaker = p.name if p else None
                subject = self.coref.noun_subject(m.start, g)
                if subject is None and p is None:
                    subject = self.coref.role_np(m.start, g)  # "sagte eine Sprecherin … «…», sagte sie"
                if subject is not None and (p is None or subject.start > self.coref.last_mention(p, m.start)):
                    speaker = self.resolve_np(subject, m.start, nested)  # "Der Mann … alarmierte … sagt er"
                elif p is not None:
                    ents.add_mention(m.start, m.end, p)
        elif m.kind == "np":
            speaker = self.resolve_np(m, pos, nested)
        if speaker is not None and not self.well_formed(speaker):
            speaker = None  # "authors of the", "buyers would have": a cut phrase names no one
        return Attribution(speaker, m.text, cue_text, m.start)

    def well_formed(self, speaker: str) -> bool:
        """A speaker is a noun phrase: it ends in a content word and holds no speech verb."""
        words = [w.lower() for w in WORD.findall(speaker)]
        if not words or any(w in self.cues for w in words):
            return False
        return words[-1] not in self._function_words

    def org_phrase(self, words: list[Token], pos: int, *, genitive: bool = False) -> str | None:
        """The organisation a "des/of …" phrase names: a known one, the article's company for a generic
        noun ("der Firma", "of the company"), else the words themselves in the nominative ("des Verbands
        Nordwerk" → "Verband Nordwerk")."""
        genitive = genitive or bool(words and words[0].text.lower() in self.genitive)
        words = [w for w in words if w.text.lower() not in self.dets]
        if not words:
            return None
        names = [w.text for w in words]
        if genitive:
            for k, w in enumerate(names):
                if not w[:1].isupper():
                    break  # "des Bundesamtes für Umwelt": the noun comes before its complement
                if w.endswith("s"):
                    names[k] = self.nominative(w)
                    break
        text = " ".join(names)
        o = self.ents.org_for(text)
        if o is not None:
            return o.name
        p = self.ents.person_for(text)
        if p is not None and p.parts[-1] in names:
            return p.name  # "in einem Schreiben von Anna Muster"
        if len(words) == 1 and words[0].text.lower() in self.generic_orgs:
            o = self.ents.salient_org(pos)
            return o.name if o else self._org_named(text)
        return self._org_named(text)

    def _org_named(self, name: str) -> str:
        """Note ``name`` as an organisation the resolution found (for ``speaker_type``) and return it."""
        self.ents.org_names.add(name)
        return name

    def known_org_in(self, words: str) -> str:
        """The organisation of several words the table knows inside ``words`` ("Firma Beispiel GmbH" → "Beispiel
        GmbH"), else ``words``."""
        o = self.ents.org_for(words)
        return o.name if o is not None and " " in o.name and o.name in words else words

    def _named_np(self, content: list[Token], head_i: int, is_org: bool, is_spokes: bool) -> str | None:
        """A noun phrase that names its own speaker: "the Example League", "the Ruritanian foreign ministry",
        "das Strassenverkehrsamt Beispielstadt", "the Regional Commissioner for Water Rights"."""
        if is_spokes or len(content) < 2:
            return None
        words = [w.text for w in content if w.text.lower() not in self.preps and w.text.lower() not in self.dets]
        caps = [w for w in words if w[:1].isupper()]
        text = self.text[content[0].start : content[-1].end]
        if is_org and head_i > 0 and (caps or not self.capitalised):
            return text
        orgish_word = any(
            any(w.lower().endswith(o) for o in self.org_nouns if len(o) >= MIN_STEM)
            for w in words[:-1] if w[:1].isupper()
        )
        if orgish_word and caps and words[-1][:1].isupper():
            return text
        epithet = head_i == len(content) - 1 and self.ents._role_of(content[head_i].text.lower()) is not None
        if not self.capitalised and len(caps) >= 2 and len(caps) == len(words) and not epithet:
            return text  # but "the Conservative MP" is an epithet: a role noun heads it and nothing follows
        return None

    def nominative(self, word: str) -> str:
        """A German noun in the genitive back in the nominative ("Entwurfs" → "Entwurf", "Amtes" → "Amt"): the
        form the article itself uses when there is one, else the ending cut off."""
        endings = self.data.get("genitive_endings", [])
        keep = tuple(self.data.get("genitive_keep_endings", []))
        if not endings or word.isupper() or len(word) < MIN_GENITIVE_WORD or (keep and word.endswith(keep)):
            return word
        if self.ents.org_for(word) is not None or self.ents.person_for(word) is not None:
            return word  # a name that ends like a genitive ("Siemens")
        stems = [word[: -len(e)] for e in endings if word.endswith(e) and len(word) - len(e) >= MIN_STEM]
        seen = self.ents.words()
        for stem in stems:
            if stem in seen:
                return stem
        return stems[0] if stems else word

    def is_document(self, head: str) -> bool:
        """A statement, report, draft or part of one ("Medienmitteilung", "der Einleitung", "the statement")."""
        if head in self.documents or self._document_suffixes.longest(head) is not None:
            return True
        return "-" in head and head.rsplit("-", 1)[1] in self.documents

    def _np_parts(self, m: Mention) -> _NP | None:
        """A noun phrase taken apart: determiner, words, head noun (the last word before a preposition phrase)."""
        words = self.ents.word_table.span(m.start, m.end)
        content = words[1:]
        if not content:
            return None
        head_i = len(content) - 1
        for k, w in enumerate(content):
            if w.text.lower() in self.preps:
                head_i = k - 1
                break
        head = content[max(0, head_i)].text.lower()
        return _NP(
            det=words[0].text.lower(), content=content, head_i=head_i, head=head,
            rest=" ".join(w.text for w in content[head_i + 2 :]) if head_i + 1 < len(content) else "",
            spokes=head in self.spokes or any(head.endswith(s) for s in self.spokes if len(s) >= MIN_SPOKES_SUFFIX),
            org=head in self.org_nouns or any(head.endswith(s) for s in self.org_nouns if len(s) >= MIN_COMPOUND_HEAD),
            doc=self.is_document(head),
            proper=not self.capitalised and content[max(0, head_i)].text[:1].isupper(),
        )

    def resolve_np(self, m: Mention, pos: int, nested: bool = False) -> str | None:
        """Who a noun phrase names: a person or organisation it names itself, the organisation behind a spokesperson
        or statement, the person an epithet stands for, or the description of someone unnamed."""
        ents = self.ents
        p = ents.person_for(m.text)
        if p is not None and (m.text.endswith(p.parts[-1]) or p.kind == "org"):
            return p.name
        np = self._np_parts(m)
        if np is None:
            return None
        det, content, head_i, head = np.det, np.content, np.head_i, np.head
        if det not in self.indef and head_i == len(content) - 1 == 0:
            o = next((o for o in reversed(ents.orgs) if " " in o.name and inflected(o.name.lower().split()[-1], head)),
                     None)
            o = o or next((o for o in ents.orgs if head in o.name.lower().split()[:-1] and " " in o.name), None)
            if o is not None:
                return o.name  # "the commission" after "the Consumer Product Safety Commission"
        if np.rest and (np.spokes or np.doc or (np.org and head in self.generic_orgs and not np.proper)):
            # "ein Sprecher der Firma", "a statement from X", "in der Einleitung des Entwurfs"
            genitive = content[head_i + 1].text.lower() in self.genitive
            return self.org_phrase(content[head_i + 2 :], pos, genitive=genitive)
        if head in self.data.get("document_nouns", []) and det not in self.indef and len(content) == 1:
            author = self._document_author(head, m.start, nested)
            if author:
                return author  # "the Ruritanian army said in a statement … 'the statement said'"
        named = self._named_np(content, head_i, np.org, np.spokes)
        named = self.known_org_in(named) if named is not None else None
        if named is not None:
            return m.text if self.possessive and det.endswith(self.possessive) else named
        if p is not None:
            return p.name
        if np.org and (head not in self.generic_orgs or np.proper):
            return self.known_org_in(" ".join(w.text for w in content))  # "die Kantonspolizei", "the Department …"
        owner_g = self.data.get("possessive_gender", {}).get(det)
        if np.spokes and owner_g:
            owner = self.coref.antecedent(m.start, owner_g)  # "his spokeswoman": the one she speaks for
            if owner is not None:
                return owner.name
        if np.spokes:
            return self._spokes_speaker(np, pos)
        if np.org:
            o = ents.salient_org(pos)
            return o.name if o else " ".join(w.text for w in content)  # "der Verband", no name for it (SPEC §1)
        return self._described_speaker(np, m, pos)

    def _spokes_speaker(self, np: _NP, pos: int) -> str | None:
        """Whom a spokesperson without a complement speaks for: the one bound to that role, an organisation in
        the phrase or the compound ("LBI-Sprecherin", "Stadtsprecher"), else the article's organisation."""
        ents, content, head_i, head = self.ents, np.content, np.head_i, np.head
        if np.det not in self.indef:
            b = ents.bound_role(head, pos)
            if b is not None:
                return b.name
        mod = [w.text for w in content[:head_i] if w.text[:1].isupper() or not self.capitalised]
        for w in mod:
            o = ents.org_for(w)
            if o is not None:
                return o.name
        prefix = self._compound_prefix(head)
        written = content[max(0, head_i)].text[: len(prefix)] if prefix else ""
        if written in ents.aliases:  # "eine BZN-Sprecherin" after "Beispiel-Zentrum Nord (BZN)"
            return ents.aliases[written]
        if prefix and prefix not in self.generic_orgs:  # "ein Stadtsprecher": the first part names the body
            o = next((o for o in ents.orgs if prefix in o.name.lower().replace("-", " ").split()), None)
            return o.name if o else self._org_named(prefix.capitalize())
        o = ents.salient_org(pos)
        if o is None and not prefix and mod and not self.capitalised:
            return " ".join(mod)  # "a police spokesman" with no organisation named: the police
        return o.name if o else (self._org_named(prefix.capitalize()) if prefix else None)

    def _described_speaker(self, np: _NP, m: Mention, pos: int) -> str | None:
        """A phrase naming no organisation: the person bound to its role, a name with its article, someone the
        article names just after, the subject an epithet stands for; else the description itself."""
        ents, det, content, head_i, head = self.ents, np.det, np.content, np.head_i, np.head
        b = ents.bound_role(head, pos)
        if b is not None:
            return b.name
        words = " ".join(w.text for w in content)
        if det in self.group_dets and self.personish(head):
            ents.group_names.add(words)  # "viele Anwohner", "several residents": people speaking as a group
            return words
        o = ents.org_for(words) if all(w.text[:1].isupper() for w in content) else None
        # "die Nordbank Holding", "der Beispielmarkt"; "der FC Musterstadt" is more than the acronym "FC"
        if o is not None:
            return words if o.name in words.split() and len(content) > len(o.name.split()) else o.name
        role = head in ents.roles or ents._role_of(head) is not None
        age = self.data.get("age_epithet")
        role = role or bool(age and head.endswith(age))  # "the 25-year-old"
        if not role and len(content) >= 2 and all(w.text[:1].isupper() for w in content):
            return words  # a name with its article: "die Nordbank Holding"
        if head in self.data.get("generic_person_nouns", []) or (det in self.indef and role):
            # "der Mann", "the woman", "eine Anwohnerin": someone the article does not name, or names just after
            return self._named_later(m) or words
        # "der Reporter von «Nau»": a role with a named complement describes someone in full, not an epithet
        described = role and bool(np.rest) and any(w.text[:1].isupper() for w in content[head_i + 2 :])
        owned = det in self.data.get("possessive_gender", {})  # "ihre Tochter" is not the "ihr" she belongs to
        # an epithet is a definite phrase about a person ("der Hamburger", "the premier"); a neuter one only with
        # a person noun ("das Mädchen"), never "das Produkt"
        personal = role or (self.capitalised and (self.dets.get(det) in ("m", "f") or self.personish(head)))
        if det not in self.indef and personal and not np.doc and not described and not owned:
            gender = self.dets.get(det)
            g = gender if gender in ("m", "f") else None
            p = self.coref.antecedent(m.start, g)  # an epithet ("der Hamburger") names the current subject
            if p is not None and not (role and self.other_role(p, head)):
                return p.name
            if p is not None and role and not np.proper and not self._introduced_unnamed(head, m.start):
                main = self.coref.main_person(m.start, g)  # "der Vater", when the son was named last
                if main is not None and main is not p and not self.other_role(main, head):
                    return main.name
        if not (role or np.org or np.spokes or self.personish(head)):
            if np.rest and any(w.text[:1].isupper() for w in content[head_i + 2 :]):
                return self.org_phrase(content[head_i + 2 :], pos)  # "die Aussage von X": X
            return None  # "ein großer Apparat": a common noun that names no one who could speak
        if np.doc and not role:
            return None  # "the affidavit", whose author the article does not give: no one to name
        return words

    def personish(self, head: str) -> bool:
        """A noun that may name people: a role or person noun, or one with an agent ending (German "-er", "-in")."""
        endings = tuple(self.data.get("descriptor_endings", []))
        plural = head[:-1] if head.endswith(("s", "n")) else head  # "Anwohnern", "officials"
        if not endings:
            return True  # no agent endings known for the language: no evidence either way
        return head in self.data.get("generic_person_nouns", []) or head.endswith(endings) or plural.endswith(endings)

    def _named_later(self, m: Mention, sentences: int = 2) -> str | None:
        """The name the next sentences give an unnamed speaker ("«…», sagt eine Frau. Sie heisst Anna Meier"),
        before any other quote."""
        phrases = [p.lower().split() for p in self.data.get("naming_phrases", [])]
        idx = self.sentence_index(m.start)
        for k in range(idx + 1, min(idx + 1 + sentences, len(self.bounds) + 1)):
            lo, hi = self.bounds[k - 1], (self.bounds[k] if k < len(self.bounds) else len(self.text))
            if self.ents.quoted_between(lo, hi):
                return None  # a quote comes first: whoever is named now said that
            toks = self.ents.word_table.span(lo, hi)
            low = [t.text.lower() for t in toks]
            for v in range(len(toks)):
                ph = next((p for p in phrases if low[v : v + len(p)] == p), None)
                if ph is None:
                    continue
                run = []
                for t in toks[v + len(ph) :]:
                    if not t.text[:1].isupper() or (run and self.text[run[-1].end : t.start] not in (" ", ". ")):
                        break
                    run.append(t)
                if run:
                    chunk = self.text[run[0].start : run[-1].end]
                    p = self.ents.person_for(chunk)
                    return p.name if p is not None else chunk
        return None

    def _introduced_unnamed(self, head: str, pos: int) -> bool:
        """True when an indefinite noun phrase with this role came before ``pos`` ("one legal expert" … "the
        expert"): someone the article never names."""
        role = self.ents._role_of(head) or head
        if self._indefinite_roles is None:  # each role's first indefinite introduction, found once
            self._indefinite_roles = {}
            lows = self.ents.lows
            for k, t in enumerate(self.ents.toks):
                if lows[k] in self.indef and not self.ents.inside_quote(t.start):
                    for w in lows[k + 1 : k + INDEFINITE_ROLE_WORDS + 1]:
                        self._indefinite_roles.setdefault(self.ents._role_of(w), t.start)
        return self._indefinite_roles.get(role, pos) < pos

    def _document_author(self, noun: str, pos: int, nested: bool, sentences: int = AUTHOR_SENTENCES) -> str | None:
        """Who issued the statement that "the statement" points back to: the speaker of the last few sentences'
        speech cue that names such a document ("X said in a statement")."""
        if nested:
            return None  # one level only: no chains of statements about statements
        here = self.sentence_index(pos)
        for idx in range(here - 1, max(-1, here - sentences - 1), -1):
            lo = self.bounds[idx - 1] if idx > 0 else 0
            hi = self.bounds[idx] if idx < len(self.bounds) else len(self.text)
            names_it = re.search(rf"\b{re.escape(noun)}\b", self.text[lo:hi], re.IGNORECASE)
            if hi > pos or self.ents.inside_quote(lo) or not names_it:
                continue
            a = self.attribute(lo, hi, post=False, anchor=hi, quote_pos=pos, first_cue=True, nested=True)
            if a is not None and a.speaker:
                return a.speaker
        return None

    def _compound_prefix(self, head: str) -> str | None:
        """'stadtsprecher' → 'stadt', 'regierungssprecherin' → 'regierung' (German compounds only)."""
        if not self.data.get("capitalised_nouns"):
            return None
        for sp in sorted(self.spokes, key=len, reverse=True):
            if head.endswith(sp) and len(head) - len(sp) >= MIN_STEM:
                pre = head[: -len(sp)].rstrip("-")
                if pre.endswith(("ungs", "heits", "keits", "schafts", "tions", "täts")):
                    pre = pre[:-1]  # the linking s of "Regierungssprecher"
                return pre
        return None

    def other_role(self, p: Person, head: str) -> bool:
        """True when ``p`` was introduced with a role unlike ``head`` ("Verteidiger Gerber" is not "der Angeklagte")."""
        head = self.ents._role_of(head) or head
        family = self.kin  # kin and occupation never conflict: "seine Frau Rita" … "die Sängerin"
        kin = (self.ents._role_of(head) or head) in family
        mine = [r for _s, r, q in self.ents.role_bindings if q is p and (r in family) == kin]
        same = {head} | {w for group in self.data.get("role_synonyms", []) if head in group for w in group}
        return bool(mine) and not any(r == h or r.endswith(h) or h.endswith(r) for r in mine for h in same)

"""Who said a quote: speaker mentions near the speech cues, and resolution of names, pronouns and roles."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from server.core.quotes.coref import Coreference, Mention
from server.core.quotes.cues import Cue, CueFinder
from server.core.quotes.names import WORD, Entities, Person, Suffixes, Token

__all__ = ["Attribution", "Attributor", "Cue", "Mention"]

_CLAUSE_BREAK = re.compile(r"[!?;:]\s|\.\s+(?![a-zäöü])")
_COLON_CLAUSE_BREAK = re.compile(r"[,;]\s|\s[–—-]\s")
_NAME_PREFIX = re.compile(r"(?:\s+[A-ZÄÖÜ][\w.’'-]*)*\s+")  # capitalised words only: a role before a name
_CLAUSE_END = re.compile(r"[.!?;][»«“”\"'’)]*$")  # the words before end a clause or sentence
_BRACKETED = re.compile(r"\([^()]*\)")  # an aside in round brackets
_NP_MARKS = {"«", "»", "„", "“", "”", '"'}


POST_WORDS_WITHOUT_CUE = 12  # words after a quote beyond which, with no cue among them, nothing attributes it
NEAR_BEFORE = 12  # the farthest a subject before its cue may stand, in words
NEAR_AFTER = 6  # the farthest a subject after its cue ("said X") may stand, in words
INFLECTION_CHARS = 2  # letters an inflected form may add to a noun ("studio" → "studios", "Werk" → "Werke")
FAR = 99  # the distance of a mention outside the stretch
BRACKET_REACH = 300  # characters back within the sentence where an open bracket makes an aside


def _inflected(word: str, head: str) -> bool:
    """``word`` is ``head`` or ``head`` with a short ending (a plural or case form: "studios", "Stadtwerke")."""
    return word.startswith(head) and len(word) - len(head) <= INFLECTION_CHARS


class _Distance:
    """Words between a mention and the cue of one stretch of tokens."""

    def __init__(self, toks: list[Token], cue: Cue):
        self.toks, self.cue = toks, cue
        self.cue_i = next(k for k, t in enumerate(toks) if t.start == cue.start)

    def __call__(self, m: Mention) -> int:
        ks = [k for k, t in enumerate(self.toks) if m.start <= t.start < m.end]
        if not ks:
            return FAR  # the mention holds no token of the stretch
        return self.cue_i - ks[-1] if m.end <= self.cue.start else ks[0] - self.cue_i


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


@dataclass(slots=True)
class Attribution:
    speaker: str | None
    mention: str | None
    cue: str | None
    pos: int


class Attributor:
    """Finds cues and speaker mentions in the reporter's words around a quote, and resolves them."""

    def __init__(self, text: str, lang: str | None, data: dict[str, Any], ents: Entities,
                 sentences: list[tuple[int, int]]):
        self.text, self.lang, self.data, self.ents = text, lang, data, ents
        self.cuef = CueFinder(text, data, ents, sentences)
        self.cues, self.prefix, self.possessive, self.conj = (self.cuef.cues, self.cuef.prefix,
                                                             self.cuef.possessive, self.cuef.conj)
        self.capitalised = bool(data.get("capitalised_nouns"))  # every noun capitalised: capitals prove no name
        self.verb_second = bool(data.get("verb_second"))  # the verb second, anything first ("Dann sagte X")
        self.pronouns = {k.lower(): v for k, v in data.get("pronouns", {}).items()}
        self.dets = {k.lower(): v for k, v in data.get("determiners", {}).items()}
        self.indef = {w.lower() for w in data.get("indefinite", [])}
        self.spokes = {w.lower() for w in data.get("spokes_nouns", [])}
        self.org_nouns = {w.lower() for w in data.get("org_nouns", [])}
        self.plural_verbs = {w.lower() for w in data.get("plural_verbs", [])}
        self.preps = {w.lower() for w in data.get("org_prepositions", [])}
        self.stop = ents.stop
        self.impersonal = {w.lower() for w in data.get("impersonal_cues", [])}
        self.obj_dets = {w.lower() for w in data.get("object_determiners", [])}
        self.generic_orgs = {w.lower() for w in data.get("generic_org_nouns", [])}
        self.documents = {w.lower() for w in data.get("document_nouns", []) + data.get("document_parts", [])}
        self._document_suffixes = Suffixes(self.documents, 5)
        self.genitive = {w.lower() for w in data.get("genitive_determiners", [])}
        self.recipient_preps = {w.lower() for w in data.get("recipient_prepositions", [])}
        self.kin = {w.lower() for w in data.get("kin_roles", [])}
        self._indefinite_roles: dict[str | None, int] | None = None
        self.postpositions = {w.lower() for w in data.get("postposition_cues", [])}
        self.bounds = self.cuef.bounds
        self.np_words = {w.lower() for w in data.get("noun_phrase_words", [])}
        self.np_breaks = {w.lower() for w in data.get("noun_phrase_breaks", [])}
        self.participle_endings = tuple(data.get("participle_endings", [])) or ("\0",)
        # words a noun phrase never ends in: articles, prepositions, "and", pronouns, auxiliaries
        self._function_words = (set(self.dets) | self.preps | set(ents.preps) | self.conj | set(self.pronouns)
                                | self.cuef.base_after)
        self.coref = Coreference(text, data, ents, self.cuef, self.mentions, self._adjacent)

    # the sentence limits and cues of the article, for the finder
    def sentence_start(self, pos: int, lo: int) -> int:
        return self.cuef.sentence_start(pos, lo)

    def sentence_end(self, pos: int, hi: int) -> int:
        return self.cuef.sentence_end(pos, hi)

    def sentence_index(self, pos: int) -> int:
        return self.cuef.sentence_index(pos)

    def find_cues(self, toks: list[Token], *, first_only: bool = False) -> list[Cue]:
        return self.cuef.find_cues(toks, first_only=first_only)

    # -- sentence limits
    # -- cues
    # -- mentions
    def mentions(self, toks: list[Token], cue_spans: list[tuple[int, int]]) -> list[Mention]:
        """The speaker mentions in a run of tokens: pronouns, noun phrases opened by a determiner, names."""
        out: list[Mention] = []
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
                np, nxt = self._np_mention(toks, i, cue_starts)
                if np is not None:
                    out.append(np)
                    i = nxt
                    continue
            if self._namey(t):
                name, i = self._name_mention(toks, i, cue_starts)
                if name is not None:
                    out.append(name)
                continue
            i += 1
        return out

    def _np_head(self, toks: list[Token], i: int, cue_starts: set[int]) -> int | None:
        """The head noun of a noun phrase opened by the determiner at ``i`` (its last word before a break)."""
        j = i + 1
        head = None
        while j < len(toks) and self._adjacent(toks[j - 1], toks[j], marks=True) and toks[j].start not in cue_starts:
            wl = toks[j].text.lower()
            cap = toks[j].text[:1].isupper()
            if wl in self.pronouns or wl in self.dets or wl in self.preps:
                break
            if self.capitalised:
                if not cap and head is not None and any(toks[k].text[:1].isupper() for k in range(i + 1, j)):
                    break
                if wl in self.stop and not cap:
                    break
            elif (wl in self.stop and wl not in self.np_words) or wl in self.np_breaks:
                break  # "the former minister", "the police" go on; "the … in", "the … said", "… previously" stop
            elif head is not None and wl.endswith(self.participle_endings) and j + 1 < len(toks) and (
                    toks[j + 1].text.lower() in self.preps):
                break  # "the letter signed by", "the study published in": a participle closes the phrase
            head = j
            j += 1
        if (
            head is not None
            and self.data.get("capitalised_nouns")
            and not any(c.isupper() for k in range(i + 1, head + 1) for c in toks[k].text)
        ):
            return None  # "die anonym bleiben möchte": a relative clause, no noun
        return head

    def _np_mention(self, toks: list[Token], i: int, cue_starts: set[int]) -> tuple[Mention | None, int]:
        """A noun phrase from the determiner at ``i``, with an "of/für/des ORG" complement; and where to go on."""
        text, t = self.text, toks[i]
        head = self._np_head(toks, i, cue_starts)
        if head is None:
            return None, i
        end = toks[head].end
        # "of/for/des ORG" completes a role noun
        k = head + 1
        if k < len(toks) and toks[k].text.lower() in self.preps and self._adjacent(toks[head], toks[k]):
            m = k + 1
            while (
                m < len(toks)
                and (self._adjacent(toks[m - 1], toks[m]) or self._opens_name(toks[m - 1], toks[m]))
                and (
                    toks[m].text[:1].isupper()
                    or toks[m].text.lower() in self.dets
                    or toks[m].text.lower() in ("für", "of", "for")
                )
            ):
                m += 1
            if m > k + 1:
                end = toks[m - 1].end
                if text[end : end + 1] in _NP_MARKS and self._opens_name_in(k, m, toks):
                    end += 1  # "der Journalist von «Abendjournal»": the closing mark too
                return Mention("np", t.start, end, text[t.start : end]), m
        return Mention("np", t.start, end, text[t.start : end]), head + 1

    def _name_mention(self, toks: list[Token], i: int, cue_starts: set[int]) -> tuple[Mention | None, int]:
        """A run of name-like words from ``i``: a known person, a possessed noun ("Russia's foreign ministry"),
        or a name no table knows (kept only where it can be a subject); and where to go on."""
        text, t = self.text, toks[i]
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
            return Mention("np", t.start, toks[k - 1].end, text[t.start : toks[k - 1].end]), k
        if p is not None:
            return Mention("person", t.start, toks[j - 1].end, chunk, p), j
        if self.capitalised and j - i == 1 and self._noun_like(t):
            return None, j
        if (
            self.data.get("capitalised_nouns")
            and j - i == 1
            and i > 0
            and not toks[i - 1].text[:1].isupper()
            and toks[i - 1].start not in cue_starts
            and toks[i - 1].text.lower() not in self.cues
            and not self.ents.org_for(chunk)
        ):
            return None, j  # "auf Anfrage", "mit Blick": a capitalised common noun after a small word
        if (
            j - i > 1
            or not re.search(r"(^|[.!?:;\n]\s*)$", text[max(0, t.start - 4) : t.start])
            or self.ents.org_for(chunk)
            or (j < len(toks) and toks[j].start in cue_starts and self._verb_ends_clause(toks[j]))
        ):
            return Mention("name", t.start, toks[j - 1].end, chunk), j
        return None, j

    def _opens_name(self, a: Token, b: Token) -> bool:
        """A space and an opening mark between two words: a name in marks begins ("von «Abendjournal»")."""
        gap = self.text[a.end : b.start]
        return len(gap) == 2 and gap[0] == " " and gap[1] in _NP_MARKS

    def _opens_name_in(self, k: int, m: int, toks: list[Token]) -> bool:
        return any(self._opens_name(toks[i - 1], toks[i]) for i in range(k + 1, m))

    def _verb_ends_clause(self, verb: Token) -> bool:
        """For "Müller sagte: …" (a lone name before the verb): in German the first place may hold an adverb
        ("Danach sagte die Chefin"), so the verb must end the clause there."""
        if not self.data.get("capitalised_nouns"):
            return True
        return self.text[verb.end : verb.end + 2].lstrip()[:1] in (":", ",")

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
        nested: bool = False,
    ) -> Attribution | None:
        """Attribution found in ``text[lo:hi]`` (the reporter's words before or after a quote); ``nested`` for a
        look back from inside another attribution, which looks back no further."""
        toks = self.ents.word_table.span(lo, hi)
        if not toks:
            return None
        cues = self.find_cues(toks, first_only=post)
        if post and not cues and len(toks) > POST_WORDS_WITHOUT_CUE:
            return None
        ments = self.mentions(toks, [(c.start, c.end) for c in cues])
        # a name inside a title in marks ("After hitting “Takin’ It To the Streets,”") is nobody speaking
        ments = [m for m in ments if m.kind == "np" or not self.ents.inside_quote(m.start)]
        if not cues:
            return None if require_cue or post else self._colon_intro(toks, ments, lo, hi, quote_pos, nested)
        cue = self._main_cue(toks, cues, post, anchor, first_cue)
        impersonal = cue.text.lower() in self.impersonal
        if not ments:
            src = self._impersonal_source(quote_pos, nested) if impersonal else None
            return Attribution(src, None, cue.text, cue.start)
        dist = _Distance(toks, cue)
        before, after, dative, apposed = self._sides(toks, ments, cue, lo, post, dist)
        chosen, apposed, b = self._choose(before, after, dative, apposed, cue, post, dist)
        if chosen is None:
            src = self._impersonal_source(quote_pos, nested) if impersonal else None
            return Attribution(src, None, cue.text, cue.start)
        if chosen is not apposed and dist(chosen) > (NEAR_BEFORE if chosen is b else NEAR_AFTER):
            return Attribution(None, None, cue.text, cue.start)
        if impersonal and self._doc_np(chosen) and not self._has_source(chosen):
            src = self._impersonal_source(quote_pos, nested)  # "hiess es in einem Post": whose post
            if src is not None:
                return Attribution(src, chosen.text, cue.text, chosen.start)
        return self._resolve(chosen, cue, quote_pos, nested)

    def _colon_intro(self, toks: list[Token], ments: list[Mention], lo: int, hi: int, quote_pos: int,
                     nested: bool) -> Attribution | None:
        """A colon introduction without a verb: "Grünen-Trede: «…»", "Dann schickt sie ihm eine Nachricht: «…»"."""
        if not self.text[hi - 3 : hi].rstrip().endswith(":"):
            return None
        named = [m for m in ments if m.kind in ("person", "pron") or (m.kind == "name" and self.ents.org_for(m.text))]
        # in the last clause before the colon, the subject: the first person (else organisation) who is
        # neither governed by a preposition nor an object ("schickt Gezer eine Nachricht an Fichtner:")
        clause = max([lo, *(b.end() for b in _COLON_CLAUSE_BREAK.finditer(self.text, lo, hi))])
        subjects = [m for m in named if m.start >= clause and not self._after_prep(toks, m) and not self._object_np(m)]
        subjects.sort(key=lambda m: (m.kind not in ("person", "pron"), m.start))
        if subjects:
            return self._resolve(subjects[0], None, quote_pos, nested)
        return None

    def _main_cue(self, toks: list[Token], cues: list[Cue], post: bool, anchor: int, first_cue: bool) -> Cue:
        """After a quote the cue nearest to it; before one the last (or first) verb, back over coordinations."""
        if post:
            return min(cues, key=lambda c: abs(c.start - anchor))
        strong = [c for c in cues if c.strong] or cues
        verbs = [c for c in strong if c.text.lower().split() not in self.prefix]
        cue = (min if first_cue else max)(verbs or strong, key=lambda c: c.start)  # a verb before "laut X"
        return self.cuef.coordinated(toks, cues, cue)

    def _sides(self, toks: list[Token], ments: list[Mention], cue: Cue, lo: int, post: bool,
               dist: _Distance) -> tuple[list[Mention], list[Mention], Mention | None, Mention | None]:
        """The mentions that may be the cue's subject before and after it, the dative before it ("dem Bericht
        zufolge"), and a subject set off by commas (an apposition) when there is one."""
        impersonal = cue.text.lower() in self.impersonal
        before = [m for m in ments if m.end <= cue.start and not _CLAUSE_BREAK.search(self.text[m.end : cue.start + 1])]
        after = [m for m in ments if m.start >= cue.end]
        dative = before[-1] if before else None  # "dem Bericht zufolge" keeps its dative
        # neither an object ("den Clip") nor governed by a preposition ("vor der Wahl gesagt") is the subject
        before = [m for m in before if not self._object_np(m) and not self._governed_np(toks, m)]
        if impersonal:  # "heisst es in einem Schreiben an die Bevölkerung"
            after = [m for m in after
                     if not self._after_recipient(toks, m) and (not self._object_np(m) or self._doc_np(m))]
        else:
            after = [m for m in after if not self._object_np(m)]
        prefix = cue.text.lower().split() in self.prefix  # "according to X" names its source after it
        if not post and not prefix and self.data.get("subject_before_verb") and not self._inverted_before(lo, cue):
            after = []  # "UK has called the deal «…»": after the verb stands its object, not its subject
        apposed = None
        first_words = toks[min(2, len(toks) - 1)].start
        if post:  # after a quote, a speaker before the verb stands right after the quote ("„…“, Zverev sagte")
            before = [m for m in before  # "… of X", Dempsey said / , Mr. Powers said
                      if m.start <= first_words or (dist(m) <= 2 and self._comma_before(lo, m.start))]
            head = before[0] if before else None
            gap = self.text[head.end : cue.start] if head is not None else ""
            if head is not None and head.kind in ("person", "name") and head.start <= first_words and (
                gap.lstrip().startswith(",") and gap.rstrip().endswith(",")
            ):
                before = [head]  # "…," Alvarez, a Democrat from New Mexico, said on the floor
                apposed = head
        elif self.data.get("subject_before_verb") and before:
            subj = self._apposed_subject(before, cue, lo)
            if subj is not None:
                before = [subj]
                apposed = subj
        if not post and apposed is None and before and self.cuef.after_conjunction(toks, cue):
            first = [m for m in before if not self._after_prep(toks, m) and not self._object_np(m)]
            if first:
                before = first[:1]  # "X verweist auf Y und fügt an": X is the subject of both verbs
                apposed = before[0]
        if impersonal:
            before = []  # "…, heisst es bei der Stadt": the words before are what was said
        return before, after, dative, apposed

    def _inverted_before(self, lo: int, cue: Cue) -> bool:
        """Whether a cue before a quote opens its clause, so that its subject may follow ("…, says a report",
        "Said the mayor: «…»")."""
        head = self.text[lo : cue.start].rstrip()
        return not head or head.endswith((",", ":", "–", "—")) or bool(_CLAUSE_END.search(head))

    def _choose(self, before: list[Mention], after: list[Mention], dative: Mention | None, apposed: Mention | None,
                cue: Cue, post: bool, dist: _Distance) -> tuple[Mention | None, Mention | None, Mention | None]:
        """The cue's subject among the mentions on either side (by word order and distance); with the apposed
        subject and the nearest one before the cue."""
        b = before[-1] if before else None
        a = after[0] if after else None
        if a is not None and a.kind in ("name", "np") and len(after) > 1 and after[1].kind == "person" and (
            _NAME_PREFIX.fullmatch(self.text[a.end : after[1].start])
        ):
            a = after[1]  # "said Cambridge Police Commissioner Anna Muster": the person heads the phrase
        if b is not None and b.kind not in ("person", "pron"):
            people = [m for m in before if m.kind in ("person", "pron") and dist(m) <= NEAR_BEFORE]
            named = [m for m in before if m.kind == "name" and dist(m) <= NEAR_BEFORE]
            if people:
                b = people[-1]
            elif named and b.kind == "np" and dist(b) > 2:
                b = named[-1]
        prefix = cue.text.lower().split() in self.prefix
        if prefix and cue.text.lower() in self.postpositions:
            chosen = dative  # "dem Bericht zufolge": the source stands before
        elif prefix:
            chosen = a or b
        elif b and a:
            if not post and self.data.get("subject_before_verb"):
                chosen = b  # English: the subject precedes the verb outside the inverted "said X"
            elif not post and self.verb_second:
                if dist(b) == dist(a) == 1 and self.coref.in_pp(b.start):
                    chosen = a  # "Gegenüber SRF ergänzte Süssli"
                else:
                    chosen = b if dist(b) == 1 else a if dist(a) == 1 else (b if dist(b) <= dist(a) else a)
            else:
                chosen = b if dist(b) <= dist(a) else a
        else:
            chosen = b or a
        if apposed is not None and not prefix and b is apposed:
            chosen = apposed
        if chosen is not None and chosen.kind in ("np", "pron") and chosen is a:
            later = [m for m in after if m.kind == "person" and m.start > chosen.start]
            if later and chosen.kind == "np" and "," in self.text[chosen.end : later[0].start]:
                chosen = apposed = later[0]  # "said another witness, former adviser Anna Sample"
        return chosen, apposed, b

    def _governed_np(self, toks: list[Token], m: Mention) -> bool:
        """A noun phrase after a preposition that names no person ("vor der NRW-Wahl"): never a subject."""
        return m.kind in ("np", "name") and self._after_prep(toks, m) and self.ents.person_for(m.text) is None

    def _comma_before(self, lo: int, pos: int) -> bool:
        """The words before ``pos`` end with a comma, a title after it aside (", Mr. Powers said")."""
        before = self.text[lo:pos].rstrip()
        last = WORD.findall(before[-12:])
        if last and last[-1].lower() in self.ents.titles and before.rstrip(".").endswith(last[-1]):
            before = before.rstrip(".")[: -len(last[-1])].rstrip()
        return before.endswith(",")

    def _impersonal_source(self, quote_pos: int, nested: bool = False) -> str | None:
        """Who "heisst es" (with no source of its own) quotes: the source the sentence before names ("Laut einer
        Mitteilung des Bundesamts … «…», heisst es darin"), else the article's organisation."""
        idx = self.sentence_index(quote_pos)
        opens = not WORD.search(self.text[self.bounds[idx - 1] if idx >= 1 else 0 : quote_pos])
        if idx >= 1 and opens and not nested:  # «…», heisst es darin.
            lo, hi = (self.bounds[idx - 2] if idx >= 2 else 0), self.bounds[idx - 1]
            if not self.ents.quoted_between(lo, hi):
                a = self.attribute(lo, hi, post=False, anchor=hi, quote_pos=quote_pos, first_cue=True, nested=True)
                if a is not None and a.speaker and (a.cue or "").lower() not in self.impersonal:
                    return a.speaker
        o = self.ents.salient_org(quote_pos)
        return o.name if o else None

    def _object_np(self, m: Mention) -> bool:
        """German "den Clip", "dem Sprecher": a determiner of the accusative or dative never opens a subject."""
        return m.kind == "np" and m.text.split(" ", 1)[0].lower() in self.obj_dets

    def _after_recipient(self, toks: list[Token], m: Mention) -> bool:
        """The mention follows a preposition of the addressee ("an die Bevölkerung"): not who speaks."""
        k = next((k for k, t in enumerate(toks) if t.start == m.start), 0)
        return k >= 1 and toks[k - 1].text.lower() in self.recipient_preps

    def _has_source(self, m: Mention) -> bool:
        """The noun phrase names whose it is ("einer Mitteilung der Polizei", "a statement from X")."""
        return any(w.lower() in self.preps for w in WORD.findall(m.text)[2:])

    def _doc_np(self, m: Mention) -> bool:
        noun = next((w for w in WORD.findall(m.text)[1:] if w[:1].isupper()), "")
        return bool(noun) and self._is_document(noun.lower())

    def _after_prep(self, toks: list[Token], m: Mention) -> bool:
        k = next((k for k, t in enumerate(toks) if t.start == m.start), 0)
        # the preposition right before, in the same clause ("nimmt zu. Sportchef X": "zu" governs nothing here)
        if k < 1 or self.text[toks[k - 1].end : m.start].strip():
            return False
        return toks[k - 1].text.lower() in self.ents.preps

    def last_speech(self, lo: int, hi: int) -> str | None:
        """The speaker of the last reported-speech sentence in ``text[lo:hi]`` ("…, sagt Kantonschemiker Brunner.")."""
        ends = self.bounds[bisect.bisect_right(self.bounds, lo) : bisect.bisect_right(self.bounds, hi)] or [hi]
        starts = [lo, *ends[:-1]]
        for s, e in reversed(list(zip(starts, ends, strict=True))):
            if self.ents.inside_quote(s) or not self.ents.word_table.span(s, e):
                continue
            a = self.attribute(s, e, post=False, anchor=e, quote_pos=hi, first_cue=True)
            if a is not None and a.speaker and (a.cue or "").lower() not in self.impersonal:
                return a.speaker
            return None  # only the sentence right before counts
        return None

    def topic(self, lo: int, hi: int) -> str | None:
        """The person the reporter's sentences in ``text[lo:hi]`` are about: the first person or personal pronoun
        of the last sentence naming one ("Leserin K. kann es kaum fassen. «…»")."""
        toks = self.ents.word_table.span(lo, hi)
        if sum(not self.ents.inside_quote(t.start) for t in toks) < 3:
            return None
        ments = [
            m
            for m in self.mentions(toks, [])
            if (m.kind in ("person", "pron") or self._role_subject(m)) and not self.ents.inside_quote(m.start)
            and not self._in_brackets(m.start)  # "(etwa bei Rolf Amsel)": an aside, not whom it is about
        ]
        if not ments:
            return None
        last_sent = self.sentence_index(ments[-1].start)
        k, m = next((k, m) for k, m in enumerate(ments) if self.sentence_index(m.start) == last_sent)
        if k + 1 < len(ments) and self._coordinated(m, ments[k + 1]):
            return None  # "A und B reisen mit": a sentence about two people says nothing of who speaks
        if m.kind == "person" and m.person is not None:
            return m.person.name
        if m.kind == "np":
            return self._resolve_np(m, m.start)  # "Der junge Reporter vom Portal «Nau» ist erstaunt. «…»"
        info = self.pronouns.get(m.text.lower(), {})
        if m.kind == "pron" and info.get("gender") in ("m", "f") and info.get("number") != "pl":
            return self._resolve(m, None, m.start).speaker
        return None

    def _in_brackets(self, pos: int) -> bool:
        """Whether ``pos`` stands inside round brackets opened in its own sentence."""
        lo = self.sentence_start(pos, max(0, pos - BRACKET_REACH))
        before = self.text[lo:pos]
        return before.rfind("(") > before.rfind(")")

    def _coordinated(self, a: Mention, b: Mention) -> bool:
        """Two mentions joined by the language's "and" or a list comma, asides in brackets aside ("Anna Muster
        (Verein A), Jan Beispiel (Verein B) und …")."""
        gap = _BRACKETED.sub(" ", self.text[a.end : b.start]).strip().lower()
        return gap in {w.lower() for w in self.data.get("conjunctions", [])[:1]} | {"&", ","}

    def _role_subject(self, m: Mention) -> bool:
        """A definite noun phrase with a role noun that opens its sentence: the one the sentence is about."""
        if m.kind != "np":
            return False
        words = WORD.findall(m.text)
        det = words[0].lower()
        if det not in self.dets or det in self.indef or det in self.obj_dets or det in self.pronouns:
            return False
        if self.text[self.sentence_start(m.start, max(0, m.start - 400)) : m.start].strip():
            return False
        k = next((k for k, w in enumerate(words) if k and w[:1].isupper()), 0)
        if not k or (k + 1 < len(words) and words[k + 1].lower() not in self.ents.preps):
            return False  # the role noun heads the phrase: "The General didn't blink" is a clause
        return self.ents._role_of(words[k].lower()) is not None

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

    def _resolve(self, m: Mention, cue: Cue | None, pos: int, nested: bool = False) -> Attribution:
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
                p = self.coref.group_antecedent(m.start) or ents.salient_org(m.start, window=1200)
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
                    speaker = self._resolve_np(subject, m.start, nested)  # "Der Mann … alarmierte … sagt er"
                elif p is not None:
                    ents.add_mention(m.start, m.end, p)
        elif m.kind == "np":
            speaker = self._resolve_np(m, pos, nested)
        if speaker is not None and not self._well_formed(speaker):
            speaker = None  # "authors of the", "buyers would have": a cut phrase names no one
        return Attribution(speaker, m.text, cue_text, m.start)

    def _well_formed(self, speaker: str) -> bool:
        """A speaker is a noun phrase: it ends in a content word and holds no speech verb."""
        words = [w.lower() for w in WORD.findall(speaker)]
        if not words or any(w in self.cues for w in words):
            return False
        return words[-1] not in self._function_words

    def _org_phrase(self, words: list[Token], pos: int, *, genitive: bool = False) -> str | None:
        """The organisation a "des/of …" phrase names: a known one, the article's company for a generic
        noun ("der Firma", "of the company"), else the words themselves in the nominative ("des Verbands
        Bitkom" → "Verband Bitkom")."""
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
                    names[k] = self._nominative(w)
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

    def _known_org_in(self, words: str) -> str:
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
            any(w.lower().endswith(o) for o in self.org_nouns if len(o) >= 3) for w in words[:-1] if w[:1].isupper()
        )
        if orgish_word and caps and words[-1][:1].isupper():
            return text
        epithet = head_i == len(content) - 1 and self.ents._role_of(content[head_i].text.lower()) is not None
        if not self.capitalised and len(caps) >= 2 and len(caps) == len(words) and not epithet:
            return text  # but "the Conservative MP" is an epithet: a role noun heads it and nothing follows
        return None

    def _nominative(self, word: str) -> str:
        """A German noun in the genitive back in the nominative ("Entwurfs" → "Entwurf", "Amtes" → "Amt"): the
        form the article itself uses when there is one, else the ending cut off."""
        endings = self.data.get("genitive_endings", [])
        keep = tuple(self.data.get("genitive_keep_endings", []))
        if not endings or word.isupper() or len(word) < 4 or (keep and word.endswith(keep)):
            return word
        if self.ents.org_for(word) is not None or self.ents.person_for(word) is not None:
            return word  # a name that ends like a genitive ("Siemens")
        stems = [word[: -len(e)] for e in endings if word.endswith(e) and len(word) - len(e) >= 3]
        seen = self.ents.words()
        for stem in stems:
            if stem in seen:
                return stem
        return stems[0] if stems else word

    def _is_document(self, head: str) -> bool:
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
            spokes=head in self.spokes or any(head.endswith(s) for s in self.spokes if len(s) >= 6),
            org=head in self.org_nouns or any(head.endswith(s) for s in self.org_nouns if len(s) >= 5),
            doc=self._is_document(head),
            proper=not self.capitalised and content[max(0, head_i)].text[:1].isupper(),
        )

    def _resolve_np(self, m: Mention, pos: int, nested: bool = False) -> str | None:
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
            o = next((o for o in reversed(ents.orgs) if " " in o.name and _inflected(o.name.lower().split()[-1], head)),
                     None)
            o = o or next((o for o in ents.orgs if head in o.name.lower().split()[:-1] and " " in o.name), None)
            if o is not None:
                return o.name  # "the commission" after "the Consumer Product Safety Commission"
        if np.rest and (np.spokes or np.doc or (np.org and head in self.generic_orgs and not np.proper)):
            # "ein Sprecher der Firma", "a statement from X", "in der Einleitung des Entwurfs"
            genitive = content[head_i + 1].text.lower() in self.genitive
            return self._org_phrase(content[head_i + 2 :], pos, genitive=genitive)
        if head in self.data.get("document_nouns", []) and det not in self.indef and len(content) == 1:
            author = self._document_author(head, m.start, nested)
            if author:
                return author  # "the Ruritanian army said in a statement … 'the statement said'"
        named = self._named_np(content, head_i, np.org, np.spokes)
        named = self._known_org_in(named) if named is not None else None
        if named is not None:
            return m.text if self.possessive and det.endswith(self.possessive) else named
        if p is not None:
            return p.name
        if np.org and (head not in self.generic_orgs or np.proper):
            return self._known_org_in(" ".join(w.text for w in content))  # "die Kantonspolizei", "the Department …"
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
        the phrase or the compound ("HZB-Sprecherin", "Stadtsprecher"), else the article's organisation."""
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
        o = ents.org_for(words) if all(w.text[:1].isupper() for w in content) else None
        if o is not None:  # "die Credit Suisse", "die Migros"; "der FC Basel" is more than the acronym "FC"
            return words if o.name in words.split() and len(content) > len(o.name.split()) else o.name
        role = head in ents.roles or ents._role_of(head) is not None
        age = self.data.get("age_epithet")
        role = role or bool(age and head.endswith(age))  # "the 25-year-old"
        if not role and len(content) >= 2 and all(w.text[:1].isupper() for w in content):
            return words  # a name with its article: "die Credit Suisse"
        if head in self.data.get("generic_person_nouns", []) or (det in self.indef and role):
            # "der Mann", "the woman", "eine Anwohnerin": someone the article does not name, or names just after
            return self._named_later(m) or words
        # "der Reporter von «Nau»": a role with a named complement describes someone in full, not an epithet
        described = role and bool(np.rest) and any(w.text[:1].isupper() for w in content[head_i + 2 :])
        owned = det in self.data.get("possessive_gender", {})  # "ihre Tochter" is not the "ihr" she belongs to
        # an epithet is a definite phrase about a person ("der Hamburger", "the premier"); a neuter one only with
        # a person noun ("das Mädchen"), never "das Produkt"
        personal = role or (self.capitalised and (self.dets.get(det) in ("m", "f") or self._personish(head)))
        if det not in self.indef and personal and not np.doc and not described and not owned:
            gender = self.dets.get(det)
            g = gender if gender in ("m", "f") else None
            p = self.coref.antecedent(m.start, g)  # an epithet ("der Hamburger") names the current subject
            if p is not None and not (role and self._other_role(p, head)):
                return p.name
            if p is not None and role and not np.proper and not self._introduced_unnamed(head, m.start):
                main = self.coref.main_person(m.start, g)  # "der Familienvater", when the son was named last
                if main is not None and main is not p and not self._other_role(main, head):
                    return main.name
        if not (role or np.org or np.spokes or self._personish(head)):
            if np.rest and any(w.text[:1].isupper() for w in content[head_i + 2 :]):
                return self._org_phrase(content[head_i + 2 :], pos)  # "die Aussage von X": X
            return None  # "ein großer Apparat": a common noun that names no one who could speak
        if np.doc and not role:
            return None  # "the affidavit", whose author the article does not give: no one to name
        return words

    def _personish(self, head: str) -> bool:
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
                    for w in lows[k + 1 : k + 4]:
                        self._indefinite_roles.setdefault(self.ents._role_of(w), t.start)
        return self._indefinite_roles.get(role, pos) < pos

    def _document_author(self, noun: str, pos: int, nested: bool, sentences: int = 3) -> str | None:
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
            if head.endswith(sp) and len(head) - len(sp) >= 3:
                pre = head[: -len(sp)].rstrip("-")
                if pre.endswith(("ungs", "heits", "keits", "schafts", "tions", "täts")):
                    pre = pre[:-1]  # the linking s of "Regierungssprecher"
                return pre
        return None

    def _other_role(self, p: Person, head: str) -> bool:
        """True when ``p`` was introduced with a role unlike ``head`` ("Verteidiger Gerber" is not "der Angeklagte")."""
        head = self.ents._role_of(head) or head
        family = self.kin  # kin and occupation never conflict: "seine Frau Rita" … "die Sängerin"
        kin = (self.ents._role_of(head) or head) in family
        mine = [r for _s, r, q in self.ents.role_bindings if q is p and (r in family) == kin]
        same = {head} | {w for group in self.data.get("role_synonyms", []) if head in group for w in group}
        return bool(mine) and not any(r == h or r.endswith(h) or h.endswith(r) for r in mine for h in same)

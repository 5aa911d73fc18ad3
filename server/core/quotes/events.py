"""Speech events: the speech cue of a quote, the mentions around it and which of them is its subject (verb-second
and verb-final clauses, inverted cues, colon introductions, prefix and postposition sources)."""

from __future__ import annotations

import bisect
import re
from typing import Any

from server.core.quotes.coref import Coreference, Mention
from server.core.quotes.cues import Cue, CueFinder
from server.core.quotes.entities import MARKS_BEFORE, WORD, Entities, Token
from server.core.quotes.resolution import Attribution, Resolver

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
FAR = 99  # the distance of a mention outside the stretch
BRACKET_REACH = 300  # characters back within the sentence where an open bracket makes an aside
MIN_TOPIC_WORDS = 3  # reporter's words a stretch needs before it can say whom it is about
MAX_ABBREVIATION = 3  # the longest abbreviation a full stop may follow inside a name ("Dr.", "St.")
TITLE_CHARS = 12  # characters before a comma searched for a title ("…, Mr. X said")



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
        self.pronouns = ents.lex.mapping("pronouns")
        self.dets = ents.lex.mapping("determiners")
        self.indef = ents.lex.words("indefinite")
        self.org_nouns = ents.lex.words("org_nouns")
        self.preps = ents.lex.words("org_prepositions")
        self.stop = ents.stop
        self.impersonal = ents.lex.words("impersonal_cues")
        self.obj_dets = ents.lex.words("object_determiners")
        self.recipient_preps = ents.lex.words("recipient_prepositions")
        self.postpositions = ents.lex.words("postposition_cues")
        self.bounds = self.cuef.bounds
        self.np_words = ents.lex.words("noun_phrase_words")
        self.name_preps = ents.lex.words("name_prepositions")  # "Bundesamt für …", "Bank of …"
        self.np_breaks = ents.lex.words("noun_phrase_breaks")
        self.participle_endings = tuple(data.get("participle_endings", [])) or ("\0",)
        self.coref = Coreference(text, data, ents, self.cuef, self.mentions, self._adjacent)
        self.res = Resolver(text, data, ents, self.cuef, self.coref, self.attribute)

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
                    or toks[m].text.lower() in self.name_preps
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
            or not re.search(r"(^|[.!?:;\n]\s*)$", text[max(0, t.start - MARKS_BEFORE) : t.start])
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
        return gap == " " or (allow_dot and gap == ". " and len(a.text) <= MAX_ABBREVIATION)

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
        # a name inside a title in marks ("After hitting “Walking Down the Avenue,”") is nobody speaking
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
        return self.res.resolve(chosen, cue, quote_pos, nested)

    def _colon_intro(self, toks: list[Token], ments: list[Mention], lo: int, hi: int, quote_pos: int,
                     nested: bool) -> Attribution | None:
        """A colon introduction without a verb: "Grünen-Hofer: «…»", "Dann schickt sie ihm eine Nachricht: «…»"."""
        if not self.text[hi - MARKS_BEFORE + 1 : hi].rstrip().endswith(":"):
            return None
        named = [m for m in ments if m.kind in ("person", "pron") or (m.kind == "name" and self.ents.org_for(m.text))]
        # in the last clause before the colon, the subject: the first person (else organisation) who is
        # neither governed by a preposition nor an object ("schickt Lenz eine Nachricht an Brandl:")
        clause = max([lo, *(b.end() for b in _COLON_CLAUSE_BREAK.finditer(self.text, lo, hi))])
        subjects = [m for m in named if m.start >= clause and not self._after_prep(toks, m) and not self._object_np(m)]
        subjects.sort(key=lambda m: (m.kind not in ("person", "pron"), m.start))
        if subjects:
            return self.res.resolve(subjects[0], None, quote_pos, nested)
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
        if post:  # after a quote, a speaker before the verb stands right after the quote ("„…“, Novak sagte")
            before = [m for m in before  # "… of X", Harlow said / , Mr. Pell said
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
        """The words before ``pos`` end with a comma, a title after it aside (", Mr. Pell said")."""
        before = self.text[lo:pos].rstrip()
        last = WORD.findall(before[-TITLE_CHARS:])
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
        return bool(noun) and self.res.is_document(noun.lower())

    def _after_prep(self, toks: list[Token], m: Mention) -> bool:
        k = next((k for k, t in enumerate(toks) if t.start == m.start), 0)
        # the preposition right before, in the same clause ("nimmt zu. Sportchef X": "zu" governs nothing here)
        if k < 1 or self.text[toks[k - 1].end : m.start].strip():
            return False
        return toks[k - 1].text.lower() in self.ents.preps

    def last_speech(self, lo: int, hi: int) -> str | None:
        """The speaker of the last reported-speech sentence in ``text[lo:hi]`` ("…, sagt Kantonschemiker Tanner.")."""
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
        if sum(not self.ents.inside_quote(t.start) for t in toks) < MIN_TOPIC_WORDS:
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
            return self.res.resolve_np(m, m.start)  # "Der junge Reporter vom Portal «Nau» ist erstaunt. «…»"
        info = self.pronouns.get(m.text.lower(), {})
        if m.kind == "pron" and info.get("gender") in ("m", "f") and info.get("number") != "pl":
            return self.res.resolve(m, None, m.start).speaker
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
        if self.text[self.sentence_start(m.start, max(0, m.start - BRACKET_REACH)) : m.start].strip():
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

"""Speech cues and sentence limits in the reporter's words: the verbs, phrases and particles that mark speech."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from server.core.quotes.entities import Entities, Token
from server.core.text.sentences import SENTENCE_END

PARTICLE_REACH = 25  # words after a separable verb within which its particle closes the clause ("legte … nach")
MARKS_BEFORE = 6  # characters before a word searched for a sentence end, marks and spaces aside

@dataclass(slots=True)
class Cue:
    start: int
    end: int
    text: str
    strong: bool = True


def _by_first(phrases: list[list[str]]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for ph in phrases:
        if ph:
            out.setdefault(ph[0], []).append(ph)
    return out


class CueFinder:
    """Finds speech cues in token runs, and the sentence limits of ``text``, for one article."""

    def __init__(self, text: str, data: dict[str, Any], ents: Entities, sentences: list[tuple[int, int]]):
        self.text, self.data, self.ents = text, data, ents
        self.pronouns = ents.lex.mapping("pronouns")
        self.dets = ents.lex.mapping("determiners")
        self.cues = ents.lex.words("cues")
        self.weak = ents.lex.words("weak_cues")
        self.phrases = [p.lower().split() for p in data.get("phrase_cues", [])]
        self.prefix = [p.lower().split() for p in data.get("prefix_cues", [])]
        self.post_only = ents.lex.words("post_only_cues")
        self.non_cue = [p.lower().split() for p in data.get("non_cue_phrases", [])]
        self.separable = [
            ({f.lower() for f in s["forms"]}, s["particle"].lower().split()) for s in data.get("separable", [])
        ]
        # a separable verb is one word at a clause's end ("wie er mitteilte", "dass sie hinzufügte")
        self.cues |= {particle[0] + f for forms, particle in self.separable if len(particle) == 1 for f in forms}
        self.possessive = tuple(data.get("possessive_suffix", []))
        self.poss_dets = ents.lex.words("possessive_determiners")
        self.base_after = ents.lex.words("base_form_after")
        self.third_person = tuple(data.get("third_person_endings", [])) or ("\0",)  # "says", "stresses"
        self.inflected_endings = tuple(data.get("inflected_verb_endings", [])) or ("\0",)  # not a bare form
        self.conj = ents.lex.words("conjunctions")
        self._phrase_index = _by_first(self.phrases + self.prefix)
        self._non_cue_index = _by_first(self.non_cue)
        self._separable_index: dict[str, list[list[str]]] = {}
        for forms, particle in self.separable:
            for f in forms:
                self._separable_index.setdefault(f, []).append(particle)
        # the core's sentences (one splitter per digest): where each one that ends with a terminator ends
        found = [(e - len(m.group()), e) for _s, e in sentences if (m := SENTENCE_END.search(text, _s, e))]
        self._end_starts = [a for a, _e in found]  # where each sentence's final terminator starts
        self._end_ends = [e for _a, e in found]
        self.bounds = [e for _s, e in sentences]

    def sentence_end(self, pos: int, hi: int) -> int:
        """The end of the first real sentence end in ``text[pos:hi]``, else ``hi``."""
        starts, ends = self._end_starts, self._end_ends
        k = bisect.bisect_left(starts, pos)
        if k < len(starts) and ends[k] <= hi:
            return ends[k]
        return hi

    def sentence_start(self, pos: int, lo: int) -> int:
        """The end of the last real sentence end in ``text[lo:pos]``, else ``lo``."""
        starts, ends = self._end_starts, self._end_ends
        k = bisect.bisect_right(ends, pos) - 1
        return ends[k] if k >= 0 and starts[k] >= lo else lo

    def sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self.bounds, pos)

    def find_cues(self, toks: list[Token], *, first_only: bool = False) -> list[Cue]:
        low = [t.text.lower() for t in toks]
        out: list[Cue] = []
        i = 0
        skip: set[int] = set()
        for k, w in enumerate(low):
            for ph in self._non_cue_index.get(w, ()):
                if low[k : k + len(ph)] == ph:
                    skip.update(range(k, k + len(ph)))
        while i < len(toks):
            hit = None
            if i in skip or (toks[i].text[:1].isupper() and not self._sentence_initial(toks[i].start)):
                i += 1  # cue words are lower-case inside a sentence: "Secretary of State", "United States"
                continue
            for ph in self._phrase_index.get(low[i], ()):
                if low[i : i + len(ph)] == ph:
                    hit = Cue(toks[i].start, toks[i + len(ph) - 1].end, " ".join(t.text for t in toks[i : i + len(ph)]))
                    break
            if hit is None:
                for particle in self._separable_index.get(low[i], ()):
                    for k in range(i + 1, min(len(toks), i + PARTICLE_REACH)):
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
        if prev in self.data.get("infinitive_markers", []):
            return True  # "Alternativen zu finden": an infinitive is no speech event
        if (prev in self.dets and prev not in self.pronouns) or prev in self.poss_dets:
            return True
        if self.base_after and self._base_form(low[i]) and prev not in self.base_after and not prev.endswith(
                self.third_person):
            return True  # "an independent state", "a strong claim": a bare verb needs a subject that takes it
        if self.possessive and prev.endswith(self.possessive):
            return True
        return bool(found) and found[-1].end == toks[i - 1].end and not self.data.get("verb_second")

    def _base_form(self, w: str) -> bool:
        """A cue verb in its bare form ("say", "state"), whose third person ("says") is a cue too."""
        return not w.endswith(self.inflected_endings) and any(w + e in self.cues for e in self.third_person)

    def _sentence_initial(self, pos: int) -> bool:
        before = self.text[max(0, pos - MARKS_BEFORE) : pos]
        return pos == 0 or bool(re.search(r"(^|[.!?:\n])[\s«»„“”\"'‚‘’(–—-]*$", before))

    def _clause_gap(self, a: Token, b: Token) -> bool:
        return bool(re.search(r"[,.;:!?]", self.text[a.end : b.start]))

    def coordinated(self, toks: list[Token], cues: list[Cue], cue: Cue) -> Cue:
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

    def after_conjunction(self, toks: list[Token], cue: Cue) -> bool:
        k = next(k for k, t in enumerate(toks) if t.start == cue.start)
        return (k >= 1 and toks[k - 1].text.lower() in self.conj) or (k >= 2 and toks[k - 2].text.lower() in self.conj)

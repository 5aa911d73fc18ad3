"""Direct quotations and who said them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from server.core import langdata
from server.core.digest import Quote
from server.core.quotes.candidates import (
    FULL_END,
    Candidate,
    Tables,
    Where,
    candidate,
    classify,
    is_heading,
    merge_split,
    name_in_marks,
    neighbours,
    paragraphs,
    words,
)
from server.core.quotes.entities import Entities
from server.core.quotes.events import Attributor
from server.core.quotes.marks import find_marked
from server.core.quotes.resolution import Attribution

CUE_WORDS = 5  # words after "So …"/"Mit diesen Worten …" within which the speech verb stands
SHARED_WORD_CHARS = 4  # words this long shared with a body quote tie a heading quote to it
OPENER_CHARS = 60  # characters of a sentence searched for its opening words

def find_quotes(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None) -> list[Quote]:
    """Every direct quotation in ``text``, in reading order, with its speaker."""
    try:
        return _find_quotes(text, sentences, lang)
    except RecursionError:  # pragma: no cover - defensive: quotes must never break a digest
        return []


@dataclass(slots=True)
class _Discourse:
    """Who spoke last, and where: what a quote with no attribution of its own continues."""

    speaker: str | None = None
    pos: int = -1


def _find_quotes(text: str, sentences: list[tuple[int, int]], lang: str | None) -> list[Quote]:
    data = langdata.load(lang, "quotes") if lang else {}
    marked = find_marked(text)
    if not marked:
        return []
    ents = Entities(text, data)
    ents.quoted = sorted((s, e) for m in marked for s, e in m.spans)
    att = Attributor(text, lang, data, ents, sentences)
    paras = paragraphs(text)
    lows = {key: {w.lower() for w in data.get(key, [])} for key in ("title_context", "indirect_markers", "pronouns")}
    a = Tables(text, data, ents, att, paras, [s for s, _e in paras], lows["title_context"],
                 lows["indirect_markers"], lows["pronouns"], bool(data.get("capitalised_nouns")))
    cands = merge_split([candidate(m, paras, a.para_starts) for m in marked], text, att)
    in_marks = [name_in_marks(text, x) for x in cands]
    prev_afters, next_opens, first_afters = neighbours(cands, in_marks)
    out: list[Quote] = []
    headings: list[int] = []
    said_last = _Discourse()
    for k, c in enumerate(cands):
        qtext = " … ".join(text[s:e] for s, e in c.spans)
        if not words(qtext) or qtext[:1] in ",;)]":
            continue  # nothing said, or marks paired across the reporter's words (», hat in Bern … der«)
        w = _where(a, c, qtext, prev_afters[k], next_opens[k], first_afters[k])
        attribution = _attribution(a, c, w)
        kept = classify(a, c, w, attribution, said_last.speaker, said_last.pos)
        if kept is None:
            continue  # a title, a term or a scare quote
        partial, attribution = kept
        speaker, mention, cue, heading, evidence = _speaker(a, c, w, attribution, partial, said_last)
        if heading:
            headings.append(len(out))
        out.extend(_emit(a, c, attribution, partial, speaker, mention, cue, "heading" if heading else evidence))
    for k in headings:
        out[k].speaker = _heading_speaker(out, k, ents.stop)
    for q in out:
        q.speaker_type = ents.speaker_type(q.speaker)
    return out


def _where(a: Tables, c: Candidate, qtext: str, prev_after: int | None, next_open: int | None,
           first_after: int | None) -> Where:
    """The reporter's words around candidate ``c``, limited by its neighbours and its sentence."""
    text, att = a.text, a.att
    ps, pe = c.para
    prev = prev_after if prev_after is not None else ps
    nxt = next_open if next_open is not None else pe
    if c.first_para != c.para:
        prev = first_after if first_after is not None else c.first_para[0]
    sent_lo = max(prev, att.sentence_start(c.open_pos, c.first_para[0]))
    pre = (sent_lo, c.open_pos)
    ends_sentence = bool(FULL_END.search(text[c.spans[-1][0] : c.spans[-1][1]]))
    post_hi = min(nxt, att.sentence_end(c.after, pe))
    post_text = text[c.after : post_hi]
    if (
        ends_sentence
        and re.match(r"\s*[A-ZÄÖÜ]", post_text)
        and not re.match(r"\s*[A-ZÄÖÜ]\w*\s+\w+[,.]?\s*$", post_text)
    ):
        post_hi = c.after  # the quote closed its own sentence
    pre_words = words(text[pre[0] : pre[1]])
    intro = not pre_words or text[pre[0] : pre[1]].rstrip().endswith(":")
    return Where(qtext, ps, pe, prev, sent_lo, pre, post_hi, ends_sentence, pre_words, intro, len(words(qtext)))


def _attribution(a: Tables, c: Candidate, w: Where) -> Attribution | None:
    """The attribution of a candidate: inside a split quote, after it, before it (an embedding verb wins over an
    inverted one only when it names a speaker), a colon introduction, or the next sentence pointing back."""
    text, att = a.text, a.att
    attribution = None
    if c.middle is not None:
        attribution = att.attribute(c.middle[0], c.middle[1], post=True, anchor=c.middle[0], quote_pos=c.open_pos)
    if attribution is None and w.post_hi > c.after:
        attribution = att.attribute(c.after, w.post_hi, post=True, anchor=c.after, quote_pos=c.open_pos)
    pre = w.pre
    if (
        c.middle is None
        and not c.orphan
        and w.pre_words
        and not w.intro
        and (attribution is None or not _inverted(text, c.after, w.post_hi, attribution)
             or _reported_source(a, attribution))
    ):
        pre_att = att.attribute(pre[0], pre[1], post=False, anchor=pre[1], quote_pos=c.open_pos)
        if pre_att is not None and pre_att.speaker is not None:
            attribution = pre_att  # embedded: the speech verb before the quote governs it
    if attribution is None and not c.orphan and pre[1] > pre[0]:
        attribution = att.attribute(pre[0], pre[1], post=False, anchor=pre[1], quote_pos=c.open_pos, require_cue=False)
    if attribution is None and w.ends_sentence and c.middle is None and not c.orphan:
        attribution = _named_after(text, c, att, a.data.get("back_reference_openers", []), w.pe)
    return attribution


def _reported_source(a: Tables, attribution: Attribution) -> bool:
    """"…», according to the Daily Sample": a source the reporter cites, which yields to a speaker of the sentence's
    own speech verb ("X called it «…», according to Y": X said it)."""
    cue = (attribution.cue or "").lower().split()
    return bool(cue) and cue in a.att.prefix and a.ents.speaker_type(attribution.speaker) != "person"


def _speaker(a: Tables, c: Candidate, w: Where, attribution: Attribution | None, partial: bool,
             said_last: _Discourse) -> tuple[str | None, str | None, str | None, bool, str | None]:
    """Speaker, mention, cue, whether the candidate is a heading (its speaker is decided at the end), and the
    evidence the speaker rests on (see ``confidence``)."""
    text, att = a.text, a.att
    speaker = mention = cue = evidence = None
    if attribution is not None:
        speaker, mention, cue = attribution.speaker, attribution.mention, attribution.cue
        evidence = ("cue" if cue else "intro") if speaker else None
    since = att.sentence_end(w.prev_after, w.pe) if w.prev_after > c.first_para[0] else c.first_para[0]
    if speaker is None and mention is None and cue is None and w.sent_lo > since:
        # reported speech just before, since the last quote's sentence: "…, sagt Tanner. Bekannt sei, dass «…»"
        speaker = att.last_speech(since, w.sent_lo)
        evidence = "reported" if speaker else None
    if attribution is None and not partial and speaker is None:
        # the reporter's sentences since the last quote's own sentence (its attribution is no topic: "«A», sagt
        # X im Auftrag von Y. «B»" goes on with X)
        speaker = att.topic(max(since, c.first_para[0]), c.open_pos)
        evidence = "topic" if speaker else None
        if speaker is None and not words(text[c.first_para[0] : c.open_pos]):  # the quote opens its paragraph
            speaker = _previous_paragraph_speaker(text, a.paras, c, att)
            evidence = "paragraph" if speaker else None
    heading = attribution is None and is_heading(text, c)
    if not heading and speaker is None and (mention is None or mention.lower() in a.pronouns):
        last = said_last.speaker
        speaker = last if _gender_fits(mention, last, a.data, a.ents) else None
        evidence = ("carry-pronoun" if mention else "carry") if speaker else None
    if speaker is not None and not heading:
        said_last.speaker, said_last.pos = speaker, c.after
    return speaker, mention, cue, heading, evidence


def _emit(a: Tables, c: Candidate, attribution: Attribution | None, partial: bool, speaker: str | None,
          mention: str | None, cue: str | None, evidence: str | None) -> list[Quote]:
    """The candidate's quotes: one per paragraph it runs over; its own mention and cue go with the part next to
    its attribution."""
    parts = _by_paragraph(_trim_commas(a.text, c.spans), a.para_starts)
    after = attribution is not None and attribution.pos >= c.after  # "…" she said: the last part has the cue
    out = []
    for i, spans in enumerate(parts):
        own = i == (len(parts) - 1 if after else 0)
        out.append(Quote(text=" … ".join(a.text[s:e] for s, e in spans), spans=spans, speaker=speaker,
                         speaker_mention=mention if own else None, cue=cue if own else None, partial=partial,
                         evidence=evidence))
    return out


def _by_paragraph(spans: list[tuple[int, int]], para_starts: list[int]) -> list[list[tuple[int, int]]]:
    """A quote running over several paragraphs (each opening with a mark) is one quote per paragraph, all with
    the same speaker: the paragraphs are the units a reader sees, and a page quotes them one by one."""
    parts: list[list[tuple[int, int]]] = []
    last = None
    for s, e in spans:
        k = bisect.bisect_right(para_starts, s)
        if k != last:
            parts.append([])
            last = k
        parts[-1].append((s, e))
    return parts


def _gender_fits(mention: str | None, name: str | None, data: dict, ents: Entities) -> bool:
    """A "sie"/"he" left unresolved may continue the last speaker only if that speaker's gender allows it."""
    g = data.get("pronouns", {}).get((mention or "").lower(), {}).get("gender")
    if g not in ("m", "f") or not name:
        return True
    p = ents.person_for(name)
    return p is None or p.gender in (None, g)


def _heading_speaker(out: list[Quote], k: int, stop: set[str]) -> str | None:
    """A heading quote belongs to the body quote sharing its words, else to the next quote with a speaker."""
    shared = {w.lower() for w in words(out[k].text) if len(w) >= SHARED_WORD_CHARS and w.lower() not in stop}
    later = [q for q in out[k + 1 :] if q.speaker]
    for q in later + [q for q in out[:k] if q.speaker]:
        if shared & {w.lower() for w in words(q.text)}:
            return q.speaker
    return later[0].speaker if later else None


def _previous_paragraph_speaker(text: str, paras: list[tuple[int, int]], c: Candidate, att: Attributor) -> str | None:
    """A quote opening a paragraph, after a paragraph of reported speech ("Halloran said it was …"), continues
    that speech: the speaker of the cue in the previous paragraph's last sentence, when it holds no quote."""
    k = bisect.bisect_left(paras, c.first_para)
    k = k if k < len(paras) and paras[k] == c.first_para else -1
    if k <= 0:
        return None
    ps, pe = paras[k - 1]
    if find_marked(text[ps:pe]):
        return None
    lo = att.sentence_start(pe - 1, ps)
    a = att.attribute(lo, pe, post=False, anchor=pe, quote_pos=c.open_pos, first_cue=True)
    if a is not None and a.speaker:
        return a.speaker
    return att.topic(ps, pe)  # no speech there: the person that paragraph is about


def _named_after(text: str, c: Candidate, att: Attributor, openers: list[str], pe: int) -> Attribution | None:
    """«…» So kommentierte Trainer Marco Rossi den Sieg. / «…» Mit diesen Worten reagierte Anna Muster …: the next
    sentence points back at the quote and names who said it, with a speech verb close to its opening words."""
    lo = c.after + len(text[c.after : pe]) - len(text[c.after : pe].lstrip())
    head = [w.lower() for w in words(text[lo : lo + OPENER_CHARS])]
    opener = next((o.split() for o in openers if head[: len(o.split())] == o.split()), None)
    if opener is None or lo >= pe:
        return None
    hi = att.sentence_end(lo, pe)
    if att.ents.quoted_between(lo, hi):
        return None
    toks = att.ents.word_table.span(lo, hi)
    if len(toks) <= len(opener):
        return None
    cues = att.find_cues(toks[len(opener) :][:CUE_WORDS])
    if not cues:
        return None  # "«…» So weit, so gut."
    start = toks[len(opener)].start  # after the opening words ("Das sagte X": "das" is no article here)
    a = att.attribute(start, hi, post=False, anchor=hi, quote_pos=c.open_pos, first_cue=True)
    return a if a is not None and a.speaker and a.cue else None


def _inverted(text: str, lo: int, hi: int, a: Attribution) -> bool:
    """True when the cue after a quote opens its own clause (", said X", "– sagte X", right after the mark)."""
    if a.cue is None:
        return False
    k = text.find(a.cue.split()[0], lo, hi)
    if k < 0:
        return False
    gap = text[lo:k]
    return not gap.strip() or gap.rstrip().endswith((",", "–", "—", "-"))


def _trim_commas(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans without the comma that English style puts inside the marks ("We will win," she said)."""
    out = []
    for s, e in spans:
        while e > s + 1 and text[e - 1] in ", \t\n":
            e -= 1
        out.append((s, e))
    return out



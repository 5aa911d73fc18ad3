"""Direct quotations and who said them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from server.core import langdata
from server.core.digest import Quote
from server.core.quotes.entities import WORD, Entities, Token, WordTable
from server.core.quotes.events import Attributor
from server.core.quotes.marks import Marked, find_marked
from server.core.quotes.resolution import Attribution

_FULL_END = re.compile(r"[.!?…]['’‘]?$")
MAX_MIDDLE_WORDS = 10
INDIRECT_REACH = 1500  # characters after the last attributed quote within which reported speech continues it
LONG_FRAGMENT_WORDS = 8  # a fragment this long in marks, after someone spoke, is their words, not a term


@dataclass(slots=True)
class _Cand:
    spans: list[tuple[int, int]]
    open_pos: int
    after: int
    orphan: bool = False
    closed: bool = True
    attribution: Attribution | None = None
    partial: bool = False
    middle: tuple[int, int] | None = None
    para: tuple[int, int] = (0, 0)
    first_para: tuple[int, int] = (0, 0)
    drops: list[str] = field(default_factory=list)


def _paragraph_of(paras: list[tuple[int, int]], pos: int, starts: list[int] | None = None) -> tuple[int, int]:
    """The paragraph holding ``pos`` (or ending right at it); ``starts`` are the paragraphs' starts (bisected)."""
    k = bisect.bisect_right(starts if starts is not None else [s for s, _e in paras], pos) - 1
    if k >= 0 and paras[k][0] <= pos <= paras[k][1]:
        return paras[k]
    return 0, 0


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _words(s: str) -> list[str]:
    return WORD.findall(s)


@langdata.cached
def _title_small_words() -> frozenset[str]:
    """Words a title keeps in lower case, of every language with quote data (titles cross languages)."""
    return frozenset(w.lower() for code in langdata.languages("quotes")
                     for w in langdata.load(code, "quotes").get("title_small_words", []))


def _title_like(s: str) -> bool:
    """A short run of capitalised words, small words aside: the shape of a title ("Die lange Nacht")."""
    ws = [w for w in _words(s) if any(c.isalpha() for c in w)]
    if not ws or len(ws) > 7:
        return False
    small = _title_small_words()
    content = [w for w in ws if w.lower() not in small]
    named = [w for w in content if not any(c.isdigit() for c in w)]  # "7-X", "B52": numbers go with names
    return bool(named) and all(w[:1].isupper() for w in named) and ws[0][:1].isupper()


def find_quotes(text: str, sentences: list[tuple[int, int]], *, lang: str | None = None) -> list[Quote]:
    """Every direct quotation in ``text``, in reading order, with its speaker."""
    try:
        return _find_quotes(text, sentences, lang)
    except RecursionError:  # pragma: no cover - defensive: quotes must never break a digest
        return []


@dataclass(slots=True)
class _Article:
    """One article's tables, built once and passed down to every step of every quote."""

    text: str
    data: dict
    ents: Entities
    att: Attributor
    paras: list[tuple[int, int]]
    para_starts: list[int]
    title_ctx: set[str]
    indirect: set[str]
    pronouns: set[str]
    capitalised_nouns: bool


@dataclass(slots=True)
class _Where:
    """A candidate's surroundings in the reporter's words: its sentence before (``pre``) and after the quote."""

    qtext: str
    ps: int
    pe: int
    prev_after: int
    sent_lo: int
    pre: tuple[int, int]
    post_hi: int
    ends_sentence: bool
    pre_words: list[str]
    intro: bool
    n_words: int


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
    paras = _paragraphs(text)
    lows = {key: {w.lower() for w in data.get(key, [])} for key in ("title_context", "indirect_markers", "pronouns")}
    a = _Article(text, data, ents, att, paras, [s for s, _e in paras], lows["title_context"],
                 lows["indirect_markers"], lows["pronouns"], bool(data.get("capitalised_nouns")))
    cands = _merge_split([_cand(m, paras, a.para_starts) for m in marked], text, att)
    in_marks = [_name_in_marks(text, x) for x in cands]
    prev_afters, next_opens, first_afters = _neighbours(cands, in_marks)
    out: list[Quote] = []
    headings: list[int] = []
    said_last = _Discourse()
    for k, c in enumerate(cands):
        qtext = " … ".join(text[s:e] for s, e in c.spans)
        if not _words(qtext) or qtext[:1] in ",;)]":
            continue  # nothing said, or marks paired across the reporter's words (», hat in Bern … der«)
        w = _where(a, c, qtext, prev_afters[k], next_opens[k], first_afters[k])
        attribution = _attribution(a, c, w)
        kept = _shape(a, c, w, attribution, said_last)
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


def _where(a: _Article, c: _Cand, qtext: str, prev_after: int | None, next_open: int | None,
           first_after: int | None) -> _Where:
    """The reporter's words around candidate ``c``, limited by its neighbours and its sentence."""
    text, att = a.text, a.att
    ps, pe = c.para
    prev = prev_after if prev_after is not None else ps
    nxt = next_open if next_open is not None else pe
    if c.first_para != c.para:
        prev = first_after if first_after is not None else c.first_para[0]
    sent_lo = max(prev, att.sentence_start(c.open_pos, c.first_para[0]))
    pre = (sent_lo, c.open_pos)
    ends_sentence = bool(_FULL_END.search(text[c.spans[-1][0] : c.spans[-1][1]]))
    post_hi = min(nxt, att.sentence_end(c.after, pe))
    post_text = text[c.after : post_hi]
    if (
        ends_sentence
        and re.match(r"\s*[A-ZÄÖÜ]", post_text)
        and not re.match(r"\s*[A-ZÄÖÜ]\w*\s+\w+[,.]?\s*$", post_text)
    ):
        post_hi = c.after  # the quote closed its own sentence
    pre_words = _words(text[pre[0] : pre[1]])
    intro = not pre_words or text[pre[0] : pre[1]].rstrip().endswith(":")
    return _Where(qtext, ps, pe, prev, sent_lo, pre, post_hi, ends_sentence, pre_words, intro, len(_words(qtext)))


def _attribution(a: _Article, c: _Cand, w: _Where) -> Attribution | None:
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
        and (attribution is None or not _inverted(text, c.after, w.post_hi, attribution))
    ):
        pre_att = att.attribute(pre[0], pre[1], post=False, anchor=pre[1], quote_pos=c.open_pos)
        if pre_att is not None and pre_att.speaker is not None:
            attribution = pre_att  # embedded: the speech verb before the quote governs it
    if attribution is None and not c.orphan and pre[1] > pre[0]:
        attribution = att.attribute(pre[0], pre[1], post=False, anchor=pre[1], quote_pos=c.open_pos, require_cue=False)
    if attribution is None and w.ends_sentence and c.middle is None and not c.orphan:
        attribution = _named_after(text, c, att, a.data.get("back_reference_openers", []), w.pe)
    return attribution


def _shape(a: _Article, c: _Cand, w: _Where, attribution: Attribution | None,
           said_last: _Discourse) -> tuple[bool, Attribution | None] | None:
    """Whether the candidate is a quote (None: a title, term or scare quote), whether it is partial, and its
    attribution (an empty one for a fragment of reported speech with no cue of its own)."""
    text, att, qtext = a.text, a.att, w.qtext
    pre, post_hi = w.pre, w.post_hi
    post_words = _words(text[c.after : post_hi])
    embedded = bool(w.pre_words) and not w.intro and not _intro_clause(text, pre, att)
    if not embedded and post_words and attribution is None:
        embedded = not w.ends_sentence and not text[c.after : post_hi].lstrip().startswith((",", "–", "—", "-"))
    closes_clause = (
        not w.pre_words
        and attribution is not None
        and (bool(re.search(r"[,!?]$", qtext)) or text[c.after : post_hi].lstrip().startswith(","))
    )
    partial = embedded or (w.n_words <= 3 and not w.ends_sentence and not closes_clause)
    prev_word = w.pre_words[-1].lower() if w.pre_words else ""
    said = closes_clause and attribution is not None and attribution.cue is not None
    # German capitalises nouns: "mit «Tabletten und Pulver», sagte X" is a fragment X said, not a title
    said = said or (a.capitalised_nouns and _lower_inside(qtext) and attribution is not None
                    and attribution.cue is not None and attribution.speaker is not None)
    if _title_like(qtext) and (w.n_words <= 7 and not w.ends_sentence) and not (said and a.capitalised_nouns):
        return None  # a title; but German capitalises nouns: "«Ein Durchbruch», findet er" is said
    if (partial and prev_word in a.title_ctx) or (c.orphan and (attribution is None or attribution.cue is None)):
        return None
    if partial and attribution is None and _is_heading(text, c, labelled=True):
        return partial, attribution  # «Es war die Hölle»: Anna über ihren Albtraum — a heading quoting the body
    if partial and (attribution is None or attribution.cue is None):
        sent_words = {x.lower() for x in _words(text[pre[0] : pre[1]] + " " + text[c.after : post_hi])}
        # a cue anywhere in the reporter's words of the sentence, also before an earlier quote in it ("X warned
        # that … «A» … as it is «B»")
        sent_start = att.sentence_start(c.open_pos, c.first_para[0])
        reporter = [t for t in _outside_tokens(a.ents.word_table, sent_start, post_hi, c.spans)
                    if not a.ents.inside_quote(t.start)]
        cue_in_sentence = att.find_cues(reporter)
        recent = said_last.speaker is not None and c.open_pos - said_last.pos < INDIRECT_REACH
        if not (
            (attribution is None and cue_in_sentence)
            or (sent_words & a.indirect and recent)
            or (w.n_words >= LONG_FRAGMENT_WORDS and said_last.speaker is not None)
        ):
            return None  # a scare quote or a term
        attribution = Attribution(None, None, None, c.open_pos)
    return partial, attribution


def _speaker(a: _Article, c: _Cand, w: _Where, attribution: Attribution | None, partial: bool,
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
        # reported speech just before, since the last quote's sentence: "…, sagt Brunner. Bekannt sei, dass «…»"
        speaker = att.last_speech(since, w.sent_lo)
        evidence = "reported" if speaker else None
    if attribution is None and not partial and speaker is None:
        # the reporter's sentences since the last quote's own sentence (its attribution is no topic: "«A», sagt
        # X im Auftrag von Y. «B»" goes on with X)
        speaker = att.topic(max(since, c.first_para[0]), c.open_pos)
        evidence = "topic" if speaker else None
        if speaker is None and not _words(text[c.first_para[0] : c.open_pos]):  # the quote opens its paragraph
            speaker = _previous_paragraph_speaker(text, a.paras, c, att)
            evidence = "paragraph" if speaker else None
    heading = attribution is None and _is_heading(text, c)
    if not heading and speaker is None and (mention is None or mention.lower() in a.pronouns):
        last = said_last.speaker
        speaker = last if _gender_fits(mention, last, a.data, a.ents) else None
        evidence = ("carry-pronoun" if mention else "carry") if speaker else None
    if speaker is not None and not heading:
        said_last.speaker, said_last.pos = speaker, c.after
    return speaker, mention, cue, heading, evidence


def _emit(a: _Article, c: _Cand, attribution: Attribution | None, partial: bool, speaker: str | None,
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


def _lower_inside(s: str) -> bool:
    """A lower-case word inside (a conjunction, a verb): more than a string of names."""
    return any(w[:1].islower() for w in _words(s)[1:])


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


def _neighbours(cands: list[_Cand], in_marks: list[bool]) -> tuple[list, list, list]:
    """Per candidate, in one pass each way: the latest end of an earlier quote of its paragraph, the first opening
    of a later one (names in marks left out), and the latest end of any earlier quote in its first paragraph."""
    prev: list[int | None] = []
    first: list[int | None] = []
    last_end: dict[tuple[int, int], int] = {}
    last_any: dict[tuple[int, int], int] = {}
    for k, c in enumerate(cands):
        prev.append(last_end.get(c.para))
        first.append(last_any.get(c.first_para))
        last_any[c.para] = max(last_any.get(c.para, c.after), c.after)
        if not in_marks[k]:
            last_end[c.para] = max(last_end.get(c.para, c.after), c.after)
    nxt: list[int | None] = [None] * len(cands)
    first_open: dict[tuple[int, int], int] = {}
    for k in range(len(cands) - 1, -1, -1):
        c = cands[k]
        nxt[k] = first_open.get(c.para)
        if not in_marks[k]:
            first_open[c.para] = min(first_open.get(c.para, c.open_pos), c.open_pos)
    return prev, nxt, first


def _gender_fits(mention: str | None, name: str | None, data: dict, ents: Entities) -> bool:
    """A "sie"/"he" left unresolved may continue the last speaker only if that speaker's gender allows it."""
    g = data.get("pronouns", {}).get((mention or "").lower(), {}).get("gender")
    if g not in ("m", "f") or not name:
        return True
    p = ents.person_for(name)
    return p is None or p.gender in (None, g)


def _name_in_marks(text: str, c: _Cand) -> bool:
    """A short capitalised stretch in marks inside the reporter's words ("der «König von Burgdorf»")."""
    inner = " ".join(text[s:e] for s, e in c.spans)
    return len(c.spans) == 1 and _title_like(inner) and not _FULL_END.search(inner) and len(_words(inner)) <= 5


def _is_heading(text: str, c: _Cand, *, labelled: bool = False) -> bool:
    """A quote that is a whole short line of its own without a full stop, or (and only that with ``labelled``)
    such a line with a few words after a colon: a heading quoting the body."""
    ps, pe = c.para
    if c.first_para != c.para or len(c.spans) != 1:
        return False
    outside = text[ps : c.open_pos] + text[c.after : pe]
    inner = text[c.spans[0][0] : c.spans[0][1]]
    if len(_words(inner)) > 12 or re.search(r"[.:;]$", inner):
        return False
    if not _words(outside):
        return not labelled
    # a short line without a full stop, the quote at one end, a colon between: «…»: Anna über ihren Albtraum
    line = text[ps:pe].rstrip()
    before, after = text[ps : c.open_pos].strip(), text[c.after : pe].strip()
    colon = (not before and after.startswith(":")) or (before.endswith(":") and not _words(after))
    return colon and len(_words(line)) <= 16 and len(_words(inner)) >= 3 and not re.search(r"[.!?…]$", line)


def _heading_speaker(out: list[Quote], k: int, stop: set[str]) -> str | None:
    """A heading quote belongs to the body quote sharing its words, else to the next quote with a speaker."""
    words = {w.lower() for w in _words(out[k].text) if len(w) >= 4 and w.lower() not in stop}
    later = [q for q in out[k + 1 :] if q.speaker]
    for q in later + [q for q in out[:k] if q.speaker]:
        if words & {w.lower() for w in _words(q.text)}:
            return q.speaker
    return later[0].speaker if later else None


def _previous_paragraph_speaker(text: str, paras: list[tuple[int, int]], c: _Cand, att: Attributor) -> str | None:
    """A quote opening a paragraph, after a paragraph of reported speech ("Erekat said it was …"), continues
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


def _named_after(text: str, c: _Cand, att: Attributor, openers: list[str], pe: int) -> Attribution | None:
    """«…» So kommentierte Trainer Marco Rossi den Sieg. / «…» Mit diesen Worten reagierte Anna Muster …: the next
    sentence points back at the quote and names who said it, with a speech verb close to its opening words."""
    lo = c.after + len(text[c.after : pe]) - len(text[c.after : pe].lstrip())
    head = [w.lower() for w in _words(text[lo : lo + 60])]
    opener = next((o.split() for o in openers if head[: len(o.split())] == o.split()), None)
    if opener is None or lo >= pe:
        return None
    hi = att.sentence_end(lo, pe)
    if att.ents.quoted_between(lo, hi):
        return None
    toks = att.ents.word_table.span(lo, hi)
    if len(toks) <= len(opener):
        return None
    cues = att.find_cues(toks[len(opener) :][:5])
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


def _outside_tokens(words: WordTable, lo: int, hi: int, spans: list[tuple[int, int]]) -> list[Token]:
    """Tokens of ``text[lo:hi]`` outside the quote's own spans."""
    return [t for t in words.span(lo, hi) if not any(s <= t.start < e for s, e in spans)]


def _intro_clause(text: str, pre: tuple[int, int], att: Attributor) -> bool:
    """True when the words before the quote are an attribution ending in a comma ("Er sagte, «…»")."""
    s = text[pre[0] : pre[1]].rstrip()
    if not s.endswith(","):
        return False
    toks = att.ents.word_table.span(pre[0], pre[1])
    return len(toks) <= 8 and bool(att.find_cues(toks))


def _cand(m: Marked, paras: list[tuple[int, int]], starts: list[int]) -> _Cand:
    return _Cand(
        spans=list(m.spans),
        open_pos=m.open_pos,
        after=m.after,
        orphan=m.orphan,
        closed=m.close_pos is not None,
        para=_paragraph_of(paras, m.spans[-1][0], starts),
        first_para=_paragraph_of(paras, m.spans[0][0], starts),
    )


def _is_split(p: _Cand, c: _Cand, text: str, att: Attributor) -> bool:
    """True for „A“, sagte X, „b“: a short attribution with a cue between two parts of one sentence."""
    if p.para != c.para or p.middle is not None or len(p.spans) != 1 or len(c.spans) != 1 or p.orphan:
        return False
    mid = text[p.after : c.open_pos]
    first = text[p.spans[-1][0] : p.spans[-1][1]]
    second = text[c.spans[0][0] : c.spans[0][1]]
    if not 0 < len(_words(mid)) <= MAX_MIDDLE_WORDS or re.search(r"[.!?;:]", mid):
        return False
    if not mid.strip().startswith((",", "–", "—")) or not mid.rstrip().endswith(","):
        return False
    if _FULL_END.search(first) or not (second[:1].islower() or first.endswith(",")):
        return False
    return bool(att.find_cues(_outside_tokens(att.ents.word_table, p.after, c.open_pos, [])))


def _merge_split(cands: list[_Cand], text: str, att: Attributor) -> list[_Cand]:
    """Join „A“, sagte X, „b“ into one quote with two spans."""
    out: list[_Cand] = []
    for c in cands:
        if out and _is_split(out[-1], c, text, att):
            p = out[-1]
            p.spans.extend(c.spans)
            p.middle = (p.after, c.open_pos)
            p.after = c.after
            p.closed = c.closed
            continue
        out.append(c)
    return out

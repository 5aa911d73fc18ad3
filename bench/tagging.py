"""Tagging benchmark (server/core/quotes/tagging.py): the German tagger's load time and speed, its cost per German
gold article when only the sentences around quote marks and speech cues are tagged, and whether the tag of a
speaker mention's head noun (NE proper / NN common) tells right speakers from wrong ones — for the gold mentions,
and for Pith's own predictions per half (right/wrong by the eval set's score.py)."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quotes import DEFAULT_EVAL, halves, load_scorer, predict  # noqa: E402
from server.core import langdata  # noqa: E402
from server.core.quotes import tagging  # noqa: E402
from server.core.quotes.finder import find_quotes  # noqa: E402
from server.core.text.sentences import split_sentences  # noqa: E402
from server.core.text.words import WORD  # noqa: E402

LANG = "de"
SPEED_WORDS = 3000  # words tagged for the words/s figures (whole gold sentences, in order, until this many)
TIMING_ROUNDS = 3  # each article is timed this often; the fastest run counts (noisy shared machine)
CUE_WINDOW = 6  # words on each side of a cue word in the narrowest tagging strategy timed
CAPS = (100, 200, 400, 800)  # caps of words per digest whose effect on the gold articles is shown
QUOTE_CHARS = "\"„“”‚‘’«»‹›"
ROLE_KEYS = ("role_nouns", "spokes_nouns", "org_nouns", "generic_org_nouns", "generic_person_nouns", "kin_roles",
             "female_roles", "male_roles", "document_nouns")
ROLE_HEAD_KEYS = ("role_nouns", "spokes_nouns")  # role words that also end compounds ("Konzernchef")
ROLE_SUFFIX_MIN = 4  # a compound ending in a role noun of at least this many letters is a role ("Konzernchef")

_LOAD = """
import time
t0 = time.perf_counter()
from HanTa import HanoverTagger
HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
print(time.perf_counter() - t0)
"""


def _ms(times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def cue_spans(text: str, cues: set[str]) -> list[tuple[int, int]]:
    """The sentences of ``text`` holding a quote mark or a cue word (what a caller would tag)."""
    return [(s, e) for s, e in split_sentences(text, LANG)
            if any(c in text[s:e] for c in QUOTE_CHARS) or any(w.lower() in cues for w in WORD.findall(text, s, e))]


def outside_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` without the quoted words Pith finds in ``text``: the reporter's clauses around the quotes."""
    quoted = sorted(span for q in find_quotes(text, split_sentences(text, LANG), lang=LANG) for span in q.spans)
    out = []
    for s, e in spans:
        at = s
        for qs, qe in quoted:
            if qe <= at or qs >= e:
                continue
            if qs > at:
                out.append((at, qs))
            at = max(at, qe)
        if at < e:
            out.append((at, e))
    return [(s, e) for s, e in out if WORD.search(text, s, e)]


def cue_windows(text: str, spans: list[tuple[int, int]], cues: set[str]) -> list[tuple[int, int]]:
    """Within ``spans``, ``CUE_WINDOW`` words on each side of every cue word (where a cue's subject and recipient
    stand), cut at the span's ends."""
    out = []
    for s, e in spans:
        words = list(WORD.finditer(text, s, e))
        for k, m in enumerate(words):
            if m.group().lower() in cues:
                lo, hi = max(0, k - CUE_WINDOW), min(len(words) - 1, k + CUE_WINDOW)
                out.append((words[lo].start(), words[hi].end()))
    return out


def time_articles(golds: list[dict], spans_of) -> tuple[list[float], list[int]]:
    """Fastest tagging time and words tagged per article (no cap) for the spans ``spans_of(text)`` picks."""
    words, times = [], []
    for g in golds:
        spans = spans_of(g["text"])
        best = float("inf")
        for _ in range(TIMING_ROUNDS):
            budget = tagging.TagBudget(max_words=10**9)
            t0 = time.perf_counter()
            tagging.tag_spans(g["text"], spans, LANG, budget)
            best = min(best, time.perf_counter() - t0)
        words.append(budget.tagged_words)
        times.append(best)
    return times, words


def print_speed(golds: list[dict], cues: set[str]) -> None:
    load = float(subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True, check=True).stdout)
    print(f"model load (fresh interpreter, import + model): {load * 1000:.0f} ms")
    table = langdata.load(LANG, "tagging")
    tagger = tagging._tagger_for(table)
    hanta = tagger._tagger
    read_as = {char: token for token, chars in table.get("read_as", {}).items() for char in chars}
    sents, n = [], 0
    for g in golds:
        for s, e in split_sentences(g["text"], LANG):
            toks = [t for _, t, _ in tagging._tokens(g["text"], s, e, read_as)]
            sents.append(toks)
            n += len(toks)
            if n >= SPEED_WORDS:
                break
        if n >= SPEED_WORDS:
            break
    for level in (0, 1):
        t0 = time.perf_counter()
        for toks in sents:
            hanta.tag_sent(toks, taglevel=level)
        took = time.perf_counter() - t0
        print(f"speed taglevel {level}: {n} tokens in {took:.2f} s = {n / took:,.0f} tokens/s")
    t0 = time.perf_counter()
    for toks in sents:
        for k, t in enumerate(toks):
            tagger.lookup(t, k == 0)
    took = time.perf_counter() - t0
    print(f"speed word-list fallback: {n} tokens in {took * 1000:.1f} ms = {n / took:,.0f} tokens/s")

    print("cost per de gold article (25), spans tagged with no cap (words = the core's words):")
    strategies = {
        f"{CUE_WINDOW} words either side of each cue word, outside quotes":
            lambda t: cue_windows(t, outside_quotes(t, cue_spans(t, cues)), cues),
        "reporter's clauses only (cue/quote sentences minus the quoted words)":
            lambda t: outside_quotes(t, cue_spans(t, cues)),
        "whole cue/quote sentences": lambda t: cue_spans(t, cues),
    }
    for name, spans_of in strategies.items():
        times, words = time_articles(golds, spans_of)
        _print_cost(name, times, words)
        per_ms = statistics.median(words) / statistics.median(t * 1000 for t in times)
        for cap in CAPS:
            over = sum(w > cap for w in words)
            fell = sum(max(0, w - cap) for w in words)
            print(f"    cap {cap:4d}: articles over the cap {over:2d}/{len(words)}, words given the fallback "
                  f"{fell}/{sum(words)} ({fell / max(1, sum(words)):.0%}), tagger time at most ~{cap / per_ms:.0f} ms")
    whole = {g["id"]: tagging.tag_spans(g["text"], cue_spans(g["text"], cues), LANG,
                                         tagging.TagBudget(max_words=10**9)) for g in golds}
    same = total = 0
    for g in golds:
        spans = strategies[next(iter(strategies))](g["text"])
        for at, tag in tagging.tag_spans(g["text"], spans, LANG, tagging.TagBudget(max_words=10**9)).items():
            total += 1
            same += whole[g["id"]].get(at) == tag
    print(f"  tags of the cue windows equal to those of their whole sentences: {same}/{total} ({same / total:.1%})")


def _print_cost(name: str, times: list[float], words: list[int]) -> None:
    med, p95 = _ms(times)
    wp = sorted(words)[round(0.95 * (len(words) - 1))]
    print(f"  {name}: median {med:.1f} ms, p95 {p95:.1f} ms, max {max(times) * 1000:.1f} ms; "
          f"words median {statistics.median(words):.0f}, p95 {wp}, max {max(words)}")


def _role(word: str, roles: set[str], role_heads: set[str]) -> bool:
    w = word.lower()
    return w in roles or any(w.endswith(r) for r in role_heads if len(r) >= ROLE_SUFFIX_MIN)


def locate(text: str, mention: str, near: int) -> int | None:
    """The offset of the occurrence of ``mention`` nearest to ``near``."""
    best, at = None, text.find(mention)
    while at >= 0:
        if best is None or abs(at - near) < abs(best - near):
            best = at
        at = text.find(mention, at + 1)
    return best


def mention_words(text: str, mention: str | None, near: int) -> list[tuple[str, str]] | None:
    """The tagged words of the mention's head run, its sentence tagged as a whole; ``None`` when not found."""
    if not mention:
        return None
    at = locate(text, mention, near)
    if at is None:
        return None
    sent = next(((s, e) for s, e in split_sentences(text, LANG) if s <= at < e), (at, at + len(mention)))
    tags = tagging.tag_spans(text, [sent], LANG, tagging.TagBudget(max_words=10**9))
    return [(text[o:WORD.match(text, o).end()], tag or "?") for o, tag in
            tagging.noun_run(text, at, at + len(mention), tags, LANG)]


COLS = ["has NE", "NN role", "NN surname", "NN, NE else", "NN other", "NNA", "pronoun", "other", "no mention"]


def _cls(words: list[tuple[str, str]] | None, speaker: str, roles: tuple[set[str], set[str]]) -> str:
    """The class of a mention: a proper noun in its head run, else its head noun's tag (a role word, the last
    word of a longer speaker name, another common noun), a pronoun, …"""
    if not words:
        return "no mention"
    if any(tag == "NE" for _, tag in words):
        return "has NE"
    word, tag = words[-1]
    if tag == "NN":
        if _role(word, *roles):
            return "NN role"
        name = speaker.split()
        return "NN surname" if len(name) > 1 and name[-1] == word else "NN other"
    if tag in ("PPER", "PDS", "PPOSAT"):
        return "pronoun"
    return tag if tag == "NNA" else "other"


def ne_elsewhere(text: str, word: str) -> bool:
    """Whether ``word`` is tagged a proper noun in some sentence of ``text`` (the whole article tagged)."""
    starts = [m.start() for m in WORD.finditer(text) if m.group() == word]
    spans = [(s, e) for s, e in split_sentences(text, LANG) if any(s <= at < e for at in starts)]
    tags = tagging.tag_spans(text, spans, LANG, tagging.TagBudget(max_words=10**9))
    return any(tags.get(at) == "NE" for at in starts)


def print_gold_heads(golds: list[dict], roles: set[str]) -> None:
    rows: dict[str, Counter] = {}
    for g in golds:
        for q in g["quotes"]:
            mention = q.get("speaker_mention")
            h = mention_words(g["text"], mention, q.get("start", 0))
            kind = q.get("speaker_type") or "?"
            if kind == "person":
                surname = q["speaker"].split()[-1].lower()
                kind = ("person, no mention" if not mention else "person, named" if surname in mention.lower()
                        else "person, role/pronoun")
            rows.setdefault(kind, Counter())[_cls(h, q["speaker"], roles)] += 1
    cols = COLS
    print("\ngold speaker mentions, head tag by speaker type (de):")
    print(f"  {'type':22s} " + " ".join(f"{c:>10s}" for c in cols))
    for kind, c in sorted(rows.items()):
        print(f"  {kind:22s} " + " ".join(f"{c[x]:10d}" for x in cols))


def print_pred_heads(golds: list[dict], preds: dict[str, list[dict]], scorer, roles: set[str]) -> None:
    cols = COLS
    print("\nPith's speakers on matched gold quotes (de), head tag of Pith's speaker_mention, right/wrong by score.py:")
    print(f"  {'half':4s} {'':6s} " + " ".join(f"{c:>10s}" for c in cols) + "   (null speakers)")
    for name, part in halves(golds).items():
        counts = {"right": Counter(), "wrong": Counter()}
        nulls = 0
        for g in part:
            if g["lang"] != LANG:
                continue
            pr = preds[g["id"]]
            gm, _ = scorer.match_article(g["quotes"], pr, 0.8, "f1")
            for gi, pis in gm.items():
                p = pr[pis[0]]
                if not p.get("speaker"):
                    nulls += 1
                    continue
                ok = scorer.speaker_ok(g["quotes"][gi], p["speaker"])
                near = g["quotes"][gi].get("start", 0)
                words = mention_words(g["text"], p.get("speaker_mention") or p["speaker"], near)
                cls = _cls(words, p["speaker"], roles)
                if cls == "NN other" and words and ne_elsewhere(g["text"], words[-1][0]):
                    cls = "NN, NE else"
                counts["right" if ok else "wrong"][cls] += 1
        for verdict, c in counts.items():
            print(f"  {name:4s} {verdict:6s} " + " ".join(f"{c[x]:10d}" for x in cols)
                  + (f"   ({nulls})" if verdict == "right" else ""))


def print_names(golds: list[dict]) -> None:
    """How the tagger reads the gold speakers' own names wherever they stand in the text: each word of a person's
    surname and of an organisation's name, in every sentence holding it (tagger) and from the word list alone."""
    rows: dict[str, tuple[Counter, Counter]] = {}
    for g in golds:
        text, sents = g["text"], split_sentences(g["text"], LANG)
        names = {(q["speaker"].split()[-1], "person surname") for q in g["quotes"]
                 if q.get("speaker_type") == "person" and len(q["speaker"].split()) > 1}
        names |= {(w, "org name word") for q in g["quotes"] if q.get("speaker_type") == "org"
                  for w in WORD.findall(q["speaker"]) if w[:1].isupper()}
        for name, kind in names:
            starts = [m.start() for m in WORD.finditer(text) if m.group() == name]
            spans = [(s, e) for s, e in sents if any(s <= at < e for at in starts)]
            full = tagging.tag_spans(text, spans, LANG, tagging.TagBudget(max_words=10**9))
            fallback = tagging.tag_spans(text, spans, LANG, tagging.TagBudget(max_words=0))
            for counts, tags in zip(rows.setdefault(kind, (Counter(), Counter())), (full, fallback), strict=True):
                for at in starts:
                    tag = tags.get(at, "none")
                    counts[tag if tag in ("NE", "NN", "none") else "other"] += 1
    print("\ngold speakers' own names, every occurrence in the text (de): tag by the tagger | by the word list alone")
    for kind, (full, fallback) in sorted(rows.items()):
        cells = [" ".join(f"{t} {c[t]}" for t in ("NE", "NN", "other", "none")) for c in (full, fallback)]
        print(f"  {kind:15s} tagger: {cells[0]:28s} | word list: {cells[1]}")


def print_fallback_agreement(golds: list[dict], cues: set[str]) -> None:
    """The word-list fallback against the tagger on the cue/quote sentences: same tag, other tag, no tag."""
    rows = {"NE": Counter(), "NN": Counter(), "all": Counter()}
    for g in golds:
        spans = cue_spans(g["text"], cues)
        full = tagging.tag_spans(g["text"], spans, LANG, tagging.TagBudget(max_words=10**9))
        fallback = tagging.tag_spans(g["text"], spans, LANG, tagging.TagBudget(max_words=0))
        for at, tag in full.items():
            verdict = "same" if fallback.get(at) == tag else "none" if at not in fallback else "other"
            rows["all"][verdict] += 1
            if tag in rows:
                rows[tag][verdict] += 1
    print("\nword-list fallback vs tagger on the cue/quote sentences (de), by the tagger's tag:")
    for tag, c in rows.items():
        n = sum(c.values())
        print(f"  {tag:3s} {n:5d} words: same {c['same'] / n:.0%}, other tag {c['other'] / n:.0%}, "
              f"no tag {c['none'] / n:.0%}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--pred", type=Path, help="predictions from `bench/quotes.py --dump` (else digested here)")
    a = ap.parse_args()
    scorer = load_scorer(a.eval_dir)
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((a.eval_dir / "gold").glob("*.json"))]
    golds = [g for g in golds if g["lang"] == LANG]
    quotes = langdata.load(LANG, "quotes")
    cues = {c.lower() for c in quotes.get("cues", [])}
    roles = ({w.lower() for k in ROLE_KEYS for w in quotes.get(k, [])},
             {w.lower() for k in ROLE_HEAD_KEYS for w in quotes.get(k, [])})
    print_speed(golds, cues)
    print_fallback_agreement(golds, cues)
    print_names(golds)
    print_gold_heads(golds, roles)
    if a.pred:
        preds = {d["id"]: d["quotes"] for d in map(json.loads, a.pred.read_text(encoding="utf-8").splitlines())}
    else:
        preds = {g["id"]: predict(g) for g in golds}
    print_pred_heads(golds, preds, scorer, roles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Quote benchmark: every gold article of ../shared/eval/quotes digested as `pith digest --input text` does, scored
with the set's own scorer (score.py), per language, for all articles and for two fixed halves; plus speed per article
on the German gold texts, side by side with another checkout of the code (``--base``, e.g. a git worktree)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.service.digests import digest_document  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "quotes"
TIMING_ROUNDS = 5  # each checkout digests every article this often, in turns; the fastest run counts (noisy machine)

# Times every German gold text in a fresh interpreter whose working directory is the checkout to measure.
_TIMER = """
import json, sys, time
from server.core.quotes.finder import find_quotes
from server.core.text.sentences import split_sentences
from server.service.digests import digest_document
texts = json.load(sys.stdin)
digest_document(texts[0], input="text")
whole, quotes = [], []
for t in texts:
    t0 = time.perf_counter(); digest_document(t, input="text"); whole.append(time.perf_counter() - t0)
    spans = split_sentences(t, "de")
    t0 = time.perf_counter(); find_quotes(t, spans, lang="de"); quotes.append(time.perf_counter() - t0)
import server; print(json.dumps({"times": [whole, quotes], "module": server.__file__}))
"""


def load_scorer(eval_dir: Path):
    """The eval set's own score.py as a module (its matching and speaker rules, unchanged)."""
    spec = importlib.util.spec_from_file_location("quote_score", eval_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def predict(gold: dict) -> list[dict]:
    """Pith's quotes for one gold article: its text digested as `pith digest --input text --format json` does."""
    digest = digest_document(gold["text"], input="text")
    return [{"quote": q.text, "speaker": q.speaker or "", "speaker_type": getattr(q, "speaker_type", None),
             "speaker_mention": q.speaker_mention, "cue": q.cue, "partial": q.partial,
             "evidence": q.evidence} for q in digest.quotes]


def score(golds: list[dict], preds: dict[str, list[dict]], scorer) -> dict:
    """Quote P/R/F1, speaker accuracy (null counts wrong) and named-speaker precision, summed over ``golds``."""
    n_gold = n_pred = tp_gold = tp_pred = right = named = named_right = 0
    for g in golds:
        pr = preds[g["id"]]
        gm, used = scorer.match_article(g["quotes"], pr, 0.8, "f1")
        n_gold, n_pred = n_gold + len(g["quotes"]), n_pred + len(pr)
        tp_gold, tp_pred = tp_gold + len(gm), tp_pred + len(used)
        for gi, pis in gm.items():
            spk = pr[pis[0]].get("speaker", "")
            ok = scorer.speaker_ok(g["quotes"][gi], spk)
            right += ok
            if spk:
                named, named_right = named + 1, named_right + ok
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return {"articles": len(golds), "gold": n_gold, "pred": n_pred, "p": p, "r": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "matched": tp_gold, "right": right,
            "acc": right / tp_gold if tp_gold else 0.0, "named": named, "named_right": named_right,
            "named_p": named_right / named if named else 0.0}


def halves(golds: list[dict]) -> dict[str, list[dict]]:
    """All articles and two fixed halves: ids sorted, alternating (A takes the 1st, 3rd, … of each language)."""
    out: dict[str, list[dict]] = {"all": golds, "A": [], "B": []}
    for lang in sorted({g["lang"] for g in golds}):
        for k, g in enumerate(sorted((g for g in golds if g["lang"] == lang), key=lambda g: g["id"])):
            out["A" if k % 2 == 0 else "B"].append(g)
    return out


def print_quality(golds: list[dict], preds: dict[str, list[dict]], scorer) -> None:
    print(f"{'lang':4s} {'set':3s} {'n':>3s}  {'quote P':>7s} {'quote R':>7s} {'F1':>6s}  {'spk acc':>7s} "
          f"{'named P':>7s}  counts")
    for lang in ("de", "en"):
        for name, part in halves(golds).items():
            sel = [g for g in part if g["lang"] == lang]
            if not sel:
                continue
            s = score(sel, preds, scorer)
            print(f"{lang:4s} {name:3s} {s['articles']:3d}  {s['p']:7.3f} {s['r']:7.3f} {s['f1']:6.3f}  "
                  f"{s['acc']:7.3f} {s['named_p']:7.3f}  (gold {s['gold']}, pred {s['pred']}, "
                  f"right {s['right']}/{s['matched']}, named right {s['named_right']}/{s['named']})")


def time_checkout(root: Path, texts: list[str]) -> tuple[list[list[float]], str]:
    """Seconds per text for the checkout at ``root`` in a fresh interpreter (after one warm-up digest): the whole
    digest, and the quote stage alone (``find_quotes``; the rest of the digest belongs to other stages)."""
    res = subprocess.run([sys.executable, "-c", _TIMER], cwd=root, input=json.dumps(texts),
                         capture_output=True, text=True, check=True)
    d = json.loads(res.stdout)
    return d["times"], d["module"]


def _median_p95(times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def print_speed(golds: list[dict], base: Path | None) -> None:
    texts = [g["text"] for g in golds if g["lang"] == "de"]
    rows = [("this", ROOT)] + ([("base", base)] if base else [])
    got: dict[str, tuple[list[list[float]], str]] = {}
    for _ in range(TIMING_ROUNDS):  # the checkouts take turns, so that a busy moment hits both alike
        for name, root in rows:
            times, module = time_checkout(root, texts)
            best = got[name][0] if name in got else times
            got[name] = ([[min(a, b) for a, b in zip(x, y, strict=True)] for x, y in zip(best, times, strict=True)],
                         module)
    for stage, k in (("digest", 0), ("quotes", 1)):
        for name, (times, module) in got.items():
            med, p95 = _median_p95(times[k])
            print(f"speed {stage} {name:4s} de gold texts {len(times[k])}: median {med:6.1f} ms, p95 {p95:6.1f} ms"
                  f"  ({Path(module).parent.parent})")
        if base:
            (m1, p1), (m0, p0) = _median_p95(got["this"][0][k]), _median_p95(got["base"][0][k])
            print(f"speed {stage} ratio this/base: median {m1 / m0:.2f}x, p95 {p1 / p0:.2f}x")


SCALE_SIZES = (25_000, 100_000, 400_000, 1_600_000)  # characters of the generated texts (the curve's points)
_SHORT_QUOTE = "«Das ist gut», sagte Peter Müller."  # an invented quote-heavy line, repeated


def print_scale(golds: list[dict]) -> None:
    """The quote stage's time against input size: a quote-heavy text and prose (the gold texts repeated)."""
    from server.core.quotes.finder import find_quotes
    from server.core.text.sentences import split_sentences

    prose = {lang: "\n\n".join(g["text"] for g in golds if g["lang"] == lang) for lang in ("de", "en")}
    kinds = {"quotes-de": ("de", "\n".join([_SHORT_QUOTE] * 60_000)), "prose-de": ("de", prose["de"]),
             "prose-en": ("en", prose["en"])}
    find_quotes(_SHORT_QUOTE, [], lang="de")  # load the language tables and name lists first
    for name, (lang, base) in kinds.items():
        cells = []
        for n in SCALE_SIZES:
            text = (base * (n // len(base) + 1))[:n]
            t0 = time.perf_counter()
            got = find_quotes(text, split_sentences(text, lang), lang=lang)
            cells.append(f"{n // 1000:>5d} KB {time.perf_counter() - t0:6.2f} s ({len(got)} quotes)")
        print(f"scale {name:9s} " + " | ".join(cells))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--base", type=Path, help="another checkout to time side by side (e.g. a git worktree of main)")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--scale", action="store_true", help="also time the quote stage on texts of 25 KB to 1.6 MB")
    ap.add_argument("--only-ids", default="")
    ap.add_argument("--dump", type=Path, help="write the predictions (JSONL, score.py's input) here")
    a = ap.parse_args()
    scorer = load_scorer(a.eval_dir)
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((a.eval_dir / "gold").glob("*.json"))]
    only = {x for x in a.only_ids.split(",") if x}
    if only:
        golds = [g for g in golds if g["id"] in only]
    t0 = time.perf_counter()
    preds = {g["id"]: predict(g) for g in golds}
    took = time.perf_counter() - t0
    if a.dump:
        a.dump.write_text("".join(json.dumps({"id": k, "quotes": v}, ensure_ascii=False) + "\n"
                                  for k, v in preds.items()), encoding="utf-8")
    print_quality(golds, preds, scorer)
    print(f"{len(golds)} articles digested in {took:.2f} s")
    if not a.no_speed:
        print_speed(golds, a.base)
    if a.scale:
        print_scale(golds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

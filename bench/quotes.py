"""Quote benchmark: digest every gold article of ../shared/eval/quotes and score it with the set's own scorer."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.core.digest import Article  # noqa: E402
from server.core.pipeline import digest_article  # noqa: E402
from server.core.quotes.finder import find_quotes  # noqa: E402
from server.core.text.sentences import split_sentences  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "quotes"


def predict(gold: dict, direct: bool) -> list[dict]:
    """Pith's quotes for one gold article (its text taken as is)."""
    text = gold["text"]
    if direct:
        quotes = find_quotes(text, split_sentences(text, gold["lang"]), lang=gold["lang"])
    else:
        quotes = digest_article(Article(text=text)).quotes
    return [
        {
            "quote": q.text,
            "speaker": q.speaker or "",
            "partial": q.partial,
            "speaker_mention": q.speaker_mention,
            "cue": q.cue,
        }
        for q in quotes
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--direct", action="store_true", help="call find_quotes with the gold language (no digest)")
    ap.add_argument("--per-article", action="store_true")
    ap.add_argument("--only-ids", default="")
    ap.add_argument("--exclude-ids", default="", help="leave these articles out (a held-out set)")
    ap.add_argument("--dump", type=Path, help="write the predictions (JSONL) here")
    a = ap.parse_args()
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((a.eval_dir / "gold").glob("*.json"))]
    only = {x for x in a.only_ids.split(",") if x}
    exclude = {x for x in a.exclude_ids.split(",") if x}
    if only:
        golds = [g for g in golds if g["id"] in only]
    if exclude:
        golds = [g for g in golds if g["id"] not in exclude]
        only = {g["id"] for g in golds}
    t0 = time.perf_counter()
    lines = [json.dumps({"id": g["id"], "quotes": predict(g, a.direct)}, ensure_ascii=False) for g in golds]
    took = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(a.dump) if a.dump else Path(tmp) / "pred.jsonl"
        pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{'lang':4s}  {'quote P':>7s} {'quote R':>7s} {'quote F1':>8s} {'speaker acc':>11s} {'attr F1':>7s}")
        for lang in ("de", "en"):
            if not any(g["lang"] == lang for g in golds):
                continue
            js = Path(tmp) / f"{lang}.json"
            cmd = [
                sys.executable,
                str(a.eval_dir / "score.py"),
                str(pred),
                "--gold",
                str(a.eval_dir / "gold"),
                "--lang",
                lang,
                "--json",
                str(js),
            ]
            if a.per_article:
                cmd.append("--per-article")
            if only:
                cmd += ["--only-ids", ",".join(sorted(only))]
            res = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if res.returncode != 0:
                print(res.stderr, file=sys.stderr)
                return 1
            if a.per_article:
                print(res.stdout)
            s = json.loads(js.read_text())
            print(
                f"{lang:4s}  {s['quote_precision']:7.3f} {s['quote_recall']:7.3f} {s['quote_f1']:8.3f} "
                f"{s['speaker_accuracy_on_matched']:11.3f} {s['attribution_f1']:7.3f}   "
                f"(gold {s['gold_quotes']}, pred {s['pred_quotes']}, "
                f"speaker {s['speaker_correct']}/{s['matched_gold']})"
            )
    print(f"{len(golds)} articles in {took:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

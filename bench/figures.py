"""Figure bench: span precision and recall of find_figures on a made-up, annotated set (bench/data/figures.jsonl).

Every line is {"lang", "text", "figures": [the figures as a reader says them, in order]}: qualifiers, scale words,
hyphenated amounts, ranges, shares, dates and years, and numbers inside names (titles, models, addresses) that
are no figures. A predicted figure counts when its text equals a gold figure of the same sentence (each gold
figure matches once). Usage: python bench/figures.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.core.summary.figures import find_figures  # noqa: E402

DATA = ROOT / "bench" / "data" / "figures.jsonl"
TARGET = 0.95  # issue 12: span precision and recall on the made-up set


def score(rows: list[dict], show: bool = False) -> dict[str, dict[str, float]]:
    """Precision, recall and counts per language and over all rows."""
    tallies: dict[str, Counter[str]] = {}
    for r in rows:
        got = [f.text for f in find_figures(r["text"], r["lang"])]
        gold = Counter(r["figures"])
        hit = sum((Counter(got) & gold).values())
        for key in (r["lang"], "all"):
            t = tallies.setdefault(key, Counter())
            t["hit"] += hit
            t["pred"] += len(got)
            t["gold"] += len(r["figures"])
            t["sentences"] += 1
        if show and got != r["figures"]:
            print(f"{r['lang']}  {r['text']}\n    gold {r['figures']}\n    got  {got}")
    return {k: {"precision": t["hit"] / t["pred"] if t["pred"] else 1.0,
                "recall": t["hit"] / t["gold"] if t["gold"] else 1.0,
                "sentences": t["sentences"], "gold": t["gold"]} for k, t in tallies.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="print every sentence whose figures differ")
    args = ap.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = score(rows, args.show)
    ok = True
    for key in ("de", "en", "all"):
        r = result[key]
        good = r["precision"] >= TARGET and r["recall"] >= TARGET
        ok = ok and good
        print(f"figures {key:3}  sentences {r['sentences']:3}  gold {r['gold']:3}  precision {r['precision']:.3f}  "
              f"recall {r['recall']:.3f}  (target >= {TARGET}: {'yes' if good else 'NO'})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Score ``textdump.extract_text`` on the plain-text dumps of ../shared/eval/textdumps/ (F1/P/R, ms/page)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.errors import PithError  # noqa: E402
from server.textdump import extract_text  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
DUMPS = SHARED / "textdumps" / "scrapinghub"
TRUTH = SHARED / "extraction" / "scrapinghub" / "ground-truth.json"
SCORER = SHARED / "extraction" / "score.py"


def run(paths: list[Path]) -> tuple[dict[str, dict[str, str]], list[float]]:
    """Extract every dump; predictions in the scorer's format and ms per page."""
    pred: dict[str, dict[str, str]] = {}
    times: list[float] = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        try:
            body = extract_text(text).text
        except PithError:
            body = ""
        times.append((time.perf_counter() - t0) * 1000)
        pred[path.stem] = {"articleBody": body}
    return pred, times


def worst(pred: dict[str, dict[str, str]], n: int) -> None:
    """Print the ``n`` pages with the lowest F1 (scored in-process with the same scorer)."""
    spec = importlib.util.spec_from_file_location("score", SCORER)
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    sys.modules["score"] = score
    spec.loader.exec_module(score)
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    rows = []
    for pid, v in pred.items():
        tp, fp, fn = score.page_tp_fp_fn(truth[pid]["articleBody"], v["articleBody"])
        rows.append((score.page_f1(tp, fp, fn), score.page_precision(tp, fp, fn),
                     score.page_recall(tp, fp, fn), pid))
    for f1, p, r, pid in sorted(rows)[:n]:
        print(f"{f1:.3f} P={p:.3f} R={r:.3f} {pid}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--worst", type=int, default=0, help="also list the N worst pages")
    ap.add_argument("--limit", type=int, default=0, help="only the first N dumps")
    args = ap.parse_args()
    if not DUMPS.is_dir():
        sys.exit(f"no dumps at {DUMPS}")
    paths = sorted(DUMPS.glob("*.txt"))
    if args.limit:
        paths = paths[: args.limit]
    pred, times = run(paths)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(pred, f, ensure_ascii=False)
        out = f.name
    res = subprocess.run([sys.executable, str(SCORER), "--truth", str(TRUTH), out, "--n-bootstrap", "200"],
                         capture_output=True, text=True, check=True)
    Path(out).unlink()
    print(res.stdout.strip())
    print(f"pages {len(paths)}  mean {statistics.mean(times):.2f} ms/page  median {statistics.median(times):.2f}"
          f"  max {max(times):.1f}")
    if args.worst:
        worst(pred, args.worst)


if __name__ == "__main__":
    main()

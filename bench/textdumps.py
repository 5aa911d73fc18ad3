"""Score ``textdump.extract_text`` on the plain-text dumps of ../shared/eval/textdumps/ (F1/P/R, ms/page)."""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import importlib.util
import json
import re
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
HTML = SHARED / "extraction" / "scrapinghub" / "html"


def run(paths: list[Path]) -> tuple[dict[str, dict[str, str]], list[float]]:
    """Extract every dump; predictions in the scorer's format and ms per page."""
    pred: dict[str, dict[str, str]] = {}
    times: list[float] = []
    for path in paths[:3]:  # warm up: the marker tables compile on first use
        with contextlib.suppress(PithError):
            extract_text(path.read_text(encoding="utf-8"))
    for path in paths:
        text = path.read_text(encoding="utf-8")
        t0 = time.process_time()
        try:
            art = extract_text(text)
            body, title = art.text, art.title or ""
        except PithError:
            body, title = "", ""
        times.append((time.process_time() - t0) * 1000)
        pred[path.stem] = {"articleBody": body, "title": title}
    return pred, times


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def title_agreement(pred: dict[str, dict[str, str]]) -> tuple[int, int]:
    """Pages whose found title matches the page's own (og:title, twitter:title or an <h1> of its HTML)."""
    meta = re.compile(r"<meta[^>]+(?:property|name)=[\"'](?:og:title|twitter:title)[\"'][^>]*content=[\"']([^\"']+)")
    h1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
    hits = 0
    for pid, v in pred.items():
        page = gzip.decompress((HTML / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
        found = [html.unescape(m) for m in meta.findall(page)]
        found += [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in h1.findall(page)]
        mine = _norm(v["title"])
        theirs = [t for t in (_norm(f) for f in found) if t]
        hits += bool(mine) and any(mine == t or (len(mine) > 10 and (mine in t or t in mine)) for t in theirs)
    return hits, len(pred)


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
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pith-textdumps.json"
        out.write_text(json.dumps({k: {"articleBody": v["articleBody"]} for k, v in pred.items()}, ensure_ascii=False),
                       encoding="utf-8")
        res = subprocess.run([sys.executable, str(SCORER), "--truth", str(TRUTH), str(out), "--n-bootstrap", "200"],
                             capture_output=True, text=True, check=True)
    print(res.stdout.strip())
    print(f"pages {len(paths)}  CPU time: mean {statistics.mean(times):.2f} ms/page"
          f"  median {statistics.median(times):.2f}  max {max(times):.1f}")
    hits, total = title_agreement(pred)
    print(f"title agrees with the page's og:title or <h1> on {hits}/{total} pages")
    if args.worst:
        worst(pred, args.worst)


if __name__ == "__main__":
    main()

"""Benchmark Pith's extraction against trafilatura on the ScrapingHub set (HTML) and its text dumps.

Usage::

    python bench/extraction.py                 # HTML: Pith vs trafilatura default and favor_precision
    python bench/extraction.py --textdumps     # also the plain-text dumps through server.core.extract.plaintext
    python bench/extraction.py --worst 10      # list Pith's 10 weakest pages (diagnosis)

Scores come from ``../shared/eval/extraction/score.py`` run as a subprocess on predictions written to a
temporary folder. Timings are medians of per-page wall time, measured in the same run, interleaved.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.core.errors import PithError  # noqa: E402
from server.core.extract.html import extract_html  # noqa: E402
from server.service.decode import decode_page  # noqa: E402

SHARED = Path(os.environ.get("PITH_SHARED_DIR", ROOT.parent / "shared"))
EVAL = SHARED / "eval" / "extraction"
SCORER = EVAL / "score.py"
TRUTH = EVAL / "scrapinghub" / "ground-truth.json"
HTML_DIR = EVAL / "scrapinghub" / "html"
DUMPS_DIR = SHARED / "eval" / "textdumps" / "scrapinghub"
_ROW = re.compile(r"^(\S+)\s+.*?([\d.]+) ± [\d.]+ ([\d.]+) ± [\d.]+ ([\d.]+) ± [\d.]+\s+([\d.]+)\s*$")


def _pith(html: str) -> str:
    try:
        return extract_html(html).text
    except PithError:
        return ""


def _trafilatura(**options: object) -> Callable[[str], str]:
    import trafilatura

    def run(html: str) -> str:
        return trafilatura.extract(html, **options) or ""

    return run


def _pith_text(text: str) -> str:
    from server.core.extract.plaintext import extract_text

    try:
        return extract_text(text).text
    except PithError:
        return ""


def _timed(fn: Callable[[str], str], page: str) -> tuple[str, float]:
    start = time.perf_counter()
    out = fn(page)
    return out, (time.perf_counter() - start) * 1000


def score(preds: dict[str, dict[str, str]], tmp: Path, n_bootstrap: int) -> dict[str, dict[str, float]]:
    """Run score.py on each prediction set; ``{name: {f1, precision, recall, accuracy}}``."""
    paths = []
    for name, pred in preds.items():
        path = tmp / f"{name}.json"
        path.write_text(json.dumps({k: {"articleBody": v} for k, v in pred.items()}), encoding="utf-8")
        paths.append(str(path))
    out = subprocess.run(
        [sys.executable, str(SCORER), "--truth", str(TRUTH), "--n-bootstrap", str(n_bootstrap), *paths],
        check=True, capture_output=True, text=True,
    ).stdout
    results: dict[str, dict[str, float]] = {}
    for line in out.splitlines():
        if m := _ROW.match(line):
            results[m.group(1)] = {"f1": float(m.group(2)), "precision": float(m.group(3)),
                                   "recall": float(m.group(4)), "accuracy": float(m.group(5))}
    return results


def _page_f1(truth: str, pred: str) -> float:
    """One page's F1 with the scorer's own functions (diagnosis only; the totals come from the subprocess)."""
    module = sys.modules.get("pith_eval_score")
    if module is None:
        spec = importlib.util.spec_from_file_location("pith_eval_score", SCORER)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["pith_eval_score"] = module
        spec.loader.exec_module(module)
    return module.page_f1(*module.page_tp_fp_fn(truth, pred))


def run_html(ids: list[str], tmp: Path, args: argparse.Namespace) -> None:
    """HTML pages: Pith vs trafilatura default, favor_precision, and favor_precision without comments (the best
    setting measured in NOTES.md), all timed in the same run."""
    runners: dict[str, Callable[[str], str]] = {
        "pith": _pith,
        "trafilatura_default": _trafilatura(),
        "trafilatura_precision": _trafilatura(favor_precision=True),
        "trafilatura_prec_nocomm": _trafilatura(favor_precision=True, include_comments=False),
    }
    preds: dict[str, dict[str, str]] = {name: {} for name in runners}
    times: dict[str, list[float]] = {name: [] for name in runners}
    pages = {i: decode_page(gzip.decompress((HTML_DIR / f"{i}.html.gz").read_bytes())) for i in ids}
    for fn in runners.values():  # warm-up: imports, caches
        fn(pages[ids[0]])
    for n, page_id in enumerate(ids):
        order = list(runners) if n % 2 == 0 else list(reversed(runners))
        for name in order:
            preds[name][page_id], ms = _timed(runners[name], pages[page_id])
            times[name].append(ms)
    results = score(preds, tmp, args.n_bootstrap)
    print(f"HTML extraction, ScrapingHub set ({len(ids)} pages)")
    print(f"{'extractor':<24} {'F1':>6} {'P':>6} {'R':>6} {'exact':>6} {'median ms':>10}")
    for name in runners:
        r = results[name]
        print(f"{name:<24} {r['f1']:6.3f} {r['precision']:6.3f} {r['recall']:6.3f} {r['accuracy']:6.3f} "
              f"{statistics.median(times[name]):10.1f}")
    truth = _truth()
    half = len(ids) // 2  # halves by sorted id, for tuning on one and checking on the other
    for name, part in (("A", ids[:half]), ("B", ids[half:])):
        f1 = statistics.mean(_page_f1(truth[i], preds["pith"][i]) for i in part)
        print(f"pith half {name} ({len(part)} pages, mean page F1): {f1:.4f}")
    empty = sum(1 for text in preds["pith"].values() if not text.strip())
    print(f"pith no_article (or empty) pages: {empty} of {len(ids)}  (target 0)")
    ratio = statistics.median(times["pith"]) / statistics.median(times["trafilatura_default"])
    print(f"time ratio pith / trafilatura_default (medians): {ratio:.2f}x  (target <= 1.30x)")
    print(f"F1 target 0.975 (issue 11): {'met' if results['pith']['f1'] >= 0.975 else 'NOT met'}")
    if args.worst:
        rows = sorted((_page_f1(truth[i], preds["pith"][i]),
                       _page_f1(truth[i], preds["trafilatura_prec_nocomm"][i]), i) for i in ids)
        print(f"\nPith's {args.worst} weakest pages (page F1 pith / trafilatura_prec_nocomm):")
        for f1, tf1, i in rows[:args.worst]:
            print(f"  {f1:.3f} / {tf1:.3f}  {i[:16]}  {_url(i)}")


def run_dumps(ids: list[str], tmp: Path, args: argparse.Namespace) -> None:
    """Plain-text dumps through ``server.core.extract.plaintext.extract_text``."""
    pred: dict[str, str] = {}
    times: list[float] = []
    for page_id in ids:
        text = (DUMPS_DIR / f"{page_id}.txt").read_text(encoding="utf-8")
        pred[page_id], ms = _timed(_pith_text, text)
        times.append(ms)
    r = score({"pith_textdump": pred}, tmp, args.n_bootstrap)["pith_textdump"]
    print(f"\nText dumps ({len(ids)} pages) through server.core.extract.plaintext.extract_text (target F1 >= 0.93)")
    print(f"{'extractor':<24} {'F1':>6} {'P':>6} {'R':>6} {'exact':>6} {'median ms':>10}")
    print(f"{'pith_textdump':<24} {r['f1']:6.3f} {r['precision']:6.3f} {r['recall']:6.3f} {r['accuracy']:6.3f} "
          f"{statistics.median(times):10.1f}")


def _truth() -> dict[str, str]:
    return {k: v.get("articleBody") or "" for k, v in json.loads(TRUTH.read_text(encoding="utf-8")).items()}


def _url(page_id: str) -> str:
    return json.loads(TRUTH.read_text(encoding="utf-8"))[page_id].get("url", "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (quick look)")
    ap.add_argument("--textdumps", action="store_true", help="also score the plain-text dumps")
    ap.add_argument("--only-textdumps", action="store_true", help="score only the plain-text dumps")
    ap.add_argument("--worst", type=int, default=0, help="list Pith's N weakest HTML pages")
    ap.add_argument("--n-bootstrap", type=int, default=200)
    args = ap.parse_args()
    if not SCORER.is_file():
        sys.exit(f"the evaluation set is missing: {SCORER}")
    warnings.filterwarnings("ignore")
    ids = sorted(p.name.removesuffix(".html.gz") for p in HTML_DIR.glob("*.html.gz"))
    if args.limit:
        ids = ids[:args.limit]
    with tempfile.TemporaryDirectory(prefix="pith-bench-") as tmp:
        if not args.only_textdumps:
            run_html(ids, Path(tmp), args)
        if args.textdumps or args.only_textdumps:
            run_dumps(ids, Path(tmp), args)


if __name__ == "__main__":
    main()

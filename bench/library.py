"""Library benchmark (issue 14): 100,000 quotes from 10,000 synthetic digests built from the shared eval texts,
with varied speakers, sites and keeping dates; insert throughput, search p95 (20 per page: speaker, words, both,
words with a date range) and database size, for SQLite and PostgreSQL (Debian's, started in a temp dir)."""

from __future__ import annotations

import argparse
import glob
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.library import Library  # noqa: E402
from server.library.sqlite import FILENAME, SQLiteBackend  # noqa: E402
from server.library.words import words  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
QUOTES_PER_DIGEST = 10
SEARCHES = 200  # per kind; the p95 of each kind is reported
DAYS = 365  # keeping dates are spread over a year
SITES = 40
MIN_WORD = 5  # search words are taken from quotes, at least this long


def load_material(eval_dir: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]], list[str]]:
    """Articles (text, language), gold quotes (text, speaker) and speakers' names from the shared eval sets."""
    articles: list[dict[str, Any]] = []
    quotes: list[tuple[str, str]] = []
    for path in sorted(glob.glob(str(eval_dir / "quotes" / "gold" / "*.json"))):
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
        articles.append({"text": gold["text"], "language": gold.get("lang")})
        quotes += [(q["quote"], q["speaker"]) for q in gold.get("quotes", []) if q.get("quote") and q.get("speaker")]
    for path in sorted(glob.glob(str(eval_dir / "summaries" / "*.jsonl"))):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            articles.append({"text": item["text"], "language": item.get("lang"), "title": item.get("title")})
    names = sorted({s for _, s in quotes if len(s.split()) >= 2})
    if not articles or not quotes:
        raise SystemExit(f"no eval material under {eval_dir}")
    return articles, quotes, names


def speakers(names: list[str], rng: random.Random, n: int = 2000) -> list[str]:
    """Varied speakers: the gold names and new people made of their first names and surnames."""
    firsts = sorted({x.split()[0] for x in names})
    lasts = sorted({x.split()[-1] for x in names})
    made = set(names)
    while len(made) < n:
        made.add(f"{rng.choice(firsts)} {rng.choice(lasts)}")
    return sorted(made)


def synthetic(n: int, seed: int, eval_dir: Path) -> list[tuple[dict[str, Any], float]]:
    """``n`` digests with their keeping times."""
    rng = random.Random(seed)
    articles, gold, names = load_material(eval_dir)
    people = speakers(names, rng)
    sentences = [s.strip() for a in articles for s in a["text"].split(". ") if 30 < len(s) < 300]
    start = time.time() - DAYS * 86_400
    out = []
    for i in range(n):
        art = rng.choice(articles)
        qs = []
        for _ in range(QUOTES_PER_DIGEST):
            text, who = rng.choice(gold) if rng.random() < 0.5 else (rng.choice(sentences), rng.choice(people))
            form = who if rng.random() < 0.8 else who.split()[-1]  # some quotes name only the surname
            qs.append({"text": text, "spans": [[0, len(text)]], "speaker": form, "speaker_type": "person",
                       "speaker_mention": form, "cue": None, "partial": False})
        digest = {"schema": 1, "url": f"https://site{i % SITES}.example/news/{i}", "title": f"Article {i}",
                  "author": None, "date": None, "site": f"Site {i % SITES}", "language": art["language"],
                  "text": art["text"], "word_count": len(art["text"].split()), "reading_minutes": 1,
                  "summary": [], "facts": [], "quotes": qs}
        out.append((digest, start + rng.random() * DAYS * 86_400))
    return out


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] * 1000


def _pg_analyze(library: Library) -> None:
    """What autovacuum does within a minute of a bulk load: fresh planner statistics."""
    with library.backend.transaction(write=True) as cur:
        cur.execute("ANALYZE")


def run(library: Library, digests: list[tuple[dict[str, Any], float]], seed: int,
        after_fill: Callable[[Library], None] | None = None) -> dict[str, Any]:
    """Fill the library, then time the searches; the figures as a dict."""
    t0 = time.perf_counter()
    for digest, kept_at in digests:
        library.keep("web", digest, kept_at=kept_at)
    fill = time.perf_counter() - t0
    if after_fill is not None:
        after_fill(library)
    entries, quotes = library.count("web")
    rng = random.Random(seed + 1)
    sample = [q for d, _ in rng.sample(digests, min(len(digests), 500)) for q in d["quotes"]]
    kinds: dict[str, list[float]] = {"speaker": [], "words": [], "speaker+words": [], "words+dates": []}
    library.search("web", speaker="warm up")  # the first speaker search merges the speakers once
    for _ in range(SEARCHES):
        quote = rng.choice(sample)
        long_words = [w for w in words(quote["text"]) if len(w) >= MIN_WORD] or words(quote["text"]) or ["x"]
        word = rng.choice(long_words)
        day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - rng.random() * DAYS * 86_400))
        until = time.strftime("%Y-%m-%d", time.gmtime(time.mktime(time.strptime(day, "%Y-%m-%d")) + 30 * 86_400))
        for kind, args in (("speaker", {"speaker": quote["speaker"]}), ("words", {"q": word}),
                           ("speaker+words", {"speaker": quote["speaker"], "q": word}),
                           ("words+dates", {"q": word, "since": day, "until": until})):
            t = time.perf_counter()
            library.search("web", limit=20, **args)
            kinds[kind].append(time.perf_counter() - t)
    return {"entries": entries, "quotes": quotes, "fill_s": fill,
            "p95_ms": {k: p95(v) for k, v in kinds.items()},
            "median_ms": {k: statistics.median(v) * 1000 for k, v in kinds.items()}}


def report(name: str, r: dict[str, Any], size: int) -> None:
    print(f"{name}: {r['entries']} digests, {r['quotes']} quotes kept in {r['fill_s']:.1f} s = "
          f"{r['entries'] / r['fill_s']:.0f} digests/s, {r['quotes'] / r['fill_s']:.0f} quotes/s; "
          f"database {size / 1e6:.1f} MB")
    for kind, ms in r["p95_ms"].items():
        print(f"{name}: search {kind:<14} p95 {ms:6.1f} ms (median {r['median_ms'][kind]:.1f} ms, 20 per page)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--digests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    digests = synthetic(args.digests, args.seed, args.eval)
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / FILENAME
            library = Library(SQLiteBackend(path), max_entries=0)
            result = run(library, digests, args.seed)
            library.backend._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = sum(p.stat().st_size for p in Path(tmp).iterdir())
            library.close()
            report("sqlite", result, size)
    if args.backend in ("postgresql", "both"):
        from server.library.postgres import PostgresBackend
        from tests.support.postgres import PostgresServer  # the tests' own server: Debian's PostgreSQL in a temp dir

        server = PostgresServer()
        try:
            library = Library(PostgresBackend(server.url), max_entries=0)
            result = run(library, digests, args.seed, after_fill=_pg_analyze)
            with library.backend.transaction() as cur:
                cur.execute("SELECT pg_database_size(current_database())")
                size = cur.fetchone()[0]
            library.close()
            report("postgresql", result, size)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Big pages: a 50 KB article inside more than 5 MB of menus, teaser cards and a long comment thread.

Usage::

    python bench/bigpage.py            # build both pages, digest them in fresh ``pith digest`` processes

Prints, for the big page, the article's F1 (word 4-gram shingles, as the extraction benchmark), the wall time of
the digest in a fresh process and its peak memory above the process's RSS after import; for the variant over the
element limit, the error code (``too_large`` expected). Targets: F1 >= 0.9, < 3 s, < 500 MB.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_WORDS = re.findall(r"\w+", "harbour council bridge water river plan budget year town village school road council "
                    "members vote money engineers report summer winter station train line ferry island market "
                    "workers union company village hall meeting residents officials agency weather storm flood "
                    "repair costs contract")
_NAMES = ["Ada Quill", "Bo Tarrant", "Cleo Marsh", "Dev Okafor", "Edda Lind", "Fitz Rowe", "Gia Poll"]

_RUNNER = """
import json, resource, sys, time
from server.cli import main
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
code = main(["digest", sys.argv[1], "--format", "json"])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from server.core.errors import PithError
from server.core.pipeline import build_digest
page = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
try:
    build_digest(page)
except PithError:
    pass
warm = time.perf_counter() - start
print(json.dumps({"exit": code, "seconds": seconds, "warm": warm, "peak_mb": (peak - before) / 1024}),
      file=sys.stderr)
"""


def _sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(_WORDS) for _ in range(n)).capitalize() + "."


def article_paragraphs(seed: int = 1, chars: int = 50_000) -> list[str]:
    """The article: invented prose paragraphs of about ``chars`` characters in all."""
    rnd = random.Random(seed)
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < chars:
        paragraphs.append(" ".join(_sentence(rnd, rnd.randint(12, 24)) for _ in range(rnd.randint(3, 6))))
    return paragraphs


def _menu(rnd: random.Random, n: int) -> str:
    items = "".join(f"<li class='menu-item'><a href='/s/{i}'><span>Section {i}</span></a></li>" for i in range(n))
    return f"<nav class='main-menu'><ul>{items}</ul></nav>"


def _cards(rnd: random.Random, n: int) -> str:
    cards = "".join(
        f"<div class='teaser-card'><a href='/a/{i}'><img src='/i/{i}.jpg' alt=''><h3>{_sentence(rnd, 6)}</h3></a>"
        f"<p class='teaser-text'>{_sentence(rnd, 14)}</p><span class='teaser-date'>2026-01-{i % 28 + 1:02d}</span>"
        f"</div>" for i in range(n))
    return f"<section class='related-articles'>{cards}</section>"


def _comments(rnd: random.Random, n: int) -> str:
    posts = "".join(
        f"<li class='comment'><div class='comment-meta'><b>{rnd.choice(_NAMES)}</b> <time>{i} min ago</time></div>"
        f"<div class='comment-body'><p>{_sentence(rnd, rnd.randint(10, 40))}</p></div>"
        f"<div class='comment-actions'><a href='#r{i}'>Reply</a> <a href='#l{i}'>Like</a></div></li>"
        for i in range(n))
    return f"<section id='comments' class='comments'><h2>Comments</h2><ol>{posts}</ol></section>"


def _boxes(rnd: random.Random, n: int) -> str:
    """Unmarked layout: nested boxes that no pruning rule recognises (for the variant over the limit)."""
    return "".join(f"<div><div><span>{rnd.choice(_WORDS)}</span><em>{i}</em></div></div>" for i in range(n))


def build(*, over_limit: bool = False, seed: int = 1) -> tuple[str, list[str]]:
    """The big page (HTML) and its article's paragraphs."""
    rnd = random.Random(seed)
    paragraphs = article_paragraphs(seed)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<!DOCTYPE html><html><head><title>Harbour plan approved | The Example Gazette</title>"
            f"<meta property='og:site_name' content='The Example Gazette'></head><body>"
            f"<header>{_menu(rnd, 400)}</header>"
            f"<div class='layout'><main><article><h1>Harbour plan approved</h1>"
            f"<div class='article-body'>{body}</div></article>"
            f"{_cards(rnd, 9000)}{_comments(rnd, 9000)}"
            f"{_boxes(rnd, 40_000) if over_limit else ''}</main>"
            f"<aside class='sidebar'>{_cards(rnd, 1500)}</aside></div>"
            f"<footer class='site-footer'>{_menu(rnd, 300)}</footer></body></html>")
    return html, paragraphs


def f1(truth: str, pred: str) -> float:
    """Word 4-gram shingle F1 of one page (the extraction benchmark's measure)."""
    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i:i + 4]) for i in range(max(0, len(words) - 3))}
    t, p = shingles(truth), shingles(pred)
    if not t or not p:
        return 0.0
    tp = len(t & p)
    precision, recall = tp / len(p), tp / len(t)
    return 2 * precision * recall / (precision + recall) if tp else 0.0


def digest_in_fresh_process(path: Path) -> tuple[dict, dict]:
    """Run ``pith digest PATH --format json`` in a new interpreter: (its JSON line, its timing and memory)."""
    out = subprocess.run([sys.executable, "-c", _RUNNER, str(path)], capture_output=True, text=True, cwd=ROOT,
                         check=False)
    stats = json.loads(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout.strip().splitlines()[-1]), stats


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pith-big-") as tmp:
        for over in (False, True):
            html, paragraphs = build(over_limit=over)
            path = Path(tmp) / ("over.html" if over else "big.html")
            path.write_text(html, encoding="utf-8")
            elements = html.count("<") - html.count("</")
            result, stats = digest_in_fresh_process(path)
            name = "big page over the limit" if over else "big page"
            if "error" in result:
                outcome = f"error {result['error']['code']}"
            else:
                outcome = f"F1 {f1(chr(10).join(paragraphs), result['text']):.3f}"
            print(f"{name:<26} {len(html) / 1e6:5.1f} MB {elements:>8} elements  {outcome:<16} "
                  f"{stats['seconds']:5.2f} s fresh, {stats['warm']:5.2f} s warm  peak +{stats['peak_mb']:.0f} MB  "
                  f"(targets: F1 >= 0.9 or too_large, < 3 s, < 500 MB)")


if __name__ == "__main__":
    main()

"""Metadata benchmark on a made-up set: title, author, date and site of small pages written for Pith.

Usage::

    python bench/metadata.py            # accuracy per field and every miss

The pages in ``bench/data/metadata/`` are invented (no real outlet or person); ``expected.json`` holds their
title, author, date and site (``null`` where the right answer is "unknown"). A field counts as right only when it
equals the expectation exactly, so a guess where ``null`` is expected is a miss.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.core.errors import PithError  # noqa: E402
from server.core.extract.html import extract_html  # noqa: E402

DATA = ROOT / "bench" / "data" / "metadata"
FIELDS = ("title", "author", "date", "site")
UNSEEN = "unseen-"  # pages added after the metadata rules were written, to estimate the figure on new pages


def run() -> dict[str, list[tuple[str, object, object]]]:
    """``{field: [(page, expected, got) for every miss]}``, with ``"_pages"`` counting the pages."""
    expected = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    misses: dict[str, list[tuple[str, object, object]]] = {f: [] for f in FIELDS}
    for name, want in sorted(expected.items()):
        html = (DATA / f"{name}.html").read_text(encoding="utf-8")
        try:
            article = extract_html(html, want["url"])
            got = {f: getattr(article, f) for f in FIELDS}
        except PithError as err:
            got = {f: f"<{err.code}>" for f in FIELDS}
        for field in FIELDS:
            if got[field] != want[field]:
                misses[field].append((name, want[field], got[field]))
    misses["_pages"] = [("", len(expected), None)]
    return misses


def main() -> None:
    misses = run()
    pages = int(misses.pop("_pages")[0][1])  # type: ignore[arg-type]
    scores = {f: 1 - len(misses[f]) / pages for f in FIELDS}
    print(f"Metadata, made-up set ({pages} pages): " + "  ".join(f"{f} {scores[f]:.3f}" for f in FIELDS)
          + f"  all {sum(scores.values()) / len(FIELDS):.3f}")
    unseen = sum(1 for name in json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
                 if name.startswith(UNSEEN))
    missed = sum(1 for f in FIELDS for name, _, _ in misses[f] if name.startswith(UNSEEN))
    print(f"  of which '{UNSEEN}*' pages (written after the rules, never tuned on): {unseen} pages, "
          f"{1 - missed / max(1, unseen * len(FIELDS)):.3f} of their fields right")
    for field in FIELDS:
        for name, want, got in misses[field]:
            print(f"  {field:<6} {name:<24} expected {want!r:<32} got {got!r}")


if __name__ == "__main__":
    main()

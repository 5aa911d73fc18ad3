"""Digest every shared eval page and write one JSON line per page: a refactor's output must not change."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

try:  # the layout since the core got its own home
    from server.core.digest import Article
    from server.core.errors import PithError
    from server.core.pipeline import build_digest, digest_article
except ImportError:  # the flat layout before it, so that one script compares both
    from server.digest import Article  # type: ignore[no-redef]
    from server.errors import PithError  # type: ignore[no-redef]
    from server.pipeline import build_digest, digest_article  # type: ignore[no-redef]

EVAL = ROOT.parent / "shared" / "eval"
FIXTURES = ROOT.parent / "shared" / "fixtures"


def pages() -> list[tuple[str, str, str]]:
    """(name, kind, content) of every eval page: HTML, text dumps, quote gold texts, summary texts."""
    out = []
    for p in sorted((EVAL / "extraction" / "scrapinghub" / "html").glob("*.html.gz")):
        out.append((f"html/{p.name}", "html", gzip.decompress(p.read_bytes()).decode("utf-8")))
    for p in sorted((EVAL / "textdumps" / "scrapinghub").glob("*.txt")):
        out.append((f"dump/{p.name}", "text", p.read_text(encoding="utf-8")))
    for p in sorted((EVAL / "quotes" / "gold").glob("*.json")):
        out.append((f"gold/{p.name}", "article", json.loads(p.read_text(encoding="utf-8"))["text"]))
    for data in sorted((EVAL / "summaries").glob("*.jsonl")):
        for line in data.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            out.append((f"sum/{data.stem}/{r['id']}", "article", r["text"]))
    out.append(("fixture/html", "html", (FIXTURES / "stargate-de.html").read_text(encoding="utf-8")))
    out.append(("fixture/txt", "text", (FIXTURES / "stargate-de.txt").read_text(encoding="utf-8")))
    return out


def digest_one(kind: str, content: str) -> dict:
    """The digest of one page as a dict, or its error."""
    try:
        if kind == "article":
            return digest_article(Article(text=content)).to_dict()
        return build_digest(content, input=kind).to_dict()
    except PithError as e:
        return {"error": e.code}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path, help="JSONL file to write")
    args = ap.parse_args()
    h = hashlib.sha256()
    with args.out.open("w", encoding="utf-8") as f:
        for name, kind, content in pages():
            line = json.dumps({"page": name, "digest": digest_one(kind, content)}, ensure_ascii=False,
                              sort_keys=True)
            f.write(line + "\n")
            h.update(line.encode("utf-8"))
    print(f"{args.out}: sha256 {h.hexdigest()}")


if __name__ == "__main__":
    main()

"""How digest time grows with the input: quote-heavy and prose texts from 10 KB to 10 MB (the curve).

Texts are generated (invented names and sentences, German and English mixed). Each size is digested once
through the same budgeted worker the API uses (``digest_within``), so a size that runs away is stopped at
``--timeout`` instead of hanging the bench. Sizes above ``--max-bytes`` are left out, so the default run
takes minutes; ``--max-bytes 10000000`` runs the whole curve.

    python bench/scaling.py [--max-bytes 1000000] [--timeout 120] [--kinds quotes,prose]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.core.errors import PithError
from server.service.budget import digest_within

SIZES = [10_000, 30_000, 100_000, 300_000, 700_000, 1_000_000, 3_000_000, 10_000_000]
FIRST = ["Anna", "Bernd", "Clara", "Dieter", "Emma", "Felix", "Greta", "Hans", "Ines", "Jonas",
         "Karin", "Lukas", "Mara", "Niklas", "Olga", "Paul"]
LAST = ["Beispiel", "Muster", "Probe", "Vorlage", "Entwurf", "Skizze", "Abbild", "Modell"]
ROLES = ["die Bürgermeisterin", "der Sprecher des Verbands", "die Ärztin", "der Gemeinderat", "die Forscherin"]
SUBJECTS = ["Die Gemeinde", "Der Verband", "Das Unternehmen", "Die Schule", "Der Verein", "Die Klinik"]
VERBS = ["plant", "baut", "prüft", "eröffnet", "verschiebt", "finanziert"]
OBJECTS = ["eine neue Brücke", "das Hallenbad", "einen Radweg", "die Sanierung des Bahnhofs", "ein Labor"]
SAID_DE = ["sagte", "erklärte", "betonte", "meinte"]
SAID_EN = ["said", "added", "explained"]


def quote_heavy(n_bytes: int, rng: random.Random) -> str:
    """Short attributed quotes, one after another, five to a paragraph (the slowest shape for the quote stage)."""
    paragraphs, size, i = ["Zitate aus der Sitzung"], 0, 0
    while size < n_bytes:
        lines = []
        for _ in range(5):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if i % 3 == 2:
                lines.append(f"“We will decide on item {i} next week,” {rng.choice(SAID_EN)} {name}.")
            else:
                lines.append(f"«Punkt {i} ist für uns wichtig», {rng.choice(SAID_DE)} {name}, {rng.choice(ROLES)}.")
            i += 1
        paragraph = " ".join(lines)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(paragraphs)


def prose(n_bytes: int, rng: random.Random) -> str:
    """Ordinary reporting: paragraphs of sentences with figures, dates and now and then a quote."""
    paragraphs, size, i = ["Bericht aus der Region\n"], 0, 0
    while size < n_bytes:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            i += 1
            sentences.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} für "
                             f"{rng.randint(2, 90)},{rng.randint(1, 9)} Millionen Franken bis {2026 + i % 9}.")
        if i % 5 == 0:
            sentences.append(f"«Das ist ein guter Tag für Projekt {i}», sagte {rng.choice(FIRST)} {rng.choice(LAST)}.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    return "\n\n".join(paragraphs)


GENERATORS = {"quotes": quote_heavy, "prose": prose}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-bytes", type=int, default=1_000_000, help="largest size to run (default 1 MB)")
    parser.add_argument("--timeout", type=float, default=120.0, help="stop one digest after this many seconds")
    parser.add_argument("--kinds", default="quotes,prose", help="comma-separated: quotes, prose")
    args = parser.parse_args(argv)
    digest_within(prose(5_000, random.Random(0)), args.timeout, input="text")  # starts the worker, loads models
    print(f"{'kind':<7} {'size':>9} {'seconds':>8} {'s/MB':>7} {'quotes':>7} {'summary':>7}")
    for kind in args.kinds.split(","):
        for size in (s for s in SIZES if s <= args.max_bytes):
            text = GENERATORS[kind](size, random.Random(size))
            start = time.perf_counter()
            try:
                digest = digest_within(text, args.timeout, input="text")
                took = time.perf_counter() - start
                found = f"{len(digest.quotes):>7} {len(digest.summary):>7}"
            except PithError as exc:
                took = time.perf_counter() - start
                found = f"  stopped: {exc.code}" if exc.code == "digest_timeout" else f"  {exc.code}"
            mb = len(text.encode("utf-8")) / 1e6
            print(f"{kind:<7} {size / 1000:>7.0f}KB {took:>8.2f} {took / mb:>7.2f} {found}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

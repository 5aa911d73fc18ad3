"""`pith library clear|repair|export`: empty it, rebuild a damaged SQLite file, save every entry as JSON Lines."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from server.library import open_library, repair_sqlite
from server.library.sqlite import FILENAME
from server.library.store import LibraryUnavailable, iso


def run_library(action: str, config: Any, *, owner: str | None = None, output: str | None = None,
                out: TextIO = sys.stdout) -> int:
    """Run one library action; 0 on success, 1 when the library cannot do it."""
    config = replace(config, library=True)  # the commands work on the store even with PITH_LIBRARY=0
    sqlite_path = Path(config.data_dir) / FILENAME
    if action == "repair":
        if config.database_url:
            print("pith library repair: rebuilds the SQLite library; for PostgreSQL use its own tools "
                  "(pg_dump, REINDEX).", file=sys.stderr)
            return 1
        if not sqlite_path.exists():
            print(f"pith library repair: there is no library at {sqlite_path}.", file=sys.stderr)
            return 1
        saved, aside = repair_sqlite(sqlite_path)
        print(f"Rebuilt the library with {saved} readable pages; the old file is kept as {aside}.")
        return 0
    library = open_library(config)
    assert library is not None
    try:
        if action == "clear":
            removed = library.clear(owner)
            print(f"Removed {removed} pages from the library" + (f" of {owner}." if owner else "."))
            return 0
        stream = open(output, "w", encoding="utf-8") if output else out  # noqa: SIM115 - closed below
        try:
            n = 0
            for item in library.export():
                stream.write(json.dumps({"owner": item["owner"], "kept_at": iso(item["kept_at"]),
                                         "digest": item["digest"]}, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if output:
                stream.close()
        print(f"Exported {n} pages.", file=sys.stderr)
        return 0
    except LibraryUnavailable as exc:
        print(f"pith library {action}: the library cannot be used ({exc}); try `pith library repair`.",
              file=sys.stderr)
        return 1
    finally:
        library.close()

"""Who said what: every digest a face answered, kept per owner, with its quotes searchable (SPEC §7)."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from server.library.store import Library, LibraryUnavailable

log = logging.getLogger("pith.library")

WEB_OWNER = "web"  # the API, the web page and the extension share one library

__all__ = ["WEB_OWNER", "Library", "LibraryUnavailable", "chat_owner", "keep_quietly", "open_library",
           "repair_sqlite"]


def chat_owner(chat_id: int) -> str:
    """The owner of one Telegram chat's library."""
    return f"tg:{chat_id}"


def open_library(config: Any) -> Library | None:
    """The library the configuration asks for (None with PITH_LIBRARY=0): PostgreSQL or SQLite in the data dir."""
    if not getattr(config, "library", True):
        return None
    url = getattr(config, "database_url", None)
    max_entries = getattr(config, "library_max_entries", 10_000)
    if url and url.startswith(("postgresql://", "postgres://")):
        from server.library.postgres import PostgresBackend

        return Library(PostgresBackend(url), max_entries=max_entries)
    if url:
        raise ValueError("PITH_DATABASE_URL must be a postgresql:// address")
    from server.library.sqlite import FILENAME, SQLiteBackend

    return Library(SQLiteBackend(Path(config.data_dir) / FILENAME), max_entries=max_entries)


def keep_quietly(library: Library | None, owner: str, digest: dict[str, Any]) -> int | None:
    """Keep a digest; a library that fails is logged, never the face's failure."""
    if library is None:
        return None
    try:
        return library.keep(owner, digest)
    except LibraryUnavailable as exc:
        log.warning("The digest was not kept in the library: %s", exc)
    except Exception:
        log.exception("The digest was not kept in the library")
    return None


def repair_sqlite(path: Path, *, max_entries: int = 0) -> tuple[int, Path]:
    """Rebuild a damaged SQLite library from what can be read; the old file is moved aside, never deleted.

    Returns the number of entries saved and where the old file now is.
    """
    from server.library.sqlite import SQLiteBackend

    old = SQLiteBackend(path, check=False)
    fresh_path = path.with_name(path.name + ".repairing")
    for leftover in (fresh_path, Path(f"{fresh_path}-wal"), Path(f"{fresh_path}-shm")):
        leftover.unlink(missing_ok=True)
    fresh = Library(SQLiteBackend(fresh_path), max_entries=max_entries)
    saved = 0
    for item in old.export():
        fresh.keep(item["owner"], item["digest"], kept_at=item["kept_at"])
        saved += 1
    old.close()
    fresh.close()
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            os.replace(src, Path(f"{aside}{suffix}"))
    os.replace(fresh_path, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{fresh_path}{suffix}").unlink(missing_ok=True)
    return saved, aside

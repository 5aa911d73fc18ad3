"""Per-language knowledge as data: ``<dir>/<lang>/<topic>.json`` on a search path; adding a language is adding files.

The search path is the extra directories of the digest being made (``build_digest(..., langdata_dirs=…)``, or
``PITH_LANGDATA_DIRS`` read by the faces), then this package's own tables. A table is merged key by key: a key
of an earlier directory replaces the same key of later ones and of the built-in table (a list is replaced whole).
The extra directories are held in a context variable for the duration of one digest,
so that stage modules need not pass them along; every key is listed in ``README.md`` beside this file.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

ENV_DIRS = "PITH_LANGDATA_DIRS"  # os.pathsep-separated directories, read by the faces (service config), not here

_extra: ContextVar[tuple[str, ...]] = ContextVar("pith_langdata_dirs", default=())
F = TypeVar("F", bound=Callable[..., Any])


def search_path() -> tuple[str, ...]:
    """The extra directories in force (searched before the built-in tables), as normalised absolute paths."""
    return _extra.get()


def dirs_from_env(value: str | None) -> tuple[str, ...]:
    """``PITH_LANGDATA_DIRS``'s directories (``os.pathsep``-separated; empty parts ignored)."""
    return tuple(p for p in (value or "").split(os.pathsep) if p.strip())


@contextlib.contextmanager
def using(dirs: Sequence[str | os.PathLike[str]] | None) -> Iterator[tuple[str, ...]]:
    """Search ``dirs`` (before the built-in tables) inside the ``with`` block; ``None`` or empty keeps the
    current path. Raises ``ValueError`` for a directory that does not exist."""
    if not dirs:
        yield _extra.get()
        return
    resolved = tuple(str(Path(d).expanduser().resolve()) for d in dirs)
    missing = [d for d in resolved if not Path(d).is_dir()]
    if missing:
        raise ValueError(f"language data directory not found: {', '.join(missing)}")
    token = _extra.set(resolved)
    try:
        yield resolved
    finally:
        _extra.reset(token)


def cached(func: F) -> F:
    """``functools.cache`` for tables derived from langdata: the cache key includes the search path, so a digest
    with other language directories never sees tables prepared from another path."""
    inner = functools.cache(lambda path, *args, **kwargs: func(*args, **kwargs))

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return inner(_extra.get(), *args, **kwargs)

    wrapper.cache_clear = inner.cache_clear  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _valid(name: str | None) -> bool:
    return bool(name) and name.isalpha()  # type: ignore[union-attr]


@functools.cache
def _read(lang: str, topic: str, path: tuple[str, ...]) -> dict[str, Any]:
    own = resources.files(__package__).joinpath(lang, f"{topic}.json")
    table = json.loads(own.read_text(encoding="utf-8")) if own.is_file() else {}
    for folder in reversed(path):  # the first directory has the last word
        file = Path(folder, lang, f"{topic}.json")
        if file.is_file():
            table = {**table, **json.loads(file.read_text(encoding="utf-8"))}
    return table


def load(lang: str | None, topic: str) -> dict[str, Any]:
    """The ``topic`` table for ``lang`` (e.g. ``load("de", "quotes")``); ``{}`` when there is none.
    The same object is returned on every call with the same search path: treat it as read-only."""
    if not _valid(lang) or not _valid(topic.replace("_", "")):
        return {}
    return _read(lang, topic, _extra.get())  # type: ignore[arg-type]


@functools.cache
def _languages(topic: str, path: tuple[str, ...]) -> list[str]:
    roots = [resources.files(__package__), *(Path(folder) for folder in path)]
    return sorted({p.name for root in roots for p in root.iterdir()
                   if p.is_dir() and _valid(p.name) and p.joinpath(f"{topic}.json").is_file()})


def languages(topic: str) -> list[str]:
    """Languages that have a ``topic`` table on the search path."""
    return list(_languages(topic, _extra.get()))

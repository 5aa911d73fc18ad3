"""Fixtures for the library tests: a SQLite library in a temp dir, and Debian's PostgreSQL started on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.library import Library
from server.library.sqlite import FILENAME, SQLiteBackend
from tests.support.postgres import PostgresServer
from tests.support.requires import missing


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(on_missing=missing)
    yield server
    server.stop()


def _wipe_postgres(url: str) -> None:
    import psycopg

    deadline = time.monotonic() + 10
    while True:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DROP TABLE IF EXISTS quotes, entries, owners, library_migrations CASCADE")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(params=["sqlite", "postgresql"])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Library]:
    """An empty library on each backend (the same tests run on both)."""
    if request.param == "sqlite":
        lib = Library(SQLiteBackend(tmp_path / FILENAME))
    else:
        from server.library.postgres import PostgresBackend

        server = request.getfixturevalue("postgres")
        _wipe_postgres(server.url)
        lib = Library(PostgresBackend(server.url))
    yield lib
    lib.close()

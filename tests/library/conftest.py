"""Fixtures for the library tests: a SQLite library in a temp dir, and Debian's PostgreSQL started on 127.0.0.1."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.library import Library
from server.library.sqlite import FILENAME, SQLiteBackend
from tests.support.requires import missing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """Debian's PostgreSQL in a temporary directory, on a free loopback port, trust auth; stopped at the end."""

    def __init__(self) -> None:
        bindir = _pg_bin()
        if bindir is None:
            missing("PostgreSQL (apt-get install postgresql)")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="pith-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as the package's postgres user
            user = "postgres" if shutil.which("runuser") else None
            if user is None:
                missing("runuser (needed to start PostgreSQL as root)")
            shutil.chown(self.root, user)
            self.as_user = ["runuser", "-u", user, "--"]
        self._run("initdb", "-D", str(self.data), "-U", "pith", "--auth=trust", "-E", "UTF8", "--no-locale")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "30", "start", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off")
        self.url = f"postgresql://pith@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run([*self.as_user, str(self.bindir / tool), *args], capture_output=True, text=True,
                                timeout=120, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stdout[-2000:]} {result.stderr[-2000:]}")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
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

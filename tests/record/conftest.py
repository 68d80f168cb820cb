"""Fixtures of the record's tests: a real PostgreSQL server in a temporary directory, a fresh
database per test, a store on either backend, and a clock the test moves."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from playbook.record import service as service_mod
from playbook.record.backends import open_store
from playbook.record.store import SqlStore

START = datetime(2026, 11, 21, 14, 0, tzinfo=timezone.utc)


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server on a Unix socket only, as the `postgres` user when we are root."""
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed here (no /usr/lib/postgresql/*/bin/initdb)")
    base = Path(tempfile.mkdtemp(prefix="playbook-pg-"))
    sock = base / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        import pwd

        pw = pwd.getpwnam("postgres")
        for path in (base, sock):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "playbook", "-A", "trust", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                    f"-k {sock} -c listen_addresses='' -c fsync=off -c max_connections=50", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://playbook@/postgres?host={sock}"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty database on the test server."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg_server.replace("/postgres?", f"/{name}?")


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """PLAYBOOK_STORE for a fresh record on each backend (set in the environment too)."""
    url = f"sqlite:{tmp_path / 'record.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    monkeypatch.setenv("PLAYBOOK_STORE", url)
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    s = open_store("2026-11-21T14:00:00.000000Z", {"PLAYBOOK_STORE": store_url})
    assert isinstance(s, SqlStore)
    yield s
    s.close()


class Clock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(service_mod, "utcnow", c)
    return c

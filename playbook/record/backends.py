"""Opening the incident record (`open_store`), and the two databases behind `store.SqlStore`:
SQLite (the default, embedded) and PostgreSQL (a team's shared record,
`PLAYBOOK_STORE=postgresql://…`).

SQLite runs in WAL mode with `synchronous=FULL`: readers never wait for the writer, and a
committed event survives a crash; writers take the lock up front (`BEGIN IMMEDIATE`) and wait
for each other up to 30 s. The file is created 0600 in a 0700 directory: an incident record
is confidential. PostgreSQL is reached with psycopg 3, imported only when a URL asks for it.
Every driver error becomes a one-line `StoreError` naming the record (a URL never shows its
password); a unique-constraint violation is left for the store's retry.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playbook.record.store import SqlStore, Store, StoreError

BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x706C6179  # an advisory lock key: 'play'


class SqliteStore(SqlStore):
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str) -> None:
        self.label = path
        target = Path(path)
        if target.is_dir():
            raise StoreError(f"{path}: is a directory; the incident record is a file")
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
            self.conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the incident record ({_reason(exc)})") from None
        try:
            for pragma in (f"busy_timeout = {BUSY_TIMEOUT_MS}", "journal_mode = WAL", "synchronous = FULL",
                           "foreign_keys = ON"):
                self.conn.execute(f"PRAGMA {pragma}")
        except sqlite3.Error as exc:
            self.conn.close()
            raise StoreError(f"{path}: not a playbook incident record ({_reason(exc)})") from None

    @contextmanager
    def _write(self) -> Iterator[Any]:
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                if self.conn.in_transaction:
                    cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(f"{self.label}: {_reason(exc)}") from None

    @contextmanager
    def _read(self) -> Iterator[Any]:
        try:
            yield self.conn.cursor()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.label}: {_reason(exc)}") from None

    def close(self) -> None:
        self.conn.close()


class PostgresStore(SqlStore):
    placeholder = "%s"
    lock_suffix = " FOR UPDATE"

    def __init__(self, url: str) -> None:
        self.label = redact(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError(f"PLAYBOOK_STORE={self.label}: PostgreSQL needs psycopg; install it with "
                             "pip install 'playbook[postgres]'") from None
        self._psycopg = psycopg
        self.integrity_errors = (psycopg.errors.IntegrityError,)
        try:
            self.conn: Any = psycopg.connect(url, autocommit=True, connect_timeout=10,
                                             application_name="playbook")
        except psycopg.Error as exc:
            raise StoreError(f"PLAYBOOK_STORE={self.label}: cannot connect ({_scrub(str(exc), url)})") from None
        self._url = url

    @contextmanager
    def _write(self) -> Iterator[Any]:
        psycopg = self._psycopg
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                yield cur
        except psycopg.errors.IntegrityError:
            raise
        except psycopg.Error as exc:
            raise StoreError(f"{self.label}: {_scrub(str(exc), self._url)}") from None

    @contextmanager
    def _read(self) -> Iterator[Any]:
        try:
            with self.conn.cursor() as cur:
                yield cur
        except self._psycopg.Error as exc:
            raise StoreError(f"{self.label}: {_scrub(str(exc), self._url)}") from None

    def _lock_migrations(self, cur: Any) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))

    def close(self) -> None:
        self.conn.close()


def redact(url: str) -> str:
    """A database URL fit to print: no password, in the address or in its parameters."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if parts.password is not None:
            user = parts.username or ""
            host = netloc.rpartition("@")[2]
            netloc = f"{user}:***@{host}"
        query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query)])
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return "<an unreadable URL>"


def _scrub(message: str, url: str) -> str:
    """A driver's message on one line, without the password should it quote one."""
    try:
        secrets = [s for s in (urlsplit(url).password, *(v for k, v in parse_qsl(urlsplit(url).query)
                                                         if k.lower() == "password")) if s]
    except ValueError:
        secrets = []
    for secret in secrets:
        message = message.replace(secret, "***")
    return "; ".join(line.strip() for line in message.strip().splitlines() if line.strip())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return (exc.strerror or str(exc)).lower()
    return str(exc)


def open_store(now: str, env: dict[str, str] | None = None) -> Store:
    """The store `PLAYBOOK_STORE` names (a postgresql:// URL, or sqlite:PATH), else the SQLite
    record in the user data directory (`PLAYBOOK_HOME` moves it); migrated on first use."""
    environ = os.environ if env is None else env
    url = environ.get("PLAYBOOK_STORE", "").strip()
    store: SqlStore
    if url.startswith(("postgresql://", "postgres://")):
        store = PostgresStore(url)
    elif url.startswith("sqlite:"):
        path = url[len("sqlite:"):].removeprefix("//")
        if not path:
            raise StoreError("PLAYBOOK_STORE=sqlite: give a file, e.g. sqlite:/srv/playbook/incidents.db")
        store = SqliteStore(path)
    elif url:
        shown = redact(url)
        raise StoreError(f"PLAYBOOK_STORE={shown}: unknown store; expected postgresql://USER@HOST/DB "
                         "or sqlite:PATH (empty: the SQLite record in the user data directory)")
    else:
        store = SqliteStore(str(default_path()))
    try:
        store.migrate(now)
    except BaseException:
        store.close()
        raise
    return store


def default_path() -> Any:
    from playbook.userenv import data_dir

    return data_dir() / "incidents.db"

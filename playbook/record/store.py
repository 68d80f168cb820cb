"""Where incident records live: one schema, two databases, appends that never lose an event.

The store knows events, not incidents' meaning: it creates an incident with its first events,
appends events, and reads them back in order. Every write is one transaction: the events of one
command (an update writes its answers, decision and drafts) are all there or none is, so a
process killed at any point never leaves half of one.

Schema (identical in SQLite and PostgreSQL; SQL text is constant, every value a parameter):

    schema_migrations (version PK, description, applied_at)
    incidents (id PK, created_at, last_seq)                    last_seq: added by migration 2
    events (id PK, incident_id → incidents, seq, at, actor, type, payload JSON text,
            UNIQUE (incident_id, seq))

Appends serialise on the incident's row (SQLite: one writer at a time, `BEGIN IMMEDIATE`;
PostgreSQL: `SELECT … FOR UPDATE`), take `last_seq + 1…` and move the counter; the unique
constraint is the last guard: should it ever fire, the counter is resynchronised from the
events and the append retried. `expect` turns an append into a compare-and-set for commands
that read the state first (approve, update): another writer in between is a `Conflict`, and
the service reads again.

Migrations are numbered and applied in order, in one transaction, on first use (`open_store`
in `backends`); a record
written by a newer playbook (a version this one does not know) is refused, never written to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from playbook.errors import UsageError
from playbook.record.model import Event, NewEvent

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "incidents and their append-only events", (
        "CREATE TABLE incidents (id TEXT PRIMARY KEY, created_at TEXT NOT NULL)",
        "CREATE TABLE events (id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents (id), "
        "seq INTEGER NOT NULL CHECK (seq > 0), at TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, "
        "payload TEXT NOT NULL, UNIQUE (incident_id, seq))",
    )),
    (2, "a per-incident event counter: appends serialise on the incident's row", (
        "ALTER TABLE incidents ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0",
        "UPDATE incidents SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM events "
        "WHERE events.incident_id = incidents.id)",
    )),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
MIGRATIONS_TABLE = ("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                    "description TEXT NOT NULL, applied_at TEXT NOT NULL)")
EVENT_COLUMNS = "id, incident_id, seq, at, actor, type, payload"
MAX_RETRIES = 8


class StoreError(UsageError):
    """The record cannot be opened, read or written: its place and why (exit 2)."""


class NotFound(UsageError):
    """No incident has this id."""


class IdTaken(Exception):
    """An incident with this id exists already (the service draws another id)."""


class Conflict(Exception):
    """Another writer appended since the state was read (`expect` did not hold)."""

    def __init__(self, last_seq: int) -> None:
        super().__init__(f"the incident moved on to event {last_seq}")
        self.last_seq = last_seq


class Store(Protocol):
    """An event store; `label` names it in messages (a path, or a URL without its password)."""

    label: str

    def create(self, incident: str, events: Sequence[NewEvent]) -> list[Event]: ...

    def append(self, incident: str, events: Sequence[NewEvent], expect: int | None = None) -> list[Event]: ...

    def events(self, incident: str) -> list[Event]: ...

    def all_events(self) -> dict[str, list[Event]]: ...

    def schema_version(self) -> int: ...

    def close(self) -> None: ...


class SqlStore:
    """The SQL both databases share; subclasses open the connection and a write transaction."""

    label = ""
    integrity_errors: tuple[type[Exception], ...] = ()
    lock_suffix = ""  # PostgreSQL: " FOR UPDATE"
    placeholder = "?"

    def _write(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def q(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def migrate(self, now: str) -> None:
        """Apply the migrations this record lacks, in one transaction; refuse a newer record."""
        with self._write() as cur:
            self._lock_migrations(cur)
            cur.execute(MIGRATIONS_TABLE)
            cur.execute("SELECT MAX(version) FROM schema_migrations")
            current = cur.fetchone()[0] or 0
            if current > SCHEMA_VERSION:
                raise StoreError(f"{self.label}: written by a newer playbook (record schema {current}; this "
                                 f"version knows up to {SCHEMA_VERSION}): upgrade playbook to use it")
            for version, description, statements in MIGRATIONS:
                if version > current:
                    for sql in statements:
                        cur.execute(sql)
                    cur.execute(self.q("INSERT INTO schema_migrations (version, description, applied_at) "
                                       "VALUES (?, ?, ?)"), (version, description, now))

    def _lock_migrations(self, cur: Any) -> None:
        """Two processes never migrate at once (SQLite's write lock suffices)."""

    def schema_version(self) -> int:
        with self._read() as cur:
            cur.execute("SELECT MAX(version) FROM schema_migrations")
            return int(cur.fetchone()[0] or 0)

    def create(self, incident: str, events: Sequence[NewEvent]) -> list[Event]:
        try:
            with self._write() as cur:
                cur.execute(self.q("SELECT 1 FROM incidents WHERE id = ?"), (incident,))
                if cur.fetchone() is not None:
                    raise IdTaken(incident)
                cur.execute(self.q("INSERT INTO incidents (id, created_at, last_seq) VALUES (?, ?, 0)"),
                            (incident, events[0].at))
                return self._insert(cur, incident, events, 0)
        except self.integrity_errors:
            raise IdTaken(incident) from None

    def append(self, incident: str, events: Sequence[NewEvent], expect: int | None = None) -> list[Event]:
        for _ in range(MAX_RETRIES):
            try:
                with self._write() as cur:
                    cur.execute(self.q(f"SELECT last_seq FROM incidents WHERE id = ?{self.lock_suffix}"), (incident,))
                    row = cur.fetchone()
                    if row is None:
                        raise NotFound(f"incident {incident}: not found in {self.label}")
                    if expect is not None and row[0] != expect:
                        raise Conflict(int(row[0]))
                    return self._insert(cur, incident, events, int(row[0]))
            except self.integrity_errors:
                self._resync(incident)
        raise StoreError(f"{self.label}: could not append to {incident} after {MAX_RETRIES} tries")

    def _insert(self, cur: Any, incident: str, events: Sequence[NewEvent], last: int) -> list[Event]:
        written = []
        for i, e in enumerate(events, start=last + 1):
            payload = json.dumps(e.payload, ensure_ascii=False, sort_keys=True, allow_nan=False)
            cur.execute(self.q(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                        (e.id, incident, i, e.at, e.actor, e.type, payload))
            written.append(Event(e.id, incident, i, e.at, e.actor, e.type, e.payload))
        cur.execute(self.q("UPDATE incidents SET last_seq = ? WHERE id = ?"), (last + len(events), incident))
        return written

    def _resync(self, incident: str) -> None:
        """The counter lagged behind the events (the unique constraint said so): catch it up."""
        with self._write() as cur:
            cur.execute(self.q("UPDATE incidents SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM events "
                               "WHERE events.incident_id = incidents.id) WHERE id = ?"), (incident,))

    def events(self, incident: str) -> list[Event]:
        with self._read() as cur:
            cur.execute(self.q(f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY seq"), (incident,))
            rows = cur.fetchall()
        if not rows:
            raise NotFound(f"incident {incident}: not found in {self.label}")
        return [self._event(r) for r in rows]

    def all_events(self) -> dict[str, list[Event]]:
        with self._read() as cur:
            cur.execute(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY incident_id, seq")
            rows = cur.fetchall()
        out: dict[str, list[Event]] = {}
        for r in rows:
            out.setdefault(r[1], []).append(self._event(r))
        return out

    def _event(self, row: Sequence[Any]) -> Event:
        try:
            payload = json.loads(row[6])
        except ValueError:
            raise StoreError(f"{self.label}: event {row[2]} of {row[1]} is damaged (its payload is not JSON)") from None
        if not isinstance(payload, dict):
            raise StoreError(f"{self.label}: event {row[2]} of {row[1]} is damaged (its payload is not an object)")
        return Event(str(row[0]), str(row[1]), int(row[2]), str(row[3]), str(row[4]), str(row[5]), payload)

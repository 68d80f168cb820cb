"""The store, on SQLite and on PostgreSQL: the same tests, the same schema."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from playbook.errors import UsageError
from playbook.record import ids
from playbook.record.backends import open_store
from playbook.record.model import NewEvent, fold
from playbook.record.store import SCHEMA_VERSION, Conflict, IdTaken, NotFound, SqlStore, StoreError

NOW = "2026-11-21T14:00:00.000000Z"
INC = "INC-20261121-7F3K"


def event(type_: str = "note", **payload: object) -> NewEvent:
    return NewEvent(ids.new_event_id(), NOW, "maud", type_, payload)


def opened() -> NewEvent:
    return event("opened", title="A guitar", lang="en", answers={"reach": "low"})


def test_create_append_read_in_order(store: SqlStore) -> None:
    store.create(INC, [opened(), event(text="one")])
    written = store.append(INC, [event(text="two"), event(text="three")])
    assert [e.seq for e in written] == [3, 4]
    events = store.events(INC)
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert [e.payload.get("text") for e in events] == [None, "one", "two", "three"]
    assert fold(events).notes[-1].text == "three"
    assert store.schema_version() == SCHEMA_VERSION


def test_expect_is_a_compare_and_set(store: SqlStore) -> None:
    store.create(INC, [opened()])
    store.append(INC, [event(text="a")], expect=1)
    with pytest.raises(Conflict) as caught:
        store.append(INC, [event(text="b")], expect=1)
    assert caught.value.last_seq == 2
    assert len(store.events(INC)) == 2


def test_a_taken_id_and_an_unknown_one(store: SqlStore) -> None:
    store.create(INC, [opened()])
    with pytest.raises(IdTaken):
        store.create(INC, [opened()])
    with pytest.raises(NotFound, match="INC-20261121-0000: not found"):
        store.append("INC-20261121-0000", [event()])
    with pytest.raises(NotFound):
        store.events("INC-20261121-0000")


def test_text_is_stored_literally(store: SqlStore) -> None:
    """Quotes, SQL, control codes, NUL, emoji: stored and read back as they were (parameters only)."""
    nasty = "Robert'); DROP TABLE events;-- \x00 \x1b[31m « é » 😀 \u202e"
    store.create(INC, [opened(), event(text=nasty)])
    assert store.events(INC)[1].payload["text"] == nasty
    assert list(store.all_events()) == [INC]


def test_all_events_by_incident(store: SqlStore) -> None:
    other = "INC-20261121-AAAA"
    store.create(INC, [opened()])
    store.create(other, [opened(), event()])
    store.append(INC, [event()])
    assert {k: [e.seq for e in v] for k, v in store.all_events().items()} == {INC: [1, 2], other: [1, 2]}


V1 = (  # the schema as playbook's first record wrote it: kept here, not imported, so it never moves
    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)",
    "CREATE TABLE incidents (id TEXT PRIMARY KEY, created_at TEXT NOT NULL)",
    "CREATE TABLE events (id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents (id), "
    "seq INTEGER NOT NULL CHECK (seq > 0), at TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL, "
    "payload TEXT NOT NULL, UNIQUE (incident_id, seq))",
    "INSERT INTO schema_migrations VALUES (1, 'incidents and their append-only events', '2026-01-01T00:00:00Z')",
    f"INSERT INTO incidents VALUES ('{INC}', '2026-01-01T00:00:00.000000Z')",
    f"INSERT INTO events VALUES ('01KAAAAAAAAAAAAAAAAAAAAAAA', '{INC}', 1, '2026-01-01T00:00:00.000000Z', 'maud', "
    "'opened', '{\"answers\": {\"reach\": \"low\"}, \"lang\": \"en\", \"title\": \"Old\"}')",
    f"INSERT INTO events VALUES ('01KAAAAAAAAAAAAAAAAAAAAAAB', '{INC}', 2, '2026-01-01T00:01:00.000000Z', 'tom', "
    "'note', '{\"text\": \"written by v1\"}')",
)


def _write_v1(store_url: str) -> None:
    if store_url.startswith("sqlite:"):
        conn = sqlite3.connect(store_url[len("sqlite:"):])
        for sql in V1:
            conn.execute(sql)
        conn.commit()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(store_url, autocommit=True) as conn:
            for sql in V1:
                conn.execute(sql)


def test_a_record_written_by_the_first_version_opens_and_grows(store_url: str) -> None:
    _write_v1(store_url)
    store = open_store(NOW, {"PLAYBOOK_STORE": store_url})
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert fold(store.events(INC)).notes[0].text == "written by v1"
        assert [e.seq for e in store.append(INC, [event(text="written now")], expect=2)] == [3]
    finally:
        store.close()
    again = open_store(NOW, {"PLAYBOOK_STORE": store_url})  # migrating twice changes nothing
    assert [e.seq for e in again.events(INC)] == [1, 2, 3]
    again.close()


def test_a_record_from_a_newer_version_is_refused(store: SqlStore, store_url: str) -> None:
    with store._write() as cur:
        cur.execute(store.q("INSERT INTO schema_migrations VALUES (?, ?, ?)"), (SCHEMA_VERSION + 1, "future", NOW))
    with pytest.raises(StoreError, match="written by a newer playbook"):
        open_store(NOW, {"PLAYBOOK_STORE": store_url})


def test_the_default_record_is_private_in_playbook_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    store = open_store(NOW, {})
    store.create(INC, [opened()])
    store.close()
    path = tmp_path / "home" / "incidents.db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


@pytest.mark.parametrize("value, message", [
    ("mysql://x", "unknown store"),
    ("sqlite:", "give a file"),
])
def test_bad_store_settings(value: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        open_store(NOW, {"PLAYBOOK_STORE": value})


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "junk.db"
    bad.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match=r"junk\.db"):
        open_store(NOW, {"PLAYBOOK_STORE": f"sqlite:{bad}"})
    with pytest.raises(StoreError, match="is a directory"):
        open_store(NOW, {"PLAYBOOK_STORE": f"sqlite:{tmp_path}"})


def test_an_unreachable_server_never_shows_its_password(tmp_path: Path) -> None:
    url = f"postgresql://maud:s3cret-pw@/nodb?host={tmp_path}&connect_timeout=2"
    with pytest.raises(StoreError) as caught:
        open_store(NOW, {"PLAYBOOK_STORE": url})
    assert "cannot connect" in str(caught.value) and "s3cret" not in str(caught.value)
    assert "maud:***@" in str(caught.value)

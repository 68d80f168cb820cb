"""Nothing lost: concurrent writers and `kill -9`, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from playbook.record import ids
from playbook.record.model import NewEvent, fold
from playbook.record.store import SqlStore

WRITER = str(Path(__file__).with_name("writer.py"))
INC = "INC-20261121-7F3K"
pytestmark = pytest.mark.slow


def _open(store: SqlStore) -> None:
    store.create(INC, [NewEvent(ids.new_event_id(), "2026-11-21T14:00:00.000000Z", "maud", "opened",
                                {"title": "t", "lang": "en", "answers": {}})])


def _env(store_url: str) -> dict[str, str]:
    return {**os.environ, "PLAYBOOK_STORE": store_url}


def test_four_processes_append_250_each_and_lose_nothing(store: SqlStore, store_url: str) -> None:
    _open(store)
    procs = [subprocess.Popen([sys.executable, WRITER, "notes", INC, f"w{n}", "250"], env=_env(store_url),
                              stderr=subprocess.PIPE, text=True) for n in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    events = store.events(INC)
    assert len(events) == 1001
    assert [e.seq for e in events] == list(range(1, 1002))
    assert len({e.id for e in events}) == 1001
    for n in range(4):  # each writer's events in the order it wrote them
        texts = [e.payload["text"] for e in events if e.actor == f"w{n}"]
        assert texts == [f"w{n}-{i}" for i in range(250)]
    assert len(fold(events).notes) == 1000


def test_kill_9_at_random_moments_never_leaves_half_a_write(store: SqlStore, store_url: str) -> None:
    _open(store)
    rng = random.Random(1521)
    kills = 0
    for round_ in range(6):
        child = subprocess.Popen([sys.executable, WRITER, "loop", INC, f"k{round_}"], env=_env(store_url),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        child.stdout.readline()  # it has written at least one batch
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        kills += child.returncode == -signal.SIGKILL
    assert kills == 6
    events = store.events(INC)  # every row parses
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    batches = Counter(e.payload["batch"] for e in events[1:])
    assert batches and set(batches.values()) == {3}, "a batch was half written"
    assert len(fold(events).notes) == len(events) - 1
    _open_again = store.append(INC, [NewEvent(ids.new_event_id(), "2026-11-21T15:00:00.000000Z", "maud", "note",
                                              {"text": "after"})])
    assert _open_again[0].seq == len(events) + 1

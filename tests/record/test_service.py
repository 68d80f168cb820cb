"""The service's compare-and-set: a writer in between is seen, and the command re-checked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from playbook.errors import UsageError
from playbook.record import ids
from playbook.record.model import Event, NewEvent
from playbook.record.service import Service, actor_name, user_text
from playbook.record.store import SqlStore

INC = "INC-20261121-7F3K"


class Interleaved:
    """A store where another terminal writes just before our first append."""

    def __init__(self, store: SqlStore, other: Sequence[NewEvent]) -> None:
        self.store, self.other, self.label = store, list(other), store.label

    def append(self, incident: str, events: Sequence[NewEvent], expect: int | None = None) -> list[Event]:
        if self.other:
            self.store.append(incident, [self.other.pop()])
        return self.store.append(incident, events, expect)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def _ev(type_: str, **payload: Any) -> NewEvent:
    return NewEvent(ids.new_event_id(), "2026-11-21T14:00:00.000000Z", "tom", type_, payload)


def test_a_concurrent_approval_is_seen_and_refused(store: SqlStore, rb: Any) -> None:
    store.create(INC, [_ev("opened", title="t", lang="en", answers={}), _ev("draft", draft="D1", kind="statement",
                                                                           text="We are sorry.")])
    other = _ev("approved", draft="D1", kind="statement", text="We are sorry.")
    service = Service(Interleaved(store, [other]), "maud")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="approved already, by tom"):
        service.approve(INC, "D1", rb)
    assert [e.type for e in store.events(INC)] == ["opened", "draft", "approved"]


def test_a_concurrent_note_does_not_stop_a_close(store: SqlStore) -> None:
    store.create(INC, [_ev("opened", title="t", lang="en", answers={})])
    service = Service(Interleaved(store, [_ev("note", text="meanwhile")]), "maud")  # type: ignore[arg-type]
    result = service.close(INC)
    assert [e.type for e in store.events(INC)] == ["opened", "note", "closed"]
    assert result.incident.status == "closed" and result.events[0].seq == 3


def test_user_text_and_names() -> None:
    assert user_text("  literal \x1b[31m  ", "note") == "  literal \x1b[31m  "
    for bad in ("", "   ", "x" * 5001, "\ud800"):
        with pytest.raises(UsageError):
            user_text(bad, "note")
    assert actor_name(" maud ") == "maud"
    for bad in ("", "a\nb", "x" * 81, "\x1b[2J"):
        with pytest.raises(UsageError):
            actor_name(bad)

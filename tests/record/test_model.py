"""Ids, the fold from events to state, deadlines, and what changed between decisions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from playbook.errors import UsageError
from playbook.record import ids
from playbook.record.changes import answer_changes, decision_changes, rule_changes
from playbook.record.model import Event, RecordCorrupt, due, fold

T0 = datetime(2026, 11, 21, 14, 0, tzinfo=timezone.utc)


def ev(seq: int, type_: str, minute: int = 0, **payload: object) -> Event:
    at = (T0 + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return Event(ids.new_event_id(), "INC-20261121-7F3K", seq, at, "maud", type_, payload)


def test_incident_ids() -> None:
    new = ids.new_incident_id(T0)
    assert new.startswith("INC-20261121-") and ids.incident_id(new.lower()) == new
    for bad in ("INC-20261121-7F3O", "inc-2026-7f3k", "INC-20261121-7F3K;", "x" * 1000):
        with pytest.raises(UsageError):
            ids.incident_id(bad)


def test_event_ids_sort_by_time() -> None:
    a, b = ids.new_event_id(1_000), ids.new_event_id(2_000)
    assert a < b and len(a) == 26 and ids.EVENT_ID.fullmatch(a)
    assert ids.event_time_ms(b) == 2_000


def test_state_is_the_fold_of_the_events() -> None:
    events = [
        ev(1, "opened", title="Guitar", lang="en", answers={"summary": "Guitar", "reach": "low"}),
        ev(2, "decision", triage={"severity": "high", "respond_within_minutes": 30, "next_update_minutes": 120}),
        ev(3, "draft", draft="D1", kind="public_reply", text="Sorry."),
        ev(4, "approved", 10, draft="D1", kind="public_reply", text="We're sorry.", edited=True),
        ev(5, "answers_changed", 20, changes={"summary": {"old": "Guitar", "new": "Guitar, viral"}},
           answers={"summary": "Guitar, viral", "reach": "viral"}),
        ev(6, "published", 25, draft="D1", channel="twitter", url=None),
        ev(7, "note", 30, text="call", lesson=False),
        ev(8, "some_future_type", 31),
        ev(9, "closed", 40, old="open", reason=None),
    ]
    inc = fold(events)
    assert (inc.title, inc.status, inc.answers["reach"], inc.severity) == ("Guitar, viral", "closed", "viral", "high")
    d = inc.draft("D1")
    assert d is not None and d.state == "published" and d.final_text == "We're sorry." and d.approval
    assert d.approval.edited and inc.notes[0].text == "call" and inc.closed_at == events[-1].at
    assert due(inc) is None
    with pytest.raises(RecordCorrupt):
        fold(events[1:])


def test_the_next_deadline() -> None:
    base = [ev(1, "opened", answers={}), ev(2, "decision", triage={"respond_within_minutes": 30,
                                                                     "next_update_minutes": 60}),
            ev(3, "draft", draft="D1", kind="statement", text="x")]
    first = due(fold(base))
    assert first is not None and first.what == "first_response" and first.at == T0 + timedelta(minutes=30)
    assert first.remaining(T0 + timedelta(minutes=45)) == -15
    later = due(fold([*base, ev(4, "approved", 20, draft="D1", text="x"), ev(5, "published", 25, draft="D1")]))
    assert later is not None and later.what == "update" and later.at == T0 + timedelta(minutes=85)
    assert later.remaining(T0 + timedelta(minutes=65)) == 20


def test_what_changed_and_which_rules_did_it() -> None:
    assert answer_changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": {"old": 2, "new": 3}, "c": {"old": None, "new": 4}}
    old = {"severity": "high", "strategy": ["acknowledge"], "escalate_to": ["a", "b"],
           "trace": [{"rule": "r1", "set": {"severity": "high"}}, {"rule": "cap", "set": {"next": 120}}]}
    new = {"severity": "critical", "strategy": ["acknowledge", "apologize"], "escalate_to": ["b", "a"],
           "trace": [{"rule": "r2", "set": {"severity": "critical", "strategy": ["apologize"]}},
                     {"rule": "cap", "set": {"next": 60}}]}
    changed = decision_changes(old, new)
    assert changed == {"severity": {"old": "high", "new": "critical"},
                       "strategy": {"old": ["acknowledge"], "new": ["acknowledge", "apologize"],
                                    "added": ["apologize"], "removed": []}}
    assert rule_changes(old, new, {**changed, "next": {}}) == {
        "added": ["r2"], "removed": ["r1"],
        "by_field": {"severity": {"added": ["r2"], "removed": ["r1"], "changed": []},
                     "strategy": {"added": ["r2"], "removed": [], "changed": []},
                     "next": {"added": [], "removed": [], "changed": ["cap"]}}}

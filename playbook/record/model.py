"""The incident record's model: an append-only log of events, and the state derived from it.

An incident is nothing but its events, in the order of their sequence numbers; `fold` reads
them into an `Incident` (status, answers, decisions, drafts and their approvals, notes). The
state is never stored, so it can never disagree with the log, and an event type a later
version adds is kept in the timeline and otherwise ignored.

Event payloads (plain JSON data; changes say old and new):

- `opened`          title, lang, answers
- `answers_changed` changes: {id: {old, new}}, answers (all of them, after the change)
- `decision`        triage (the decision document's `triage`), changes: {field: {old, new}},
                    rules: {added, removed, by_field}
- `draft`           draft (D1, D2…), kind, title, channel, lang, text, findings, decision (seq)
- `approved`        draft, kind, text (what is locked), edited, findings
- `published`       draft, channel, url
- `note`            text, lesson
- `status`          old, new
- `closed`          old, reason
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from playbook.core.record import field, record, replace

EVENT_TYPES = ("opened", "answers_changed", "decision", "draft", "approved", "published", "note", "status",
               "closed")
STATUSES = ("open", "monitoring", "closed")
SEVERITY_ORDER = ("critical", "high", "moderate", "low")  # most urgent first


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_time(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@record
class NewEvent:
    """An event about to be appended: the store gives it its sequence number."""

    id: str
    at: str  # ISO 8601, UTC, microseconds: `2026-11-21T14:05:00.000000Z`
    actor: str
    type: str
    payload: Mapping[str, Any]


@record
class Event:
    id: str
    incident: str
    seq: int
    at: str
    actor: str
    type: str
    payload: Mapping[str, Any]

    @property
    def time(self) -> datetime:
        return parse_time(self.at)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "seq": self.seq, "at": self.at, "actor": self.actor, "type": self.type,
                "payload": dict(self.payload)}


@record
class Approval:
    by: str
    at: str
    seq: int
    text: str
    edited: bool


@record
class Publication:
    by: str
    at: str
    seq: int
    channel: str | None
    url: str | None


@record
class Draft:
    id: str
    kind: str
    title: str
    channel: str
    text: str
    seq: int
    at: str
    decision: int  # the seq of the decision it was written for
    findings: tuple[Mapping[str, Any], ...] = ()
    approval: Approval | None = None
    publications: tuple[Publication, ...] = ()

    @property
    def state(self) -> str:
        return "published" if self.publications else "approved" if self.approval else "draft"

    @property
    def final_text(self) -> str:
        """What was approved (maybe edited), else what was drafted."""
        return self.approval.text if self.approval else self.text


@record
class DecisionRecord:
    seq: int
    at: str
    actor: str
    triage: Mapping[str, Any]
    changes: Mapping[str, Any] = field(default_factory=dict)
    rules: Mapping[str, Any] = field(default_factory=dict)


@record
class Note:
    seq: int
    at: str
    actor: str
    text: str
    lesson: bool


@record
class Incident:
    id: str
    title: str
    status: str
    lang: str
    opened_at: str
    opened_by: str
    closed_at: str | None
    answers: Mapping[str, Any]
    decisions: tuple[DecisionRecord, ...]
    drafts: tuple[Draft, ...]
    notes: tuple[Note, ...]
    events: tuple[Event, ...]

    @property
    def decision(self) -> DecisionRecord | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def severity(self) -> str | None:
        return self.decision.triage.get("severity") if self.decision else None

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    def draft(self, draft_id: str) -> Draft | None:
        return next((d for d in self.drafts if d.id == draft_id), None)

    def latest(self, kind: str) -> Draft | None:
        """The newest draft of a kind."""
        return next((d for d in reversed(self.drafts) if d.kind == kind), None)

    def approved(self) -> list[Draft]:
        """Approved drafts, oldest approval first."""
        return sorted((d for d in self.drafts if d.approval), key=lambda d: d.approval.seq if d.approval else 0)


class RecordCorrupt(ValueError):
    """The events do not make an incident (no `opened` first): the store's data is damaged."""


def fold(events: Sequence[Event]) -> Incident:
    """The state of an incident: its events read in order."""
    if not events or events[0].type != "opened":
        raise RecordCorrupt("an incident's first event must be `opened`")
    first = events[0]
    state: dict[str, Any] = {
        "title": str(first.payload.get("title", "")), "status": "open", "lang": str(first.payload.get("lang", "en")),
        "closed_at": None, "answers": dict(first.payload.get("answers", {})),
    }
    decisions: list[DecisionRecord] = []
    drafts: dict[str, Draft] = {}
    notes: list[Note] = []
    for e in events[1:]:
        _apply(e, state, decisions, drafts, notes)
    return Incident(first.incident, state["title"], state["status"], state["lang"], first.at, first.actor,
                    state["closed_at"], state["answers"], tuple(decisions), tuple(drafts.values()), tuple(notes),
                    tuple(events))


def _apply(e: Event, state: dict[str, Any], decisions: list[DecisionRecord], drafts: dict[str, Draft],
           notes: list[Note]) -> None:
    p = e.payload
    if e.type == "answers_changed":
        state["answers"] = dict(p.get("answers", state["answers"]))
        if "summary" in p.get("changes", {}):
            state["title"] = str(state["answers"].get("summary", state["title"]))
    elif e.type == "decision":
        decisions.append(DecisionRecord(e.seq, e.at, e.actor, p.get("triage", {}), p.get("changes", {}),
                                        p.get("rules", {})))
    elif e.type == "draft":
        drafts[p["draft"]] = Draft(p["draft"], p["kind"], p.get("title", p["kind"]), p.get("channel", ""),
                                   p["text"], e.seq, e.at, int(p.get("decision", 0)), tuple(p.get("findings", ())))
    elif e.type == "approved" and p.get("draft") in drafts:
        approval = Approval(e.actor, e.at, e.seq, p.get("text", drafts[p["draft"]].text), bool(p.get("edited")))
        drafts[p["draft"]] = replace(drafts[p["draft"]], approval=approval)
    elif e.type == "published" and p.get("draft") in drafts:
        d = drafts[p["draft"]]
        drafts[p["draft"]] = replace(d, publications=(*d.publications, Publication(
            e.actor, e.at, e.seq, p.get("channel"), p.get("url"))))
    elif e.type == "note":
        notes.append(Note(e.seq, e.at, e.actor, str(p.get("text", "")), bool(p.get("lesson"))))
    elif e.type == "status":
        state["status"] = str(p.get("new", state["status"]))
        state["closed_at"] = e.at if state["status"] == "closed" else None
    elif e.type == "closed":
        state["status"], state["closed_at"] = "closed", e.at


@record
class Due:
    """When the next message is due: the first response, else the next update by the cadence."""

    what: str  # first_response | update
    at: datetime
    minutes: int  # the deadline or cadence it comes from

    def remaining(self, now: datetime) -> int:
        """Minutes left (negative: overdue by that many), rounded toward the deadline."""
        seconds = (self.at - now).total_seconds()
        return int(seconds // 60) if seconds >= 0 else -int(-seconds // 60)


def last_update(incident: Incident) -> datetime | None:
    """The last time something was said: a message published, else approved."""
    times = [parse_time(p.at) for d in incident.drafts for p in d.publications]
    times += [parse_time(d.approval.at) for d in incident.drafts if d.approval]
    return max(times) if times else None


def due(incident: Incident) -> Due | None:
    """The next deadline of an open incident, from its last decision (None: nothing is due)."""
    if incident.status == "closed" or incident.decision is None:
        return None
    triage = incident.decision.triage
    said = last_update(incident)
    if said is None and triage.get("respond_within_minutes"):
        minutes = int(triage["respond_within_minutes"])
        return Due("first_response", parse_time(incident.opened_at) + timedelta(minutes=minutes), minutes)
    cadence = triage.get("next_update_minutes")
    if not cadence:
        return None
    base = said or parse_time(incident.opened_at)
    return Due("update", base + timedelta(minutes=int(cadence)), int(cadence))


def severity_rank(severity: str | None) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)

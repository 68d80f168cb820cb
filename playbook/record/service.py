"""What a comms team does to an incident: open it, update it as facts change, note, approve,
publish, change its status, close it. Each is events appended to the store, never an edit.

A command reads the incident (its events, folded), checks what the user asked against that
state, and appends its events with `expect` = the last sequence number it read: if another
terminal wrote in between, it reads again and re-checks, so two people approving the same
draft at once get one approval and one clear message, and nothing is ever lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from playbook.core.answers import not_text
from playbook.core.engine import Engine
from playbook.core.model import Answers, RuleBase
from playbook.core.record import field, record
from playbook.drafting.checks import check_text
from playbook.drafting.consistency import Approved, contradictions
from playbook.drafting.profile import Profile
from playbook.errors import CheckFailed, UsageError
from playbook.record import ids
from playbook.record.changes import answer_changes, decision_changes, rule_changes
from playbook.record.model import STATUSES, Draft, Event, Incident, NewEvent, fold, format_time
from playbook.record.store import Conflict, IdTaken, Store, StoreError
from playbook.version import __version__

STATEMENTS = ("statement", "holding_statement")
MAX_TEXT = 5_000
MAX_TRIES = 50


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@record
class Desk:
    """What deciding and drafting need: the rule base, the drafter (profile, language, channel)."""

    rb: RuleBase
    composer: Any  # drafting.compose.Composer
    profile: Profile
    lang: str


@record
class Result:
    """An incident after a command, the events the command wrote, and what changed."""

    incident: Incident
    events: tuple[Event, ...]
    changes: Mapping[str, Any] = field(default_factory=dict)


def user_text(text: str, what: str, limit: int = MAX_TEXT) -> str:
    """Text a user typed, kept literally; refused only when empty, too long or not text at all."""
    if not text.strip():
        raise UsageError(f"{what}: empty; write something")
    if len(text) > limit:
        raise UsageError(f"{what}: {len(text):,} characters; the limit is {limit:,}")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise UsageError(f"{what}: contains a lone surrogate (not text)")
    return text


def actor_name(name: str) -> str:
    """`--as NAME`: one line of text, at most 80 characters."""
    value = name.strip()
    if not value or len(value) > 80 or any(not_text(c) or c in "\r\n\t" for c in value):
        raise UsageError(f"--as {name!r}: give a name of 1 to 80 characters on one line")
    return value


class Service:
    def __init__(self, store: Store, actor: str, clock: Callable[[], datetime] = utcnow) -> None:
        self.store, self.actor, self.clock = store, actor, clock

    def _event(self, type_: str, payload: Mapping[str, Any]) -> NewEvent:
        now = self.clock()
        return NewEvent(ids.new_event_id(int(now.timestamp() * 1000)), format_time(now), self.actor, type_, payload)

    def get(self, incident_id: str) -> Incident:
        return fold(self.store.events(incident_id))

    def all(self) -> list[Incident]:
        return [fold(events) for events in self.store.all_events().values()]

    def _transact(self, incident_id: str, build: Callable[[Incident], list[NewEvent]]) -> tuple[Incident, list[Event]]:
        """Read, build the events from that state, append if nobody wrote meanwhile; else again."""
        for _ in range(MAX_TRIES):
            incident = self.get(incident_id)
            events = build(incident)
            if not events:
                return incident, []
            try:
                written = self.store.append(incident_id, events, expect=incident.last_seq)
            except Conflict:
                continue
            return fold([*incident.events, *written]), written
        raise StoreError(f"{incident_id}: too many concurrent writers; try again")

    # --- deciding -------------------------------------------------------------------------
    def _decide(self, desk: Desk, answers: Answers, incident: Incident | None) -> tuple[dict[str, Any], list[Any]]:
        from playbook.render import document

        decision = Engine(desk.rb).decide(answers.values)
        approved = approved_context(incident, answers.values) if incident else None
        drafts = desk.composer.compose(answers.values, decision, approved)
        doc = document.build(desk.rb, answers, decision, desk.lang, drafts=drafts, profile=desk.profile)
        return doc, drafts

    def _decision_event(self, desk: Desk, doc: Mapping[str, Any], old: Mapping[str, Any] | None) -> NewEvent:
        changed = decision_changes(old, doc["triage"])
        return self._event("decision", {
            "triage": doc["triage"], "changes": changed, "rules": rule_changes(old, doc["triage"], changed),
            "rulebase": desk.rb.digest, "playbook_version": __version__})

    def _draft_events(self, incident: Incident | None, drafts: Sequence[Mapping[str, Any]],
                      decision_seq: int) -> list[NewEvent]:
        out = []
        count = len(incident.drafts) if incident else 0
        for d in drafts:
            latest = incident.latest(d["kind"]) if incident else None
            if latest is not None and latest.text == d["text"]:
                continue
            count += 1
            out.append(self._event("draft", {
                "draft": f"D{count}", "kind": d["kind"], "title": d["title"], "channel": d["channel"],
                "lang": d["lang"], "text": d["text"], "findings": d["findings"], "decision": decision_seq}))
        return out

    def open(self, desk: Desk, answers: Answers) -> Result:
        doc, drafts = self._decide(desk, answers, None)
        title = str(answers.values.get("summary", ""))
        opened = self._event("opened", {"title": title, "lang": desk.lang, "answers": dict(answers.values)})
        events = [opened, self._decision_event(desk, doc, None), *self._draft_events(None, drafts, 2)]
        for _ in range(MAX_TRIES):
            incident_id = ids.new_incident_id(self.clock())
            try:
                written = self.store.create(incident_id, events)
            except IdTaken:
                continue
            return Result(fold(written), tuple(written))
        raise StoreError("could not find a free incident id; try again")

    def update(self, incident_id: str, desk: Desk, answers: Answers) -> Result:
        changes: dict[str, Any] = {}

        def build(incident: Incident) -> list[NewEvent]:
            require_open(incident, "update")
            changed = answer_changes(incident.answers, answers.values)
            doc, drafts = self._decide(desk, answers, incident)
            old = incident.decision.triage if incident.decision else None
            events = []
            if changed:
                events.append(self._event("answers_changed", {"changes": changed, "answers": dict(answers.values)}))
            decided = self._decision_event(desk, doc, old)
            if changed or decided.payload["changes"]:
                events.append(decided)
            decision_seq = incident.last_seq + len(events) if decided in events else (
                incident.decision.seq if incident.decision else 0)
            events += self._draft_events(incident, drafts, decision_seq)
            changes.clear()
            changes.update(answers=changed, decision=decided.payload["changes"], rules=decided.payload["rules"])
            return events

        incident, written = self._transact(incident_id, build)
        return Result(incident, tuple(written), dict(changes))

    # --- the people's actions ------------------------------------------------------------
    def note(self, incident_id: str, text: str, lesson: bool = False) -> Result:
        text = user_text(text, "note")
        # A note depends on no state: appended as is, it never waits for a busy incident's readers.
        written = self.store.append(incident_id, [self._event("note", {"text": text, "lesson": lesson})])
        return Result(self.get(incident_id), tuple(written))

    def approve(self, incident_id: str, ref: str, rb: RuleBase, text: str | None = None,
                force: bool = False) -> Result:
        if text is not None:
            text = user_text(text, "--text")
        found: list[dict[str, Any]] = []

        def build(incident: Incident) -> list[NewEvent]:
            require_open(incident, "approve a message of")
            d = find_draft(incident, ref)
            if d.approval is not None:
                raise UsageError(f"{incident.id} {d.id}: approved already, by {d.approval.by} at {d.approval.at}; "
                                 "a later update writes a new draft to approve")
            final = d.text if text is None else text
            found[:] = approval_findings(rb, incident, d, final)
            errors = [f for f in found if f["level"] == "error"]
            if errors and not force:
                raise CheckFailed([f"{incident.id} {d.id}: not approved: {len(errors)} error-level finding(s):",
                                   *(f"  {f['check']}: {f['message']}" for f in errors),
                                   "fix the text (--text FILE) or approve it anyway with --force"])
            return [self._event("approved", {"draft": d.id, "kind": d.kind, "text": final,
                                             "edited": final != d.text, "findings": found,
                                             "forced": bool(errors)})]

        incident, written = self._transact(incident_id, build)
        return Result(incident, tuple(written), {"findings": found})

    def publish(self, incident_id: str, ref: str, channel: str | None = None, url: str | None = None) -> Result:
        if url is not None:
            url = check_url(url)
        if channel is not None:
            channel = user_text(channel, "--channel", 100).strip()

        def build(incident: Incident) -> list[NewEvent]:
            d = find_draft(incident, ref)
            if d.approval is None:
                raise UsageError(f"{incident.id} {d.id}: not approved; approve it first: "
                                 f"playbook incident approve {incident.id} {d.id}")
            return [self._event("published", {"draft": d.id, "kind": d.kind, "channel": channel or d.channel,
                                              "url": url})]

        incident, written = self._transact(incident_id, build)
        return Result(incident, tuple(written))

    def set_status(self, incident_id: str, status: str) -> Result:
        if status not in STATUSES or status == "closed":
            raise UsageError(f"status {status!r}: allowed: open, monitoring (close with `playbook incident close`)")

        def build(incident: Incident) -> list[NewEvent]:
            if incident.status == status:
                raise UsageError(f"{incident.id}: already {status}")
            return [self._event("status", {"old": incident.status, "new": status})]

        incident, written = self._transact(incident_id, build)
        return Result(incident, tuple(written))

    def close(self, incident_id: str, reason: str | None = None) -> Result:
        if reason is not None:
            reason = user_text(reason, "--reason")

        def build(incident: Incident) -> list[NewEvent]:
            require_open(incident, "close")
            return [self._event("closed", {"old": incident.status, "reason": reason})]

        incident, written = self._transact(incident_id, build)
        return Result(incident, tuple(written))


def require_open(incident: Incident, what: str) -> None:
    if incident.status == "closed":
        raise UsageError(f"{incident.id}: closed; cannot {what} it (reopen it with "
                         f"`playbook incident status {incident.id} open`)")


def find_draft(incident: Incident, ref: str) -> Draft:
    """A draft by id (D3) or by kind (its latest draft)."""
    key = ref.strip()
    d = incident.draft(key.upper()) if ids.DRAFT_ID.fullmatch(key.upper()) else incident.latest(key)
    if d is None:
        known = ", ".join(f"{x.id} ({x.kind})" for x in incident.drafts) or "none"
        raise UsageError(f"{incident.id}: no draft {ref!r}; drafts: {known}")
    return d


def approved_context(incident: Incident, answers: Mapping[str, Any], skip: str | None = None) -> Approved:
    """The latest approved message of each kind, for drafts and checks that must keep to them."""
    texts: dict[str, str] = {}
    labels: dict[str, str] = {}
    last_statement: Draft | None = None
    for d in incident.approved():
        if d.id == skip or d.approval is None:
            continue
        texts[d.kind] = d.approval.text
        labels[d.kind] = f"{d.id} ({d.kind}, approved by {d.approval.by})"
        if d.kind in STATEMENTS:
            last_statement = d
    since = False
    if last_statement is not None and last_statement.approval is not None:
        then = answers_at(incident, last_statement.approval.seq)
        since = then.get("summary") != answers.get("summary")
    return Approved(texts, labels, since)


def answers_at(incident: Incident, seq: int) -> Mapping[str, Any]:
    """The answers as they stood after event `seq`."""
    answers: Mapping[str, Any] = {}
    for e in incident.events:
        if e.seq > seq:
            break
        if e.type == "opened":
            answers = e.payload.get("answers", {})
        elif e.type == "answers_changed":
            answers = e.payload.get("answers", answers)
    return answers


def approval_findings(rb: RuleBase, incident: Incident, d: Draft, text: str) -> list[dict[str, Any]]:
    """The checks on the text to approve, and whether it contradicts what was approved before."""
    lang = incident.lang
    if text == d.text:
        found = [dict(f) for f in d.findings if f.get("check") != "contradicts_approved"]
    else:
        channel = rb.drafting.channel(d.channel) if rb.drafting else None
        found = [f.to_dict() for f in check_text(rb, text, lang, channel=channel)]
    approved = approved_context(incident, incident.answers, skip=d.id)
    found += [f.to_dict() for f in contradictions(approved, text, lang)]
    return found


def check_url(url: str) -> str:
    value = url.strip()
    if not value.startswith(("https://", "http://")) or len(value) > 2000 or any(
            c.isspace() or not_text(c) for c in value):
        raise UsageError(f"--url {url[:80]!r}: give the address of what was published (https://…)")
    return value

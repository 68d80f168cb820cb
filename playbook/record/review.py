"""The incident as documents for people and scripts: the list, one incident (`show`), and the
post-incident review (`export`). Plain data, rendered by `playbook.render.incident`.

`incident show --format json` is a stable document: `schema` names it, `schema_version`
changes when a field is renamed or removed (adding one does not). User text is kept literally
here; renderers neutralise it for the terminal, Markdown and HTML.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from playbook.record.model import Draft, Event, Incident, due, parse_time, severity_rank
from playbook.version import __version__

SCHEMA_VERSION = 1


def _minutes(a: datetime, b: datetime) -> int:
    return int((b - a).total_seconds() // 60)


def due_doc(incident: Incident, now: datetime) -> dict[str, Any] | None:
    d = due(incident)
    if d is None:
        return None
    remaining = d.remaining(now)
    return {"what": d.what, "at": d.at.strftime("%Y-%m-%dT%H:%M:%SZ"), "minutes": d.minutes,
            "remaining_minutes": remaining, "overdue": remaining < 0}


def summary_doc(incident: Incident, now: datetime) -> dict[str, Any]:
    triage = incident.decision.triage if incident.decision else {}
    return {
        "id": incident.id, "title": incident.title, "status": incident.status, "lang": incident.lang,
        "severity": triage.get("severity"), "action": triage.get("action"),
        "opened_at": incident.opened_at, "opened_by": incident.opened_by, "closed_at": incident.closed_at,
        "age_minutes": _minutes(parse_time(incident.opened_at), now), "due": due_doc(incident, now),
        "events": len(incident.events),
    }


def list_doc(incidents: Sequence[Incident], now: datetime) -> dict[str, Any]:
    """Open incidents first, then by severity (worst first), then oldest first."""
    ordered = sorted(incidents, key=lambda i: (i.status == "closed", severity_rank(i.severity), i.opened_at))
    return {"schema": "playbook.incident_list", "schema_version": SCHEMA_VERSION, "playbook_version": __version__,
            "incidents": [summary_doc(i, now) for i in ordered]}


def draft_doc(d: Draft) -> dict[str, Any]:
    return {
        "id": d.id, "kind": d.kind, "title": d.title, "channel": d.channel, "state": d.state,
        "created_at": d.at, "decision": d.decision, "text": d.text, "findings": [dict(f) for f in d.findings],
        "approval": None if d.approval is None else {
            "by": d.approval.by, "at": d.approval.at, "edited": d.approval.edited, "text": d.approval.text},
        "publications": [{"by": p.by, "at": p.at, "channel": p.channel, "url": p.url} for p in d.publications],
    }


def incident_doc(incident: Incident, now: datetime) -> dict[str, Any]:
    """`incident show`: the state and the whole timeline."""
    return {
        "schema": "playbook.incident", "schema_version": SCHEMA_VERSION, "playbook_version": __version__,
        "incident": {**summary_doc(incident, now), "answers": dict(incident.answers),
                     "decision": dict(incident.decision.triage) if incident.decision else None,
                     "decisions": len(incident.decisions),
                     "drafts": [draft_doc(d) for d in incident.drafts],
                     "notes": [{"at": n.at, "by": n.actor, "text": n.text, "lesson": n.lesson}
                               for n in incident.notes]},
        "timeline": [{**e.to_dict(), "what": describe(e)} for e in incident.events],
    }


def describe(e: Event) -> str:
    """One line saying what an event did (user text quoted as is: renderers neutralise it)."""
    p = e.payload
    if e.type == "opened":
        return f"opened: {p.get('title', '')}"
    if e.type == "answers_changed":
        return "answers changed: " + ", ".join(f"{k} {_value(c.get('old'))} → {_value(c.get('new'))}"
                                              for k, c in p.get("changes", {}).items())
    if e.type == "decision":
        t = p.get("triage", {})
        head = f"decision: {t.get('action')}, severity {t.get('severity')}"
        changed = [k for k in p.get("changes", {}) if k not in ("do", "avoid")]
        return head + (f" (changed: {', '.join(changed)})" if changed else "")
    if e.type == "draft":
        return f"draft {p.get('draft')}: {p.get('kind')}"
    if e.type == "approved":
        edited = ", edited" if p.get("edited") else ""
        forced = ", despite error findings" if p.get("forced") else ""
        return f"approved {p.get('draft')} ({p.get('kind')}{edited}{forced})"
    if e.type == "published":
        where = " ".join(str(x) for x in (p.get("channel"), p.get("url")) if x)
        return f"published {p.get('draft')} ({p.get('kind')}){' on ' + where if where else ''}"
    if e.type == "note":
        return f"{'lesson' if p.get('lesson') else 'note'}: {p.get('text', '')}"
    if e.type == "status":
        return f"status: {p.get('old')} → {p.get('new')}"
    if e.type == "closed":
        return "closed" + (f": {p['reason']}" if p.get("reason") else "")
    return e.type  # an event type from a newer version: shown, not interpreted


def _value(v: Any) -> str:
    if isinstance(v, str) and len(v) > 60:
        return repr(v[:57] + "…")
    return repr(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)


def response_times(incident: Incident) -> dict[str, Any]:
    """The first response against its deadline, and each update against the cadence in force."""
    opened = parse_time(incident.opened_at)
    said = sorted((p.at, d.id) for d in incident.drafts for p in d.publications)
    if not said:
        said = sorted((d.approval.at, d.id) for d in incident.drafts if d.approval)
    first_deadline = incident.decisions[0].triage.get("respond_within_minutes") if incident.decisions else None
    first: dict[str, Any] = {"deadline_minutes": first_deadline, "at": None, "minutes": None, "met": None}
    if said:
        minutes = _minutes(opened, parse_time(said[0][0]))
        first.update(at=said[0][0], minutes=minutes, draft=said[0][1],
                     met=None if first_deadline is None else minutes <= first_deadline)
    updates = []
    for (before, _), (after, draft) in itertools.pairwise(said):
        cadence = _cadence_at(incident, before)
        gap = _minutes(parse_time(before), parse_time(after))
        updates.append({"at": after, "draft": draft, "after_minutes": gap, "cadence_minutes": cadence,
                        "late_minutes": max(0, gap - cadence) if cadence else 0})
    return {"first_response": first, "updates": updates}


def _cadence_at(incident: Incident, at: str) -> int | None:
    cadence = None
    for d in incident.decisions:
        if d.at <= at:
            cadence = d.triage.get("next_update_minutes")
    return int(cadence) if cadence else None


def lessons(incident: Incident, times: Mapping[str, Any]) -> list[dict[str, str]]:
    """What to learn: the team's own lessons (`note --lesson`) and what the record shows."""
    out = [{"source": "team", "text": n.text, "by": n.actor} for n in incident.notes if n.lesson]
    first = times["first_response"]
    if first["met"] is False:
        out.append({"source": "record", "text": f"The first response took {first['minutes']} min; the deadline "
                                                f"was {first['deadline_minutes']} min."})
    if first["at"] is None and incident.decisions and first["deadline_minutes"]:
        out.append({"source": "record", "text": "Nothing was approved or published."})
    for u in times["updates"]:
        if u["late_minutes"]:
            out.append({"source": "record", "text": f"The update at {u['at'][11:16]} UTC came {u['late_minutes']} "
                                                    f"min after the {u['cadence_minutes']} min cadence."})
    for d in incident.decisions[1:]:
        sev = d.changes.get("severity")
        if sev and severity_rank(sev.get("new")) < severity_rank(sev.get("old")):
            rules = ", ".join(d.rules.get("by_field", {}).get("severity", {}).get("added", ())) or "new answers"
            out.append({"source": "record", "text": f"Severity rose from {sev.get('old')} to {sev.get('new')} at "
                                                    f"{d.at[11:16]} UTC ({rules}): could it have been foreseen?"})
    for draft in incident.drafts:
        if draft.approval and any(f.get("level") == "error" for f in _approval_findings(incident, draft)):
            out.append({"source": "record", "text": f"{draft.id} ({draft.kind}) was approved despite error findings."})
    return out


def _approval_findings(incident: Incident, d: Draft) -> list[Mapping[str, Any]]:
    for e in incident.events:
        if e.type == "approved" and e.payload.get("draft") == d.id:
            return list(e.payload.get("findings", ()))
    return []


def review_doc(incident: Incident, now: datetime) -> dict[str, Any]:
    """The post-incident review: timeline, decisions and their changes, approved messages,
    response times against the deadlines, what to learn."""
    times = response_times(incident)
    messages = [draft_doc(d) for d in incident.approved()]
    return {
        "schema": "playbook.review", "schema_version": SCHEMA_VERSION, "playbook_version": __version__,
        "incident": {**summary_doc(incident, now), "answers": dict(incident.answers)},
        "timeline": [{"seq": e.seq, "at": e.at, "actor": e.actor, "type": e.type, "what": describe(e)}
                     for e in incident.events],
        "decisions": [{"seq": d.seq, "at": d.at, "by": d.actor, **{k: d.triage.get(k) for k in (
            "action", "severity", "respond_within_minutes", "next_update_minutes", "posture", "strategy")},
            "changes": dict(d.changes), "rules": dict(d.rules)} for d in incident.decisions],
        "messages": messages,
        "response_times": times,
        "lessons": lessons(incident, times),
    }

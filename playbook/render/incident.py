"""The incident record on the terminal: the list, one incident, what a command changed.

Plain text with aligned columns (it reads the same in a terminal, a pipe or a ticket); every
piece of user text goes through `visible`, so a pasted escape sequence is shown, not obeyed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.render.common import visible


def duration(minutes: int) -> str:
    """`35 min`, `2 h 05`, `3 d 4 h`."""
    minutes = max(0, int(minutes))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 24 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 1440} d {minutes % 1440 // 60} h"


def due_words(due: Mapping[str, Any] | None) -> str:
    if due is None:
        return "-"
    what = "first response" if due["what"] == "first_response" else "update"
    left = due["remaining_minutes"]
    return f"{what} OVERDUE by {duration(-left)}" if left < 0 else f"{what} due in {duration(left)}"


def _cut(text: str, width: int) -> str:
    text = " ".join(visible(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def list_text(doc: Mapping[str, Any]) -> str:
    rows = doc["incidents"]
    if not rows:
        return "No incidents yet. Open one with `playbook incident new` or `playbook triage --save`.\n"
    table = [("ID", "STATUS", "SEVERITY", "AGE", "NEXT", "TITLE")]
    for i in rows:
        table.append((i["id"], i["status"], i["severity"] or "-", duration(i["age_minutes"]), due_words(i["due"]),
                      _cut(i["title"], 60)))
    widths = [max(len(r[c]) for r in table) for c in range(5)]
    return "".join("  ".join(r[c].ljust(widths[c]) for c in range(5)) + "  " + r[5] + "\n" for r in table)


def show_text(doc: Mapping[str, Any], full: bool = False) -> str:
    i = doc["incident"]
    t = i["decision"] or {}
    lines = [f"{i['id']} · {i['status']} · severity {i['severity'] or '-'} · {_cut(i['title'], 200)}",
             f"Opened {i['opened_at'][:16].replace('T', ' ')} UTC by {visible(i['opened_by'])} "
             f"({duration(i['age_minutes'])} ago)" + (f"; closed {i['closed_at'][:16].replace('T', ' ')} UTC"
                                                      if i["closed_at"] else ""),
             f"Next: {due_words(i['due'])}"]
    if t:
        lines.append(f"Decision {i['decisions']}: {t.get('action')}, respond within "
                     f"{_min(t.get('respond_within_minutes'))}, update every {_min(t.get('next_update_minutes'))}, "
                     f"posture {t.get('posture')}")
    lines += ["", "Drafts:"]
    for d in i["drafts"]:
        who = ""
        if d["approval"]:
            who = f" by {visible(d['approval']['by'])}" + (" (edited)" if d["approval"]["edited"] else "")
        places = ", ".join(visible(p["url"] or p["channel"] or "") for p in d["publications"])
        lines.append(f"  {d['id']:<4} {d['kind']:<18} {d['state']}{who}{' on ' + places if places else ''}")
        if full:
            text = d["approval"]["text"] if d["approval"] else d["text"]
            lines += [f"       {line}" for line in visible(text).splitlines()]
    if not i["drafts"]:
        lines.append("  none")
    lines += ["", "Timeline:"]
    for e in doc["timeline"]:
        lines.append(f"  {e['seq']:>3}  {e['at'][11:16]}  {_cut(e['actor'], 16):<16} {_cut(e['what'], 100)}")
    return "\n".join(lines) + "\n"


def _min(value: Any) -> str:
    return duration(value) if isinstance(value, int) else "-"


def change_text(doc: Mapping[str, Any]) -> str:
    """`incident update`: what changed in the answers and the decision, and which rules did it."""
    c = doc["changes"]
    lines = [f"{doc['incident']} updated by {visible(doc['actor'])}."]
    if not c.get("answers") and not c.get("decision") and not doc["drafts"]:
        return lines[0] + " Nothing changed: same answers, same decision, same drafts.\n"
    if c.get("answers"):
        lines.append("Answers changed:")
        lines += [f"  {k}: {_show(v['old'])} → {_show(v['new'])}" for k, v in c["answers"].items()]
    by_field = c.get("rules", {}).get("by_field", {})
    if c.get("decision"):
        lines.append("Decision changed:")
        for field, v in c["decision"].items():
            if "added" in v:
                moved = [f"+{x}" for x in v["added"]] + [f"-{x}" for x in v["removed"]]
                what = " ".join(moved)
            else:
                what = f"{_show(v['old'])} → {_show(v['new'])}"
            reasons = by_field.get(field, {})
            why = [f"+{r}" for r in reasons.get("added", ())] + [f"-{r}" for r in reasons.get("removed", ())] + [
                f"~{r}" for r in reasons.get("changed", ())]
            lines.append(f"  {field}: {what}" + (f"   (rules: {', '.join(why)})" if why else ""))
    elif c.get("answers"):
        lines.append("Decision unchanged.")
    rules = c.get("rules", {})
    if rules.get("added") or rules.get("removed"):
        lines.append("Rules now firing: " + (", ".join(rules.get("added", ())) or "-")
                     + "; no longer firing: " + (", ".join(rules.get("removed", ())) or "-"))
    if doc["drafts"]:
        lines.append("New drafts: " + ", ".join(f"{d['id']} {d['kind']}" for d in doc["drafts"]))
        for d in doc["drafts"]:
            lines += [f"  {d['id']}: {f['level']}: {f['check']}: {visible(f['message'])}" for f in d["findings"]]
    lines.append(f"Next: {due_words(doc['due'])}")
    return "\n".join(lines) + "\n"


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = _cut(str(value), 70)
    return f"“{text}”" if isinstance(value, str) and " " in value else text


def done_text(doc: Mapping[str, Any]) -> str:
    """A one-line acknowledgement of a command (note, approve, published, close, status)."""
    lines = [f"{doc['incident']}: {_cut(doc['what'], 200)} (event {doc['seq']}, by {visible(doc['actor'])})."]
    lines += [f"  {f['level']}: {f['check']}: {visible(f['message'])}" for f in doc.get("findings", ())]
    if doc.get("due") is not None or doc.get("status") != "closed":
        lines.append(f"Next: {due_words(doc.get('due'))}")
    return "\n".join(lines) + "\n"

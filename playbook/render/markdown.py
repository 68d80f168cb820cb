"""The decision as Markdown, for pasting into a ticket or an e-mail: drafts in fenced blocks,
user text escaped so that it never formats.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.core.model import RuleBase
from playbook.render.common import UI, draft_heading, label, md_escape, minutes, one_line, profile_note, visible, why


def decision_markdown(rb: RuleBase, doc: Mapping[str, Any]) -> str:
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    lines = [f"# {ui['decision']}", ""]
    summary = doc["answers"].get("summary")
    if summary:
        lines += [f"**{ui['summary']}{ui['colon']}** {md_escape(one_line(summary))}", ""]
    c = ui["colon"]
    lines += [
        f"- **{ui['action']}{c}** {label(rb, 'action', t['action'], lang)}" if t.get("action") else "",
        f"- **{ui['severity']}{c}** {label(rb, 'severity', t['severity'], lang)}" if t.get("severity") else "",
    ]
    for key, ui_key in (("respond_within_minutes", "respond_within"),
                        ("next_update_minutes", "next_update"),
                        ("recheck_within_minutes", "recheck_within")):
        if t.get(key) is not None:
            lines.append(f"- **{ui[ui_key]}{ui['colon']}** {minutes(t[key], lang)}")
    if t.get("posture"):
        lines.append(f"- **{ui['posture']}{ui['colon']}** {label(rb, 'posture', t['posture'], lang)}")
    for key in ("strategy", "escalate_to", "channels"):
        if t.get(key):
            lines.append(f"- **{ui[key]}{ui['colon']}** " + ", ".join(label(rb, key, v, lang) for v in t[key]))
    lines = [line for line in lines if line]
    for key in ("do", "avoid"):
        if t.get(key):
            lines += ["", f"## {ui[key]}", ""] + [f"- {md_escape(e['text'])}" for e in t[key]]
    if doc.get("drafts"):
        lines += ["", f"## {ui['drafts']}"]
        note = profile_note(doc)
        if note:
            lines += ["", f"> {note}"]  # our own words, about the built-in example only
        for d in doc["drafts"]:
            lines += draft_markdown(d, ui)
    lines += ["", f"## {ui['why']}", ""]
    for entry in why(rb, doc):
        lines.append(f"- **{entry['rule']}**: {md_escape(entry['description'])}")
        lines.append(f"  - {ui['on']}{c} {md_escape(entry['facts'])}; {ui['sets']}{c} {md_escape(entry['sets'])}")
        if entry["principle"]:
            lines.append(f"  - {ui['principle']}{ui['colon']} {md_escape(entry['principle'])} "
                         f"({ui['source']}{ui['colon']} {md_escape(entry['source'])})")
    if t.get("conflicts"):
        lines += ["", f"## {ui['conflicts']}", ""] + [f"- {md_escape(c)}" for c in t["conflicts"]]
    return "\n".join(lines) + "\n"


def draft_markdown(d: Mapping[str, Any], ui: Mapping[str, str]) -> list[str]:
    """A draft in a fenced block, so it pastes exactly as written, then its findings."""
    text = visible(d["text"])
    longest = max((len(run) for run in text.split("\n") for run in _backtick_runs(run)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = ["", f"### {md_escape(draft_heading(d, ui))}", "", fence + "text", text, fence]
    if d.get("findings"):
        lines.append("")
        lines += [finding_markdown(f) for f in d["findings"]]
    return lines


def _backtick_runs(line: str) -> list[str]:
    import re

    return re.findall(r"`+", line)


def finding_markdown(f: Mapping[str, Any]) -> str:
    match = f" “{md_escape(one_line(f['match']))}”" if f["match"] else ""
    return f"- **{f['level']}** `{f['check']}`{match}: {md_escape(f['message'])} {md_escape(f['suggestion'])}"



"""Render documents for people and scripts: JSON, YAML, Markdown and the terminal.

This is the only module that writes to stdout/stderr. rich and PyYAML are imported only
by the formats that need them, so `--format json` stays fast. User text (summaries,
drafts) is never interpreted as markup: `[bold]` or `{{ }}` come out literally.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Any

from playbook.model import RuleBase
from playbook.report import label

FORMATS = ("text", "markdown", "json", "yaml")
SEVERITY_STYLE = {"low": "green", "moderate": "yellow", "high": "bold red", "critical": "bold white on red"}

UI = {
    "en": {
        "decision": "Triage decision", "action": "Action", "severity": "Severity",
        "respond_within": "Respond within", "next_update": "Next update every",
        "recheck_within": "Look again within", "posture": "Posture", "strategy": "Say",
        "escalate_to": "Owners", "channels": "Channels", "do": "Do", "avoid": "Avoid",
        "why": "Why", "rule": "Rule", "on": "on", "sets": "sets", "principle": "principle",
        "source": "source", "min": "min", "conflicts": "Conflicts in the rule base",
        "drafts": "Drafts", "none": "none", "summary": "Incident", "always": "always",
        "not_applicable": "not asked",
    },
    "fr": {
        "decision": "Décision de tri", "action": "Action", "severity": "Gravité",
        "respond_within": "Répondre sous", "next_update": "Point suivant toutes les",
        "recheck_within": "Revérifier sous", "posture": "Posture", "strategy": "Dire",
        "escalate_to": "Responsables", "channels": "Canaux", "do": "À faire", "avoid": "À éviter",
        "why": "Pourquoi", "rule": "Règle", "on": "sur", "sets": "fixe", "principle": "principe",
        "source": "source", "min": "min", "conflicts": "Conflits dans la base de règles",
        "drafts": "Brouillons", "none": "aucun", "summary": "Incident", "always": "toujours",
        "not_applicable": "non posée",
    },
}


def minutes(value: int | None, lang: str) -> str:
    if value is None:
        return UI[lang]["none"]
    if value >= 60 and value % 60 == 0:
        hours = value // 60
        return f"{hours} h"
    return f"{value} min"


def to_json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_yaml(doc: Any) -> str:
    import yaml

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100))


def write(text: str, output: str | None = None) -> None:
    """Data goes to stdout, or to a file written whole (never a half-written file)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    tmp = f"{output}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, output)


def error(message: str) -> None:
    sys.stderr.write(message if message.endswith("\n") else message + "\n")


def info(message: str) -> None:
    sys.stderr.write(message + "\n")


def decision(rb: RuleBase, doc: Mapping[str, Any], fmt: str, output: str | None = None) -> None:
    """Write a triage document in one of FORMATS."""
    if fmt == "json":
        write(to_json(doc), output)
    elif fmt == "yaml":
        write(to_yaml(doc), output)
    elif fmt == "markdown":
        write(decision_markdown(rb, doc), output)
    else:
        from playbook.render_text import decision_text

        decision_text(rb, doc, output)


def decision_markdown(rb: RuleBase, doc: Mapping[str, Any]) -> str:
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    lines = [f"# {ui['decision']}", ""]
    summary = doc["answers"].get("summary")
    if summary:
        lines += [f"**{ui['summary']}:** {md_escape(summary)}", ""]
    lines += [
        f"- **{ui['action']}:** {label(rb, 'action', t['action'], lang)}" if t.get("action") else "",
        f"- **{ui['severity']}:** {label(rb, 'severity', t['severity'], lang)}" if t.get("severity") else "",
    ]
    for key, ui_key in (("respond_within_minutes", "respond_within"),
                        ("next_update_minutes", "next_update"),
                        ("recheck_within_minutes", "recheck_within")):
        if t.get(key) is not None:
            lines.append(f"- **{ui[ui_key]}:** {minutes(t[key], lang)}")
    if t.get("posture"):
        lines.append(f"- **{ui['posture']}:** {label(rb, 'posture', t['posture'], lang)}")
    for key in ("strategy", "escalate_to", "channels"):
        if t.get(key):
            lines.append(f"- **{ui[key]}:** " + ", ".join(label(rb, key, v, lang) for v in t[key]))
    lines = [line for line in lines if line]
    for key in ("do", "avoid"):
        if t.get(key):
            lines += ["", f"## {ui[key]}", ""] + [f"- {md_escape(e['text'])}" for e in t[key]]
    if doc.get("drafts"):
        lines += ["", f"## {ui['drafts']}"]
        for d in doc["drafts"]:
            lines += ["", f"### {d.get('title', d['kind'])} ({d['channel']}, {d['chars']} chars)", ""]
            lines += ["> " + md_escape(line) if line else ">" for line in d["text"].splitlines()]
    lines += ["", f"## {ui['why']}", ""]
    for entry in why(rb, doc):
        lines.append(f"- **{entry['rule']}**: {md_escape(entry['description'])}")
        lines.append(f"  - {ui['on']}: {md_escape(entry['facts'])}; {ui['sets']}: {md_escape(entry['sets'])}")
        if entry["principle"]:
            lines.append(f"  - {ui['principle']}: {md_escape(entry['principle'])} "
                         f"({ui['source']}: {md_escape(entry['source'])})")
    if t.get("conflicts"):
        lines += ["", f"## {ui['conflicts']}", ""] + [f"- {md_escape(c)}" for c in t["conflicts"]]
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """User text in Markdown: characters that would format are escaped, nothing else changes."""
    out = []
    for ch in str(text):
        out.append("\\" + ch if ch in "\\`*_[]<>#|" else ch)
    return "".join(out)


def why(rb: RuleBase, doc: Mapping[str, Any]) -> list[dict[str, str]]:
    """The trace in words: each fired rule, the facts it read, what it set, and its principle."""
    lang = doc["lang"]
    entries = []
    for f in doc["triage"]["trace"]:
        rule = rb.rule(f["rule"])
        facts = ", ".join(f"{k}={_fmt(v, lang)}" for k, v in f["matched"].items()) or UI[lang]["always"]
        sets = ", ".join(f"{k}={_fmt(v, lang)}" for k, v in f["set"].items())
        principle = rb.principles.get(rule.principle) if rule else None
        source = rb.sources.get(principle.source) if principle else None
        entries.append({
            "rule": f["rule"],
            "description": rule.description if rule else _cap_note(f["rule"], lang),
            "facts": facts,
            "sets": sets,
            "principle": principle.title.get(lang) if principle else "",
            "source": (f"{source.id}: {source.title}" if source else ""),
        })
    return entries


def _cap_note(rule_id: str, lang: str) -> str:
    field = rule_id.split(".")[0]
    if lang == "fr":
        return f"délai maximal fixé par la gravité ({field})"
    return f"longest delay allowed at this severity ({field})"


def _fmt(value: Any, lang: str) -> str:
    if value is None:
        return UI[lang]["not_applicable"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)

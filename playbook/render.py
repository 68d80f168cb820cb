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
LEVEL_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
# Control characters in user text (an ANSI escape in a summary, say) are shown, never obeyed:
# a pasted `\x1b[31m` must not recolour the terminal or the ticket it lands in.
_VISIBLE = {c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))}

UI = {
    "en": {
        "decision": "Triage decision", "action": "Action", "severity": "Severity",
        "respond_within": "Respond within", "next_update": "Next update every",
        "recheck_within": "Look again within", "posture": "Posture", "strategy": "Say",
        "escalate_to": "Owners", "channels": "Channels", "do": "Do", "avoid": "Avoid",
        "why": "Why", "rule": "Rule", "on": "on", "sets": "sets", "principle": "principle",
        "source": "source", "min": "min", "conflicts": "Conflicts in the rule base",
        "drafts": "Drafts", "none": "none", "summary": "Incident", "always": "always",
        "not_applicable": "not asked", "colon": ":", "chars": "characters", "shortened": "shortened to fit",
        "no_findings": "no problems found", "findings": "Findings",
        "error": "error", "errors": "errors", "warning": "warning", "warnings": "warnings",
        "info": "note", "infos": "notes",
    },
    "fr": {
        "decision": "Décision de tri", "action": "Action", "severity": "Gravité",
        "respond_within": "Répondre sous", "next_update": "Point suivant toutes les",
        "recheck_within": "Revérifier sous", "posture": "Posture", "strategy": "Dire",
        "escalate_to": "Responsables", "channels": "Canaux", "do": "À faire", "avoid": "À éviter",
        "why": "Pourquoi", "rule": "Règle", "on": "sur", "sets": "fixe", "principle": "principe",
        "source": "source", "min": "min", "conflicts": "Conflits dans la base de règles",
        "drafts": "Brouillons", "none": "aucun", "summary": "Incident", "always": "toujours",
        "not_applicable": "non posée", "colon": "\u00a0:", "chars": "caractères", "shortened": "raccourci pour tenir",
        "no_findings": "aucun problème trouvé", "findings": "Constats",
        "error": "erreur", "errors": "erreurs", "warning": "avertissement", "warnings": "avertissements",
        "info": "remarque", "infos": "remarques",
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


def findings(report: Mapping[str, Any], fmt: str) -> None:
    """`playbook check`: `file:line:col: level: check: message` lines, or the report as JSON."""
    if fmt == "json":
        write(to_json(report))
        return
    ui = UI[report["lang"]]
    lines = []
    for f in report["findings"]:
        match = f" “{visible(f['match'])}” —" if f["match"] else ""
        lines.append(f"{report['file']}:{f['line']}:{f['col']}: {f['level']}: {f['check']}:{match} {f['message']}")
        lines.append(f"    → {f['suggestion']}")
    counts = report["counts"]
    total = ", ".join(f"{n} {ui[level + ('s' if n > 1 else '')]}" for level, n in counts.items() if n)
    total = total or ui["no_findings"]
    lines.append(f"{report['file']}: {total}")
    write("\n".join(lines) + "\n")


def decision_markdown(rb: RuleBase, doc: Mapping[str, Any]) -> str:
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    lines = [f"# {ui['decision']}", ""]
    summary = doc["answers"].get("summary")
    if summary:
        lines += [f"**{ui['summary']}{ui['colon']}** {md_escape(visible(summary))}", ""]
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


def visible(text: str) -> str:
    """User text for people: control characters (but newlines and tabs) as `\\xNN`."""
    return str(text).translate(_VISIBLE)


def draft_heading(d: Mapping[str, Any], ui: Mapping[str, str]) -> str:
    """`Public reply · twitter · 202/280 characters (shortened to fit)`."""
    size = f"{d['chars']}/{d['limit']}" if d.get("limit") else str(d["chars"])
    shortened = f" ({ui['shortened']})" if d.get("dropped") else ""
    return f"{d.get('title', d['kind'])} · {d['channel']} · {size} {ui['chars']}{shortened}"


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
    match = f" “{md_escape(visible(f['match']))}”" if f["match"] else ""
    return f"- **{f['level']}** `{f['check']}`{match}: {md_escape(f['message'])} {md_escape(f['suggestion'])}"


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
            "description": rule.description.get(lang) if rule else _cap_note(f["rule"], lang),
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

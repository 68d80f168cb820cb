"""The decision on a terminal, with rich: action and deadline first, then what to do and why.

Colour only on a terminal and never with NO_COLOR; a file or a pipe gets plain text.
Every piece of user or rule-base text goes through `Text`, never through markup.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from playbook.model import RuleBase
from playbook.render import SEVERITY_STYLE, UI, minutes, why
from playbook.report import label


def console_for(output: str | None, *, stderr: bool = False) -> tuple[Console, Any]:
    """A console on stdout/stderr or on a file (plain, fixed width); and the file to close."""
    if output and output != "-":
        fh = open(f"{output}.{os.getpid()}.tmp", "w", encoding="utf-8")  # noqa: SIM115
        return Console(file=fh, color_system=None, width=100, soft_wrap=False), fh
    stream = sys.stderr if stderr else sys.stdout
    no_color = bool(os.environ.get("NO_COLOR")) or not stream.isatty()
    return Console(file=stream, no_color=no_color, highlight=False, emoji=False), None


def decision_text(rb: RuleBase, doc: Mapping[str, Any], output: str | None = None) -> None:
    console, fh = console_for(output)
    console.print(decision_renderable(rb, doc))
    if fh is not None and output is not None:
        fh.close()
        os.replace(fh.name, output)


def decision_renderable(rb: RuleBase, doc: Mapping[str, Any]) -> Group:
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    parts: list[Any] = [_headline(rb, doc)]
    for key in ("do", "avoid"):
        if t.get(key):
            body = Text()
            for i, entry in enumerate(t[key]):
                body.append(("\n" if i else "") + ("✓ " if key == "do" else "✗ "),
                            style="green" if key == "do" else "red")
                body.append(entry["text"])
            parts.append(Panel(body, title=ui[key], title_align="left"))
    for d in doc.get("drafts", []):
        title = f"{d.get('title', d['kind'])} · {d['channel']} · {d['chars']} chars"
        parts.append(Panel(Text(d["text"]), title=title, title_align="left", border_style="cyan"))
        for finding in d.get("findings", []):
            parts.append(Text(f"  {finding['level']}: {finding['message']}",
                              style="red" if finding["level"] == "error" else "yellow"))
    parts.append(_why_table(rb, doc))
    if t.get("conflicts"):
        parts.append(Panel(Text("\n".join(t["conflicts"])), title=ui["conflicts"], border_style="red"))
    return Group(*parts)


def _headline(rb: RuleBase, doc: Mapping[str, Any]) -> Panel:
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    head = Text()
    if t.get("action"):
        head.append(label(rb, "action", t["action"], lang).upper(), style="bold")
    if t.get("severity"):
        head.append("   ")
        head.append(f" {ui['severity']}: {label(rb, 'severity', t['severity'], lang)} ",
                    style=SEVERITY_STYLE.get(t["severity"], ""))
    lines = [head]
    for key, ui_key in (("respond_within_minutes", "respond_within"),
                        ("next_update_minutes", "next_update"),
                        ("recheck_within_minutes", "recheck_within")):
        if t.get(key) is not None:
            lines.append(Text.assemble((f"{ui[ui_key]}: ", "bold"), minutes(t[key], lang)))
    if t.get("posture"):
        lines.append(Text.assemble((f"{ui['posture']}: ", "bold"), label(rb, "posture", t["posture"], lang)))
    for key in ("strategy", "escalate_to", "channels"):
        if t.get(key):
            values = ", ".join(label(rb, key, v, lang) for v in t[key])
            lines.append(Text.assemble((f"{ui[key]}: ", "bold"), values))
    summary = doc["answers"].get("summary")
    title = ui["decision"] + (f" — {summary}" if summary else "")
    return Panel(Text("\n").join(lines), title=Text(title), title_align="left",
                 border_style=SEVERITY_STYLE.get(t.get("severity") or "", "white").split()[-1])


def _why_table(rb: RuleBase, doc: Mapping[str, Any]) -> Panel:
    """Each fired rule: what it says, the facts it read, what it set, its principle and source."""
    ui = UI[doc["lang"]]
    body = Text()
    for i, entry in enumerate(why(rb, doc)):
        if i:
            body.append("\n")
        body.append(f"• {entry['rule']}", style="bold")
        body.append(f" — {entry['description']}\n")
        body.append(f"  {ui['on']}: {entry['facts']}  →  {entry['sets']}", style="dim")
        if entry["principle"]:
            body.append(f"\n  {ui['principle']}: {entry['principle']}", style="italic")
            body.append(f" ({entry['source']})", style="dim")
    return Panel(body, title=ui["why"], title_align="left", border_style="dim")

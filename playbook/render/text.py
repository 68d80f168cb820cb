"""The decision on a terminal, with rich: action and deadline first, then what to do and why.

Colour only on a terminal and never with NO_COLOR; a file or a pipe gets plain text.
Every piece of user or rule-base text goes through `Text`, never through markup.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from playbook.core.model import RuleBase
from playbook.render.common import LEVEL_STYLE, SEVERITY_STYLE, UI, draft_heading, label, minutes, visible, why


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
        parts.extend(_draft(d, ui))
    parts.append(_why_table(rb, doc))
    if t.get("conflicts"):
        parts.append(Panel(Text("\n".join(t["conflicts"])), title=ui["conflicts"], border_style="red"))
    return Group(*parts)


def _draft(d: Mapping[str, Any], ui: Mapping[str, str]) -> list[Any]:
    """A draft as it will be pasted (control characters made visible), then its findings."""
    out: list[Any] = [Panel(Text(visible(d["text"])), title=Text(draft_heading(d, ui)), title_align="left",
                            border_style="cyan")]
    for f in d.get("findings", []):
        line = Text(f"  {f['level']} · {f['check']}", style=LEVEL_STYLE.get(f["level"], ""))
        if f["match"]:
            line.append(f" · “{visible(f['match'])}”")
        line.append(f" — {f['message']}\n    → {f['suggestion']}", style="")
        out.append(line)
    return out


def _headline(rb: RuleBase, doc: Mapping[str, Any]) -> Panel:
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    head = Text()
    if t.get("action"):
        head.append(label(rb, "action", t["action"], lang).upper(), style="bold")
    if t.get("severity"):
        head.append("   ")
        head.append(f" {ui['severity']}{ui['colon']} {label(rb, 'severity', t['severity'], lang)} ",
                    style=SEVERITY_STYLE.get(t["severity"], ""))
    lines = [head]
    for key, ui_key in (("respond_within_minutes", "respond_within"),
                        ("next_update_minutes", "next_update"),
                        ("recheck_within_minutes", "recheck_within")):
        if t.get(key) is not None:
            lines.append(Text.assemble((f"{ui[ui_key]}{ui['colon']} ", "bold"), minutes(t[key], lang)))
    if t.get("posture"):
        posture = label(rb, "posture", t["posture"], lang)
        lines.append(Text.assemble((f"{ui['posture']}{ui['colon']} ", "bold"), posture))
    for key in ("strategy", "escalate_to", "channels"):
        if t.get(key):
            values = ", ".join(label(rb, key, v, lang) for v in t[key])
            lines.append(Text.assemble((f"{ui[key]}{ui['colon']} ", "bold"), values))
    summary = doc["answers"].get("summary")
    title = ui["decision"] + (f" — {visible(summary)}" if summary else "")
    # A long summary is cut with an ellipsis, so that the cut shows (the full text is the user's own).
    return Panel(Text("\n").join(lines), title=Text(title, overflow="ellipsis"), title_align="left",
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
        body.append(f"  {ui['on']}{ui['colon']} {entry['facts']}  →  {entry['sets']}", style="dim")
        if entry["principle"]:
            body.append(f"\n  {ui['principle']}{ui['colon']} {entry['principle']}", style="italic")
            body.append(f" ({entry['source']})", style="dim")
    return Panel(body, title=ui["why"], title_align="left", border_style="dim")


def answers_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """The interview's review step: the answers so far, on stderr like every prompt."""
    from rich import box
    from rich.table import Table

    console, _ = console_for(None, stderr=True)
    table = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD)
    # Question, answer, id: a long answer wraps in its column rather than squeezing the questions.
    for header, style, width in zip(headers, ("", "bold", "dim"), (None, 28, None), strict=False):
        table.add_column(Text(header), style=style, overflow="fold", max_width=width)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)

"""The decision on a terminal, with rich: action and deadline first, then what to do and why.

Colour only on a terminal and never with NO_COLOR; a file or a pipe gets plain text.
Every piece of user or rule-base text goes through `Text`, never through markup.
"""

from __future__ import annotations

import io
import os
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from playbook.core.model import RuleBase
from playbook.render.common import (
    LEVEL_STYLE,
    SEVERITY_STYLE,
    UI,
    draft_heading,
    label,
    minutes,
    profile_note,
    visible,
    why,
)


def console_for(*, stderr: bool = False, to_string: bool = False) -> Console:
    """A console on stdout or stderr; or recording plain text at a fixed width, for a file."""
    if to_string:
        return Console(file=io.StringIO(), color_system=None, width=100, soft_wrap=False, record=True)
    stream = sys.stderr if stderr else sys.stdout
    no_color = bool(os.environ.get("NO_COLOR")) or not stream.isatty()
    return Console(file=stream, no_color=no_color, highlight=False, emoji=False)


def decision_text(rb: RuleBase, doc: Mapping[str, Any], *, to_string: bool = False) -> str | None:
    """Print the decision on stdout; or return it as plain text (for a file)."""
    console = console_for(to_string=to_string)
    console.print(decision_renderable(rb, doc, console.width))
    return console.export_text() if to_string else None


def decision_renderable(rb: RuleBase, doc: Mapping[str, Any], width: int = 100) -> Group:
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    inner = max(width - 4, 20)  # a panel's borders and padding
    parts: list[Any] = [_headline(rb, doc)]
    for key in ("do", "avoid"):
        if t.get(key):
            body = Text()
            for i, entry in enumerate(t[key]):
                body.append(("\n" if i else "") + ("✓ " if key == "do" else "✗ "),
                            style="green" if key == "do" else "red")
                body.append(entry["text"])
            parts.append(Panel(keep_together(body, inner, lang), title=ui[key], title_align="left"))
    note = profile_note(doc)
    if note:
        parts.append(Text(note, style="italic"))
    for d in doc.get("drafts", []):
        parts.extend(_draft(d, ui))
    parts.append(_why_table(rb, doc, inner))
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


def _why_table(rb: RuleBase, doc: Mapping[str, Any], inner: int) -> Panel:
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
    return Panel(keep_together(body, inner, doc["lang"]), title=ui["why"], title_align="left", border_style="dim")


def keep_together(text: Text, width: int, lang: str) -> Text:
    """French text wrapped so that a no-break space never breaks a line.

    rich breaks lines at any Unicode space, the no-break spaces of French typography too
    (« on its own at the end of a line); textwrap breaks only at ordinary spaces. The lines
    are broken here, keeping styles, so that rich has nothing left to wrap.
    """
    if lang != "fr":
        return text
    wrapper = textwrap.TextWrapper(width=width, break_long_words=False, break_on_hyphens=False)
    pieces: list[Text] = []
    start = 0
    for line in text.plain.split("\n"):
        cursor = 0
        for chunk in wrapper.wrap(line) or [""]:
            at = line.find(chunk, cursor) if chunk else cursor
            pieces.append(text[start + at:start + at + len(chunk)])
            cursor = at + len(chunk)
        start += len(line) + 1
    return Text("\n").join(pieces)


def answers_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """The interview's review step: the answers so far, on stderr like every prompt."""
    from rich import box
    from rich.table import Table

    console = console_for(stderr=True)
    table = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD)
    # Question, answer, id: a long answer wraps in its column rather than squeezing the questions.
    for header, style, width in zip(headers, ("", "bold", "dim"), (None, 28, None), strict=False):
        table.add_column(Text(header), style=style, overflow="fold", max_width=width)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)

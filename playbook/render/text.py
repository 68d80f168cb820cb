"""The decision on a terminal: action and deadline first, then what to do and why.

Drawn by `boxes` (rounded panels, word wrapping), without rich: importing and running rich
cost more than the rest of a triage. Colour only on a terminal and never with NO_COLOR; a
file or a pipe gets plain text. User and rule-base text are runs of text, never markup, and
their control characters are shown, not obeyed. rich draws only the interview's answers table.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from playbook.core.model import RuleBase
from playbook.render.boxes import MIN_PANEL, Span, panel, paragraph
from playbook.render.common import (
    LEVEL_STYLE,
    SEVERITY_STYLE,
    UI,
    draft_heading,
    label,
    minutes,
    profile_note,
    why,
)

FILE_WIDTH = 100  # `-o decision.txt`
PIPE_WIDTH = 80   # stdout that is not a terminal, without COLUMNS (as rich did)


def decision_text(rb: RuleBase, doc: Mapping[str, Any], *, to_string: bool = False) -> str | None:
    """Print the decision on stdout; or return it as plain text (for a file)."""
    if to_string:
        return render(rb, doc, width=FILE_WIDTH)
    stream = sys.stdout
    tty = _isatty(stream)
    stream.write(render(rb, doc, width=terminal_width(stream, tty), color=tty and colour_allowed()))
    return None


def render(rb: RuleBase, doc: Mapping[str, Any], *, width: int = FILE_WIDTH, color: bool = False) -> str:
    """The decision as lines of at most `width` cells; with SGR colour codes if `color`."""
    width = max(width, MIN_PANEL)
    lang = doc["lang"]
    ui = UI[lang]
    t = doc["triage"]
    lines = _headline(rb, doc, width, color)
    for key in ("do", "avoid"):
        if t.get(key):
            mark, style = ("✓ ", "green") if key == "do" else ("✗ ", "red")
            body: list[Span] = []
            for i, entry in enumerate(t[key]):
                body += [(("\n" if i else "") + mark, style), (entry["text"], "")]
            lines += panel(body, width, title=ui[key], color=color)
    note = profile_note(doc)
    if note:
        lines += paragraph([(note, "italic")], width, color=color)
    for d in doc.get("drafts", []):
        lines += _draft(d, ui, width, color)
    lines += _why(rb, doc, width, color)
    if t.get("conflicts"):
        lines += panel([("\n".join(t["conflicts"]), "")], width, title=ui["conflicts"], border="red", color=color)
    return "\n".join(lines) + "\n"


def terminal_width(stream: TextIO, tty: bool) -> int:
    """COLUMNS, else the terminal's width, else 80 (a pipe)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns)
    if tty:
        try:
            return os.get_terminal_size(stream.fileno()).columns or PIPE_WIDTH
        except (OSError, ValueError):
            pass
    return PIPE_WIDTH


def colour_allowed() -> bool:
    """On a terminal: colours unless NO_COLOR is set (to anything) or the terminal is dumb."""
    return not os.environ.get("NO_COLOR") and os.environ.get("TERM", "") not in ("dumb", "unknown")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, OSError, ValueError):  # a closed or borrowed stream
        return False


def _draft(d: Mapping[str, Any], ui: Mapping[str, str], width: int, color: bool) -> list[str]:
    """A draft as it will be pasted (control characters made visible, as all text by `boxes`),
    then its findings."""
    lines = panel([(d["text"], "")], width, title=draft_heading(d, ui), border="cyan", color=color)
    for f in d.get("findings", []):
        style = LEVEL_STYLE.get(f["level"], "")
        match = f" · “{f['match']}”" if f["match"] else ""
        text = f"  {f['level']} · {f['check']}{match} — {f['message']}\n    → {f['suggestion']}"
        lines += paragraph([(text, style)], width, color=color)
    return lines


def _headline(rb: RuleBase, doc: Mapping[str, Any], width: int, color: bool) -> list[str]:
    lang = doc["lang"]
    ui = UI[lang]
    c = ui["colon"]
    t = doc["triage"]
    body: list[Span] = []
    if t.get("action"):
        body.append((label(rb, "action", t["action"], lang).upper(), "bold"))
    if t.get("severity"):
        body += [("   ", ""), (f" {ui['severity']}{c} {label(rb, 'severity', t['severity'], lang)} ",
                                SEVERITY_STYLE.get(t["severity"], ""))]
    for key, ui_key in (("respond_within_minutes", "respond_within"),
                        ("next_update_minutes", "next_update"),
                        ("recheck_within_minutes", "recheck_within")):
        if t.get(key) is not None:
            body += [(f"\n{ui[ui_key]}{c} ", "bold"), (minutes(t[key], lang), "")]
    if t.get("posture"):
        body += [(f"\n{ui['posture']}{c} ", "bold"), (label(rb, "posture", t["posture"], lang), "")]
    for key in ("strategy", "escalate_to", "channels"):
        if t.get(key):
            body += [(f"\n{ui[key]}{c} ", "bold"), (", ".join(label(rb, key, v, lang) for v in t[key]), "")]
    summary = doc["answers"].get("summary")
    # A long summary is cut with an ellipsis, so that the cut shows (the full text is the user's own).
    title = ui["decision"] + (f" — {summary}" if summary else "")
    border = SEVERITY_STYLE.get(t.get("severity") or "", "white").split()[-1]
    return panel(body, width, title=title, border=border, color=color)


def _why(rb: RuleBase, doc: Mapping[str, Any], width: int, color: bool) -> list[str]:
    """Each fired rule: what it says, the facts it read, what it set, its principle and source."""
    ui = UI[doc["lang"]]
    c = ui["colon"]
    body: list[Span] = []
    for i, entry in enumerate(why(rb, doc)):
        body += [(("\n" if i else "") + f"• {entry['rule']}", "bold"), (f" — {entry['description']}\n", ""),
                 (f"  {ui['on']}{c} {entry['facts']}  →  {entry['sets']}", "dim")]
        if entry["principle"]:
            body += [(f"\n  {ui['principle']}{c} {entry['principle']}", "italic"), (f" ({entry['source']})", "dim")]
    return panel(body, width, title=ui["why"], border="dim", color=color)


def answers_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """The interview's review step: the answers so far, on stderr like every prompt."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    no_color = bool(os.environ.get("NO_COLOR")) or not _isatty(sys.stderr)
    console = Console(file=sys.stderr, no_color=no_color, highlight=False, emoji=False)
    table = Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD)
    # Question, answer, id: a long answer wraps in its column rather than squeezing the questions.
    for header, style, width in zip(headers, ("", "bold", "dim"), (None, 28, None), strict=False):
        table.add_column(Text(header), style=style, overflow="fold", max_width=width)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)

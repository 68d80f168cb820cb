"""The interview as data, for script authors (`playbook questions`)."""

from __future__ import annotations

from typing import Any

from playbook.core.conditions import Always, to_data
from playbook.core.model import RuleBase


def questions_doc(rb: RuleBase, lang: str) -> list[dict[str, Any]]:
    out = []
    for q in rb.questions:
        entry: dict[str, Any] = {
            "id": q.id,
            "type": q.type,
            "text": q.text.get(lang),
            "help": q.help.get(lang),
        }
        if q.choices:
            entry["choices"] = [
                {"value": c.value, "label": c.label.get(lang),
                 "help": c.help.get(lang) if c.help else None}
                for c in q.choices
            ]
        if q.type == "confirm":
            entry["values"] = [True, False]
        if q.minimum is not None:
            entry["min"] = q.minimum
        if q.maximum is not None:
            entry["max"] = q.maximum
        entry["default"] = q.default  # null: required (a triage question) or optional (a drafting fact)
        entry["stage"] = q.stage
        entry["optional"] = q.optional or q.default is not None
        if q.optional:
            entry["example"] = q.example.get(lang) if q.example else None
            entry["placeholder"] = q.placeholder.get(lang) if q.placeholder else None
        entry["when"] = to_data(q.when)
        entry["when_text"] = None if isinstance(q.when, Always) else str(q.when)
        out.append(entry)
    return out


def questions_text(rb: RuleBase, lang: str) -> str:
    lines = []
    for q in rb.questions:
        lines.append(f"{q.id} ({q.type}): {q.text.get(lang)}")
        if not isinstance(q.when, Always):
            lines.append(f"    {'posée si' if lang == 'fr' else 'asked when'}: {q.when}")
        if q.choices:
            for c in q.choices:
                lines.append(f"    {c.value:<20} {c.label.get(lang)}")
        elif q.optional:
            note = "facultatif, pour les brouillons" if lang == "fr" else "optional, for the drafts"
            lines.append(f"    {note}: {q.allowed()}")
        else:
            lines.append(f"    {q.allowed()}")
    return "\n".join(lines) + "\n"

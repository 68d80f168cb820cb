"""What every renderer shares: the interface words in each language, labels, delays, and the
decision's trace in words; user text made safe to show (control characters visible).
"""

from __future__ import annotations

from collections.abc import Mapping

from playbook.core.model import RuleBase

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

SEVERITY_STYLE = {"low": "green", "moderate": "yellow", "high": "bold red", "critical": "bold white on red"}
LEVEL_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
# Control characters in user text (an ANSI escape in a summary, say) are shown, never obeyed:
# a pasted `\x1b[31m` must not recolour the terminal or the ticket it lands in.
_VISIBLE = {c: f"\\x{c:02x}" for c in (*range(0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))}
# Bidirectional overrides and isolates make a line read other than it is stored (a file name
# or a summary could hide text that way): shown as escapes too, as are lone surrogates.
_VISIBLE.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xD800, 0xE000))})

UI = {
    "en": {
        "decision": "Triage decision", "action": "Action", "severity": "Severity",
        "respond_within": "Respond within", "next_update": "Next update every",
        "recheck_within": "Look again within", "posture": "Posture", "strategy": "Say",
        "escalate_to": "Owners", "channels": "Channels", "do": "Do", "avoid": "Avoid",
        "why": "Why", "rule": "Rule", "on": "on", "sets": "sets", "principle": "principle",
        "source": "source", "min": "min", "conflicts": "Conflicts in the rule base",
        "drafts": "Drafts", "none": "none", "summary": "Incident", "always": "always",
        "not_applicable": "not asked", "given_not_applicable": "given, does not apply", "colon": ":",
        "builtin_profile": "These drafts are signed by the built-in example profile ({name}, an invented "
                           "organisation). Make your own with `playbook profile init`.",
        "chars": "characters", "shortened": "shortened to fit",
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
        "not_applicable": "non posée", "given_not_applicable": "donnée, sans objet", "colon": "\u00a0:",
        "builtin_profile": "Ces brouillons sont signés avec le profil d'exemple intégré ({name}, une "
                           "organisation inventée). Créez le vôtre avec `playbook profile init`.",
        "chars": "caractères", "shortened": "raccourci pour tenir",
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


def visible(text: str) -> str:
    """User text for people: control characters (but newlines and tabs) as `\\xNN`."""
    return str(text).translate(_VISIBLE)


def one_line(text: str) -> str:
    """User text inside one line of a document (Markdown): its line breaks cannot add structure."""
    return " ".join(visible(text).split())


def draft_heading(d: Mapping[str, Any], ui: Mapping[str, str]) -> str:
    """`Public reply · twitter · 202/280 characters (shortened to fit)`."""
    size = f"{d['chars']}/{d['limit']}" if d.get("limit") else str(d["chars"])
    shortened = f" ({ui['shortened']})" if d.get("dropped") else ""
    return f"{d.get('title', d['kind'])} · {d['channel']} · {size} {ui['chars']}{shortened}"


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
        given = doc.get("not_applicable", {})
        facts = ", ".join(f"{k}={_fmt(v, lang, k in given)}" for k, v in f["matched"].items()) or UI[lang]["always"]
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


def _fmt(value: Any, lang: str, given: bool = False) -> str:
    if value is None:
        return UI[lang]["given_not_applicable" if given else "not_applicable"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def label(rb: RuleBase, field: str, value: str, lang: str) -> str:
    """The human label of an output value (`respond_publicly` -> `Respond publicly`)."""
    out = rb.outputs.get(field)
    if out is not None and value in out.labels:
        return out.labels[value].get(lang)
    return value.replace("_", " ")


def profile_note(doc: Mapping[str, Any]) -> str | None:
    """Say so when the drafts are signed by the built-in example rather than the user's profile."""
    profile = doc.get("profile")
    if not doc.get("drafts") or not profile or not profile.get("builtin"):
        return None
    return UI[doc["lang"]]["builtin_profile"].format(name=profile.get("name", ""))

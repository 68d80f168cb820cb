"""The decision as a document: the stable, versioned structure scripts read
(`--format json`; `SCHEMA_VERSION` changes when a field is renamed or removed).

`build` turns a Decision into plain data (dicts, lists, strings, numbers) in the user's
language; every output format renders this same document, so JSON, YAML, Markdown and
the terminal never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from playbook.core.model import Answers, Decision, RuleBase
from playbook.drafting.profile import Profile
from playbook.version import __version__

TYPE_CHECKING = False  # not typing's: importing typing costs a start-up ~2 ms
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = 1
FIELD_ORDER = (
    "action", "severity", "respond_within_minutes", "next_update_minutes",
    "recheck_within_minutes", "posture", "strategy", "escalate_to", "channels",
)


def build(
    rb: RuleBase,
    answers: Answers,
    decision: Decision,
    lang: str,
    drafts: Sequence[Mapping[str, Any]] = (),
    profile: Profile | None = None,
) -> dict[str, Any]:
    triage: dict[str, Any] = {}
    out = decision.outputs
    for fid in field_order(out):
        triage[fid] = field_value(out[fid])
    for cat in ("do", "avoid"):
        triage[cat] = [guidance_item(rb, cat, g, lang) for g in out.get(cat, ())]
    triage["principles"] = [principle_item(rb, p, lang) for p in decision.principles]
    triage["trace"] = [trace_item(f.rule, f.matched, f.sets) for f in decision.trace]
    if decision.conflicts:
        triage["conflicts"] = list(decision.conflicts)
    return {
        **header(rb, lang, profile),
        "answers": dict(answers.values),
        "not_applicable": dict(answers.not_applicable),
        "triage": triage,
        "drafts": [dict(d) for d in drafts],
    }


# The pieces of a document, shared with `render.jsonline` (which writes them as JSON directly).

def header(rb: RuleBase, lang: str, profile: Profile | None) -> dict[str, Any]:
    """What every document of a run starts with: versions, rule base, profile, language."""
    return {
        "schema_version": SCHEMA_VERSION,
        "playbook_version": __version__,
        "rulebase": {"path": rb.paths[0], "overlays": list(rb.paths[1:]), "digest": rb.digest},
        "profile": None if profile is None else {
            "path": profile.path or None, "builtin": profile.builtin, "name": profile.name},
        "lang": lang,
    }


def field_order(outputs: Mapping[str, Any]) -> list[str]:
    """The output fields shown, in order (`do` and `avoid` come after, with their texts)."""
    return [fid for fid in (*FIELD_ORDER, *(f for f in outputs if f not in FIELD_ORDER and f not in ("do", "avoid")))
            if fid in outputs]


def field_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def guidance_item(rb: RuleBase, cat: str, gid: str, lang: str) -> dict[str, Any]:
    return {"id": gid, "text": rb.guidance.get(cat, {})[gid].text.get(lang)}


def principle_item(rb: RuleBase, pid: str, lang: str) -> dict[str, Any]:
    return {"id": pid, "title": rb.principles[pid].title.get(lang), "source": rb.principles[pid].source}


def trace_item(rule: str, matched: Mapping[str, Any], sets: Mapping[str, Any]) -> dict[str, Any]:
    return {"rule": rule, "matched": dict(matched), "set": {k: field_value(v) for k, v in sets.items()}}

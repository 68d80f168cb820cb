"""The decision as a document: the stable, versioned structure scripts read
(`--format json`; `SCHEMA_VERSION` changes when a field is renamed or removed).

`build` turns a Decision into plain data (dicts, lists, strings, numbers) in the user's
language; every output format renders this same document, so JSON, YAML, Markdown and
the terminal never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from playbook.core.model import Answers, Decision, RuleBase
from playbook.drafting.profile import Profile
from playbook.version import __version__

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
    for fid in (*FIELD_ORDER, *(f for f in out if f not in FIELD_ORDER and f not in ("do", "avoid"))):
        if fid in out:
            value = out[fid]
            triage[fid] = list(value) if isinstance(value, tuple) else value
    for cat in ("do", "avoid"):
        entries = rb.guidance.get(cat, {})
        triage[cat] = [{"id": g, "text": entries[g].text.get(lang)} for g in out.get(cat, ())]
    triage["principles"] = [
        {"id": p, "title": rb.principles[p].title.get(lang), "source": rb.principles[p].source}
        for p in decision.principles
    ]
    triage["trace"] = [
        {"rule": f.rule, "matched": dict(f.matched),
         "set": {k: list(v) if isinstance(v, tuple) else v for k, v in f.sets.items()}}
        for f in decision.trace
    ]
    if decision.conflicts:
        triage["conflicts"] = list(decision.conflicts)
    return {
        "schema_version": SCHEMA_VERSION,
        "playbook_version": __version__,
        "rulebase": {"path": rb.paths[0], "overlays": list(rb.paths[1:]), "digest": rb.digest},
        "profile": None if profile is None else {
            "path": profile.path or None, "builtin": profile.builtin, "name": profile.name},
        "lang": lang,
        "answers": dict(answers.values),
        "not_applicable": dict(answers.not_applicable),
        "triage": triage,
        "drafts": [dict(d) for d in drafts],
    }

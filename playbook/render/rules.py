"""Render the rule-base commands' results: `rules check`, `rules test`, `rules explain`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from playbook.core.conditions import Always
from playbook.core.model import Rule, RuleBase
from playbook.rulebase.cases import CaseResult
from playbook.rulebase.library import LibraryResult
from playbook.rulebase.scenarios import InjectResult
from playbook.rulebase.source import display_where
from playbook.rulebase.verify import Finding


def check_text(rb: RuleBase, findings: Sequence[Finding], regions: int, seconds: float) -> str:
    lines = [f"{f.kind}: {f.subject}: {f.message}" + (f"\n  example: {_incident(f.example)}" if f.example else "")
             for f in findings]
    verdict = "clean" if not findings else f"{len(findings)} finding(s)"
    lines.append(f"rules check: {len(rb.rules)} rules, {len(rb.questions)} questions, {regions:,} regions "
                 f"of the answer space examined in {seconds:.2f} s: {verdict}")
    return "\n".join(lines) + "\n"


def check_json(findings: Sequence[Finding], regions: int, seconds: float) -> str:
    doc = {"clean": not findings, "regions": regions, "seconds": round(seconds, 3),
           "findings": [{"kind": f.kind, "subject": f.subject, "message": f.message,
                         "example": dict(f.example)} for f in findings]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _incident(example: Any) -> str:
    return json.dumps(dict(example), ensure_ascii=False)


def test_text(results: Sequence[CaseResult], without_case: Sequence[Rule]) -> str:
    lines = []
    for r in results:
        if r.failures:
            lines.append(f"FAIL {r.rule} ({display_where(r.case.where)}): " + "; ".join(r.failures))
    for rule in without_case:
        lines.append(f"NO CASE {rule.id} ({display_where(rule.where)}): every rule needs at least one case")
    failed = sum(1 for r in results if r.failures)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    if without_case:
        lines.append(f"{len(without_case)} rule(s) without a case")
    return "\n".join(lines) + "\n"


def scenarios_text(results: Sequence[InjectResult]) -> str:
    """The scenarios' injects run as cases: where the engine no longer decides what a scenario teaches."""
    lines = []
    for r in results:
        if r.failures:
            lines.append(f"FAIL scenario {r.scenario.id}, inject {r.inject.id} ({display_where(r.inject.where)})")
            lines += [f"  - {failure}" for failure in r.failures]
    failed = sum(1 for r in results if r.failures)
    scenarios = len({r.scenario.id for r in results})
    lines.append(f"scenarios: {scenarios} scenario(s), {len(results) - failed} inject(s) passed, {failed} failed")
    return "\n".join(lines) + "\n"


# The words of `rules explain`, in each language (ids, conditions and quotes stay as written).
WORDS = {
    "en": {"rule": "rule", "when": "when", "sets": "sets", "cases": "cases", "always": "always",
           "principle": "principle", "source": "source", "rules": "rules", "none": "none",
           "output": "output", "policy": "policy", "values": "values (by precedence)",
           "caps": "longest delay by severity", "only_with": "only with action", "set_by": "set by {n} rule(s)"},
    "fr": {"rule": "règle", "when": "quand", "sets": "fixe", "cases": "cas", "always": "toujours",
           "principle": "principe", "source": "source", "rules": "règles", "none": "aucune",
           "output": "sortie", "policy": "politique", "values": "valeurs (par priorité)",
           "caps": "délai maximal par gravité", "only_with": "seulement avec l'action",
           "set_by": "fixée par {n} règle(s)"},
}


COLON = {"en": ":", "fr": "\u00a0:"}  # French sets a no-break space before the colon


def _w(lang: str, key: str) -> str:
    return WORDS[lang][key] + COLON[lang]


def library_text(directory: str, results: Sequence[LibraryResult]) -> str:
    """A case library's failures, each with where the case is and why a crisis lead decides so."""
    lines = []
    for r in results:
        if r.failures:
            lines.append(f"FAIL {r.case.id} ({display_where(r.case.where)}): {r.case.title}")
            lines += [f"  - {failure}" for failure in r.failures]
    failed = sum(1 for r in results if r.failures)
    lines.append(f"case library {directory}: {len(results) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def explain_text(rb: RuleBase, subject: str, lang: str) -> str | None:
    """A rule, a principle or an output field, explained with its sources; None if unknown."""
    rule = rb.rule(subject)
    if rule is not None:
        return _explain_rule(rb, rule, lang)
    if subject in rb.principles:
        return _explain_principle(rb, subject, lang)
    field = rb.outputs.get(subject)
    if field is None:
        return None
    words = WORDS[lang]
    lines = [f"{words['output']} {field.id}{COLON[lang]} {words['policy']} {field.policy}"]
    if field.values:
        lines.append(f"{_w(lang, 'values')} " + ", ".join(field.values))
    if field.from_severity:
        caps = ", ".join(f"{k} {v} min" for k, v in field.from_severity.items())
        lines.append(f"{_w(lang, 'caps')} {caps}")
    if field.only_with_action:
        lines.append(f"{_w(lang, 'only_with')} " + ", ".join(field.only_with_action))
    setters = [r.id for r in rb.rules if field.id in r.sets]
    set_by = words["set_by"].format(n=len(setters))
    lines.append(f"{set_by}{COLON[lang]} " + ", ".join(setters))
    return "\n".join(lines) + "\n"


def _explain_rule(rb: RuleBase, rule: Rule, lang: str) -> str:
    words = WORDS[lang]
    when = words["always"] if isinstance(rule.when, Always) else str(rule.when)
    sets = ", ".join(f"{k}={_value(v)}" for k, v in rule.sets.items())
    lines = [f"{words['rule']} {rule.id}  ({display_where(rule.where)})", f"  {rule.description.get(lang)}",
             f"  {_w(lang, 'when')} {when}", f"  {_w(lang, 'sets')} {sets}",
             f"  {_w(lang, 'cases')} {len(rule.cases)}", ""]
    return "\n".join(lines) + _explain_principle(rb, rule.principle, lang)


def _explain_principle(rb: RuleBase, pid: str, lang: str) -> str:
    words = WORDS[lang]
    p = rb.principles[pid]
    source = rb.sources[p.source]
    lines = [f"{words['principle']} {p.id}{COLON[lang]} {p.title.get(lang)}",
             f"  {p.summary.get(lang)}", f"  {_w(lang, 'source')} {source.title} — {source.reference}"]
    if p.quote:
        lines.append(f"  «\u00a0{p.quote}\u00a0»")
    users = [r.id for r in rb.rules if r.principle == pid]
    lines.append(f"  {_w(lang, 'rules')} {', '.join(users) if users else words['none']}")
    return "\n".join(lines) + "\n"


def _value(v: Any) -> str:
    if isinstance(v, tuple):
        return "[" + ", ".join(v) + "]"
    return str(v)

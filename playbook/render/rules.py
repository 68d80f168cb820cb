"""Render the rule-base commands' results: `rules check`, `rules test`, `rules explain`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from playbook.core.conditions import Always
from playbook.core.model import Rule, RuleBase
from playbook.rulebase.cases import CaseResult
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
            lines.append(f"FAIL {r.rule} ({r.case.where}): " + "; ".join(r.failures))
    for rule in without_case:
        lines.append(f"NO CASE {rule.id} ({rule.where}): every rule needs at least one case")
    failed = sum(1 for r in results if r.failures)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    if without_case:
        lines.append(f"{len(without_case)} rule(s) without a case")
    return "\n".join(lines) + "\n"


def explain_text(rb: RuleBase, subject: str, lang: str) -> str | None:
    """A rule, a principle or an output field, explained with its sources; None if unknown."""
    rule = rb.rule(subject)
    if rule is not None:
        return _explain_rule(rb, rule, lang)
    if subject in rb.principles:
        return _explain_principle(rb, subject, lang)
    field = rb.outputs.get(subject)
    if field is not None:
        lines = [f"output {field.id}: policy {field.policy}"]
        if field.values:
            lines.append("values (by precedence): " + ", ".join(field.values))
        if field.from_severity:
            caps = ", ".join(f"{k} {v} min" for k, v in field.from_severity.items())
            lines.append(f"longest delay by severity: {caps}")
        if field.only_with_action:
            lines.append("only with action: " + ", ".join(field.only_with_action))
        setters = [r.id for r in rb.rules if field.id in r.sets]
        lines.append(f"set by {len(setters)} rule(s): " + ", ".join(setters))
        return "\n".join(lines) + "\n"
    return None


def _explain_rule(rb: RuleBase, rule: Rule, lang: str) -> str:
    when = "always" if isinstance(rule.when, Always) else str(rule.when)
    sets = ", ".join(f"{k}={_value(v)}" for k, v in rule.sets.items())
    lines = [f"rule {rule.id}  ({rule.where})", f"  {rule.description.get(lang)}", f"  when: {when}", f"  sets: {sets}",
             f"  cases: {len(rule.cases)}", ""]
    return "\n".join(lines) + _explain_principle(rb, rule.principle, lang)


def _explain_principle(rb: RuleBase, pid: str, lang: str) -> str:
    p = rb.principles[pid]
    source = rb.sources[p.source]
    lines = [f"principle {p.id}: {p.title.get(lang)}", f"  {p.summary.get(lang)}",
             f"  source: {source.title} — {source.reference}"]
    if p.quote:
        lines.append(f"  « {p.quote} »")
    users = [r.id for r in rb.rules if r.principle == pid]
    lines.append(f"  rules: {', '.join(users) if users else 'none'}")
    return "\n".join(lines) + "\n"


def _value(v: Any) -> str:
    if isinstance(v, tuple):
        return "[" + ", ".join(v) + "]"
    return str(v)

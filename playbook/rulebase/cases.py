"""`playbook rules test`: run every rule's cases, and list the rules that have none.

A case's answers are laid over the rule base's `case_defaults` and validated like any
answers file; each expected output must match (a list must contain the expected items).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.core.answers import RawAnswers, validate
from playbook.core.engine import Engine
from playbook.core.model import Case, Rule, RuleBase
from playbook.core.record import record
from playbook.errors import AnswersError
from playbook.rulebase.source import display_where


@record
class CaseResult:
    rule: str
    case: Case
    failures: tuple[str, ...]


def run_cases(rb: RuleBase) -> tuple[list[CaseResult], list[Rule]]:
    """The result of every case, and the rules without a case."""
    engine = Engine(rb)
    results = [
        CaseResult(rule.id, case, tuple(case_failures(rb, engine, case)))
        for rule in rb.rules
        for case in rule.cases
    ]
    return results, [r for r in rb.rules if not r.cases]


def case_failures(rb: RuleBase, engine: Engine, case: Case) -> list[str]:
    raw = RawAnswers({**rb.case_defaults, **case.answers}, {}, display_where(case.where) if case.where else "case")
    try:
        answers = validate(rb, raw)
    except AnswersError as exc:
        return list(exc.messages)
    outputs = engine.decide(answers.values).outputs
    return [msg for fid, want in case.expect.items() if (msg := _compare(fid, want, outputs))]


def _compare(fid: str, want: Any, outputs: Mapping[str, Any]) -> str | None:
    got = outputs.get(fid)
    if isinstance(want, tuple):
        missing = [v for v in want if v not in (got or ())]
        return f"{fid}: expected to contain {', '.join(missing)}; got [{', '.join(got or ())}]" if missing else None
    return None if got == want else f"{fid}: expected {want}, got {got}"

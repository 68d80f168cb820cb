"""Hit policies and the trace, on a small rule base written for the purpose."""

from __future__ import annotations

import textwrap
from pathlib import Path

from playbook.core.engine import Engine, violations
from playbook.core.model import RuleBase
from playbook.rulebase import build as rulebuild

MINI = """
sources:
  - {id: s, kind: practice, title: S, reference: R}
principles:
  - {id: p, source: s, title: {en: P, fr: P}, summary: {en: P, fr: P}}
questions:
  - id: reach
    type: select
    text: {en: Reach?, fr: Portée ?}
    help: {en: h, fr: h}
    choices:
      - {value: none, label: {en: none, fr: aucune}}
      - {value: viral, label: {en: viral, fr: virale}}
  - id: hours
    type: number
    min: 0
    text: {en: Hours?, fr: Heures ?}
    help: {en: h, fr: h}
outputs:
  action:
    policy: priority
    required: true
    values:
      - {id: speak, label: {en: Speak, fr: Parler}}
      - {id: fix, label: {en: Fix, fr: Corriger}}
      - {id: hush, label: {en: Hush, fr: Chut}}
      - {id: wait, label: {en: Wait, fr: Attendre}}
    ties: [[fix, hush]]
  severity:
    policy: max
    required: true
    values:
      - {id: low, label: {en: Low, fr: Faible}}
      - {id: high, label: {en: High, fr: Élevée}}
  posture:
    policy: priority
    required: true
    values:
      - {id: inform, label: {en: Inform, fr: Informer}}
  respond_within_minutes:
    policy: min
    only_with_action: [speak, fix, hush]
    from_severity: {high: 45}
  strategy:
    policy: union
    values:
      - {id: a, label: {en: A, fr: A}}
      - {id: b, label: {en: B, fr: B}}
      - {id: c, label: {en: C, fr: C}}
rules:
  - id: base
    principle: p
    description: {en: base, fr: base}
    set: {action: wait, severity: low, posture: inform, strategy: [a]}
  - id: viral
    principle: p
    description: {en: viral, fr: viral}
    when: {reach: viral}
    set: {action: speak, severity: high, respond_within_minutes: 90, strategy: [b, a]}
  - id: late
    principle: p
    description: {en: late, fr: late}
    when: {hours: {gte: 2}}
    set: {respond_within_minutes: 20, strategy: [c]}
  - id: fix_it
    principle: p
    description: {en: fix, fr: fix}
    when: {hours: {gte: 5}}
    set: {action: fix}
  - id: hush_it
    principle: p
    description: {en: hush, fr: hush}
    when: {hours: {gte: 8}}
    set: {action: hush}
constraints:
  - id: no_speak_with_c
    principle: p
    description: {en: never speak with c, fr: jamais}
    forbid: {action: speak, strategy: [c]}
"""


def mini(tmp_path: Path) -> RuleBase:
    f = tmp_path / "mini.yaml"
    f.write_text(textwrap.dedent(MINI), encoding="utf-8")
    return rulebuild.build([(f, f.read_bytes())], [str(tmp_path)], "digest")


def test_priority_max_min_union_and_trace(tmp_path: Path) -> None:
    engine = Engine(mini(tmp_path))
    d = engine.decide({"reach": "viral", "hours": 3})
    assert d.outputs["action"] == "speak"          # highest precedence of speak and wait
    assert d.outputs["severity"] == "high"         # max of low and high
    assert d.outputs["respond_within_minutes"] == 20   # min of 90, 20 and the severity cap 45
    assert d.outputs["strategy"] == ("a", "b", "c")    # union in rule order
    assert [f.rule for f in d.trace] == ["base", "viral", "late"]
    assert d.trace[1].matched == {"reach": "viral"}
    assert d.trace[2].matched == {"hours": 3}
    assert d.trace[1].sets["respond_within_minutes"] == 90
    assert d.principles == ("p",)
    assert d.conflicts == ()


def test_severity_cap_applies_and_is_traced(tmp_path: Path) -> None:
    d = Engine(mini(tmp_path)).decide({"reach": "viral", "hours": 0})
    assert d.outputs["respond_within_minutes"] == 45
    assert d.trace[-1].rule == "respond_within_minutes.from_severity"
    assert d.trace[-1].matched == {"severity": "high"}


def test_field_cleared_when_action_does_not_call_for_it(tmp_path: Path) -> None:
    d = Engine(mini(tmp_path)).decide({"reach": "none", "hours": 3})
    assert d.outputs["action"] == "wait"
    assert d.outputs["respond_within_minutes"] is None


def test_same_precedence_different_values_is_a_conflict(tmp_path: Path) -> None:
    d = Engine(mini(tmp_path)).decide({"reach": "none", "hours": 9})
    assert d.outputs["action"] == "fix"  # the first in rule order is kept
    assert d.conflicts == ("action: 'fix_it' sets fix, 'hush_it' sets hush at the same precedence",)


def test_not_applicable_facts_never_match(tmp_path: Path) -> None:
    d = Engine(mini(tmp_path)).decide({"reach": "viral"})
    assert [f.rule for f in d.trace] == ["base", "viral", "respond_within_minutes.from_severity"]


def test_constraints_are_checked(tmp_path: Path) -> None:
    rb = mini(tmp_path)
    d = Engine(rb).decide({"reach": "viral", "hours": 3})
    assert violations(rb, d) == ["no_speak_with_c"]
    assert violations(rb, Engine(rb).decide({"reach": "viral", "hours": 0})) == []


def test_shipped_rule_base_decides_a_complete_incident(rb: RuleBase, complete: dict[str, object]) -> None:
    d = Engine(rb).decide(complete)
    assert d.outputs["action"] == "respond_publicly"
    assert d.outputs["posture"] == "rebuild"
    assert d.outputs["severity"] == "high"
    assert d.outputs["respond_within_minutes"] == 30
    assert "apologize" in d.outputs["strategy"]
    assert not violations(rb, d)

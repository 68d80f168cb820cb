"""Judgement constraints: `when` (answers), `given` (outputs), `require` and `forbid`, checked on
each decision and proved over the whole answer space by `rules check`; and dead vocabulary."""

from __future__ import annotations

import textwrap
from pathlib import Path

from playbook.core.engine import Engine, violations
from playbook.core.model import RuleBase
from playbook.rulebase import build as rulebuild
from playbook.rulebase.verify import check
from tests.core.test_engine import MINI

JUDGEMENTS = """
  - id: viral_says_b
    principle: p
    description: {en: "viral incidents say b", fr: "b"}
    when: {reach: viral}
    require: {strategy: [b]}
  - id: high_says_c
    principle: p
    description: {en: "a high severity says c", fr: "c"}
    given: {severity: high}
    require: {strategy: [c]}
  - id: late_viral_never_waits
    principle: p
    description: {en: "late and viral never waits", fr: "w"}
    when: {reach: viral, hours: {gte: 2}}
    forbid: {action: wait}
"""


def build(tmp_path: Path, extra: str = JUDGEMENTS) -> RuleBase:
    f = tmp_path / "mini.yaml"
    f.write_text(textwrap.dedent(MINI) + textwrap.indent(textwrap.dedent(extra), "  "), encoding="utf-8")
    return rulebuild.build([(f, f.read_bytes())], [str(tmp_path)], "digest")


def test_constraints_parse_with_when_given_require(tmp_path: Path) -> None:
    rb = build(tmp_path)
    by_id = {c.id: c for c in rb.constraints}
    assert by_id["viral_says_b"].require == {"strategy": ("b",)}
    assert str(by_id["viral_says_b"].when) == "reach = viral"
    assert by_id["high_says_c"].given == {"severity": ("high",)}
    assert by_id["late_viral_never_waits"].forbid == {"action": ("wait",)}


def test_each_decision_is_checked_against_its_answers(tmp_path: Path) -> None:
    rb = build(tmp_path)
    engine = Engine(rb)
    early = {"reach": "viral", "hours": 0}
    assert violations(rb, engine.decide(early), early) == ["high_says_c"]  # high severity, no c yet
    late = {"reach": "viral", "hours": 3}
    assert violations(rb, engine.decide(late), late) == ["no_speak_with_c"]  # speaks with c
    quiet = {"reach": "none", "hours": 0}
    assert violations(rb, engine.decide(quiet), quiet) == []  # neither viral nor high: nothing required


def test_rules_check_proves_them_and_gives_an_example(tmp_path: Path) -> None:
    findings, _ = check(build(tmp_path))
    broken = {f.subject: f for f in findings if f.kind == "constraint"}
    assert set(broken) == {"no_speak_with_c", "high_says_c"}
    assert broken["high_says_c"].example["reach"] == "viral"
    assert broken["high_says_c"].example["hours"] < 2  # only early viral incidents lack c


def test_a_constraint_needs_require_or_forbid(tmp_path: Path) -> None:
    import pytest

    from playbook.errors import RuleBaseError

    with pytest.raises(RuleBaseError) as info:
        build(tmp_path, """
          - id: empty
            principle: p
            description: {en: "nothing", fr: "rien"}
            when: {reach: viral}
        """)
    assert "constraint 'empty': a constraint needs 'require' or 'forbid' (or both)" in str(info.value)


def test_values_no_rule_produces_are_reported(tmp_path: Path) -> None:
    rb = build(tmp_path, "")
    assert {f.subject for f in check(rb)[0] if f.kind == "unused"} == set()  # MINI uses all it declares
    c_line = "      - {id: c, label: {en: C, fr: C}}"
    unused = textwrap.dedent(MINI).replace(c_line, c_line + "\n      - {id: d, label: {en: D, fr: D}}")
    f = tmp_path / "mini.yaml"
    f.write_text(unused, encoding="utf-8")
    findings, _ = check(rulebuild.build([(f, f.read_bytes())], [str(tmp_path)], "digest"))
    assert [(x.subject, x.message) for x in findings if x.kind == "unused"] == [
        ("strategy: d", "no rule produces this value")]

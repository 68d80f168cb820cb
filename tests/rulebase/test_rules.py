"""The shipped rule base: its cases, its verification, its sources, and broken overlays."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.engine import Engine
from playbook.core.model import RuleBase
from playbook.rulebase import load as rulebase
from playbook.rulebase.cases import case_failures
from playbook.rulebase.verify import check
from tests.helpers import SOURCES, SOURCES_MISSING

SHIPPED = rulebase.load(use_cache=False)


@pytest.mark.parametrize(
    ("rule_id", "index"),
    [(r.id, i) for r in SHIPPED.rules for i in range(len(r.cases))],
)
def test_rule_case(rb: RuleBase, engine: Engine, rule_id: str, index: int) -> None:
    rule = rb.rule(rule_id)
    assert rule is not None
    assert case_failures(rb, engine, rule.cases[index]) == []


def test_every_rule_is_documented(rb: RuleBase) -> None:
    for rule in rb.rules:
        assert rule.cases, f"{rule.id} has no case"
        assert rule.description and rule.principle in rb.principles


def test_shipped_rule_base_verifies_clean(rb: RuleBase) -> None:
    findings, regions = check(rb)
    assert findings == []
    assert regions > 1000


def test_every_principle_is_used_and_every_article_cited(rb: RuleBase) -> None:
    used = {r.principle for r in rb.rules} | {c.principle for c in rb.constraints}
    assert set(rb.principles) - used == set()
    cited = {p.source for p in rb.principles.values()}
    assert {"admit", "pitfalls", "antisocial", "enemies", "fallout"} <= cited


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SOURCES.is_dir(), reason=SOURCES_MISSING)
def test_quotes_are_verbatim_from_their_article(rb: RuleBase) -> None:
    files = {line.split("|")[1].strip(): line.split("|")[2].strip()
             for line in (SOURCES / "README.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("| `")}
    texts = {sid.strip("`"): _norm((SOURCES / name).read_text(encoding="utf-8")) for sid, name in files.items()}
    for p in rb.principles.values():
        if p.quote:
            assert _norm(p.quote) in texts[p.source], p.id


REACH = ["none", "low", "growing", "viral"]
HARM = ["none", "inconvenience", "financial", "personal_data", "safety"]
SEVERITY = ["low", "moderate", "high", "critical"]


def incidents(rb: RuleBase) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for q in rb.questions:
        if q.type == "select":
            fields[q.id] = st.sampled_from(q.values)
        elif q.type == "confirm":
            fields[q.id] = st.booleans()
        elif q.type == "number":
            fields[q.id] = st.floats(min_value=0, max_value=200, allow_nan=False)
    return st.fixed_dictionaries(fields)


def _severity(engine: Engine, facts: dict[str, Any]) -> int:
    from playbook.core.answers import RawAnswers, validate

    answers = validate(engine.rulebase, RawAnswers(facts))
    return SEVERITY.index(engine.decide(answers.values).outputs["severity"])


@settings(max_examples=300, deadline=None)
@given(incidents(SHIPPED), st.data())
def test_severity_is_monotone_in_reach_media_harm_and_time(facts: dict[str, Any], data: st.DataObject) -> None:
    engine = Engine(SHIPPED)
    base = _severity(engine, facts)
    up = dict(facts)
    up["reach"] = data.draw(st.sampled_from(REACH[REACH.index(facts["reach"]):]))
    up["harm"] = data.draw(st.sampled_from(HARM[HARM.index(facts["harm"]):]))
    up["media_interest"] = facts["media_interest"] or data.draw(st.booleans())
    up["hours_since_surfaced"] = facts["hours_since_surfaced"] + data.draw(st.floats(0, 100))
    assert _severity(engine, up) >= base


@settings(max_examples=200, deadline=None)
@given(incidents(SHIPPED), st.floats(0, 100))
def test_more_hours_never_lowers_urgency(facts: dict[str, Any], extra: float) -> None:
    from playbook.core.answers import RawAnswers, validate

    engine = Engine(SHIPPED)
    later = dict(facts, hours_since_surfaced=facts["hours_since_surfaced"] + extra)
    a = engine.decide(validate(SHIPPED, RawAnswers(facts)).values).outputs
    b = engine.decide(validate(SHIPPED, RawAnswers(later)).values).outputs
    if a["respond_within_minutes"] is not None and b["respond_within_minutes"] is not None:
        assert b["respond_within_minutes"] <= a["respond_within_minutes"]


def findings_of(overlay_dir: Path) -> list[tuple[str, str]]:
    findings, _ = check(rulebase.load([overlay_dir], use_cache=False))
    return [(f.kind, f.subject) for f in findings]


def test_overlay_gap(overlay: Callable[..., Path]) -> None:
    d = overlay("rules:\n  - id: watch_unnoticed_critique\n    enabled: false\n")
    findings, _ = check(rulebase.load([d], use_cache=False))
    gap = [f for f in findings if f.kind == "gap"]
    assert [f.subject for f in gap] == ["action"]
    example = gap[0].example
    assert Engine(rulebase.load([d], use_cache=False)).decide(example).outputs["action"] is None


def test_overlay_conflict(overlay: Callable[..., Path]) -> None:
    d = overlay("""\
        outputs:
          action:
            policy: priority
            required: true
            values:
              - {id: holding_statement, label: {en: a, fr: a}}
              - {id: respond_publicly, label: {en: a, fr: a}}
              - {id: correct_the_facts, label: {en: a, fr: a}}
              - {id: moderate, label: {en: a, fr: a}}
              - {id: respond_privately, label: {en: a, fr: a}}
              - {id: monitor, label: {en: a, fr: a}}
            ties: [[holding_statement, respond_publicly]]
        """)
    assert ("conflict", "action") in findings_of(d)


def test_overlay_never_fires_and_shadowed(overlay: Callable[..., Path]) -> None:
    d = overlay("""\
        rules:
          - id: impossible
            principle: respond_fast
            description: {en: "Nobody reacted and it is viral at once.", fr: "Nobody reacted and it is viral at once."}
            when: {reach: none, all: [{reach: viral}]}
            set: {severity: high}
            cases: []
          - id: redundant
            principle: respond_fast
            description: {en: "Says what the baseline already says.", fr: "Says what the baseline already says."}
            when: {reach: low}
            set: {severity: low, do: [log_incident]}
        """)
    found = findings_of(d)
    assert ("never", "impossible") in found
    assert ("shadowed", "redundant") in found


def test_overlay_constraint(overlay: Callable[..., Path]) -> None:
    d = overlay("""\
        rules:
          - id: deny_and_apologise
            principle: respond_fast
            description: {en: "A contradiction on purpose.", fr: "A contradiction on purpose."}
            when: {origin: false_information, at_fault: "no", reach: viral}
            set: {posture: deny, strategy: [apologize]}
        """)
    assert ("constraint", "never_deny_and_apologise") in findings_of(d)


def test_cli_rules_commands(runner: CliRunner, overlay: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0
    assert ": clean" in result.stdout
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0 and ", 0 failed" in result.stdout
    d = overlay("rules:\n  - id: watch_unnoticed_critique\n    enabled: false\n")
    result = runner.invoke(app, ["rules", "check", "--rules", str(d)])
    assert result.exit_code == 1
    assert "gap: action: no rule sets 'action'" in result.stdout
    assert "example: {" in result.stdout
    result = runner.invoke(app, ["rules", "explain", "watch_unnoticed_critique"])
    assert "principle watch_unnoticed: Don't feed a critique nobody reacted to" in result.stdout
    assert "«\u00a0si une critique a été écrite" in result.stdout
    result = runner.invoke(app, ["rules", "explain", "nope"])
    assert result.exit_code == 2

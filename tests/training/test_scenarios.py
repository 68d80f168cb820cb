"""Every scenario is a test: each inject's expected decision, pinned in the scenario, is what the
engine decides; and the shipped scenarios are the library the issue asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.engine import Engine
from playbook.core.model import RuleBase
from playbook.core.scenario import Scenario
from playbook.rulebase import load
from playbook.rulebase.scenarios import inject_failures

ARTICLES = ("admit", "pitfalls", "antisocial", "enemies", "fallout")
REAL_CASES = ("united_breaks_guitars", "dominos_employee_video", "kenneth_cole_cairo", "american_apparel_sandy",
              "facebook_terms_2009", "mining_account_hacked", "chevron_we_agree")


def scenarios() -> list[Scenario]:
    return list(load.load(use_cache=False, scenarios=True).scenarios)


@pytest.mark.parametrize(("scenario", "index"), [(s, i) for s in scenarios() for i in range(len(s.injects))],
                         ids=lambda v: v.id if isinstance(v, Scenario) else str(v))
def test_each_inject_teaches_what_the_engine_decides(rb: RuleBase, engine: Engine, scenario: Scenario,
                                                     index: int) -> None:
    failures = inject_failures(rb, engine, scenario, index)
    inject = scenario.injects[index]
    assert not failures, f"{scenario.id} / {inject.id} ({inject.where}): " + "; ".join(failures)


def test_the_library_has_the_real_cases_and_the_hard_calls(rb: RuleBase) -> None:
    ids = [s.id for s in rb.scenarios]
    assert len(ids) >= 12
    assert set(REAL_CASES) <= set(ids)
    real = [s for s in rb.scenarios if s.real]
    assert all(s.source in ARTICLES and s.real_case for s in real), "a real case names its article and what happened"
    assert len([s for s in rb.scenarios if not s.real]) >= 5


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: s.id)
def test_a_scenario_reads_as_an_exercise(rb: RuleBase, scenario: Scenario) -> None:
    assert 3 <= len(scenario.injects) <= 6
    assert scenario.duration >= 180, "several hours of scenario time"
    assert any(i.message for i in scenario.injects), "at least one inject asks for a written message"
    for inject in scenario.injects:
        assert inject.notes and inject.principles, f"{inject.id}: teaching notes citing principles"
        assert inject.sees.en != inject.sees.fr, f"{inject.id}: the French text is written, not copied"
        for field in ("action", "severity", "posture"):
            assert field in inject.expect.choices
    assert any(i.facts for i in scenario.injects[1:]), "injects change the facts"
    debrief = scenario.debrief
    assert debrief.what_happened.fr != debrief.what_happened.en and debrief.principles


def test_rules_test_runs_the_scenarios(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert "scenarios: 13 scenario(s), 53 inject(s) passed, 0 failed" in result.output


def test_a_rule_change_that_alters_a_lesson_is_visible(runner: CliRunner, tmp_path: Path) -> None:
    overlay = tmp_path / "rules"
    overlay.mkdir()
    (overlay / "triage.yaml").write_text("rules:\n  - id: scct_preventable_cluster\n    enabled: false\n",
                                         encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", "--rules", str(overlay)])
    assert result.exit_code == 1
    assert "FAIL scenario united_breaks_guitars, inject the_song" in result.output
    assert "posture: expected rebuild" in result.output

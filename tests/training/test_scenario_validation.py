"""Scenarios are validated like the rest of the rule base: every mistake located (file:line:col),
with did-you-mean and the allowed values, exit 3; overlays replace or remove them by id; and a
triage never reads them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.errors import RuleBaseError
from playbook.rulebase import load

START = """\
    start:
      summary: "Our app was down for three hours."
      origin: product_failure
      reach: low
      influential_author: false
      media_interest: false
      at_fault: "yes"
      harm: inconvenience
      facts_known: "yes"
      expectation: explanation
      public_aware: true
      sensitive_context: false
      prior_statement: false
      crisis_history: false
      hours_since_surfaced: 1
"""


def scenario(inject: str = "", start: str = START, head: str = "") -> str:
    """A small valid scenario; `inject` replaces its one inject, `head` adds top-level keys."""
    inject = inject or """\
        - id: outage
          at: T+0m
          kind: post
          sees: {en: "The app is down.", fr: "L'application est en panne."}
          notes: {en: "Say it.", fr: "Le dire."}
          expect: {action: respond_publicly, severity: low, posture: rebuild}
"""
    return f"""\
scenarios:
  - id: my_outage
    title: {{en: "An outage", fr: "Une panne"}}
    source: invented
    organisation: Example
    role: {{en: "You.", fr: "Vous."}}
    narrative: {{en: "It broke.", fr: "Ça a cassé."}}
{head}{start}    injects:
{inject}    debrief:
      what_happened: {{en: "It broke.", fr: "Ça a cassé."}}
      worked: {{en: "Speaking.", fr: "Parler."}}
      did_not_work: {{en: "Nothing.", fr: "Rien."}}
"""


def errors(overlay: Path) -> list[str]:
    with pytest.raises(RuleBaseError) as info:
        load.load([overlay], use_cache=False, scenarios=True)
    return list(info.value.messages)


def test_a_valid_overlay_scenario_is_added(scenarios_overlay: Callable[..., Path]) -> None:
    rb = load.load([scenarios_overlay(scenario())], use_cache=False, scenarios=True)
    assert rb.scenario("my_outage") is not None and len(rb.scenarios) == 14


def test_unknown_answer_id_and_value_are_located(scenarios_overlay: Callable[..., Path]) -> None:
    start = START.replace("reach: low", "reech: low").replace('harm: inconvenience', "harm: bruises")
    found = errors(scenarios_overlay(scenario(start=start)))
    assert any("mine.yaml:11:7: scenario 'my_outage': unknown answer id 'reech' (did you mean 'reach'?)" in m
               for m in found), found
    assert any("mine.yaml:15:13" in m and "'harm': 'bruises' is not allowed" in m for m in found), found


def test_inject_mistakes_are_each_located(scenarios_overlay: Callable[..., Path]) -> None:
    inject = """\
        - id: outage
          at: 15 minutes
          kind: tweet
          sees: {en: "The app is down.", fr: "L'application est en panne."}
          principles: [respond_fats]
          message: {kind: public_replay, prompt: {en: "Write.", fr: "Écrivez."}}
          expect: {action: respond_publicy, severity: low}
"""
    found = "\n".join(errors(scenarios_overlay(scenario(inject))))
    assert "'at' is a time from the start: T+0m" in found
    assert "unknown kind 'tweet'" in found and "allowed: post, comment" in found
    assert "unknown principle 'respond_fats' (did you mean 'respond_fast'?)" in found
    assert "unknown draft kind 'public_replay' (did you mean 'public_reply'?)" in found
    assert "'action': unknown value 'respond_publicy' (did you mean 'respond_publicly'?)" in found
    assert "'expect' pins 'posture'" in found
    assert "scenarios/mine.yaml:" in found


def test_injects_in_time_order_with_unique_ids(scenarios_overlay: Callable[..., Path]) -> None:
    one = """\
        - id: later
          at: T+2h
          kind: post
          sees: {en: "a", fr: "b"}
          expect: {action: respond_publicly, severity: low, posture: rebuild}
"""
    found = "\n".join(errors(scenarios_overlay(scenario(one + one.replace("T+2h", "T+1h")))))
    assert "inject 'later' comes before the inject listed above it" in found
    assert "duplicate inject id 'later'" in found


def test_the_facts_at_each_inject_must_be_a_whole_incident(scenarios_overlay: Callable[..., Path]) -> None:
    found = errors(scenarios_overlay(scenario(start=START.replace("      at_fault: \"yes\"\n", ""))))
    assert any("inject 'outage': the facts so far leave answers missing: at_fault (yes, partly, no, unknown)" in m
               for m in found), found


def test_a_real_case_says_what_happened_and_ids_are_free(scenarios_overlay: Callable[..., Path]) -> None:
    text = scenario().replace("source: invented", "source: pitfals").replace("id: my_outage", "id: report")
    found = "\n".join(errors(scenarios_overlay(text)))
    assert "unknown source 'pitfals' (did you mean 'pitfalls'?)" in found
    assert "'report' is a word of `playbook train`" in found
    found = "\n".join(errors(scenarios_overlay(scenario().replace("source: invented", "source: pitfalls"))))
    assert "a real case (source other than 'invented') needs 'real_case'" in found


def test_overlays_replace_and_remove_scenarios_by_id(scenarios_overlay: Callable[..., Path]) -> None:
    replaced = scenario().replace("id: my_outage", "id: troll_wave")
    rb = load.load([scenarios_overlay(replaced)], use_cache=False, scenarios=True)
    assert len(rb.scenarios) == 13 and rb.scenario("troll_wave").organisation == "Example"
    gone = "scenarios:\n  - id: troll_wave\n    enabled: false\n"
    rb = load.load([scenarios_overlay(gone, "zz_gone.yaml")], use_cache=False, scenarios=True)
    assert rb.scenario("troll_wave") is None


def test_a_broken_scenario_stops_training_not_triage(runner: CliRunner, scenarios_overlay: Callable[..., Path],
                                                     answers_file: Callable[..., Path],
                                                     complete: dict[str, object]) -> None:
    overlay = scenarios_overlay(scenario().replace("kind: post", "kind: tweet"))
    result = runner.invoke(app, ["scenarios", "--rules", str(overlay)])
    assert result.exit_code == 3 and "unknown kind 'tweet'" in result.output
    assert "Traceback" not in result.output
    triage = runner.invoke(app, ["triage", "--answers", str(answers_file(complete)), "--rules", str(overlay),
                                 "-f", "json"])
    assert triage.exit_code == 0, triage.output


def test_scenarios_are_cached_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))
    lean = load.load()
    assert lean.scenarios == ()
    full = load.load(scenarios=True)
    assert len(full.scenarios) == 13
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").iterdir())
    assert names == ["rulebase", "scenarios"]
    again = load.load(scenarios=True)  # both from the cache now
    assert again.scenarios == full.scenarios and again.digest == lean.digest

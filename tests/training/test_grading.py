"""Recorded answers graded without a terminal: the template, the grading, its mistakes, the results."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.model import RuleBase
from tests.training.conftest import BAD, perfect, sloppy

UBG = "united_breaks_guitars"


def grade(runner: CliRunner, path: Path, *args: str) -> Any:
    return runner.invoke(app, ["train", UBG, "--answers", str(path), *args])


def test_the_template_lists_every_inject_and_its_values(runner: CliRunner) -> None:
    result = runner.invoke(app, ["train", UBG, "--template", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load(result.output)
    assert doc["scenario"] == UBG and [e["inject"] for e in doc["injects"]] == [
        "the_song", "shares_climbing", "journalist_deadline", "the_policy_memo"]
    assert "# T+6h · metrics — Tableau de bord de veille" in result.output
    assert "holding_statement | respond_publicly" in result.output
    assert "rédigez le message demandé" in result.output


def test_an_empty_template_is_refused_with_the_allowed_values(runner: CliRunner, tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    assert runner.invoke(app, ["train", UBG, "--template", "-o", str(template)]).exit_code == 0
    result = grade(runner, template)
    assert result.exit_code == 2
    assert "t.yaml:26:12: inject 'the_song': 'action': not chosen yet; allowed: holding_statement" in \
        result.output
    assert "Traceback" not in result.output


def test_perfect_answers_score_full_marks(runner: CliRunner, rb: RuleBase,
                                          write_json: Callable[[Any, str], Path], tmp_path: Path) -> None:
    results = tmp_path / "alice.json"
    result = grade(runner, write_json(perfect(rb, UBG), "a.json"), "--results", str(results))
    assert result.exit_code == 0, result.output
    doc = json.loads(results.read_text(encoding="utf-8"))
    assert doc["trainee"] == "Alice" and doc["mode"] == "answers"
    assert [e["score"]["max"] for e in doc["injects"]] == [90, 100, 100, 100]
    assert all(e["score"]["lines"][0]["verdict"] == "exact" for e in doc["injects"])
    assert doc["total"]["points"] >= 380  # the message may draw a warning or two
    assert "Score sheet: Alice · United Breaks Guitars" in result.output
    assert "What happened:" in result.output  # the debrief closes the grading


def test_mistakes_are_scored_and_explained(runner: CliRunner, rb: RuleBase,
                                           write_json: Callable[[Any, str], Path]) -> None:
    result = grade(runner, write_json(sloppy(rb, UBG, "Bob"), "b.json"), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    second = doc["injects"][1]
    lines = {line["criterion"]: line for line in second["score"]["lines"]}
    assert lines["action"]["points"] == 0 and lines["action"]["chosen"] == "monitor"
    assert lines["message"]["detail"] == {"errors": 1, "warnings": 2}
    assert {"field": "posture", "rule": "scct_preventable_cluster", "principle": "scct_preventable"} in second["why"]
    assert "never_deny_and_apologise" not in second["broken"]  # 'explain' is no apology
    assert "deny_only_a_falsehood" in second["broken"]
    assert "scct_preventable" in second["principles"]
    assert {f["check"] for f in second["findings"]} >= {"conditional_apology", "canned_phrase"}


def test_the_grading_reads_as_feedback_in_french(runner: CliRunner, rb: RuleBase,
                                                 write_json: Callable[[Any, str], Path]) -> None:
    result = grade(runner, write_json(sloppy(rb, UBG, "Bob", "fr"), "b.json"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Ce que décide le playbook, et vos choix" in out
    assert "Pourquoi le playbook décide ainsi\u00a0:" in out
    assert "Votre décision enfreint un jugement de la base de règles" in out
    assert "Le brouillon du playbook, pour comparer" in out
    assert "«\u00a0Comment le musicien Dave Carroll a-t-il pu discréditer United Airlines" in out  # the source
    assert "Débriefing" in out


def test_answer_file_mistakes_are_located(runner: CliRunner, rb: RuleBase, tmp_path: Path) -> None:
    doc = perfect(rb, UBG)
    doc["injects"][0]["action"] = "respond_publically"
    doc["injects"][1]["inject"] = "shares_climbin"
    doc["injects"][2]["seconds"] = -3
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = grade(runner, path)
    assert result.exit_code == 2
    out = result.output
    assert "'respond_publically' is not allowed (did you mean 'respond_publicly'?)" in out
    assert "no such inject in 'united_breaks_guitars' (did you mean 'shares_climbing'?)" in out
    assert "'seconds' must be a number of seconds, 0 or more" in out
    assert "a.yaml:" in out


def test_answers_for_another_scenario_or_missing_injects(runner: CliRunner, rb: RuleBase,
                                                         write_json: Callable[[Any, str], Path]) -> None:
    other = perfect(rb, "troll_wave")
    result = grade(runner, write_json(other, "o.json"))
    assert result.exit_code == 2 and "these answers are for scenario 'troll_wave', not 'united_breaks_guitars'" \
        in result.output
    short = perfect(rb, UBG)
    short["injects"] = short["injects"][:2]
    result = grade(runner, write_json(short, "s.json"))
    assert result.exit_code == 2 and "no answer for inject(s) journalist_deadline, the_policy_memo" in result.output


def test_unknown_scenario_and_no_terminal(runner: CliRunner) -> None:
    result = runner.invoke(app, ["train", "united_break_guitars"])
    assert result.exit_code == 2
    assert "no such scenario (did you mean 'united_breaks_guitars'?)" in result.output
    result = runner.invoke(app, ["train", UBG])
    assert result.exit_code == 2 and "no terminal to play on; grade recorded choices with --answers FILE" in \
        result.output


def test_the_one_trainee_report_in_every_format(runner: CliRunner, rb: RuleBase, tmp_path: Path,
                                                write_json: Callable[[Any, str], Path]) -> None:
    answers = write_json(sloppy(rb, UBG, "Bob"), "b.json")
    for name in ("r.md", "r.json", "r.html"):
        assert grade(runner, answers, "--report", str(tmp_path / name)).exit_code == 0
    assert "# Training report — United Breaks Guitars" in (tmp_path / "r.md").read_text(encoding="utf-8")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["schema"] == "playbook-training-report" and report["scenarios"][0]["trainees"][0]["name"] == "Bob"
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_scenarios_lists_them(runner: CliRunner) -> None:
    result = runner.invoke(app, ["scenarios", "--format", "json"])
    rows = json.loads(result.output)
    assert len(rows) == 13 and {"id", "title", "injects", "duration", "languages", "source"} <= set(rows[0])
    text = runner.invoke(app, ["scenarios", "--lang", "fr"]).output
    assert "kenneth_cole_cairo" in text and "Kenneth Cole\u00a0: une blague sur Le Caire" in text


def test_bad_message_is_the_checkers_verdict(rb: RuleBase) -> None:
    from playbook.training.session import Exercise

    exercise = Exercise(rb, rb.scenario("kenneth_cole_cairo"), "en")  # type: ignore[arg-type]
    findings = exercise.check_message(exercise.steps[3], "I apologize to everyone who was offended. " + BAD)
    assert [f.check for f in findings if f.level == "error"] == ["conditional_apology", "conditional_apology"]

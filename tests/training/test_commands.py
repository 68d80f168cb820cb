"""The training commands as a user meets them: help with examples, metavars, completion."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app


@pytest.mark.parametrize("command", [["scenarios"], ["train"], ["train", "run"], ["train", "report"]], ids=" ".join)
def test_help_reads_like_a_command_line(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], prog_name="playbook")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: playbook {' '.join(command)}")
    assert "Example" in result.stdout
    for python_ism in ("<str>", "list[", "<Path>", "NoneType"):
        assert python_ism not in result.stdout


def test_train_scenario_is_short_for_train_run(runner: CliRunner) -> None:
    text = runner.invoke(app, ["train", "run", "--help"]).stdout
    assert "Usage: playbook train run [OPTIONS] SCENARIO" in text
    for option in ("--answers", "--template", "--as", "--resume", "--results", "--report", "--lang"):
        assert option in text
    report = runner.invoke(app, ["train", "report", "--help"]).stdout
    assert "Usage: playbook train report [OPTIONS] RESULTS..." in report
    shortcut = runner.invoke(app, ["train", "kenneth_cole_cairo", "--template"])
    assert shortcut.exit_code == 0 and shortcut.stdout.startswith("# Answers for the training scenario")


def test_completion_offers_the_scenarios(runner: CliRunner) -> None:
    env = {"_PLAYBOOK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "playbook train run kenn"}
    result = runner.invoke(app, [], prog_name="playbook", env=env)
    assert "kenneth_cole_cairo" in result.stdout


def test_template_and_answers_do_not_mix(runner: CliRunner) -> None:
    result = runner.invoke(app, ["train", "kenneth_cole_cairo", "--template", "--resume"])
    assert result.exit_code == 2 and "--template, --answers and --resume: choose one" in result.output

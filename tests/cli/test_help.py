"""Help and completion as a user sees them: conventional metavars, examples, no Python types."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app

COMMANDS = [
    ["triage"], ["questions"], ["batch"], ["check"], ["profile"], ["profile", "init"], ["profile", "check"],
    ["rules"], ["rules", "check"], ["rules", "test"], ["rules", "explain"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_reads_like_a_command_line_not_like_python(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], prog_name="playbook")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith(f"Usage: playbook {' '.join(command)}")
    for python_ism in ("<str>", "list[", "<Path>", "\\[", "{file}", "NoneType"):
        assert python_ism not in text
    if command not in (["profile"], ["rules"]):
        assert "Example" in text, "every command's help shows an example"


def test_metavars_are_conventional(runner: CliRunner) -> None:
    text = runner.invoke(app, ["triage", "--help"], prog_name="playbook").stdout
    for option in ("--answers FILE", "--set ID=VALUE", "--format FORMAT", "--lang LANG", "--output FILE",
                   "--rules DIR", "--ask ID", "--channel CHANNEL", "--profile FILE"):
        assert re.search(re.escape(option).replace(r"\ ", r"\s+"), text), option
    assert "Usage: playbook batch [OPTIONS] FILE" in runner.invoke(app, ["batch", "--help"]).stdout
    explain = runner.invoke(app, ["rules", "explain", "--help"]).stdout
    assert "Usage: playbook rules explain [OPTIONS] RULE_ID" in explain


def test_channel_help_names_every_channel_of_the_rule_base(runner: CliRunner, rb: object) -> None:
    text = " ".join(runner.invoke(app, ["triage", "--help"], prog_name="playbook").stdout.split())
    for channel in rb.drafting.channels:  # type: ignore[attr-defined]
        assert channel in text


def complete(runner: CliRunner, words: str) -> list[str]:
    result = runner.invoke(app, [], prog_name="playbook",
                           env={"_PLAYBOOK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words})
    return re.findall(r'"([^":]+)(?::[^"]*)?"', result.stdout)  # zsh's `_arguments` list


def test_shell_completion_offers_formats_languages_channels_and_rule_ids(runner: CliRunner) -> None:
    assert set(complete(runner, "playbook triage --format ")) == {"text", "markdown", "json", "yaml"}
    assert set(complete(runner, "playbook check x --format ")) == {"text", "json"}
    assert set(complete(runner, "playbook triage --lang ")) == {"en", "fr"}
    channels = complete(runner, "playbook triage --channel ")
    assert {"twitter", "x", "direct_message", "web"} <= set(channels)
    assert "watch_unnoticed_critique" in complete(runner, "playbook rules explain watch_")

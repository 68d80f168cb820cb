"""The case-library format: located mistakes, and failures that say what differs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.engine import Engine
from playbook.core.model import RuleBase
from playbook.errors import UsageError
from playbook.rulebase.library import case_failures, load_library


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "cases.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_mistakes_are_located_with_did_you_mean(rb: RuleBase, tmp_path: Path) -> None:
    write(tmp_path, """
        cases:
          - id: a
            title: "x"
            answers: {reech: viral, origin: rumour}
            expect:
              action: monitr
              includes: {do: [prepare_press_lines], severity: [high]}
              respond_within_minutes: soon
    """)
    with pytest.raises(UsageError) as info:
        load_library(rb, tmp_path)
    messages = "\n".join(info.value.messages)
    assert "cases.yaml:5:15: case 'a': unknown answer id 'reech' (did you mean 'reach'?)" in messages
    assert "case 'a': 'origin': 'rumour' is not allowed" in messages
    assert "'action': unknown value 'monitr' (did you mean 'monitor'?)" in messages
    assert "'includes.do': unknown value 'prepare_press_lines' (did you mean 'prepare_press_line'?)" in messages
    assert "'includes': 'severity' is not a list output" in messages
    assert "'respond_within_minutes': expected null, a number of minutes" in messages


def test_failures_say_what_differs(rb: RuleBase, engine: Engine, tmp_path: Path) -> None:
    answers = {"origin": "hostile_campaign", "author": "ranter", "reach": "none"}
    got = engine.decide({**rb.case_defaults, **answers}).outputs
    other = [a for a in rb.outputs["action"].values if a != got["action"]][:2]
    absent = next(d for d in rb.guidance["do"] if d not in got["do"])
    write(tmp_path, f"""
        cases:
          - id: quiet
            title: "Nobody reacted to a ranter's joke"
            answers: {answers}
            expect:
              action: [{other[0]}, {other[1]}]
              recheck_within_minutes: {{gte: 100000}}
              includes: {{do: [{absent}]}}
              excludes: {{do: [{got["do"][0]}]}}
    """)
    (case,) = load_library(rb, tmp_path)
    assert case_failures(rb, engine, case) == [
        f"action: expected {other[0]} or {other[1]}, got {got['action']}",
        f"recheck_within_minutes: expected {{'gte': 100000}}, got {got['recheck_within_minutes']}",
        f"do: missing {absent}",
        f"do: must not contain {got['do'][0]}",
    ]


def test_cli_runs_a_library_and_exits_1_on_failure(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path, """
        cases:
          - id: quiet
            title: "Nobody reacted to a ranter's joke"
            answers: {origin: hostile_campaign, author: ranter, reach: none}
            expect: {severity: critical, recheck_within_minutes: {gte: 100000}}
    """)
    result = runner.invoke(app, ["rules", "test", "--cases", str(tmp_path)])
    assert result.exit_code == 1
    assert "FAIL quiet (" in result.stdout and "recheck_within_minutes: expected {'gte': 100000}" in result.stdout
    assert f"case library {tmp_path}: 0 passed, 1 failed" in result.stdout
    missing = runner.invoke(app, ["rules", "test", "--cases", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "not a directory of case files" in missing.stderr

"""The CLI in-process: every format, exit code and stream (typer's CliRunner)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.version import __version__


def triage(runner: CliRunner, *args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["triage", *args], input=input)


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"playbook {__version__}\n"


def test_help_has_examples(runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", "--help"])
    assert result.exit_code == 0
    assert "playbook triage --answers incident.yaml --format json" in result.stdout


def test_json_from_stdin_has_the_contract_fields(runner: CliRunner, complete: dict[str, Any]) -> None:
    result = triage(runner, "--answers", "-", "--format", "json", input=json.dumps(complete))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert doc["playbook_version"] == __version__
    assert set(doc["rulebase"]) >= {"path", "digest"}
    assert doc["lang"] == "en"
    assert doc["answers"]["reach"] == "growing"
    t = doc["triage"]
    for key in ("action", "severity", "respond_within_minutes", "next_update_minutes",
                "recheck_within_minutes", "posture", "strategy", "escalate_to", "channels",
                "do", "avoid", "principles", "trace"):
        assert key in t
    assert t["action"] == "respond_publicly"
    assert all(set(e) == {"id", "text"} for e in t["do"] + t["avoid"])
    assert all(set(p) == {"id", "title", "source"} for p in t["principles"])
    assert t["trace"][0] == {"rule": "baseline", "matched": {},
                             "set": {"severity": "low", "posture": "inform",
                                     "escalate_to": ["community_manager"], "do": ["log_incident"]}}
    assert [d["kind"] for d in doc["drafts"]] == ["public_reply", "statement", "private_message", "staff_briefing"]
    assert all(set(d) >= {"kind", "channel", "lang", "text", "chars", "findings"} for d in doc["drafts"])
    assert result.stderr == ""


def test_yaml_format_matches_json(runner: CliRunner, complete: dict[str, Any],
                                  answers_file: Callable[..., Path]) -> None:
    path = str(answers_file(complete))
    as_json = json.loads(triage(runner, "-a", path, "-f", "json").stdout)
    as_yaml = yaml.safe_load(triage(runner, "-a", path, "-f", "yaml").stdout)
    assert as_yaml == as_json


def test_markdown_explains_why(runner: CliRunner, complete: dict[str, Any],
                               answers_file: Callable[..., Path]) -> None:
    result = triage(runner, "-a", str(answers_file(complete)), "-f", "markdown")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# Triage decision\n")
    assert "- **Action:** Respond publicly" in out
    assert "- **Severity:** High" in out
    assert "## Why" in out
    assert "- **unhappy_customer_restore**:" in out
    assert "principle: Assess the poster before responding (source: usaf:" in out


def test_text_format_plain_when_not_a_terminal(runner: CliRunner, complete: dict[str, Any],
                                               answers_file: Callable[..., Path]) -> None:
    result = triage(runner, "-a", str(answers_file(complete)))
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "RESPOND PUBLICLY" in result.stdout
    assert "Why" in result.stdout


def test_french(runner: CliRunner, complete: dict[str, Any], answers_file: Callable[..., Path]) -> None:
    result = triage(runner, "-a", str(answers_file(complete)), "-f", "markdown", "--lang", "fr")
    assert "# Décision de tri" in result.stdout
    assert "- **Action\u00a0:** Répondre publiquement" in result.stdout  # French: space before a colon
    doc = json.loads(triage(runner, "-a", str(answers_file(complete)), "-f", "json", "--lang", "fr").stdout)
    assert doc["lang"] == "fr"
    assert doc["triage"]["do"][0]["text"].startswith("Ouvrir un journal d'incident")


def test_output_file(runner: CliRunner, complete: dict[str, Any], answers_file: Callable[..., Path],
                     tmp_path: Path) -> None:
    out = tmp_path / "decision.json"
    result = triage(runner, "-a", str(answers_file(complete)), "-f", "json", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text())["triage"]["action"] == "respond_publicly"


def test_set_overrides_answers(runner: CliRunner, complete: dict[str, Any],
                               answers_file: Callable[..., Path]) -> None:
    result = triage(runner, "-a", str(answers_file(complete)), "--set", "reach=none",
                    "--set", "influential_author=no", "-f", "json")
    doc = json.loads(result.stdout)
    assert doc["answers"]["reach"] == "none"
    assert doc["triage"]["action"] == "respond_privately"


def test_missing_answers_without_terminal_exit_2(runner: CliRunner) -> None:
    result = triage(runner, "--set", "origin=data_breach", "-f", "json", input="")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "answer(s) missing and no terminal to ask them on" in result.stderr
    assert "  reach: none, low, growing, viral" in result.stderr
    assert "author" not in result.stderr.split("missing")[1].split("\n")[1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-f", "xml"], "--format xml: unknown format; allowed: text, markdown, json, yaml"),
        (["--lang", "de"], "--lang de: unknown language; allowed: en, fr"),
        (["-a", "does-not-exist.yaml"], "does-not-exist.yaml: no such file"),
        (["--set", "reach"], "--set reach: expected id=value"),
        (["--set", "reech=viral"], "--set reech=viral: unknown answer id 'reech' (did you mean 'reach'?)"),
    ],
)
def test_usage_errors_exit_2_without_traceback(runner: CliRunner, args: list[str], expected: str) -> None:
    result = triage(runner, *args, input="")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_answers_file_is_located(runner: CliRunner, answers_file: Callable[..., Path]) -> None:
    path = answers_file("origin: customer_complaint\nreach: virall\n", "bad.yaml")
    result = triage(runner, "-a", str(path))
    assert result.exit_code == 2
    assert "bad.yaml:2:8: 'reach': 'virall' is not allowed (did you mean 'viral'?)" in result.stderr


def test_questions_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["questions", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    ids = [q["id"] for q in doc]
    assert ids[:3] == ["summary", "origin", "author"]
    author = doc[2]
    assert author["when"] == {"origin": {"in": ["customer_complaint", "false_information",
                                                "hostile_campaign", "employee_misconduct"]}}
    assert author["choices"][0]["value"] == "unhappy_customer"


def test_questions_text_french(runner: CliRunner) -> None:
    result = runner.invoke(app, ["questions", "--lang", "fr"])
    assert "origin (select): Quel en est le déclencheur\u202f?" in result.stdout  # French typography


def test_batch_goes_on_after_a_bad_line(runner: CliRunner, complete: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    bad = dict(complete, reach="virall")
    path.write_text("\n".join([json.dumps(complete), "not json", json.dumps(bad), "", json.dumps(complete)]) + "\n")
    result = runner.invoke(app, ["batch", str(path)])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5  # as many lines out as in, the empty one included
    assert lines[0]["triage"]["action"] == "respond_publicly" and lines[0]["line"] == 1
    assert lines[1] == {"line": 2, "error": {"exit_code": 2, "messages": [
        f"{path}:2:1: invalid JSON: Expecting value"]}}
    assert "'reach': 'virall' is not allowed" in lines[2]["error"]["messages"][0]
    assert lines[3] == {"line": 4, "error": {"exit_code": 2, "messages": [
        f"{path}:4: an empty line (one JSON object of answers per line)"]}}
    assert lines[4]["line"] == 5
    assert "3 line(s)" in result.stderr

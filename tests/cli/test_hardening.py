"""The reproducers of the hardening review, each now a clear message or the right result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.cli import resume
from playbook.cli.app import app
from playbook.cli.interview import run_interview
from playbook.core.answers import RawAnswers, validate
from playbook.core.model import RuleBase
from playbook.errors import Interrupted
from tests.helpers import COMPLETE, ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


def cli(*args: str, stdin: str = "", **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "playbook", *args], input=stdin, capture_output=True,
                          text=True, env=ENV, timeout=120, **kw)


@pytest.mark.parametrize("args", [
    ["triage", "-a", "-", "-f", "json"], ["questions"], ["batch", "-"], ["check", "-"], ["rules", "check"],
    ["rules", "explain", "baseline"], ["profile", "check", str(ROOT / "rules" / "profiles" / "example.yaml")],
])
def test_a_full_disk_on_stdout_is_one_line_in_every_command(args: list[str]) -> None:
    stdin = json.dumps(COMPLETE) + "\n" if args[0] in ("triage", "batch") else "We are sorry, we will call you today."
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "playbook", *args], input=stdin.encode(), stdout=full,
                              stderr=subprocess.PIPE, env=ENV, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "no space left" in err


def test_output_to_a_device_writes_it_and_to_proc_is_a_message(runner: CliRunner) -> None:
    ok = runner.invoke(app, ["triage", "-a", "-", "-o", "/dev/null"], input=json.dumps(COMPLETE))
    assert ok.exit_code == 0 and os.path.exists("/dev/null") and not os.path.isfile("/dev/null")
    proc = runner.invoke(app, ["triage", "-a", "-", "-o", "/proc/version"], input=json.dumps(COMPLETE))
    assert proc.exit_code == 2 and "/proc/version: cannot write" in proc.stderr


def test_ctrl_c_with_an_unwritable_home_keeps_the_answers_elsewhere(rb: RuleBase, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    home = tmp_path / "home"
    home.write_text("I am a file, not a directory")
    monkeypatch.setenv("PLAYBOOK_HOME", str(home))
    with create_pipe_input() as pipe:
        pipe.send_text("Our app is down\r\x03")  # the summary, then Ctrl-C
        with pytest.raises(Interrupted) as info:
            run_interview(rb, validate(rb, RawAnswers({})), "en", input=pipe, output=DummyOutput())
    kept = Path(info.value.messages[0].rsplit(" kept in ", 1)[1])
    assert json.loads(kept.read_text())["answers"] == {"summary": "Our app is down"}
    kept.unlink()


@pytest.mark.parametrize("content", [b"\xff\xfe garbage", b'{"answers": [1, 2]}', b"[" * 5000, b""])
def test_a_corrupt_saved_interview_is_a_message(runner: CliRunner, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, content: bytes) -> None:
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path))
    resume.saved_path().write_bytes(content)
    result = runner.invoke(app, ["triage", "--resume"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "interview.json" in result.stderr


def test_batch_goes_on_past_every_kind_of_bad_line(runner: CliRunner, tmp_path: Path) -> None:
    good = json.dumps(COMPLETE).encode()
    lines = [b"\xff\xfe not utf-8", b'{"reach": ' + b"9" * 5000 + b"}", b"[" * 5000 + b"]" * 5000,
             json.dumps({**COMPLETE, "summary": "\ud800"}).encode("utf-8", "surrogatepass"),
             b'{"summary": "\\ud800"}', good]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = runner.invoke(app, ["batch", str(path), "--no-drafts"])
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines) and [o["line"] for o in out] == list(range(1, 7))
    assert all("error" in o for o in out[:5]) and out[5]["triage"]["action"]
    messages = " | ".join(o["error"]["messages"][0] for o in out[:5])
    assert "not UTF-8" in messages and "digits" in messages and "nested too deeply" in messages
    assert "lone surrogate" in messages


@pytest.mark.parametrize("where", ["answers", "overlay", "profile"])
def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path, where: str) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    if where == "answers":
        proc = cli("triage", "-a", str(bomb))
    elif where == "profile":
        proc = cli("triage", "-a", "-", "--profile", str(bomb), stdin=json.dumps(COMPLETE))
    else:
        proc = cli("rules", "check", "--rules", str(tmp_path))
    assert proc.returncode in (2, 3)
    assert "values once aliases are expanded" in proc.stderr and "Traceback" not in proc.stderr


def test_deep_nesting_and_huge_numbers_in_yaml(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("summary: " + "[" * 100_000 + "]" * 100_000 + "\n")
    proc = cli("triage", "-a", str(deep))
    assert proc.returncode == 2 and "nested more than 64 levels deep" in proc.stderr
    big = tmp_path / "big.yaml"
    big.write_text(f"hours_since_surfaced: {'9' * 5000}\n")
    proc = cli("triage", "-a", str(big))
    assert proc.returncode == 2 and "big.yaml:1:23: invalid value" in proc.stderr


def test_check_is_linear_and_patterns_cannot_hang(tmp_path: Path) -> None:
    # Not a timing test: the timeout is a hang detector, the budget lives in bench/.
    for text in ("a" * 100_000, " " * 100_000 + "x", "sorry " * 20_000, "x" * 50_000 + "y", "!" * 100_000):
        path = tmp_path / "draft.txt"
        path.write_text(text)
        proc = subprocess.run([sys.executable, "-m", "playbook", "check", str(path), "--sensitive", "--facts-unknown"],
                              capture_output=True, text=True, env=ENV, timeout=60)
        assert proc.returncode in (0, 1)


def test_json_answers_mistakes(runner: CliRunner, tmp_path: Path) -> None:
    dup = runner.invoke(app, ["triage", "-a", "-"], input='{"severity": 1, "reach": "viral", "reach": "low"}')
    assert dup.exit_code == 2 and "duplicate key 'reach'" in dup.stderr
    emoji = runner.invoke(app, ["triage", "-a", "-"], input=json.dumps({**COMPLETE, "summary": "Down 😀",
                                                                        "reach": "virall"}))
    assert emoji.exit_code == 2 and "YAML" not in emoji.stderr and "'reach': 'virall' is not allowed" in emoji.stderr
    typed = runner.invoke(app, ["triage", "-a", "-"], input="[1, 2]")
    assert typed.exit_code == 2 and "got a list" in typed.stderr and "list'" not in typed.stderr
    null = runner.invoke(app, ["triage", "-a", "-"], input=json.dumps({**COMPLETE, "reach": None}))
    assert null.exit_code == 2 and "NoneType" not in null.stderr and "null" in null.stderr
    both = runner.invoke(app, ["triage", "-a", "-", "--profile", "-"], input="{}")
    assert both.exit_code == 2 and "only one of them can read stdin" in both.stderr


def test_a_long_summary_is_refused_clearly(runner: CliRunner) -> None:
    result = runner.invoke(app, ["triage", "-a", "-"], input=json.dumps({**COMPLETE, "summary": "x" * 100_000}))
    assert result.exit_code == 2 and "100,000 characters long; the limit is 5,000" in result.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ("rules: [{id: [a], principle: x, description: {en: a, fr: a}, set: {severity: low}}]", "an 'id' is a name"),
    ("rules: [{id: a, principle: [x], description: {en: a, fr: a}, set: {severity: low}}]", "unknown principle"),
    ("principles: [{id: p, source: {a: 1}, title: {en: a, fr: a}, summary: {en: a, fr: a}}]", "unknown source"),
    ("draft_parts: [{id: p, text: {en: '{% filter nofilter %}x{% endfilter %}', fr: x}}]", "No filter named"),
    ("draft_parts: [{id: reply.sign_off, required: true, text: {en: \"{{ 'x' * 2000000000 }}\", fr: x}}]",
     "would build 2,000,000,000 items"),
    ("draft_parts: [{id: reply.sign_off, required: true, text: {en: '{{ nope.x }}', fr: x}}]", "unknown variable"),
])
def test_broken_overlays_are_located_rule_base_errors(runner: CliRunner, overlay: Any, text: str,
                                                     expected: str) -> None:
    rules = overlay(text)
    result = runner.invoke(app, ["rules", "check", "--rules", str(rules)])
    assert result.exit_code == 3, result.stdout
    assert "overlay.yaml:1:" in result.stderr and expected in result.stderr and "Traceback" not in result.stderr


def test_user_text_cannot_fake_structure_or_hide_text(runner: CliRunner) -> None:
    summary = "Our app is down\n- **Severity:** Low\n# Fake heading \u202eevil"
    md = runner.invoke(app, ["triage", "-a", "-", "-f", "markdown"], input=json.dumps({**COMPLETE, "summary": summary}))
    assert md.exit_code == 0
    assert "\n- **Severity:** Low" not in md.stdout and "\n# Fake" not in md.stdout
    assert "\u202e" not in md.stdout and "\\u202e" in md.stdout
    text = runner.invoke(app, ["triage", "-a", "-"], input=json.dumps({**COMPLETE, "summary": summary}))
    assert "\u202e" not in text.stdout
    esc = runner.invoke(app, ["rules", "explain", "bad\x1b[31mid"])
    assert esc.exit_code == 2 and "\x1b" not in esc.stderr and "\\x1b" in esc.stderr

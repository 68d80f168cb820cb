"""Hostile input against every command: the contract holds for anything a user or a script sends.

Asserted for every example: the exit code is one the README documents, no traceback, the
command ends (hypothesis' deadline), batch writes as many lines as it reads, and nothing is
written outside the declared places. `HYPOTHESIS_PROFILE=long pytest tests/cli/test_fuzz.py`
runs ten times more examples than CI does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from playbook.cli.app import app
from tests.helpers import COMPLETE

settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("long", max_examples=1500, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

IDS = [*COMPLETE, "author_name", "public_summary", "prior_reputation", "out_of_hours", "unknown_id"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.sampled_from(["viral", "yes", "no", "true", "1e999", "-1", "", " ", "\x1b[31m", "\u202e",
                                     "9" * 5000]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
answers = st.dictionaries(st.sampled_from(IDS) | st.text(max_size=12), values, max_size=20)


def run(runner: CliRunner, args: list[str], stdin: str | bytes | None = None) -> Any:
    result = runner.invoke(app, args, input=stdin)
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture
def quarantine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory and a home of its own: what the commands write must stay inside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    return tmp_path


def leftovers(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()} - {"home", "in.jsonl", "overlay", "profile.yaml"}


@given(data=answers, full=st.booleans())
def test_any_answers(runner: CliRunner, quarantine: Path, data: dict[str, Any], full: bool) -> None:
    data = {**COMPLETE, **data} if full else data
    text = json.dumps(data)
    result = run(runner, ["triage", "-a", "-", "-f", "json"], text)
    assert result.exit_code in (0, 2)
    if result.exit_code == 0:
        json.loads(result.stdout)
    assert leftovers(quarantine) == set()


@given(items=st.lists(st.text(max_size=30), max_size=6))
def test_any_set_options(runner: CliRunner, quarantine: Path, items: list[str]) -> None:
    args = ["triage", "-a", "-", "-f", "json"]
    for item in items:
        args += ["--set", item]
    assert run(runner, args, json.dumps(COMPLETE)).exit_code in (0, 2)


@given(lines=st.lists(st.one_of(st.binary(max_size=60), answers.map(lambda d: json.dumps({**COMPLETE, **d}).encode())),
                      min_size=1, max_size=6))
def test_any_batch_lines(runner: CliRunner, quarantine: Path, lines: list[bytes]) -> None:
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    path = quarantine / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = run(runner, ["batch", str(path), "--no-drafts"])
    assert result.exit_code in (0, 2)
    out = result.stdout.splitlines()
    assert len(out) == len(lines)
    assert [json.loads(line)["line"] for line in out] == list(range(1, len(lines) + 1))


SECTIONS = ["questions", "rules", "principles", "sources", "constraints", "drafts", "draft_parts", "checks",
            "channel_limits", "situations", "facts", "outputs", "guidance", "case_defaults"]
entries = st.dictionaries(st.sampled_from(["id", "principle", "source", "when", "set", "text", "title", "parts",
                                           "channel", "patterns", "description", "type", "label", "enabled"]),
                          values, max_size=6)


@given(doc=st.dictionaries(st.sampled_from(SECTIONS), st.one_of(st.lists(entries, max_size=3), values), max_size=3))
def test_any_overlay(runner: CliRunner, quarantine: Path, doc: dict[str, Any]) -> None:
    overlay = quarantine / "overlay"
    overlay.mkdir(exist_ok=True)
    (overlay / "x.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert run(runner, ["rules", "check", "--rules", str(overlay)]).exit_code in (0, 1, 3)


@given(doc=st.dictionaries(st.sampled_from(["name", "spokesperson", "channels", "contacts", "signature",
                                            "language", "default_channel", "web"]), values, max_size=6))
def test_any_profile(runner: CliRunner, quarantine: Path, doc: dict[str, Any]) -> None:
    path = quarantine / "profile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert run(runner, ["triage", "-a", "-", "--profile", str(path), "-f", "json"],
               json.dumps(COMPLETE)).exit_code in (0, 2)
    assert run(runner, ["profile", "check", str(path)]).exit_code in (0, 1, 2)


@given(text=st.text(max_size=400), flags=st.lists(st.sampled_from(["--sensitive", "--facts-unknown"]), max_size=2),
       lang=st.sampled_from(["en", "fr"]))
def test_any_draft_to_check(runner: CliRunner, quarantine: Path, text: str, flags: list[str], lang: str) -> None:
    result = run(runner, ["check", "-", "--lang", lang, *flags], text)
    assert result.exit_code in (0, 1, 2)

"""A new user's first hour: output files, formats, the profile, paths, languages and messages.

Each test is one thing a user tried and what they must see: a one-line message and exit 2
rather than a traceback, the right format in the right file, honest notes.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from tests.helpers import ROOT


def triage(runner: CliRunner, *args: str, answers: dict[str, Any], env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["triage", "-a", "-", *args], input=json.dumps(answers), env=env)


def no_traceback(result: Any) -> None:
    assert "Traceback" not in (result.stdout + result.stderr)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


# --- -o: where the decision goes ----------------------------------------------------------


@pytest.mark.parametrize(("make", "expected"), [
    (lambda d: d / "missing" / "out.json", "does not exist"),
    (lambda d: d, "is a directory"),
    (lambda d: "", "empty path"),
])
def test_output_path_problems_are_one_line_and_exit_2(runner: CliRunner, complete: dict[str, Any],
                                                       tmp_path: Path, make: Any, expected: str) -> None:
    target = make(tmp_path)
    result = triage(runner, "-o", str(target), answers=complete)
    assert result.exit_code == 2
    no_traceback(result)
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no partial or temporary file left


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only files and directories")
def test_read_only_file_is_not_overwritten(runner: CliRunner, complete: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "decision.json"
    target.write_text("keep me")
    target.chmod(0o444)
    result = triage(runner, "-o", str(target), answers=complete)
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert target.read_text() == "keep me"


def test_output_keeps_mode_and_follows_symlinks(runner: CliRunner, complete: dict[str, Any], tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert triage(runner, "-o", str(link), answers=complete).exit_code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text())["triage"]["action"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_disk_full_and_closed_pipe(complete: dict[str, Any]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    full = subprocess.run([sys.executable, "-m", "playbook", "triage", "-a", "-", "-f", "json", "-o", "/dev/full"],
                          input=json.dumps(complete), capture_output=True, text=True, env=env, timeout=60)
    assert full.returncode == 2, full.stderr
    assert full.stderr.strip() == "playbook: error: /dev/full: cannot write (no space left on the device); " \
                                  "nothing was written"
    with open("/dev/full", "w") as sink:
        stdout_full = subprocess.run([sys.executable, "-m", "playbook", "triage", "-a", "-", "-f", "json"],
                                     input=json.dumps(complete).encode(), stdout=sink, stderr=subprocess.PIPE,
                                     env=env, timeout=60)
    assert stdout_full.returncode == 2 and b"Traceback" not in stdout_full.stderr
    lines = "\n".join(json.dumps(complete) for _ in range(300)) + "\n"
    piped = subprocess.run(f"{sys.executable} -m playbook batch - | head -1", shell=True, input=lines,
                           capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(piped.stdout)["line"] == 1
    assert piped.stderr == ""


@pytest.mark.parametrize(("name", "check"), [
    ("out.json", lambda text: json.loads(text)["triage"]),
    ("out.yaml", lambda text: text.startswith("schema_version: ")),
    ("out.yml", lambda text: text.startswith("schema_version: ")),
    ("out.md", lambda text: text.startswith("# Triage decision")),
    ("out.txt", lambda text: text.startswith("╭─ Triage decision")),
    ("out.log", lambda text: text.startswith("╭─ Triage decision")),
])
def test_output_format_follows_the_extension(runner: CliRunner, complete: dict[str, Any], tmp_path: Path,
                                              name: str, check: Any) -> None:
    assert triage(runner, "-o", str(tmp_path / name), answers=complete).exit_code == 0
    assert check((tmp_path / name).read_text(encoding="utf-8"))


def test_format_option_wins_over_the_extension(runner: CliRunner, complete: dict[str, Any], tmp_path: Path) -> None:
    assert triage(runner, "-o", str(tmp_path / "out.json"), "-f", "markdown", answers=complete).exit_code == 0
    assert (tmp_path / "out.json").read_text(encoding="utf-8").startswith("# Triage decision")


# --- the profile that signs the drafts ----------------------------------------------------------


def test_builtin_profile_is_said(runner: CliRunner, complete: dict[str, Any]) -> None:
    doc = json.loads(triage(runner, "-f", "json", answers=complete).stdout)
    assert doc["profile"]["builtin"] is True and doc["profile"]["path"].endswith("example.yaml")
    text = " ".join(triage(runner, answers=complete).stdout.split())
    assert "signed by the built-in example profile (Harbourline Air, an invented organisation)" in text
    assert "playbook profile init" in triage(runner, "-f", "markdown", answers=complete).stdout
    french = " ".join(triage(runner, "--lang", "fr", answers=complete).stdout.split())
    assert "profil d'exemple intégré" in french


def fill_starter(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in (("<Your organisation>", "Acme Rail"), ("<First Last>", "Jo Bloggs"),
                     ("<Head of Communications>", "Head of Communications"),
                     ("<directrice de la communication>", "directrice de la communication"),
                     ("<press@your-organisation.example>", "press@acme.example"),
                     ("<+00 000 000 000>", "+44 20 7946 0000"),
                     ("<https://www.your-organisation.example/news>", "https://acme.example/news")):
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_profile_init_check_and_use(runner: CliRunner, complete: dict[str, Any], tmp_path: Path) -> None:
    env = {"PLAYBOOK_HOME": str(tmp_path / "home")}
    made = runner.invoke(app, ["profile", "init"], env=env)
    assert made.exit_code == 0, made.stderr
    path = tmp_path / "home" / "profile.yaml"
    assert path.is_file() and "every triage uses it" in made.stderr
    again = runner.invoke(app, ["profile", "init"], env=env)
    assert again.exit_code == 2 and "already exists" in again.stderr
    unfilled = runner.invoke(app, ["profile", "check", str(path)])
    assert unfilled.exit_code == 1 and "starter value <Your organisation> still to replace" in unfilled.stderr
    fill_starter(path)
    filled = runner.invoke(app, ["profile", "check", str(path)])
    assert filled.exit_code == 0 and "valid profile for Acme Rail, signed by Jo Bloggs" in filled.stdout
    doc = json.loads(triage(runner, "-f", "json", answers=complete, env=env).stdout)
    assert doc["profile"] == {"path": str(path.resolve()), "builtin": False, "name": "Acme Rail"}
    assert doc["drafts"][0]["text"].endswith("– Jo")
    assert "built-in example" not in triage(runner, answers=complete, env=env).stdout


def test_profile_init_to_a_file_and_check_reports_mistakes(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "team.yaml"
    made = runner.invoke(app, ["profile", "init", str(target)])
    assert made.exit_code == 0 and f"--profile {target}" in made.stderr
    target.write_text(target.read_text().replace("channels:\n", "channels:\n  telegram: '@acme'\n"))
    bad = runner.invoke(app, ["profile", "check", str(target)])
    assert bad.exit_code == 2
    assert "unknown channel 'telegram'" in bad.stderr and f"{target.name}:" in bad.stderr


# --- paths, languages and messages ------------------------------------------------------------


def test_rules_explain_path_is_right_from_where_the_user_stands(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLAYBOOK_CACHE": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "playbook", "rules", "explain", "baseline"]
    first = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert "(rules/triage.yaml:" in first.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    second = subprocess.run(cmd, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    shown = second.stdout.split("(", 1)[1].split(":", 1)[0]
    assert (elsewhere / shown).resolve() == ROOT / "rules" / "triage.yaml"


def test_given_answers_that_do_not_apply_are_said_so(runner: CliRunner, complete: dict[str, Any]) -> None:
    given = dict(complete, origin="product_failure")  # `author` is only asked for some origins
    out = " ".join(triage(runner, "-f", "markdown", answers=given).stdout.split())
    assert "author=given, does not apply" in out and "author=not asked" not in out
    doc = json.loads(triage(runner, "-f", "json", answers=given).stdout)
    assert doc["not_applicable"] == {"author": "unhappy_customer"}


def test_french_words_in_explain_and_errors(runner: CliRunner) -> None:
    out = runner.invoke(app, ["rules", "explain", "watch_unnoticed_critique", "--lang", "fr"]).stdout
    assert "principe watch_unnoticed\u00a0:" in out and "source\u00a0:" in out and "règles\u00a0:" in out
    assert "\nprinciple " not in out and "rules:" not in out
    err = runner.invoke(app, ["triage", "--lang", "fr", "--set", "reach=virall"]).stderr
    assert err.startswith("playbook\u00a0: erreur\u00a0: --set reach=virall")


def test_french_text_never_breaks_after_an_opening_guillemet(complete: dict[str, Any]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "60"}
    for answers in (complete, dict(complete, origin="external_event", sensitive_context=True)):
        out = subprocess.run([sys.executable, "-m", "playbook", "triage", "-a", "-", "--lang", "fr"],
                             input=json.dumps(answers), capture_output=True, text=True, env=env, timeout=60).stdout
        for line in out.splitlines():
            content = line.strip("│ ")
            assert not content.endswith("«") and not content.startswith(("»", ":", ";", "?", "!")), line


def test_unknown_language_from_the_environment_is_refused_like_the_option(runner: CliRunner,
                                                                           complete: dict[str, Any]) -> None:
    by_env = triage(runner, answers=complete, env={"PLAYBOOK_LANG": "de"})
    by_option = triage(runner, "--lang", "de", answers=complete)
    assert by_env.exit_code == by_option.exit_code == 2
    assert "PLAYBOOK_LANG=de: unknown language; allowed: en, fr" in by_env.stderr
    assert "--lang de: unknown language; allowed: en, fr" in by_option.stderr
    assert triage(runner, answers=complete, env={"LANG": "de_DE.UTF-8"}).exit_code == 0  # a locale falls back


def test_batch_names_stdin_one_way_and_gives_the_real_column(runner: CliRunner, complete: dict[str, Any]) -> None:
    lines = "   {\"reach\": }\n" + json.dumps({**complete, "reach": "virall"}) + "\n"
    result = runner.invoke(app, ["batch", "-", "--no-drafts"], input=lines)
    assert result.exit_code == 2
    first, second = (json.loads(line)["error"]["messages"][0] for line in result.stdout.splitlines())
    assert first.startswith("<stdin>:1:14: invalid JSON")
    column = json.dumps({**complete, "reach": "virall"}).index('"virall"') + 1  # the value's column
    assert second.startswith(f"<stdin>:2:{column}: 'reach': 'virall' is not allowed")
    assert "playbook: error: <stdin>: 2 line(s) could not be triaged" in result.stderr


def test_x_is_an_alias_of_the_canonical_twitter(runner: CliRunner, complete: dict[str, Any]) -> None:
    doc = json.loads(triage(runner, "-f", "json", "--channel", "x", answers=complete).stdout)
    assert doc["drafts"][0]["channel"] == "twitter"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`twitter` (alias `x`)" in readme


def test_a_rule_without_principle_is_one_error(runner: CliRunner, overlay: Any) -> None:
    rules = overlay("""
        rules:
          - id: orphan
            description: {en: "x", fr: "x"}
            set: {severity: low}
            cases: [{answers: {}, expect: {severity: low}}]
    """)
    result = runner.invoke(app, ["rules", "check", "--rules", str(rules)])
    assert result.exit_code == 3
    about = [line for line in result.stderr.splitlines() if "orphan" in line]
    assert len(about) == 1 and about[0].endswith("rule 'orphan': missing required key 'principle'")


def test_the_project_stands_alone() -> None:
    """README, pyproject, code and tests never send the reader to files outside the repository."""
    files = [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "ARCHITECTURE.md",
             *ROOT.joinpath("playbook").rglob("*.py"), *ROOT.joinpath("rules").rglob("*.yaml"),
             *ROOT.joinpath("bench").glob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for outside in ("SPEC", "STYLE.md", "shared/"):
            assert outside not in text.replace("style=STYLE", ""), f"{path.relative_to(ROOT)} mentions {outside}"

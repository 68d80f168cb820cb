"""Flat YAML answers files are read without PyYAML, and nothing the user sees changes.

Each file is triaged twice: as it is now (flat YAML read by `rulebase.flatyaml`) and with that
reader turned off (PyYAML reads everything, as before); the output, the messages and the exit
code must be the same. Then, in a fresh interpreter, reading a flat file must not import `yaml`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.rulebase import flatyaml
from playbook.rulebase.flatyaml import parse_flat
from tests.helpers import COMPLETE, ROOT


def as_yaml(answers: dict[str, Any], eol: str = "\n") -> str:
    lines = ["# incident", "---"]
    for key, value in answers.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {str(value).lower()}")
        elif isinstance(value, str) and (value in ("yes", "no") or "'" in value):
            lines.append(f'{key}: "{value}"  # quoted, or YAML reads a boolean')
        else:
            lines.append(f"{key}: {value}")
    return eol.join(lines) + eol


FLAT = {
    "example": (ROOT / "examples" / "united-breaks-guitars.yaml").read_text(encoding="utf-8"),
    "complete": as_yaml(COMPLETE),
    "crlf": "\ufeff" + as_yaml(COMPLETE, "\r\n"),
    "single quotes": as_yaml(COMPLETE).replace('summary: "A customer\'s video of a broken guitar is spreading."',
                                               "summary: 'A customer''s video of a broken guitar is spreading.'"),
    "plain text": as_yaml({k: v for k, v in COMPLETE.items() if k != "summary"})
                  + "summary: a video,  spreading fast (3k views at 9:00)#1 # noted at 10\n",
    "written by json.dumps": "".join(f"{k}: {json.dumps(v)}\n" for k, v in
                                     {**COMPLETE, "summary": "Une vidéo « virale » d'un client\tmécontent"}.items()),
    "partial": "origin: customer_complaint\nreach: growing\nsummary: a video, spreading # since this morning\n",
    "nulls": as_yaml({**COMPLETE, "harm": None, "expectation": "~"}) + "prior_reputation:\n",  # located errors
}
COMPLETE_FILES = ("example", "complete", "crlf", "single quotes", "plain text", "written by json.dumps")


def triage(runner: CliRunner, path: Path, fmt: str = "json") -> tuple[int, str, str]:
    result = runner.invoke(app, ["triage", "-a", str(path), "-f", fmt])
    return result.exit_code, result.stdout, result.stderr


def before_and_after(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[Any, Any]:
    after = triage(runner, path)
    monkeypatch.setattr(flatyaml, "parse_flat", lambda text: None)  # PyYAML reads every file
    before = triage(runner, path)
    return before, after


@pytest.mark.parametrize("name", FLAT)
def test_flat_yaml_triage_is_unchanged(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                       answers_file: Callable[..., Path], name: str) -> None:
    assert parse_flat(FLAT[name]) is not None, "the fast reader reads this file"
    before, after = before_and_after(runner, monkeypatch, answers_file(FLAT[name], "incident.yaml"))
    assert after == before
    if name in COMPLETE_FILES:
        assert after[0] == 0, after[2]
        assert json.loads(after[1])["triage"]["action"]
    else:
        assert after[0] == 2  # missing answers, or located errors


@pytest.mark.parametrize(("text", "message"), [
    ("origin: customer_complaint\nreach: virall\n", "incident.yaml:2:8: 'reach': 'virall' is not allowed"),
    ("reach: viral\nsurfaced_hours: 3\n", "incident.yaml:2:17: unknown answer id 'surfaced_hours'"),
    ("reach: viral\nhours_since_surfaced: 'three'\n", "incident.yaml:2:23: 'hours_since_surfaced'"),
    ("reach: viral\nmedia_interest: maybe\n", "incident.yaml:2:17: 'media_interest'"),
    ("reach: viral\nreach: growing\n", "incident.yaml:2:1: duplicate key 'reach'"),
    ("reach: [viral\n", "incident.yaml:2:1: invalid YAML"),
    ("reach: viral\n  growing\nharm: [\n", "incident.yaml:4:1: invalid YAML"),
    ("reach: viral: really\n", "incident.yaml:1:13: invalid YAML"),
    ("- reach\n", "expected a mapping of answer ids to values"),
])
def test_yaml_messages_are_unchanged(runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
                                     answers_file: Callable[..., Path], text: str, message: str) -> None:
    before, after = before_and_after(runner, monkeypatch, answers_file(text, "incident.yaml"))
    assert after == before
    assert after[0] == 2
    assert message in after[2]


PROBE = """
import sys
from playbook.cli.answers_file import read_answers
raw = read_answers(sys.argv[1])
print(sorted(raw.values), raw.origin('reach'), 'yaml' in sys.modules)
"""


@pytest.mark.parametrize(("text", "loads_yaml"), [(FLAT["complete"], False), ("reach: viral\nharm: [money]\n", True)])
def test_reading_flat_yaml_does_not_import_yaml(tmp_path: Path, text: str, loads_yaml: bool) -> None:
    path = tmp_path / "incident.yaml"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[-2:] == ["incident.yaml:1:8" if loads_yaml else "incident.yaml:6:8", str(loads_yaml)]


TRIAGE_PROBE = """
import sys
from playbook.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write('YAML=%s\\n' % ('yaml' in sys.modules))
"""


def test_json_triage_from_a_flat_yaml_file_does_not_import_yaml(tmp_path: Path) -> None:
    path = tmp_path / "incident.yaml"
    path.write_text(as_yaml(COMPLETE), encoding="utf-8")
    runs = [subprocess.run([sys.executable, "-c", TRIAGE_PROBE, "triage", "-a", str(path), "-f", "json"],
                           capture_output=True, text=True, cwd=ROOT, timeout=60) for _ in range(2)]
    assert json.loads(runs[-1].stdout)["triage"]["action"]
    assert runs[-1].stderr.splitlines()[-1] == "YAML=False"  # the second run reads the rule base from the cache

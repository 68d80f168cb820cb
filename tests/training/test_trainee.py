"""A scenario played at the terminal, in-process: questionary driven through a prompt_toolkit
pipe (as in tests/cli/test_interview.py), the clock faked, Ctrl-C kept and resumed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.cli.trainee import Trainee
from playbook.core.model import RuleBase
from playbook.errors import EXIT_INTERRUPTED, Interrupted
from playbook.training import results
from playbook.training.session import Exercise

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"
KC = "kenneth_cole_cairo"
# One decision: respond publicly, high, rebuild; acknowledge + show empathy + apologise; community manager.
DECIDE = [DOWN + ENTER, DOWN * 2 + ENTER, ENTER, SPACE + DOWN + SPACE + DOWN + SPACE + ENTER, SPACE + ENTER]
MESSAGE = "We posted a joke about people being killed in Cairo to sell shoes. It was wrong and we are sorry. " \
          "It is deleted and every promotion this week is stopped; next update at 3 pm." + ENTER
NEXT = ENTER


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"




def trainee(rb: RuleBase, pipe: Any, lang: str = "en") -> Trainee:
    scenario = rb.scenario(KC)
    assert scenario is not None
    return Trainee(Exercise(rb, scenario, lang, "Sam"), input=pipe, output=DummyOutput(),
                   clock=itertools.count(0, 21).__next__)


def test_a_whole_scenario_at_the_terminal(rb: RuleBase, keys: Any, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = keys(*DECIDE, NEXT, *DECIDE, MESSAGE, NEXT, *DECIDE, NEXT, *DECIDE, MESSAGE)
    choices = trainee(rb, pipe).play([])
    assert len(choices) == 4
    first = choices[0]
    assert (first.action, first.severity, first.posture) == ("respond_publicly", "high", "rebuild")
    assert first.strategy == ("acknowledge", "show_empathy", "apologize")
    assert first.escalate_to == ("community_manager",)
    assert first.seconds == 21 and first.message is None and choices[1].message and choices[1].message.startswith("We")
    err = capsys.readouterr()
    assert err.out == "", "everything the trainee reads goes to stderr"
    assert "Training scenario: Kenneth Cole: a joke about Cairo" in err.err
    assert "Inject 2 of 4 · T+40m · 12:10 · Figures" in err.err
    assert "What the playbook decides, and your choices" in err.err
    assert "The playbook's draft, to compare" in err.err


def test_ctrl_c_keeps_the_injects_decided_and_resume_goes_on(rb: RuleBase, keys: Any, _home: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Interrupted) as info:
        trainee(rb, keys(*DECIDE, NEXT, *DECIDE, MESSAGE, NEXT, CTRL_C)).play([])
    assert info.value.exit_code == EXIT_INTERRUPTED
    assert info.value.messages[1] == "continue with: playbook train kenneth_cole_cairo --resume"
    saved = json.loads((_home / "training" / f"progress-{KC}.json").read_text(encoding="utf-8"))
    assert saved["trainee"] == "Sam" and len(saved["choices"]) == 2
    name, lang, done = results.load_progress(KC)
    choices = trainee(rb, keys(*DECIDE, NEXT, *DECIDE, MESSAGE), lang).play(done)
    assert (name, len(choices)) == ("Sam", 4) and choices[:2] == done
    assert "Resuming at inject 3 of 4 (2 done)." in capsys.readouterr().err


def test_the_feedback_in_french(rb: RuleBase, keys: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Interrupted) as info:
        trainee(rb, keys(*DECIDE, CTRL_C), "fr").play([])
    assert info.value.messages[0].startswith("interrompu à l'événement 2 sur 4\u202f;")
    err = capsys.readouterr().err
    assert "Événement 1 sur 4 · T+0m · 11\u00a0h\u00a030 · Publication" in err
    assert "Ce que décide le playbook, et vos choix" in err


def test_resume_without_a_saved_run(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("playbook.cli.train.on_terminal", lambda: True)
    result = runner.invoke(app, ["train", KC, "--resume"])
    assert result.exit_code == 2 and "--resume: no interrupted run of 'kenneth_cole_cairo' to resume" in result.output


def test_a_damaged_progress_file_is_a_message(_home: Path) -> None:
    path = results.progress_path(KC)
    path.parent.mkdir(parents=True)
    path.write_text('{"trainee": "Sam", "lang": "en", "choices": [{"action": 3}]}', encoding="utf-8")
    with pytest.raises(Exception) as info:
        results.load_progress(KC)
    assert "the saved progress cannot be read; delete it and start again" in str(info.value)

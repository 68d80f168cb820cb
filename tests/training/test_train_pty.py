"""`playbook train` end to end in a real pseudo-terminal (pexpect): play, Ctrl-C, --resume, finish."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.helpers import ROOT

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"
pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PLAYBOOK_HOME": str(tmp_path / "home"), "PLAYBOOK_CACHE": str(tmp_path / "cache"),
            "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8"}


def spawn(env: dict[str, str], *args: str) -> Any:
    return pexpect.spawn(sys.executable, ["-m", "playbook", "train", *args], env=env, cwd=str(ROOT), timeout=30,
                         encoding="utf-8", dimensions=(50, 120))


def decide(child: Any, words: tuple[str, ...], message: str | None = None) -> None:
    """Answer one inject: respond publicly, high, rebuild, apologise, the communications lead."""
    action, severity, posture, say, owners, write = words
    for prompt, keys in ((action, DOWN + ENTER), (severity, DOWN * 2 + ENTER), (posture, ENTER),
                         (say, DOWN * 2 + SPACE + ENTER), (owners, DOWN * 2 + SPACE + ENTER)):
        child.expect_exact(prompt)
        child.send(keys)
    if message is not None:
        child.expect_exact(write)
        child.send(message + ENTER)


EN = ("Your action?", "Severity?", "Posture?", "What will you say?", "Who owns it?", "Your message")
FR = ("Votre action", "Gravité", "Posture", "Que direz-vous", "Qui s'en charge", "Votre message")


def test_play_interrupt_resume_finish(env: dict[str, str], tmp_path: Path) -> None:
    child = spawn(env, "kenneth_cole_cairo", "--lang", "fr", "--as", "Camille")
    child.expect_exact("Scénario d'entraînement")
    decide(child, FR)
    child.expect_exact("Ce que décide le playbook")
    child.expect_exact("Événement suivant")
    child.send(ENTER)
    child.expect_exact("Votre action")
    child.send(CTRL_C)
    child.expect_exact("pour reprendre")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    child = spawn(env, "kenneth_cole_cairo", "--resume")
    child.expect_exact("Reprise à l'événement 2 sur 4")
    decide(child, FR, "Nous avons eu tort et nous vous présentons nos excuses. Prochain point à 15 h.")
    for message in (None, "Nous avons publié une blague sur un drame. C'était une faute, nous en sommes désolés."):
        child.expect_exact("Événement suivant")
        child.send(ENTER)
        decide(child, FR, message)
    child.expect_exact("Débriefing")
    child.expect_exact("Feuille de score")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    kept = list((tmp_path / "home" / "training").glob("kenneth_cole_cairo-Camille-*.json"))
    assert len(kept) == 1
    doc = json.loads(kept[0].read_text(encoding="utf-8"))
    assert doc["trainee"] == "Camille" and doc["lang"] == "fr" and len(doc["injects"]) == 4
    assert not (tmp_path / "home" / "training" / "progress-kenneth_cole_cairo.json").exists()

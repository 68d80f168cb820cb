"""Shared by the training tests: a scenarios overlay, recorded answers, results files."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from playbook.core.model import RuleBase
from playbook.training.session import Exercise

# Messages a trainee might write: one clean enough, one with the classic mistakes.
GOOD = ("We got this wrong and we're sorry. We have stopped it and we are putting it right with everyone "
        "affected; our next update is at 5 pm on our website.")
BAD = "We take this very seriously. We are sorry if anyone was offended."


@pytest.fixture
def scenarios_overlay(tmp_path: Path) -> Callable[..., Path]:
    """A rules directory whose `scenarios/` folder holds one file with the given (dedented) YAML."""

    def make(text: str, name: str = "mine.yaml") -> Path:
        folder = tmp_path / "overlay" / "scenarios"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path / "overlay"

    return make


def perfect(rb: RuleBase, scenario_id: str, lang: str = "en", message: str = GOOD) -> dict[str, Any]:
    """Recorded answers that choose exactly what the playbook decides at every inject."""
    scenario = rb.scenario(scenario_id)
    assert scenario is not None
    exercise = Exercise(rb, scenario, lang)
    entries = []
    for step in exercise.steps:
        e = step.expected
        entry: dict[str, Any] = {"inject": step.inject.id, "action": e["action"], "severity": e["severity"],
                                 "posture": e["posture"], "strategy": list(e["strategy"]),
                                 "escalate_to": list(e["escalate_to"]), "seconds": 60}
        if step.inject.message:
            entry["message"] = message
        entries.append(entry)
    return {"scenario": scenario_id, "trainee": "Alice", "lang": lang, "injects": entries}


def sloppy(rb: RuleBase, scenario_id: str, trainee: str, lang: str = "en") -> dict[str, Any]:
    """Recorded answers with the usual mistakes: always monitor, severity low, deny, a bad message."""
    doc = perfect(rb, scenario_id, lang, BAD)
    doc["trainee"] = trainee
    for entry in doc["injects"]:
        entry.update(action="monitor", severity="low", posture="deny", strategy=["explain"], escalate_to=[])
    return doc


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[Any, str], Path]:
    def write(doc: Any, name: str) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return path

    return write

"""The trainer's report on a group: per trainee, per inject, the principles most missed; Markdown,
JSON and one self-contained HTML page where user text stays text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.model import RuleBase
from tests.training.conftest import perfect, sloppy

UBG = "united_breaks_guitars"


@pytest.fixture
def group(runner: CliRunner, rb: RuleBase, tmp_path: Path, write_json: Callable[[Any, str], Path]) -> list[Path]:
    """Results files of three trainees on UBG and one on the troll wave."""
    out = []
    for n, (scenario, doc) in enumerate([(UBG, perfect(rb, UBG)), (UBG, sloppy(rb, UBG, "Bob")),
                                         (UBG, sloppy(rb, UBG, "Chloé <script>alert(1)</script>")),
                                         ("troll_wave", sloppy(rb, "troll_wave", "Dan"))]):
        path = tmp_path / f"results-{n}.json"
        answers = write_json(doc, f"answers-{n}.json")
        result = runner.invoke(app, ["train", scenario, "--answers", str(answers), "--results", str(path)])
        assert result.exit_code == 0, result.output
        out.append(path)
    return out


def report(runner: CliRunner, files: list[Path], *args: str) -> str:
    result = runner.invoke(app, ["train", "report", *map(str, files), *args])
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_the_group_report_as_data(runner: CliRunner, group: list[Path]) -> None:
    doc = json.loads(report(runner, group, "--format", "json"))
    assert doc["results"] == 4 and [s["id"] for s in doc["scenarios"]] == [UBG, "troll_wave"]
    ubg = doc["scenarios"][0]
    assert [t["name"] for t in ubg["trainees"]][:2] == ["Alice", "Bob"]
    second = ubg["injects"][1]
    assert second["answers"] == 3 and second["action"]["right"] == 1
    assert second["action"]["choices"] == {"monitor": 2, "respond_publicly": 1}
    assert second["weakest"] in ("action", "posture")
    assert {"field": "strategy", "item": "apologize", "count": 2} in second["missed"]
    assert sum(i["hardest"] for i in ubg["injects"]) == 1
    top = ubg["principles"][0]
    assert top["count"] >= 2 and top["title"] and top["source"]
    assert ubg["debrief"]["what_happened"].startswith("The video passed 150,000 views")


def test_markdown_escapes_names_and_says_where_the_group_went_wrong(runner: CliRunner, group: list[Path]) -> None:
    text = report(runner, group[:3], "--lang", "fr")
    assert "# Rapport d'entraînement — United Breaks Guitars" in text
    assert "Chloé \\<script\\>alert(1)\\</script\\>" in text
    assert "**Là où le groupe s'est trompé**" in text and "## Principes les plus manqués" in text


def test_html_is_self_contained_and_escaped(runner: CliRunner, group: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    report(runner, group, "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no external asset"
    assert "<link" not in page and "@import" not in page
    assert page.count("<svg") == 1 + 4 + 1 + 4, "a chart of averages, then one chart per inject, per scenario"


def test_bad_results_files_are_refused_with_their_name(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"trainee": "x"}', encoding="utf-8")
    result = runner.invoke(app, ["train", "report", str(bad)])
    assert result.exit_code == 2 and "notes.json: not a playbook training results file" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["train", "report", str(broken)])
    assert result.exit_code == 2 and "broken.json:1:2: not a results file: invalid JSON" in result.output
    result = runner.invoke(app, ["train", "report", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "missing.json: no such file" in result.output
    result = runner.invoke(app, ["train", "report", str(bad), "--format", "pdf"])
    assert result.exit_code == 2 and "--format pdf: unknown format; allowed: markdown, json, html" in result.output

"""Each kind of rule-base mistake gives one located message and exit 3."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.errors import RuleBaseError
from playbook.rulebase import load as rulebase


def load_error(overlay_dir: Path) -> str:
    with pytest.raises(RuleBaseError) as info:
        rulebase.load([overlay_dir], use_cache=False)
    return str(info.value)


RULE = """\
rules:
  - id: my_rule
    principle: respond_fast
    description: {{en: "A test rule.", fr: "Une règle de test."}}
    when:
{when}
    set:
{set}
"""


def rule(when: str = "      reach: viral", set_: str = "      severity: high") -> str:
    return RULE.format(when=when, set=set_)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (rule(when="      reech: viral"),
         "overlay.yaml:6:7: rule 'my_rule': unknown answer id 'reech' (did you mean 'reach'?)"),
        (rule(when="      reach: virall"),
         "overlay.yaml:6:14: rule 'my_rule': 'reach': 'virall' is not allowed (did you mean 'viral'?); "
         "allowed values: none, low, growing, viral"),
        (rule(when="      reach: {in: [low, viril]}"),
         "overlay.yaml:6:25: rule 'my_rule': 'reach': 'viril' is not allowed (did you mean 'viral'?)"),
        (rule(when="      media_interest: maybe"),
         "overlay.yaml:6:23: rule 'my_rule': 'media_interest' takes true, false (or yes, no), not the text 'maybe'"),
        (rule(when="      hours_since_surfaced: {gt: 2}"),
         "overlay.yaml:6:30: rule 'my_rule': unknown test 'gt' for number answer 'hours_since_surfaced'; "
         "allowed: in, gte, lte"),
        (rule(when="      summary: hello"),
         "overlay.yaml:6:7: rule 'my_rule': 'summary' is a free text and cannot be tested"),
        (rule(when="      - reach: viral"),
         "overlay.yaml:6:7: rule 'my_rule': a condition must be a non-empty mapping"),
        (rule(set_="      severity: extreme"),
         "overlay.yaml:8:17: rule 'my_rule': 'severity': unknown value 'extreme'; "
         "allowed: low, moderate, high, critical"),
        (rule(set_="      severty: high"),
         "overlay.yaml:8:7: rule 'my_rule': unknown output 'severty' (did you mean 'severity'?)"),
        (rule(set_="      respond_within_minutes: soon"),
         "overlay.yaml:8:31: rule 'my_rule': 'respond_within_minutes': expected a whole number of minutes"),
        (rule(set_="      do: [pause_promotion]"),
         "overlay.yaml:8:11: rule 'my_rule': 'do': unknown value 'pause_promotion' (did you mean 'pause_promotions'?)"),
        (rule().replace("principle: respond_fast", "principle: respond_fats"),
         "overlay.yaml:3:16: rule 'my_rule': unknown principle 'respond_fats' (did you mean 'respond_fast'?)"),
        (rule().replace("    description:", "    descripton:"),
         "overlay.yaml:4:5: rule 'my_rule': unknown key 'descripton' (did you mean 'description'?)"),
        (rule().replace('    description: {en: "A test rule.", fr: "Une règle de test."}\n', ""),
         "overlay.yaml:2:5: rule 'my_rule': missing required key 'description'"),
        (rule().replace('{en: "A test rule.", fr: "Une règle de test."}', '"English only"'),
         "overlay.yaml:4:18: rule 'my_rule': 'description' needs both languages"),
        ("rules:\n  - id: a\n    id: b\n",
         "overlay.yaml:3:5: duplicate key 'id'"),
        ("rules: [\n",
         "overlay.yaml:2:1: invalid YAML"),
        ("rulez: []\n",
         "overlay.yaml:1:1: unknown key 'rulez' (did you mean 'rules'?)"),
        ("questions:\n  - id: q\n    type: choice\n    text: {en: a, fr: b}\n    help: {en: a, fr: b}\n",
         "overlay.yaml:3:11: question 'q': unknown type 'choice'"),
        ("questions:\n  - id: q\n    type: confirm\n    text: only english\n    help: {en: a, fr: b}\n",
         "overlay.yaml:4:11: question 'q': 'text' needs both languages"),
        ("principles:\n  - id: p\n    source: blog\n    title: {en: a, fr: b}\n    summary: {en: a, fr: b}\n",
         "overlay.yaml:3:13: principle 'p': unknown source 'blog'"),
        ("questions:\n  - id: early\n    type: confirm\n    text: {en: a, fr: b}\n    help: {en: a, fr: b}\n"
         "    when: {later: true}\n",
         "overlay.yaml:6:12: question 'early': unknown answer id 'later'"),
    ],
)
def test_rulebase_mistake_is_located(overlay: Callable[..., Path], text: str, expected: str) -> None:
    message = load_error(overlay(text))
    assert expected in message
    assert "Traceback" not in message


def test_every_mistake_is_reported_not_only_the_first(overlay: Callable[..., Path]) -> None:
    text = rule(when="      reech: viral", set_="      severty: high")
    message = load_error(overlay(text))
    assert "unknown answer id 'reech'" in message
    assert "unknown output 'severty'" in message


def test_cli_exits_3_with_one_line_per_mistake(runner: CliRunner, overlay: Callable[..., Path],
                                               complete: dict[str, object],
                                               answers_file: Callable[..., Path]) -> None:
    d = overlay(rule(when="      reech: viral"))
    result = runner.invoke(app, ["triage", "--rules", str(d), "-a", str(answers_file(complete)), "-f", "json"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "rule 'my_rule': unknown answer id 'reech' (did you mean 'reach'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_overlay_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["questions", "--rules", str(tmp_path / "nope")])
    assert result.exit_code == 3
    assert "rules directory not found" in result.stderr

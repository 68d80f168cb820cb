"""The rubric, criterion by criterion: a trainer can explain every point."""

from __future__ import annotations

import pytest

from playbook.training.rubric import Choice, score

SEVERITIES = ("low", "moderate", "high", "critical")
EXPECTED = {"action": "respond_publicly", "severity": "high", "posture": "rebuild",
            "strategy": ("apologize", "offer_repair", "announce_change"), "escalate_to": ("executive", "comms_lead")}
RIGHT = Choice("respond_publicly", "high", "rebuild", ("apologize", "offer_repair", "announce_change"),
               ("executive", "comms_lead"), "We're sorry.", 30)


def points(choice: Choice, **kw: object) -> dict[str, float]:
    result = score(EXPECTED, choice, SEVERITIES, message_asked=bool(kw.get("asked", False)),
                   message_levels=kw.get("levels", ()), decide_within=kw.get("within"))  # type: ignore[arg-type]
    return {line.criterion: line.points for line in result.lines} | {"total": result.points, "max": result.max}


def test_the_same_decision_scores_everything() -> None:
    assert points(RIGHT) == {"action": 30, "severity": 15, "posture": 15, "strategy": 15, "escalate_to": 15,
                             "total": 90, "max": 90}
    assert points(RIGHT, asked=True)["total"] == 100


@pytest.mark.parametrize(("action", "expected_points"), [
    ("holding_statement", 15), ("correct_the_facts", 15), ("respond_privately", 0), ("monitor", 0)])
def test_near_actions_score_half(action: str, expected_points: int) -> None:
    choice = Choice(action, "high", "rebuild", RIGHT.strategy, RIGHT.escalate_to)
    assert points(choice)["action"] == expected_points


@pytest.mark.parametrize(("severity", "expected_points"), [("critical", 7), ("moderate", 7), ("low", 0)])
def test_severity_one_step_off_scores_seven(severity: str, expected_points: int) -> None:
    assert points(Choice("respond_publicly", severity, "rebuild"))["severity"] == expected_points


def test_lists_score_their_f1() -> None:
    choice = Choice("respond_publicly", "high", "rebuild", ("apologize", "explain"), ("executive",))
    result = score(EXPECTED, choice, SEVERITIES, message_asked=False)
    strategy = result.line("strategy")
    assert strategy is not None
    # precision 1/2, recall 1/3: F1 = 0.4, 6 points of 15
    assert strategy.points == 6.0 and strategy.missed == ("offer_repair", "announce_change")
    assert strategy.extra == ("explain",) and strategy.detail == {"precision": [1, 2], "recall": [1, 3], "f1": 0.4}
    owners = result.line("escalate_to")
    assert owners is not None and owners.points == 10.0  # precision 1, recall 1/2: F1 2/3


def test_both_empty_is_right() -> None:
    expected = {**EXPECTED, "action": "monitor", "strategy": ()}
    result = score(expected, Choice("monitor", "high", "rebuild", (), RIGHT.escalate_to), SEVERITIES,
                   message_asked=False)
    assert result.points == 90


def test_the_message_loses_points_per_finding_and_all_when_missing() -> None:
    assert points(RIGHT, asked=True, levels=["error", "warning", "info"])["message"] == 5
    assert points(RIGHT, asked=True, levels=["error"] * 3)["message"] == 0
    silent = Choice("respond_publicly", "high", "rebuild", RIGHT.strategy, RIGHT.escalate_to, None)
    assert points(silent, asked=True)["message"] == 0


def test_time_costs_points_only_past_the_deadline() -> None:
    assert points(RIGHT, within=60)["time"] == 0
    late = Choice(*[getattr(RIGHT, f) for f in ("action", "severity", "posture", "strategy", "escalate_to")],
                  seconds=90)
    assert points(late, within=60)["time"] == -5 and points(late, within=60)["total"] == 85
    assert "time" not in points(late)  # no deadline: reported, not scored


def test_scoring_is_deterministic() -> None:
    choice = Choice("holding_statement", "critical", "diminish", ("apologize",), ("legal",), "x", 12.34)
    assert score(EXPECTED, choice, SEVERITIES, message_asked=True) == score(EXPECTED, choice, SEVERITIES,
                                                                            message_asked=True)
